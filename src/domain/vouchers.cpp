#include "domain/vouchers.hpp"

#include <algorithm>

#include "core/utf8.hpp"
#include "domain/validation.hpp"

namespace xj::domain {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kSymbols = kVoucherSymbols + 1;

int value_of(char c) {
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

void add(std::vector<FieldError>& errors, std::string field, std::string zh, std::string en) {
  errors.push_back({std::move(field), {std::move(zh), std::move(en)}});
}

void text(std::vector<FieldError>& errors, std::string& value, const std::string& field,
          const Message& label, std::size_t max, bool required) {
  auto found = validate_text(value, field, label, max, required);
  if (found.empty() && value.find('\n') != std::string::npos) {
    add(errors, field, label.zh + "不能换行", label.en + " must be one line");
  }
  for (auto& e : found) errors.push_back(std::move(e));
}

}  // namespace

char voucher_check_symbol(std::string_view symbols) {
  int factor = 2;
  int sum = 0;
  for (std::size_t i = symbols.size(); i-- > 0;) {  // from the right, as Luhn's rule goes
    int addend = factor * value_of(symbols[i]);
    factor = factor == 2 ? 1 : 2;
    addend = addend / 32 + addend % 32;
    sum += addend;
  }
  return kAlphabet[static_cast<std::size_t>((32 - sum % 32) % 32)];
}

std::string voucher_code(const std::array<unsigned char, kVoucherRandomBytes>& random) {
  std::string symbols;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const unsigned char byte : random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && symbols.size() < kVoucherSymbols) {
      symbols += kAlphabet[(buffer >> (bits - 5)) & 31U];
      bits -= 5;
    }
    buffer &= (1U << bits) - 1U;
  }
  symbols += voucher_check_symbol(symbols);
  return group_voucher_code(symbols);
}

std::string group_voucher_code(std::string_view symbols) {
  std::string out;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += symbols[i];
  }
  return out;
}

std::optional<std::string> normalise_voucher_code(std::string_view typed) {
  if (typed.size() > 64) return std::nullopt;
  std::string symbols;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (value_of(c) < 0) return std::nullopt;
    symbols += c;
  }
  if (symbols.size() != kSymbols) return std::nullopt;
  const std::string_view body(symbols.data(), kVoucherSymbols);
  if (voucher_check_symbol(body) != symbols.back()) return std::nullopt;
  return symbols;
}

std::string mask_voucher_code(std::string_view tail) {
  return "****-****-****-****-****-****-" + std::string(tail.substr(0, 4));
}

std::string mask_person_name(std::string_view name) {
  std::string out;
  std::size_t points = 0;
  for (const char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0U) == 0x80U) {  // a continuation byte: kept only in the first character
      if (points == 1) out += c;
      continue;
    }
    ++points;
    out += points == 1 ? c : '*';
  }
  return out;
}

std::string_view batch_state_name(BatchState s) {
  return s == BatchState::kExpired ? "expired" : "open";
}

std::vector<FieldError> validate(VoucherBatch& b) {
  std::vector<FieldError> errors;
  text(errors, b.title, "title", {"券批次名称", "title"}, 100, true);
  if (b.face_value_fen <= 0 || b.face_value_fen > 100'000'000) {
    add(errors, "face_value_fen", "面值须为 1 分至 100 万元之间的整数（以分为单位）",
        "face value is a whole number of fen from 1 fen to 1,000,000 yuan");
  }
  if (b.count <= 0 || b.count > 1'000'000) {
    add(errors, "count", "张数须为 1 至 1,000,000 之间的整数",
        "count is a whole number from 1 to 1,000,000");
  }
  if (b.valid_to < b.valid_from) {
    add(errors, "valid_to", "有效期截止日不能早于起始日",
        "the last valid day must not be before the first");
  }
  if (b.merchant_ids.empty()) {
    add(errors, "merchant_ids", "请至少选择一个受理商户", "choose at least one merchant");
  }
  if (b.merchant_ids.size() > 200) {
    add(errors, "merchant_ids", "受理商户最多 200 个", "at most 200 merchants");
  }
  std::sort(b.merchant_ids.begin(), b.merchant_ids.end());
  b.merchant_ids.erase(std::unique(b.merchant_ids.begin(), b.merchant_ids.end()),
                       b.merchant_ids.end());
  return errors;
}

std::vector<FieldError> validate(Merchant& m) {
  std::vector<FieldError> errors;
  text(errors, m.name, "name", {"商户名称", "merchant name"}, 100, true);
  text(errors, m.credit_code, "credit_code", {"统一社会信用代码", "credit code"}, 40, false);
  if (!std::all_of(m.credit_code.begin(), m.credit_code.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               c == '-';
      })) {
    add(errors, "credit_code", "统一社会信用代码只能包含字母和数字",
        "the credit code holds letters and digits only");
  }
  text(errors, m.contact, "contact", {"联系方式", "contact"}, 100, false);
  return errors;
}

std::vector<FieldError> validate_reason(std::string& reason) {
  std::vector<FieldError> errors;
  for (auto& e : validate_text(reason, "reason", {"冲正理由", "reason"}, 500, true)) {
    errors.push_back(std::move(e));
  }
  return errors;
}

bool request_key_valid(std::string_view key) {
  return !key.empty() && key.size() <= 128 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
}

}  // namespace xj::domain
