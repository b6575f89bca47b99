// The demo's care programmes (issue 16 point 9): a two-festivals send-warmth programme
// (元旦春节两节送温暖) of 10,000,000 yuan allocated to the leagues and on to their county
// federations, a few hundred visits, and one round of subsidies to units (7,640,000 yuan under
// one 文号). Everything goes through service::Care, so the ledger verifies as for money entered
// by hand.
#pragma once

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

}  // namespace xj::service
