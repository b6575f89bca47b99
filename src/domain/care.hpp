// Care programmes (送温暖, issue 16): programmes, allocations down the union tree, disbursements
// to people and subsidies to units, all booked on one double-entry ledger. Pure rules: resident
// ID numbers (GB 11643), masks, amounts, the programme's state machine, the balance rule.
// Money is integer fen (分) everywhere; nothing here ever holds a floating-point amount.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/validation.hpp"

namespace xj::domain {

// The largest amount one field may carry: 10,000,000,000 yuan. Sums of many such amounts still
// fit in 64 bits many times over.
inline constexpr std::int64_t kMaxAmountFen = 1'000'000'000'000;

enum class ProgrammeState { kDraft, kOpen, kClosed };
std::string_view programme_state_name(ProgrammeState s);
std::optional<ProgrammeState> parse_programme_state(std::string_view name);

// What a programme gives: cash, goods, vouchers, or subsidies to units.
enum class AidKind { kCash, kGoods, kVoucher, kSubsidy };
std::string_view aid_kind_name(AidKind k);
std::optional<AidKind> parse_aid_kind(std::string_view name);

enum class ProgrammeAction { kOpen, kClose };
// draft → open (the budget is booked to the owner), open → closed (no more money moves).
// nullopt when the action does not apply in state `from`.
std::optional<ProgrammeState> programme_transition(ProgrammeState from, ProgrammeAction action);

// 帮扶项目
struct CareProgramme {
  Id id = 0;
  Id owner_organisation_id = 0;
  std::string title;
  Date start_date;
  Date end_date;
  std::int64_t budget_fen = 0;
  std::vector<std::string> categories;  // beneficiary_category dictionary codes
  std::vector<AidKind> kinds;
  std::string description;
  ProgrammeState state = ProgrammeState::kDraft;
  std::int64_t version = 0;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  // Derived from the owner organisation, for scope and display.
  std::string owner_path;
  std::string owner_name;
};

// 拨付 (allocation) or 收回 (take_back) between an organisation and its direct child.
struct CareAllocation {
  Id id = 0;
  Id programme_id = 0;
  std::string kind = "allocation";  // allocation | take_back
  Id from_organisation_id = 0;
  Id to_organisation_id = 0;
  std::int64_t amount_fen = 0;
  std::string note;
  Id movement_id = 0;
  std::optional<Id> created_by;
  UnixSeconds created_at = 0;
  // Derived.
  std::string from_name;
  std::string to_name;
  bool reversed = false;  // a reversal movement names this one (冲正)
};

// A person helped, as lists show them: never the full ID number or phone.
struct CareBeneficiary {
  Id id = 0;
  Id organisation_id = 0;
  std::string name;
  std::string id_mask;
  std::string phone_mask;
  std::string employer;
  std::string category;
};

// 走访慰问 (a person) or 补助 (a unit, with its 文号 and bank details).
struct CareDisbursement {
  Id id = 0;
  Id programme_id = 0;
  Id organisation_id = 0;        // who paid it, from its holding
  std::string beneficiary_kind;  // person | unit
  std::optional<Id> beneficiary_id;
  std::string category;
  std::string unit_name;
  std::string document_no;
  std::string bank_name;
  std::string bank_account;
  std::int64_t amount_fen = 0;
  AidKind aid_kind = AidKind::kCash;
  Date date;
  std::string officials;  // the visiting officials (走访人员)
  std::string note;
  std::string duplicate_reason;  // why the organiser paid the same person twice in a programme
  Id movement_id = 0;
  std::optional<Id> created_by;
  UnixSeconds created_at = 0;
  // Derived.
  std::string organisation_name;
  std::string organisation_path;
  std::optional<CareBeneficiary> beneficiary;
  bool reversed = false;  // a reversal movement names this one (冲正)
};

// What the caller types about a person; the service encrypts and masks it.
struct PersonInput {
  std::string name;
  std::string id_number;
  std::string phone;
  std::string employer;
  std::string category;
};

// One account of the ledger, with its balance.
struct LedgerAccount {
  Id id = 0;
  Id programme_id = 0;
  std::string kind;  // budget | holding | paid
  Id organisation_id = 0;
  std::int64_t balance_fen = 0;
  std::string organisation_name;  // derived
  std::string organisation_path;  // derived
};

struct LedgerEntry {
  Id id = 0;
  Id movement_id = 0;
  Id account_id = 0;
  std::int64_t amount_fen = 0;
  std::string movement_kind;
  UnixSeconds at = 0;
  std::string note;
};

// GB 11643-1999: 17 digits of region, birth date and sequence, then the ISO 7064 MOD 11-2 check
// character (0–9 or X). The birth date must be a real day. Lower-case x is accepted.
bool resident_id_valid(std::string_view id);
// The check character for the first 17 digits. REQUIRES: 17 ASCII digits.
char resident_id_check_char(std::string_view first17);
// "150102198001011234" → "1501**********1234": the first 4 and the last 4 characters.
std::string mask_resident_id(std::string_view id);
// "13812341234" → "138****1234"; shorter numbers keep only their last 2 characters.
std::string mask_phone(std::string_view phone);
// An amount typed in fen: positive, at most kMaxAmountFen.
bool amount_valid(std::int64_t fen);
// "1234567" fen → "12,345.67" (for messages).
std::string format_yuan(std::int64_t fen);

// The balance rule: nobody allocates or spends more than it holds. An error on `field` naming
// what is held, or nothing when `amount` fits in `held`.
std::optional<Error> overspend(std::int64_t held, std::int64_t amount, const std::string& field);

// Validation in place, every field error at once. The references answer dictionary codes.
std::vector<FieldError> validate(CareProgramme& p, const References& refs);
std::vector<FieldError> validate(CareAllocation& a);
std::vector<FieldError> validate(CareDisbursement& d, const References& refs);
std::vector<FieldError> validate(PersonInput& p, const References& refs);

}  // namespace xj::domain
