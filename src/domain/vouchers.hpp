// Electronic consumption vouchers (电子消费券, issue 16 point 5): batches drawn from an
// organisation's holding in a care programme, one voucher per beneficiary with an unguessable
// bearer code, redeemed once at a merchant of the batch. Pure rules: the code's typed form and
// its check character, masks, validation. The random bytes come from the caller (service).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace xj::domain {

// A code carries 130 random bits: 26 symbols of Crockford's base32 alphabet
// (0-9, A-Z without I, L, O, U), then one check symbol (Luhn mod 32, which catches every single
// wrong symbol and every swap of two neighbours but 0 ↔ Z, as Luhn's mod 10 misses 09 ↔ 90). Typed
// form: groups of four joined by '-': "7K3M-Q9TZ-…-XY4" (33 characters).
inline constexpr std::size_t kVoucherRandomBytes = 17;  // 136 bits drawn; 130 used
inline constexpr std::size_t kVoucherSymbols = 26;      // without the check symbol

// The code of these random bytes, in its typed form.
std::string voucher_code(const std::array<unsigned char, kVoucherRandomBytes>& random);
// The 27 symbols of a typed code (upper case, no separators) when it is well formed and its
// check symbol right; reading is forgiving as Crockford's: case, '-' and spaces ignored,
// O read as 0, I and L as 1. nullopt otherwise.
std::optional<std::string> normalise_voucher_code(std::string_view typed);
// The typed form of 27 normalised symbols.
std::string group_voucher_code(std::string_view symbols);
// What lists show: "****-****-…-" and the last four symbols.
std::string mask_voucher_code(std::string_view tail);
// Luhn mod 32 check symbol of base32 symbols. REQUIRES: every symbol in the alphabet.
char voucher_check_symbol(std::string_view symbols);

// A shop that takes vouchers (商户), in an organisation's subtree.
struct Merchant {
  Id id = 0;
  Id organisation_id = 0;
  std::string name;
  std::string credit_code;  // 统一社会信用代码 (18 characters) or another registration number
  std::string contact;
  UnixSeconds created_at = 0;
  std::string organisation_name;  // derived
  std::string organisation_path;  // derived
};

enum class BatchState { kOpen, kExpired };
std::string_view batch_state_name(BatchState s);

// 一批消费券: `count` vouchers of `face_value_fen`, valid from `valid_from` to `valid_to`
// (Asia/Shanghai days, both included). Creating it moves count × face value from the
// organisation's holding to the batch's account.
struct VoucherBatch {
  Id id = 0;
  Id programme_id = 0;
  Id organisation_id = 0;
  std::string title;
  std::int64_t face_value_fen = 0;
  std::int64_t count = 0;
  Date valid_from;
  Date valid_to;
  BatchState state = BatchState::kOpen;
  std::vector<Id> merchant_ids;
  Id movement_id = 0;
  std::optional<Id> expiry_movement_id;
  UnixSeconds created_at = 0;
  // Derived.
  std::string organisation_name;
  std::string organisation_path;
  std::int64_t issued = 0;
  std::int64_t redeemed = 0;
  std::int64_t expired = 0;
  std::vector<Merchant> merchants;
};

// One voucher. `code` is filled only where the holder's code may be shown (the issue answer, an
// organiser's single view); lists carry `code_mask`.
struct Voucher {
  Id id = 0;
  Id batch_id = 0;
  Id beneficiary_id = 0;
  std::string state = "issued";  // issued | redeemed | expired
  std::string code;
  std::string code_mask;
  UnixSeconds issued_at = 0;
  // Derived.
  std::string beneficiary_name;  // masked for merchants: "张*"
  std::string beneficiary_id_mask;
  std::int64_t face_value_fen = 0;
  Date valid_from;
  Date valid_to;
  std::string batch_title;
  std::optional<UnixSeconds> redeemed_at;
  std::string redeemed_merchant;
};

struct VoucherRedemption {
  Id id = 0;
  Id voucher_id = 0;
  Id merchant_id = 0;
  std::optional<Id> account_id;
  std::string request_key;
  Id movement_id = 0;
  UnixSeconds at = 0;
  // Derived.
  std::string merchant_name;
  std::int64_t face_value_fen = 0;
  std::string code_mask;
  Id batch_id = 0;
};

// "张三" → "张*", "欧阳娜娜" → "欧***": the first character and one star for each other.
std::string mask_person_name(std::string_view name);

// Validation in place, every field error at once.
std::vector<FieldError> validate(VoucherBatch& b);
std::vector<FieldError> validate(Merchant& m);
// A reason for a correction: required, one to 500 characters.
std::vector<FieldError> validate_reason(std::string& reason);
// An Idempotency-Key: 1 to 128 visible ASCII characters.
bool request_key_valid(std::string_view key);

}  // namespace xj::domain
