// The demo's care programmes (issue 16 point 9): a two-festivals send-warmth programme
// (元旦春节两节送温暖) of 10,000,000 yuan allocated to the leagues and on to their county
// federations, a few hundred visits, and one round of subsidies to units (7,640,000 yuan under
// one 文号). Everything goes through service::Care, so the ledger verifies as for money entered
// by hand.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/result.hpp"
#include "service/vault.hpp"
#include "store/store.hpp"

namespace xj::service {

// What the care demo made, for what is seeded after it (the voucher pilot in Hohhot).
struct DemoCare {
  Id warmth_programme_id = 0;
  Id subsidy_programme_id = 0;
  Id hohhot_id = 0;  // 呼和浩特市总工会: still holds part of its allocation for the pilot
};

// REQUIRES: seed_demo ran on `store` (its organisations and the admin account). `today` is the
// day of the demo in Asia/Shanghai: the programmes run around it, the visits happen before it.
// Throws std::logic_error when the service refuses a demo record (a bug in the demo).
DemoCare seed_demo_care(store::Store& store, const Vault& vault, Date today);

// The care generator for benchmarks (issue 16, "Speed"): how many disbursements to spread over
// the organisation tree, in this year's programme and in last year's (closed) one.
// At most this many generated people in all (each gets an ID number of their own).
inline constexpr std::int64_t kVolumePeople = std::int64_t{18'000} * 300;
struct CareVolumeOptions {
  std::int64_t disbursements = 0;       // 困难职工常态化帮扶 of this year, open
  std::int64_t past_disbursements = 0;  // the same programme of the year before, closed
  // Told now and then how many payments of how many are written.
  std::function<void(std::string_view what, std::int64_t done, std::int64_t total)> progress;
};

// REQUIRES: seed_demo ran on `store`. For each programme asked for: created and opened through
// service::Care, allocations down the tree first (each organisation receives what it and its
// subtree pay, plus a twentieth left unspent, so nobody spends more than it holds), then the
// payments in bulk (Tx::bulk_insert_care_payments): every organisation of the tree pays in
// turn, each payment to a different invented person with a valid GB 11643 number and a phone,
// sealed and hashed by `vault` as Care::disburse seals them. One audit row per batch. The
// ledger verifies afterwards. Throws std::logic_error when the service refuses a record.
void seed_care_volume(store::Store& store, const Vault& vault, Date today,
                      const CareVolumeOptions& options);

}  // namespace xj::service
