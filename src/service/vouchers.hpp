// E-vouchers (电子消费券, issue 16 point 5) and corrections of the care ledger: the use cases.
// Like every care write, each is one transaction that books a balanced movement and its audit
// row; writes are serialised by the store (SQLite's write lock, PostgreSQL's advisory lock),
// except redemptions on PostgreSQL, which rest on the voucher's row lock and the UNIQUE
// constraints instead (an expiry marks the vouchers expired before it counts) so that several
// commit at once: fifty tills redeeming one code at once, on one process or several, see exactly
// one success.
//
// Money: creating a batch moves count × face value from the organisation's holding to the
// batch's account (the money is set aside when the batch is made, so issuing can never
// overspend); a redemption moves one face value from the batch to the merchant's account; once
// the batch's last valid day is past, a sweep (a redeem attempt on one of its vouchers, or
// `xuanjiang vouchers expire`) returns the unredeemed rest to the holding. Until the sweep the
// value sits in the batch account, which `ledger verify` expects.
//
// Codes are bearer secrets: the database keeps their keyed hash (to find them) and their
// ciphertext under the vault's key (to show them again to an organiser), so a copied database
// file alone redeems nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/care.hpp"
#include "domain/vouchers.hpp"
#include "service/records.hpp"
#include "service/vault.hpp"
#include "store/store.hpp"

namespace xj::service {

// One beneficiary of an issue: an existing one by id, or a person as typed (found again by the
// hash of their ID number, else registered).
struct IssueTarget {
  std::optional<Id> beneficiary_id;
  std::optional<domain::PersonInput> person;
};

// What a merchant's till sees of a code: never the holder beyond a masked name.
struct VoucherCheck {
  domain::Voucher voucher;  // code empty, beneficiary_name masked, no ID mask
  bool accepted_here = false;
  bool redeemable = false;
  Message reason;  // why not, when not redeemable
};

struct RedeemAnswer {
  domain::VoucherRedemption redemption;
  bool replayed = false;  // answered from an earlier request with the same key
};

// What a 409 on redemption names: when and where the voucher was redeemed.
struct AlreadyRedeemed {
  UnixSeconds at = 0;
  std::string merchant_name;
};

class Vouchers {
 public:
  Vouchers(store::Store& store, const Vault& vault) : store_(store), vault_(vault) {}

  Result<Page<domain::Merchant>> list_merchants(const Principal& who, store::PageRequest page);
  Result<domain::Merchant> create_merchant(const Principal& who, domain::Merchant m);
  // Ties an account of role merchant (in scope) to the merchant (in scope).
  Result<domain::Merchant> link_account(const Principal& who, Id merchant_id, Id account_id);

  Result<Page<domain::VoucherBatch>> list_batches(const Principal& who,
                                                  std::optional<Id> programme_id,
                                                  store::PageRequest page);
  Result<domain::VoucherBatch> get_batch(const Principal& who, Id id);
  // From an organisation in scope within an open programme that gives vouchers; at most what
  // the organisation holds; merchants in scope.
  Result<domain::VoucherBatch> create_batch(const Principal& who, domain::VoucherBatch b);
  // One voucher per target, all or none: the same person twice (in the request or the batch)
  // is a conflict; more than the batch has left is refused. The answer carries the full codes.
  Result<std::vector<domain::Voucher>> issue(const Principal& who, Id batch_id,
                                             std::vector<IssueTarget> targets);
  Result<Page<domain::Voucher>> list_vouchers(const Principal& who, Id batch_id,
                                              store::PageRequest page);
  // One voucher; its full code only for callers with care.write.
  Result<domain::Voucher> get_voucher(const Principal& who, Id id);

  // The till's look-up and redemption (voucher.redeem, an account tied to a merchant).
  Result<VoucherCheck> check(const Principal& who, const std::string& code);
  Result<RedeemAnswer> redeem(const Principal& who, const std::string& code,
                              const std::string& request_key);
  // When and where the code was redeemed (for the 409's body), if it was.
  std::optional<AlreadyRedeemed> redeemed(const std::string& code);
  // A merchant's own redemptions; an organiser's in scope.
  Result<Page<domain::VoucherRedemption>> list_redemptions(const Principal& who,
                                                           store::PageRequest page);

  // Expires every open batch whose last valid day is before `today`, returning what was not
  // redeemed to the issuing holding; one transaction per batch. Returns how many expired.
  std::int64_t expire_due(const Date& today);

 private:
  // The redemption of the plain case (a till's merchant, an unused key, an issued voucher of an
  // open batch that takes the merchant, within its days), booked in a row-locked transaction;
  // none when it is not the plain case or the voucher was claimed meanwhile. Throws
  // store::sql::UniqueViolation when a concurrent redemption of the voucher or under the key
  // committed first.
  std::optional<RedeemAnswer> book_redemption(const Principal& who, const std::string& hash,
                                              const std::string& request_key);
  // Why the redemption is refused, or the earlier answer under the same key, judged in the
  // order of the checks from what is committed; sweeps a batch found past its last day. None
  // when nothing stands in the way. `hash` is null when the code does not even read.
  std::optional<Result<RedeemAnswer>> refusal(const Principal& who, const std::string* hash,
                                              const std::string& request_key);
  // Expires the batch if it is open and its last valid day is before `day`, in one transaction
  // under the batch's lock. Returns whether it did.
  bool expire_if_due(Id batch_id, const Date& day);

  store::Store& store_;
  const Vault& vault_;
};

// Corrections: an allocation or a disbursement entered in error is undone by a new movement
// that reverses it exactly, with a reason; the original stays as it was, marked reversed by the
// reversal that names it. A second reversal is refused (409), as is one that would leave a
// holding negative (the money was spent meanwhile).
struct Reversal {
  Id movement_id = 0;           // the reversal
  Id reverses_movement_id = 0;  // the original
  std::string reason;
  UnixSeconds at = 0;
};

class Corrections {
 public:
  explicit Corrections(store::Store& store) : store_(store) {}
  Result<Reversal> reverse_disbursement(const Principal& who, Id id, std::string reason);
  Result<Reversal> reverse_allocation(const Principal& who, Id id, std::string reason);

 private:
  store::Store& store_;
};

namespace detail {
// The vouchers' and reversals' share of `ledger verify`: the first discrepancy in words.
std::optional<std::string> verify_vouchers(store::Tx& tx);
}  // namespace detail

}  // namespace xj::service
