// The store's share of e-vouchers and corrections (issue 16 point 5): merchants, batches,
// vouchers, redemptions, and reversing movements. The codes are kept as a keyed hash and a
// ciphertext (service/vouchers.cpp makes both); redemptions are append-only (migration 0018).
#include <map>
#include <stdexcept>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::opt;
using detail::Where;
using domain::Merchant;
using domain::Voucher;
using domain::VoucherBatch;
using domain::VoucherRedemption;
using sql::Row;
using sql::Value;

namespace {

constexpr const char* kMerchantColumns =
    "m.id, m.organisation_id, m.name, m.credit_code, m.contact, m.created_at, o.name, o.path";
constexpr const char* kMerchantFrom =
    " FROM care_merchants m JOIN organisations o ON o.id = m.organisation_id";

Merchant merchant_from(const Row& r) {
  return {r.integer(0), r.integer(1), r.text(2), r.text(3),
          r.text(4),    r.integer(5), r.text(6), r.text(7)};
}

constexpr const char* kBatchColumns =
    "b.id, b.programme_id, b.organisation_id, b.title, b.face_value_fen, b.count, b.valid_from, "
    "b.valid_to, b.state, b.movement_id, b.expiry_movement_id, b.created_at, o.name, o.path, "
    "(SELECT COUNT(*) FROM care_vouchers v WHERE v.batch_id = b.id), "
    "(SELECT COUNT(*) FROM care_vouchers v WHERE v.batch_id = b.id AND v.state = 'redeemed'), "
    "(SELECT COUNT(*) FROM care_vouchers v WHERE v.batch_id = b.id AND v.state = 'expired')";
constexpr const char* kBatchFrom =
    " FROM care_voucher_batches b JOIN organisations o ON o.id = b.organisation_id";

VoucherBatch batch_from(const Row& r) {
  VoucherBatch b;
  b.id = r.integer(0);
  b.programme_id = r.integer(1);
  b.organisation_id = r.integer(2);
  b.title = r.text(3);
  b.face_value_fen = r.integer(4);
  b.count = r.integer(5);
  b.valid_from = Date::parse(r.text(6)).value_or(Date{});
  b.valid_to = Date::parse(r.text(7)).value_or(Date{});
  b.state = r.text(8) == "expired" ? domain::BatchState::kExpired : domain::BatchState::kOpen;
  b.movement_id = r.opt_integer(9).value_or(0);
  b.expiry_movement_id = r.opt_integer(10);
  b.created_at = r.integer(11);
  b.organisation_name = r.text(12);
  b.organisation_path = r.text(13);
  b.issued = r.integer(14);
  b.redeemed = r.integer(15);
  b.expired = r.integer(16);
  return b;
}

constexpr const char* kVoucherColumns =
    "v.id, v.batch_id, v.beneficiary_id, v.state, v.code_tail, v.issued_at, p.name, p.id_mask, "
    "b.face_value_fen, b.valid_from, b.valid_to, b.title, r.at, m.name, v.code_cipher, "
    "b.programme_id, b.organisation_id, o.path, b.state";
constexpr const char* kVoucherFrom =
    " FROM care_vouchers v JOIN care_voucher_batches b ON b.id = v.batch_id "
    "JOIN organisations o ON o.id = b.organisation_id "
    "JOIN care_beneficiaries p ON p.id = v.beneficiary_id "
    "LEFT JOIN care_voucher_redemptions r ON r.voucher_id = v.id "
    "LEFT JOIN care_merchants m ON m.id = r.merchant_id";

VoucherRecord voucher_from(const Row& r) {
  VoucherRecord out;
  Voucher& v = out.shown;
  v.id = r.integer(0);
  v.batch_id = r.integer(1);
  v.beneficiary_id = r.integer(2);
  v.state = r.text(3);
  v.code_mask = domain::mask_voucher_code(r.text(4));
  v.issued_at = r.integer(5);
  v.beneficiary_name = r.text(6);
  v.beneficiary_id_mask = r.text(7);
  v.face_value_fen = r.integer(8);
  v.valid_from = Date::parse(r.text(9)).value_or(Date{});
  v.valid_to = Date::parse(r.text(10)).value_or(Date{});
  v.batch_title = r.text(11);
  v.redeemed_at = r.opt_integer(12);
  v.redeemed_merchant = r.is_null(13) ? "" : r.text(13);
  out.code_cipher = r.text(14);
  out.programme_id = r.integer(15);
  out.organisation_id = r.integer(16);
  out.organisation_path = r.text(17);
  out.batch_state = r.text(18);
  return out;
}

constexpr const char* kRedemptionColumns =
    "r.id, r.voucher_id, r.merchant_id, r.account_id, r.request_key, r.movement_id, r.at, "
    "m.name, b.face_value_fen, v.code_tail, v.batch_id";
constexpr const char* kRedemptionFrom =
    " FROM care_voucher_redemptions r JOIN care_merchants m ON m.id = r.merchant_id "
    "JOIN care_vouchers v ON v.id = r.voucher_id "
    "JOIN care_voucher_batches b ON b.id = v.batch_id";

VoucherRedemption redemption_from(const Row& r) {
  VoucherRedemption out;
  out.id = r.integer(0);
  out.voucher_id = r.integer(1);
  out.merchant_id = r.integer(2);
  out.account_id = r.opt_integer(3);
  out.request_key = r.text(4);
  out.movement_id = r.integer(5);
  out.at = r.integer(6);
  out.merchant_name = r.text(7);
  out.face_value_fen = r.integer(8);
  out.code_mask = domain::mask_voucher_code(r.text(9));
  out.batch_id = r.integer(10);
  return out;
}

}  // namespace

