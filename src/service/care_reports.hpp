// A care programme's report (issue 16 point 8): what an organisation's subtree received, paid
// and still holds, one level down from it, by beneficiary category, by kind of aid, by month,
// and what each level of the tree holds, from the ledger's kept balances and the payments.
// Amounts are integer fen; scope as every care read: the chosen organisation is the caller's
// own or below it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/care.hpp"
#include "store/store.hpp"

namespace xj::service {

// One line of a breakdown: a code (category, aid kind, month), its names, count and amount.
struct CareBreakdown {
  std::string code;
  std::string name;     // Chinese (a dictionary's name, or the code)
  std::string name_en;  // English, or "" when the dictionary has none
  std::int64_t count = 0;
  std::int64_t amount_fen = 0;
};

// What one organisation's subtree did with the programme's money.
struct CareOrganisationFigures {
  Id organisation_id = 0;
  std::string name;
  std::string level;
  bool own = false;                // the chosen organisation itself (本级), not its subtree
  std::int64_t received_fen = 0;   // holding + paid: what reached it and stayed below it
  std::int64_t disbursed_fen = 0;  // paid by it (own) or by anyone in its subtree
  std::int64_t held_fen = 0;       // still held, not yet paid nor passed down
  std::int64_t count = 0;          // payments
};

struct CareLevelHolding {
  std::string level;  // province | league | county | industry | grassroots
  std::int64_t organisations = 0;
  std::int64_t held_fen = 0;
};

struct CareReport {
  domain::CareProgramme programme;
  Id organisation_id = 0;
  std::string organisation_name;
  // The chosen organisation's budget: the programme's when it owns it, else what reached it.
  std::int64_t budget_fen = 0;
  std::int64_t received_fen = 0;
  std::int64_t disbursed_fen = 0;
  std::int64_t held_fen = 0;
  std::int64_t count = 0;                              // payments to people and units
  std::int64_t people = 0;                             // different people paid
  std::int64_t units = 0;                              // payments to units (subsidies)
  std::vector<CareOrganisationFigures> organisations;  // own line first, then each child
  std::vector<CareBreakdown> categories;               // people only; by amount, largest first
  std::vector<CareBreakdown> kinds;                    // cash, goods, voucher, subsidy
  std::vector<CareBreakdown> months;                   // "2026-01", in order
  std::vector<CareLevelHolding> levels;                // from the top of the subtree down
};

// The report of `programme_id` for `organisation_id` (default: the caller's organisation, or
// the programme's owner when the caller sits above it). care.read; not found when the
// programme is not visible; 422 on organisation_id when it is out of the caller's scope.
Result<CareReport> care_report(store::Store& store, const domain::Principal& who, Id programme_id,
                               std::optional<Id> organisation_id);

// Every disbursement of the programme paid in the chosen organisation's subtree (as above), in
// pages, newest first, masked as the lists show them; stops at the first failing `row`.
Status each_care_disbursement(store::Store& store, const domain::Principal& who, Id programme_id,
                              std::optional<Id> organisation_id,
                              const std::function<Status(const domain::CareDisbursement&)>& row);

}  // namespace xj::service
