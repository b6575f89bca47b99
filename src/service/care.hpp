// Care programmes (送温暖, issue 16): the use cases. Every write is one transaction that checks
// the balance it draws on, books a balanced movement on the ledger and appends to the audit log;
// writes are serialised by the store (SQLite's write lock, PostgreSQL's advisory lock), so two
// payments that together exceed a balance cannot both pass. Scope as everywhere: a programme is
// seen by its owner's subtree and by the organisations above it; money moves only from an
// organisation in the caller's subtree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/care.hpp"
#include "service/care_reports.hpp"
#include "service/records.hpp"
#include "service/vault.hpp"
#include "store/store.hpp"

namespace xj::service {

struct DisbursementRequest {
  domain::CareDisbursement disbursement;
  std::optional<domain::PersonInput> person;  // for a person; absent for a unit
  // Paying the same person twice in one programme needs this and a duplicate_reason.
  bool confirm_duplicate = false;
};

// A disbursement with the person's other help, in the caller's scope.
struct DisbursementView {
  domain::CareDisbursement disbursement;
  std::vector<domain::CareDisbursement> history;  // the same person, other disbursements
  std::int64_t elsewhere = 0;  // their disbursements outside the caller's scope (count only)
};

struct Revealed {
  Id beneficiary_id = 0;
  std::string name;
  std::string id_number;
  std::string phone;
};

// A person as the store keeps them, paid by `organisation_id`: the ID number and phone sealed
// by the vault (the phone left empty when none), their keyed hash, and the masks lists show.
// The one way a beneficiary is sealed: Care::disburse and the care generator both use it.
store::BeneficiaryRecord seal_person(const Vault& vault, const domain::PersonInput& person,
                                     Id organisation_id);
// How a payment to a person is named on its movement and in the audit log: name and mask only.
std::string payee_words(const domain::PersonInput& person);

// What `ledger verify` found: nothing, or the first discrepancy in words.
struct LedgerVerdict {
  bool ok = true;
  std::string problem;
  std::int64_t programmes = 0;
  std::int64_t accounts = 0;
  std::int64_t movements = 0;
};

class Care {
 public:
  Care(store::Store& store, const Vault& vault) : store_(store), vault_(vault) {}

  Result<Page<domain::CareProgramme>> list_programmes(const Principal& who,
                                                      store::ProgrammeFilter filter);
  Result<domain::CareProgramme> get_programme(const Principal& who, Id id);
  Result<domain::CareProgramme> create_programme(const Principal& who, domain::CareProgramme p);
  // Draft: everything; open: all but the budget (409 on budget_fen); closed: nothing (409).
  // `version`, when given, must be the stored one (409 on version).
  Result<domain::CareProgramme> update_programme(const Principal& who, Id id,
                                                 std::optional<std::int64_t> version,
                                                 const Patch<domain::CareProgramme>& patch);
  // Opening books the budget to the owner's holding; closing stops every movement.
  Result<domain::CareProgramme> transition(const Principal& who, Id id, std::int64_t version,
                                           domain::ProgrammeAction action);

  Result<Page<domain::CareAllocation>> list_allocations(const Principal& who, Id programme_id,
                                                        store::PageRequest page);
  // allocation: from an organisation in scope to its direct child, at most what `from` holds;
  // take_back: the unspent part of what the child holds, back to `from`.
  Result<domain::CareAllocation> allocate(const Principal& who, domain::CareAllocation a);
  // Several allocations in one transaction: all of them, or none and the first refusal.
  Result<std::vector<domain::CareAllocation>> allocate_all(
      const Principal& who, std::vector<domain::CareAllocation> batch);

  Result<Page<domain::CareDisbursement>> list_disbursements(const Principal& who,
                                                            store::DisbursementFilter filter);
  Result<DisbursementView> get_disbursement(const Principal& who, Id id);
  Result<domain::CareDisbursement> disburse(const Principal& who, DisbursementRequest request);
  // Several payments in one transaction (the demo's visits; an import): all of them, or none
  // and the first refusal.
  Result<std::vector<domain::CareDisbursement>> disburse_all(
      const Principal& who, std::vector<DisbursementRequest> batch);

  // One person's full ID number and phone: care.reveal, in scope, written to the audit log.
  Result<Revealed> reveal(const Principal& who, Id beneficiary_id);

  // The programme's accounts in the caller's subtree, with their balances.
  Result<std::vector<domain::LedgerAccount>> ledger(const Principal& who, Id programme_id);
  // The programme's report for an organisation's subtree (service/care_reports.hpp).
  Result<CareReport> report(const Principal& who, Id programme_id,
                            std::optional<Id> organisation_id) {
    return care_report(store_, who, programme_id, organisation_id);
  }
  Result<Page<domain::LedgerEntry>> ledger_entries(const Principal& who, Id account_id,
                                                   store::PageRequest page);

 private:
  // The use cases inside the caller's write transaction; nothing is committed here.
  Result<domain::CareAllocation> allocate(store::Tx& tx, const Principal& who,
                                          domain::CareAllocation a);
  Result<domain::CareDisbursement> disburse(store::Tx& tx, const Principal& who,
                                            DisbursementRequest request);

  store::Store& store_;
  const Vault& vault_;
};

// Recomputes every balance from the entries and checks: each kept balance equals its entries'
// sum, each movement balances (sums to zero, two entries or more, all in its programme), each
// programme sums to zero with its budget account at minus the budget once open, no holding or
// paid account is negative, each allocation moved exactly its amount from its organisation to
// its direct child (or back), each disbursement from the payer's holding to its paid account.
LedgerVerdict verify_ledger(store::Store& store);

}  // namespace xj::service
