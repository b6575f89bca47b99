#include "domain/care.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/utf8.hpp"

namespace xj::domain {
namespace {

constexpr std::array<std::pair<ProgrammeState, std::string_view>, 3> kStates{{
    {ProgrammeState::kDraft, "draft"},
    {ProgrammeState::kOpen, "open"},
    {ProgrammeState::kClosed, "closed"},
}};

constexpr std::array<std::pair<AidKind, std::string_view>, 4> kAidKinds{{
    {AidKind::kCash, "cash"},
    {AidKind::kGoods, "goods"},
    {AidKind::kVoucher, "voucher"},
    {AidKind::kSubsidy, "subsidy"},
}};

void add(std::vector<FieldError>& errors, std::string field, std::string zh, std::string en) {
  errors.push_back({std::move(field), {std::move(zh), std::move(en)}});
}

void text(std::vector<FieldError>& errors, std::string& value, const std::string& field,
          const Message& label, std::size_t max, bool required, bool multiline = false) {
  auto found = validate_text(value, field, label, max, required);
  if (found.empty() && !multiline && value.find('\n') != std::string::npos) {
    add(errors, field, label.zh + "不能换行", label.en + " must be one line");
  }
  for (auto& e : found) errors.push_back(std::move(e));
}

void amount(std::vector<FieldError>& errors, std::int64_t fen, const std::string& field,
            const Message& label) {
  if (fen <= 0) {
    add(errors, field, label.zh + "必须大于零（以分为单位的整数）",
        label.en + " must be a positive whole number of fen");
  } else if (fen > kMaxAmountFen) {
    add(errors, field, label.zh + "超出上限", label.en + " is too large");
  }
}

void category(std::vector<FieldError>& errors, std::string& code, const std::string& field,
              const References& refs, bool required) {
  code = utf8::trim(code);
  if (code.empty()) {
    if (required) add(errors, field, "帮扶对象类别不能为空", "beneficiary category is required");
    return;
  }
  if (code.size() > 32 || !refs.dictionary_has(DictionaryKind::kBeneficiaryCategory, code)) {
    add(errors, field, "帮扶对象类别不在字典中", "unknown beneficiary category");
  }
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view programme_state_name(ProgrammeState s) {
  for (const auto& [k, name] : kStates) {
    if (k == s) return name;
  }
  return "draft";
}

std::optional<ProgrammeState> parse_programme_state(std::string_view name) {
  for (const auto& [k, n] : kStates) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string_view aid_kind_name(AidKind k) {
  for (const auto& [kind, name] : kAidKinds) {
    if (kind == k) return name;
  }
  return "cash";
}

std::optional<AidKind> parse_aid_kind(std::string_view name) {
  for (const auto& [kind, n] : kAidKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::optional<ProgrammeState> programme_transition(ProgrammeState from, ProgrammeAction action) {
  if (action == ProgrammeAction::kOpen && from == ProgrammeState::kDraft) {
    return ProgrammeState::kOpen;
  }
  if (action == ProgrammeAction::kClose && from == ProgrammeState::kOpen) {
    return ProgrammeState::kClosed;
  }
  return std::nullopt;
}

char resident_id_check_char(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights{7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kChecks = "10X98765432";
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kChecks[static_cast<std::size_t>(sum % 11)];
}

bool resident_id_valid(std::string_view id) {
  if (id.size() != 18 || !all_digits(id.substr(0, 17))) return false;
  // The birth date: a real day since 1800 (the standard's own example was born in 1880).
  auto number = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (id[i] - '0');
    return v;
  };
  const int year = number(6, 4);
  const int month = number(10, 2);
  const int day = number(12, 2);
  static constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 1800 || month < 1 || month > 12 || day < 1 ||
      day > kDays[static_cast<std::size_t>(month - 1)] || (month == 2 && day == 29 && !leap)) {
    return false;
  }
  char last = id[17];
  if (last == 'x') last = 'X';
  return last == resident_id_check_char(id.substr(0, 17));
}

std::string mask_resident_id(std::string_view id) {
  if (id.size() < 8) {
    std::string stars(id.size(), '*');
    return stars;
  }
  std::string out(id.substr(0, 4));
  out.append(id.size() - 8, '*');
  out.append(id.substr(id.size() - 4));
  if (!out.empty() && out.back() == 'x') out.back() = 'X';
  return out;
}

std::string mask_phone(std::string_view phone) {
  if (phone.empty()) return {};
  if (phone.size() < 8) {
    std::string out(phone.size() - std::min<std::size_t>(2, phone.size()), '*');
    out.append(phone.substr(out.size()));
    return out;
  }
  std::string out(phone.substr(0, 3));
  out.append(phone.size() - 7, '*');
  out.append(phone.substr(phone.size() - 4));
  return out;
}

bool amount_valid(std::int64_t fen) { return fen > 0 && fen <= kMaxAmountFen; }

std::string format_yuan(std::int64_t fen) {
  const bool negative = fen < 0;
  // Negating INT64_MIN overflows; amounts never come near it (kMaxAmountFen), but be exact.
  const auto magnitude =
      negative ? static_cast<std::uint64_t>(-(fen + 1)) + 1 : static_cast<std::uint64_t>(fen);
  std::string yuan = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(yuan.size()) - 3; i > 0; i -= 3) {
    yuan.insert(static_cast<std::size_t>(i), ",");
  }
  const auto cents = magnitude % 100;
  return (negative ? "-" : "") + yuan + "." + (cents < 10 ? "0" : "") + std::to_string(cents);
}

std::optional<Error> overspend(std::int64_t held, std::int64_t amount, const std::string& field) {
  if (amount <= held) return std::nullopt;
  return Error::conflict(
      {"余额不足：现有 " + format_yuan(held) + " 元，需要 " + format_yuan(amount) + " 元",
       "not enough funds: " + format_yuan(held) + " yuan held, " + format_yuan(amount) +
           " yuan asked"},
      field);
}

std::vector<FieldError> validate(CareProgramme& p, const References& refs) {
  std::vector<FieldError> errors;
  text(errors, p.title, "title", {"项目名称", "title"}, 100, true);
  if (p.end_date < p.start_date) {
    add(errors, "end_date", "结束日期不能早于开始日期", "end date must not be before start date");
  }
  amount(errors, p.budget_fen, "budget_fen", {"预算", "budget"});
  if (p.categories.empty()) {
    add(errors, "categories", "请至少选择一个帮扶对象类别",
        "choose at least one beneficiary category");
  }
  if (p.categories.size() > 50)
    add(errors, "categories", "类别最多 50 项", "at most 50 categories");
  for (std::size_t i = 0; i < p.categories.size() && i < 50; ++i) {
    category(errors, p.categories[i], "categories[" + std::to_string(i) + "]", refs, true);
    for (std::size_t j = 0; j < i; ++j) {
      if (p.categories[j] == p.categories[i]) {
        add(errors, "categories[" + std::to_string(i) + "]", "帮扶对象类别重复",
            "beneficiary category repeated");
        break;
      }
    }
  }
  if (p.kinds.empty())
    add(errors, "kinds", "请至少选择一种帮扶方式", "choose at least one kind of aid");
  std::sort(p.kinds.begin(), p.kinds.end());
  p.kinds.erase(std::unique(p.kinds.begin(), p.kinds.end()), p.kinds.end());
  text(errors, p.description, "description", {"项目说明", "description"}, 5000, false, true);
  return errors;
}

std::vector<FieldError> validate(CareAllocation& a) {
  std::vector<FieldError> errors;
  if (a.kind != "allocation" && a.kind != "take_back") {
    add(errors, "kind", "类型须为 allocation（拨付）或 take_back（收回）",
        "kind is allocation or take_back");
  }
  amount(errors, a.amount_fen, "amount_fen", {"金额", "amount"});
  text(errors, a.note, "note", {"备注", "note"}, 500, false, true);
  return errors;
}

std::vector<FieldError> validate(PersonInput& p, const References& refs) {
  std::vector<FieldError> errors;
  text(errors, p.name, "name", {"姓名", "name"}, 50, true);
  p.id_number = utf8::trim(p.id_number);
  if (!p.id_number.empty() && p.id_number.back() == 'x') p.id_number.back() = 'X';
  if (p.id_number.empty()) {
    add(errors, "id_number", "身份证号不能为空", "resident ID number is required");
  } else if (!resident_id_valid(p.id_number)) {
    add(errors, "id_number", "身份证号无效（18 位，末位校验码不符或出生日期不对）",
        "invalid resident ID number (18 characters; check digit or birth date wrong)");
  }
  p.phone = utf8::trim(p.phone);
  if (!p.phone.empty() && (p.phone.size() < 7 || p.phone.size() > 20 || !all_digits(p.phone))) {
    add(errors, "phone", "电话号码只能是 7–20 位数字", "phone must be 7 to 20 digits");
  }
  text(errors, p.employer, "employer", {"工作单位", "employer"}, 100, false);
  category(errors, p.category, "category", refs, true);
  return errors;
}

std::vector<FieldError> validate(CareDisbursement& d, const References& refs) {
  std::vector<FieldError> errors;
  amount(errors, d.amount_fen, "amount_fen", {"金额", "amount"});
  text(errors, d.officials, "officials", {"走访人员", "visiting officials"}, 200, false);
  text(errors, d.note, "note", {"备注", "note"}, 1000, false, true);
  text(errors, d.duplicate_reason, "duplicate_reason", {"重复发放理由", "reason for paying again"},
       500, false, true);
  if (d.beneficiary_kind == "unit") {
    text(errors, d.unit_name, "unit_name", {"受助单位", "unit"}, 100, true);
    text(errors, d.document_no, "document_no", {"文号", "document number"}, 100, true);
    text(errors, d.bank_name, "bank_name", {"开户银行", "bank"}, 100, true);
    d.bank_account = utf8::trim(d.bank_account);
    if (d.bank_account.empty() || d.bank_account.size() > 40 ||
        !std::all_of(d.bank_account.begin(), d.bank_account.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '-'; })) {
      add(errors, "bank_account", "银行账号只能是数字（可含空格或连字符），不超过 40 位",
          "bank account is digits (spaces or hyphens allowed), at most 40");
    }
    if (d.aid_kind != AidKind::kSubsidy) {
      add(errors, "aid_kind", "给单位的补助，方式须为 subsidy", "aid to a unit is a subsidy");
    }
    category(errors, d.category, "category", refs, false);
  } else if (d.beneficiary_kind == "person") {
    if (d.aid_kind == AidKind::kSubsidy) {
      add(errors, "aid_kind", "给个人的帮扶不能是单位补助", "aid to a person cannot be a subsidy");
    }
  } else {
    add(errors, "beneficiary_kind", "受助对象须为个人或单位", "beneficiary is a person or a unit");
  }
  return errors;
}

}  // namespace xj::domain
