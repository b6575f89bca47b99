// Bulk loading of care payments (issue 16, "Speed"): the generator writes a million
// disbursements with their beneficiaries and ledger movements in batches. One payment written
// one by one costs a beneficiary, a movement, two entries, two balance updates and a
// disbursement, each a statement; here each table is one COPY (PostgreSQL) or a few multi-row
// INSERTs (SQLite) per batch, and each account's kept balance is one UPDATE per batch.
#include <array>
#include <map>
#include <stdexcept>
#include <string_view>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using sql::Value;

namespace {

constexpr auto kBeneficiaryColumns = std::to_array<std::string_view>(
    {"id", "organisation_id", "name", "id_hash", "id_cipher", "id_mask", "phone_cipher",
     "phone_mask", "employer", "category", "created_at"});
constexpr auto kMovementColumns =
    std::to_array<std::string_view>({"id", "programme_id", "kind", "at", "account_id", "note"});
constexpr auto kEntryColumns =
    std::to_array<std::string_view>({"id", "movement_id", "account_id", "amount_fen"});
constexpr auto kDisbursementColumns = std::to_array<std::string_view>(
    {"id", "programme_id", "organisation_id", "beneficiary_kind", "beneficiary_id", "category",
     "unit_name", "document_no", "bank_name", "bank_account", "amount_fen", "aid_kind", "date",
     "officials", "note", "duplicate_reason", "movement_id", "created_by", "created_at"});

// The two accounts a payer's payments move money between.
struct PayerAccounts {
  Id holding = 0;
  Id paid = 0;
};

}  // namespace

void Tx::bulk_insert_care_payments(std::span<const BulkCarePayment> payments,
                                   std::optional<Id> created_by) {
  if (payments.empty()) return;
  // Accounts first (no query may run while a COPY does), in the order Care::disburse makes
  // them: the holding, then the paid account, of each payer at its first payment.
  std::map<std::pair<Id, Id>, PayerAccounts> accounts;  // (programme, organisation) → accounts
  std::map<Id, std::int64_t> deltas;                    // account → change of its balance
  for (const auto& p : payments) {
    const auto& d = p.disbursement;
    auto [it, made] = accounts.try_emplace({d.programme_id, d.organisation_id});
    if (made) {
      it->second.holding = ledger_account(d.programme_id, "holding", d.organisation_id);
      it->second.paid = ledger_account(d.programme_id, "paid", d.organisation_id);
    }
    deltas[it->second.holding] -= d.amount_fen;
    deltas[it->second.paid] += d.amount_fen;
  }
  // Nobody spends more than it holds: judged for the whole batch before anything is written.
  for (const auto& [key, pair] : accounts) {
    const std::int64_t held = ledger_balance(key.first, "holding", key.second);
    if (held + deltas[pair.holding] < 0) {
      throw std::logic_error("bulk care payments overspend the holding of organisation " +
                             std::to_string(key.second));
    }
  }
  const UnixSeconds now = now_utc();
  auto next_id = [this](const char* table) {
    return q(std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") + table).at(0).integer(0);
  };
  const Id first_beneficiary = next_id("care_beneficiaries");
  const Id first_movement = next_id("ledger_movements");
  const Id first_entry = next_id("ledger_entries");
  const Id first_disbursement = next_id("care_disbursements");

  bool new_people = false;
  {
    auto writer = conn_->bulk_writer("care_beneficiaries", kBeneficiaryColumns);
    Id id = first_beneficiary;
    for (const auto& p : payments) {
      if (!p.new_person) continue;
      const auto& b = *p.new_person;
      const std::array<Value, kBeneficiaryColumns.size()> row{id++,
                                                              p.disbursement.organisation_id,
                                                              b.shown.name,
                                                              b.id_hash,
                                                              b.id_cipher,
                                                              b.shown.id_mask,
                                                              b.phone_cipher,
                                                              b.shown.phone_mask,
                                                              b.shown.employer,
                                                              b.shown.category,
                                                              now};
      writer->add(row);
      new_people = true;
    }
    writer->finish();
  }
  {
    auto writer = conn_->bulk_writer("ledger_movements", kMovementColumns);
    Id id = first_movement;
    for (const auto& p : payments) {
      const auto& d = p.disbursement;
      const std::array<Value, kMovementColumns.size()> row{
          id++,
          d.programme_id,
          std::string(d.beneficiary_kind == "unit" ? "subsidy" : "disbursement"),
          now,
          detail::opt(created_by),
          p.movement_note};
      writer->add(row);
    }
    writer->finish();
  }
  {
    auto writer = conn_->bulk_writer("ledger_entries", kEntryColumns);
    Id id = first_entry;
    Id movement = first_movement;
    for (const auto& p : payments) {
      const auto& d = p.disbursement;
      const auto& pair = accounts.at({d.programme_id, d.organisation_id});
      const std::array<Value, kEntryColumns.size()> out{id++, movement, pair.holding,
                                                        -d.amount_fen};
      writer->add(out);
      const std::array<Value, kEntryColumns.size()> in{id++, movement, pair.paid, d.amount_fen};
      writer->add(in);
      ++movement;
    }
    writer->finish();
  }
  {
    auto writer = conn_->bulk_writer("care_disbursements", kDisbursementColumns);
    Id id = first_disbursement;
    Id movement = first_movement;
    Id beneficiary = first_beneficiary;
    for (const auto& p : payments) {
      const auto& d = p.disbursement;
      Value paid_to = detail::opt(d.beneficiary_id);
      if (p.new_person) paid_to = beneficiary++;
      const std::array<Value, kDisbursementColumns.size()> row{
          id++,
          d.programme_id,
          d.organisation_id,
          d.beneficiary_kind,
          paid_to,
          d.category,
          d.unit_name,
          d.document_no,
          d.bank_name,
          d.bank_account,
          d.amount_fen,
          std::string(domain::aid_kind_name(d.aid_kind)),
          d.date.iso(),
          d.officials,
          d.note,
          d.duplicate_reason,
          movement++,
          detail::opt(created_by),
          now};
      writer->add(row);
    }
    writer->finish();
  }
  if (new_people) conn_->reset_identity("care_beneficiaries");
  conn_->reset_identity("ledger_movements");
  conn_->reset_identity("ledger_entries");
  conn_->reset_identity("care_disbursements");
  for (const auto& [account, delta] : deltas) {
    x("UPDATE ledger_accounts SET balance_fen = balance_fen + ? WHERE id = ?", {delta, account});
  }
  // The batch's kept sums, grouped as one-by-one writes add them row by row.
  x(std::string(detail::kAddPaymentSums) + detail::kRecountPaymentSums + "WHERE id >= ?" +
        detail::kPaymentSumsGroups + detail::kOnPaymentSums,
    {first_disbursement});
}

}  // namespace xj::store