Id Tx::insert_merchant(const Merchant& m, std::optional<Id> created_by) {
  return insert_returning_id(
      "INSERT INTO care_merchants (organisation_id, name, credit_code, contact, created_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {m.organisation_id, m.name, m.credit_code, m.contact, opt(created_by), now_utc()});
}

std::optional<Merchant> Tx::merchant(Id id) {
  auto rows =
      q(std::string("SELECT ") + kMerchantColumns + kMerchantFrom + " WHERE m.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return merchant_from(rows[0]);
}

Page<Merchant> Tx::merchants(const std::string& scope_path, PageRequest page) {
  Where w;
  w.subtree("o.path", scope_path);
  Page<Merchant> out;
  out.total = conn_->query(std::string("SELECT COUNT(*)") + kMerchantFrom + w.sql(), w.params())
                  .at(0)
                  .integer(0);
  for (const Row& r : conn_->query(std::string("SELECT ") + kMerchantColumns + kMerchantFrom +
                                       w.sql() + " ORDER BY m.name, m.id LIMIT ? OFFSET ?",
                                   w.params_with_page(page))) {
    out.items.push_back(merchant_from(r));
  }
  return out;
}

void Tx::link_merchant_account(Id account_id, Id merchant_id) {
  x("DELETE FROM care_merchant_accounts WHERE account_id = ?", {account_id});
  x("INSERT INTO care_merchant_accounts (account_id, merchant_id) VALUES (?, ?)",
    {account_id, merchant_id});
}

std::optional<Id> Tx::merchant_of_account(Id account_id) {
  auto rows =
      q("SELECT merchant_id FROM care_merchant_accounts WHERE account_id = ?", {account_id});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

Id Tx::ledger_ref_account(Id programme_id, std::string_view kind, Id organisation_id, Id ref_id) {
  const std::string k(kind);
  constexpr const char* kFind =
      "SELECT id FROM ledger_accounts WHERE programme_id = ? AND kind = ? AND "
      "organisation_id = ? AND ref_id = ?";
  auto rows = q(kFind, {programme_id, k, organisation_id, ref_id});
  if (!rows.empty()) return rows[0].integer(0);
  // Two redemptions without the global lock may both open a merchant's account: the second
  // waits for the first's insert, does nothing, and reads the account in a new statement.
  rows =
      q("INSERT INTO ledger_accounts (programme_id, kind, organisation_id, balance_fen, ref_id) "
        "VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING RETURNING id",
        {programme_id, k, organisation_id, ref_id});
  if (!rows.empty()) return rows[0].integer(0);
  return q(kFind, {programme_id, k, organisation_id, ref_id}).at(0).integer(0);
}

Id Tx::insert_voucher_batch(const VoucherBatch& b, std::optional<Id> created_by) {
  const Id id = insert_returning_id(
      "INSERT INTO care_voucher_batches (programme_id, organisation_id, title, face_value_fen, "
      "count, valid_from, valid_to, state, movement_id, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', NULL, ?, ?) RETURNING id",
      {b.programme_id, b.organisation_id, b.title, b.face_value_fen, b.count, b.valid_from.iso(),
       b.valid_to.iso(), opt(created_by), now_utc()});
  for (const Id m : b.merchant_ids) {
    x("INSERT INTO care_voucher_batch_merchants (batch_id, merchant_id) VALUES (?, ?)", {id, m});
  }
  return id;
}

void Tx::set_batch_movement(Id batch_id, Id movement_id) {
  x("UPDATE care_voucher_batches SET movement_id = ? WHERE id = ?", {movement_id, batch_id});
}

std::optional<VoucherBatch> Tx::voucher_batch(Id id) {
  auto rows = q(std::string("SELECT ") + kBatchColumns + kBatchFrom + " WHERE b.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  VoucherBatch b = batch_from(rows[0]);
  for (const Row& r : q(std::string("SELECT ") + kMerchantColumns + kMerchantFrom +
                            " JOIN care_voucher_batch_merchants bm ON bm.merchant_id = m.id "
                            "WHERE bm.batch_id = ? ORDER BY m.name, m.id",
                        {id})) {
    b.merchants.push_back(merchant_from(r));
    b.merchant_ids.push_back(b.merchants.back().id);
  }
  return b;
}

Page<VoucherBatch> Tx::voucher_batches(std::optional<Id> programme_id,
                                       const std::string& scope_path, PageRequest page) {
  Where w;
  w.subtree("o.path", scope_path);
  if (programme_id) w.add("b.programme_id = ?", {*programme_id});
  Page<VoucherBatch> out;
  out.total = conn_->query(std::string("SELECT COUNT(*)") + kBatchFrom + w.sql(), w.params())
                  .at(0)
                  .integer(0);
  for (const Row& r : conn_->query(std::string("SELECT ") + kBatchColumns + kBatchFrom + w.sql() +
                                       " ORDER BY b.id DESC LIMIT ? OFFSET ?",
                                   w.params_with_page(page))) {
    out.items.push_back(batch_from(r));
  }
  return out;
}

bool Tx::batch_accepts(Id batch_id, Id merchant_id) {
  return !q("SELECT 1 FROM care_voucher_batch_merchants WHERE batch_id = ? AND merchant_id = ?",
            {batch_id, merchant_id})
              .empty();
}

bool Tx::voucher_issued_to(Id batch_id, Id beneficiary_id) {
  return !q("SELECT 1 FROM care_vouchers WHERE batch_id = ? AND beneficiary_id = ?",
            {batch_id, beneficiary_id})
              .empty();
}

std::int64_t Tx::vouchers_in_batch(Id batch_id) {
  return q("SELECT COUNT(*) FROM care_vouchers WHERE batch_id = ?", {batch_id}).at(0).integer(0);
}

Id Tx::insert_voucher(Id batch_id, Id beneficiary_id, const std::string& code_hash,
                      const std::string& code_cipher, const std::string& code_tail,
                      std::optional<Id> issued_by) {
  return insert_returning_id(
      "INSERT INTO care_vouchers (batch_id, beneficiary_id, code_hash, code_cipher, code_tail, "
      "state, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, 'issued', ?, ?) RETURNING id",
      {batch_id, beneficiary_id, code_hash, code_cipher, code_tail, opt(issued_by), now_utc()});
}

std::optional<VoucherRecord> Tx::voucher(Id id) {
  auto rows = q(std::string("SELECT ") + kVoucherColumns + kVoucherFrom + " WHERE v.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return voucher_from(rows[0]);
}

std::optional<VoucherRecord> Tx::voucher_by_hash(const std::string& code_hash) {
  auto rows = q(std::string("SELECT ") + kVoucherColumns + kVoucherFrom + " WHERE v.code_hash = ?",
                {code_hash});
  if (rows.empty()) return std::nullopt;
  return voucher_from(rows[0]);
}

Page<Voucher> Tx::vouchers(Id batch_id, PageRequest page) {
  Page<Voucher> out;
  out.total =
      q("SELECT COUNT(*) FROM care_vouchers WHERE batch_id = ?", {batch_id}).at(0).integer(0);
  for (const Row& r : q(std::string("SELECT ") + kVoucherColumns + kVoucherFrom +
                            " WHERE v.batch_id = ? ORDER BY v.id LIMIT ? OFFSET ?",
                        {batch_id, page.page_size, (page.page - 1) * page.page_size})) {
    out.items.push_back(voucher_from(r).shown);
  }
  return out;
}

std::optional<VoucherRedemption> Tx::redemption_by_key(const std::string& request_key) {
  auto rows =
      q(std::string("SELECT ") + kRedemptionColumns + kRedemptionFrom + " WHERE r.request_key = ?",
        {request_key});
  if (rows.empty()) return std::nullopt;
  return redemption_from(rows[0]);
}

std::optional<VoucherRedemption> Tx::redemption_of_voucher(Id voucher_id) {
  auto rows =
      q(std::string("SELECT ") + kRedemptionColumns + kRedemptionFrom + " WHERE r.voucher_id = ?",
        {voucher_id});
  if (rows.empty()) return std::nullopt;
  return redemption_from(rows[0]);
}

std::optional<RedemptionTarget> Tx::redemption_target(const std::string& code_hash, Id account_id,
                                                      const std::string& request_key) {
  constexpr const char* kSql =
      "SELECT v.id, v.state, v.code_tail, b.id, b.state, b.title, b.programme_id, "
      "b.organisation_id, b.face_value_fen, b.valid_from, b.valid_to, m.id, m.name, "
      "m.organisation_id, "
      "CASE WHEN EXISTS (SELECT 1 FROM care_voucher_batch_merchants bm "
      " WHERE bm.batch_id = b.id AND bm.merchant_id = m.id) THEN 1 ELSE 0 END, "
      "CASE WHEN EXISTS (SELECT 1 FROM care_voucher_redemptions r WHERE r.request_key = ?) "
      " THEN 1 ELSE 0 END, "
      "(SELECT a.id FROM ledger_accounts a WHERE a.programme_id = b.programme_id "
      " AND a.kind = 'voucher_batch' AND a.organisation_id = b.organisation_id "
      " AND a.ref_id = b.id), "
      "(SELECT a.id FROM ledger_accounts a WHERE a.programme_id = b.programme_id "
      " AND a.kind = 'merchant' AND a.organisation_id = m.organisation_id AND a.ref_id = m.id) "
      "FROM care_voucher_batches b JOIN care_vouchers v ON v.batch_id = b.id "
      "LEFT JOIN care_merchant_accounts ma ON ma.account_id = ? "
      "LEFT JOIN care_merchants m ON m.id = ma.merchant_id "
      "WHERE v.code_hash = ?";
  auto rows = q(kSql, {request_key, account_id, code_hash});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  RedemptionTarget t;
  t.voucher_id = r.integer(0);
  t.voucher_state = r.text(1);
  t.code_tail = r.text(2);
  t.batch_id = r.integer(3);
  t.batch_state = r.text(4);
  t.batch_title = r.text(5);
  t.programme_id = r.integer(6);
  t.organisation_id = r.integer(7);
  t.face_value_fen = r.integer(8);
  t.valid_from = Date::parse(r.text(9)).value_or(Date{});
  t.valid_to = Date::parse(r.text(10)).value_or(Date{});
  t.merchant_id = r.opt_integer(11);
  if (t.merchant_id) {
    t.merchant_name = r.text(12);
    t.merchant_organisation_id = r.integer(13);
  }
  t.accepted = r.integer(14) != 0;
  t.key_used = r.integer(15) != 0;
  t.batch_account = r.opt_integer(16).value_or(0);
  t.merchant_account = r.opt_integer(17);
  return t;
}

bool Tx::claim_voucher(Id voucher_id) {
  // PostgreSQL: an UPDATE that finds the row locked by another claim waits for it, then checks
  // the condition again on the row as that one left it.
  return x("UPDATE care_vouchers SET state = 'redeemed' WHERE id = ? AND state = 'issued'",
           {voucher_id}) == 1;
}

Id Tx::insert_redemption(const VoucherRedemption& r) {
  return insert_returning_id(
      "INSERT INTO care_voucher_redemptions (voucher_id, merchant_id, account_id, request_key, "
      "movement_id, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {r.voucher_id, r.merchant_id, opt(r.account_id), r.request_key, r.movement_id,
       r.at != 0 ? r.at : now_utc()});
}

Page<VoucherRedemption> Tx::redemptions(std::optional<Id> merchant_id,
                                        const std::string& scope_path, PageRequest page) {
  Where w;
  if (merchant_id) {
    w.add("r.merchant_id = ?", {*merchant_id});
  } else {
    w.subtree("o.path", scope_path);
  }
  const std::string from =
      std::string(kRedemptionFrom) + " JOIN organisations o ON o.id = b.organisation_id";
  Page<VoucherRedemption> out;
  out.total = conn_->query("SELECT COUNT(*)" + from + w.sql(), w.params()).at(0).integer(0);
  for (const Row& r : conn_->query(std::string("SELECT ") + kRedemptionColumns + from + w.sql() +
                                       " ORDER BY r.id DESC LIMIT ? OFFSET ?",
                                   w.params_with_page(page))) {
    out.items.push_back(redemption_from(r));
  }
  return out;
}

std::vector<Id> Tx::batches_past(const Date& today) {
  std::vector<Id> out;
  for (const Row& r : q("SELECT id FROM care_voucher_batches WHERE state = 'open' AND "
                        "valid_to < ? ORDER BY id",
                        {today.iso()})) {
    out.push_back(r.integer(0));
  }
  return out;
}

void Tx::expire_vouchers(Id batch_id) {
  x("UPDATE care_vouchers SET state = 'expired' WHERE batch_id = ? AND state = 'issued'",
    {batch_id});
}

void Tx::expire_batch(Id batch_id, std::optional<Id> movement_id) {
  x("UPDATE care_voucher_batches SET state = 'expired', expiry_movement_id = ?, expired_at = ? "
    "WHERE id = ?",
    {opt(movement_id), now_utc(), batch_id});
}

std::optional<Id> Tx::reversal_of(Id movement_id) {
  auto rows = q("SELECT id FROM ledger_movements WHERE reverses_id = ?", {movement_id});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

Id Tx::post_reversal(Id movement_id, std::optional<Id> account_id, const std::string& note) {
  auto original = q("SELECT programme_id FROM ledger_movements WHERE id = ?", {movement_id});
  if (original.empty()) throw std::logic_error("reversing a movement that does not exist");
  const Id programme_id = original[0].integer(0);
  const Id reversal = insert_returning_id(
      "INSERT INTO ledger_movements (programme_id, kind, at, account_id, note, reverses_id) "
      "VALUES (?, 'reversal', ?, ?, ?, ?) RETURNING id",
      {programme_id, now_utc(), opt(account_id), note, movement_id});
  for (const Row& r : q("SELECT account_id, amount_fen FROM ledger_entries WHERE movement_id = ? "
                        "ORDER BY id",
                        {movement_id})) {
    const Id account = r.integer(0);
    const std::int64_t amount = -r.integer(1);
    x("INSERT INTO ledger_entries (movement_id, account_id, amount_fen) VALUES (?, ?, ?)",
      {reversal, account, amount});
    x("UPDATE ledger_accounts SET balance_fen = balance_fen + ? WHERE id = ?", {amount, account});
  }
  return reversal;
}

VoucherFacts Tx::voucher_facts() {
  VoucherFacts f;
  for (const Row& r :
       q("SELECT b.id, b.face_value_fen, b.count, b.state, "
         "(SELECT COUNT(*) FROM care_voucher_redemptions r JOIN care_vouchers v "
         " ON v.id = r.voucher_id WHERE v.batch_id = b.id), "
         "COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e JOIN ledger_accounts a "
         " ON a.id = e.account_id WHERE a.kind = 'voucher_batch' AND a.ref_id = b.id), 0), "
         "COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e JOIN ledger_accounts a "
         " ON a.id = e.account_id WHERE e.movement_id = b.movement_id "
         " AND a.kind = 'voucher_batch' AND a.ref_id = b.id), 0) "
         "FROM care_voucher_batches b ORDER BY b.id")) {
    f.batches.push_back({r.integer(0), r.integer(1), r.integer(2), r.text(3), r.integer(4),
                         r.integer(5), r.integer(6)});
  }
  for (const Row& r :
       q("SELECT a.id, a.programme_id, a.ref_id, "
         "COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e WHERE e.account_id = a.id), 0),"
         " COALESCE((SELECT SUM(b.face_value_fen) FROM care_voucher_redemptions r "
         " JOIN care_vouchers v ON v.id = r.voucher_id "
         " JOIN care_voucher_batches b ON b.id = v.batch_id "
         " WHERE r.merchant_id = a.ref_id AND b.programme_id = a.programme_id), 0) "
         "FROM ledger_accounts a WHERE a.kind = 'merchant' ORDER BY a.id")) {
    f.merchants.push_back({r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4)});
  }
  // A redemption's movement: exactly two entries, −face on its batch's account and +face on
  // its merchant's.
  for (const Row& r :
       q("SELECT r.id FROM care_voucher_redemptions r "
         "JOIN care_vouchers v ON v.id = r.voucher_id "
         "JOIN care_voucher_batches b ON b.id = v.batch_id "
         "WHERE (SELECT COUNT(*) FROM ledger_entries e WHERE e.movement_id = r.movement_id) <> 2 "
         "OR NOT EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_accounts a "
         " ON a.id = e.account_id WHERE e.movement_id = r.movement_id "
         " AND a.kind = 'voucher_batch' AND a.ref_id = b.id AND e.amount_fen = -b.face_value_fen) "
         "OR NOT EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_accounts a "
         " ON a.id = e.account_id WHERE e.movement_id = r.movement_id "
         " AND a.kind = 'merchant' AND a.ref_id = r.merchant_id "
         " AND e.amount_fen = b.face_value_fen) ORDER BY r.id")) {
    f.bad_redemptions.push_back(r.integer(0));
  }
  // A reversal undoes its original exactly: per account, the two movements' entries cancel,
  // and it has as many entries.
  for (const Row& r :
       q("SELECT m.id FROM ledger_movements m WHERE m.reverses_id IS NOT NULL AND ("
         "(SELECT COUNT(*) FROM ledger_entries e WHERE e.movement_id = m.id) <> "
         "(SELECT COUNT(*) FROM ledger_entries e WHERE e.movement_id = m.reverses_id) "
         "OR EXISTS (SELECT 1 FROM ledger_entries e WHERE e.movement_id IN (m.id, m.reverses_id) "
         " GROUP BY e.account_id HAVING SUM(e.amount_fen) <> 0)) ORDER BY m.id")) {
    f.bad_reversals.push_back(r.integer(0));
  }
  return f;
}

}  // namespace xj::store
