// E-voucher codes and rules (domain/vouchers.hpp): the typed form, its check symbol, the
// forgiving reading, masks and validation.
#include <gtest/gtest.h>

#include <set>

#include "domain/vouchers.hpp"

namespace xj::domain {
namespace {

std::array<unsigned char, kVoucherRandomBytes> bytes(unsigned char seed) {
  std::array<unsigned char, kVoucherRandomBytes> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<unsigned char>(seed * 37 + i * 11);
  return b;
}

TEST(VoucherCodes, TypedFormIsSevenGroupsOfCrockfordBase32WithACheckSymbol) {
  const std::string code = voucher_code(bytes(1));
  ASSERT_EQ(code.size(), 33u);  // 27 symbols, 6 dashes
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i % 5 == 4) {
      EXPECT_EQ(code[i], '-') << code;
    } else {
      EXPECT_NE(std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(code[i]), std::string::npos)
          << code;
    }
  }
  const auto symbols = normalise_voucher_code(code);
  ASSERT_TRUE(symbols);
  EXPECT_EQ(group_voucher_code(*symbols), code);
}

TEST(VoucherCodes, DifferentBytesGiveDifferentCodesAndAllBitsCount) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(voucher_code(bytes(static_cast<unsigned char>(i))));
  EXPECT_EQ(seen.size(), 200u);
  // The last random byte reaches the code: flipping its top bits changes it.
  auto a = bytes(9);
  auto b = a;
  b[16] ^= 0xC0;
  EXPECT_NE(voucher_code(a), voucher_code(b));
}

TEST(VoucherCodes, ReadingForgivesCaseDashesSpacesAndLookalikes) {
  const std::string code = voucher_code(bytes(3));
  std::string typed;
  for (const char c : code) {
    if (c == '-') continue;
    typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_EQ(normalise_voucher_code(typed), normalise_voucher_code(code));
  std::string spaced = code;
  for (auto& c : spaced) {
    if (c == '-') c = ' ';
  }
  EXPECT_EQ(normalise_voucher_code(spaced), normalise_voucher_code(code));
  std::string lookalike = code;
  for (auto& c : lookalike) {
    if (c == '0') c = 'O';
    if (c == '1') c = 'l';
  }
  EXPECT_EQ(normalise_voucher_code(lookalike), normalise_voucher_code(code));
}

// Luhn mod 32, like Luhn's mod 10 (09 ↔ 90), misses one swap: 0 and Z (values 0 and 31).
TEST(VoucherCodes, EverySingleWrongSymbolAndNeighbourSwapButZeroZIsCaught) {
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (int seed = 0; seed < 20; ++seed) {
    const std::string symbols =
        *normalise_voucher_code(voucher_code(bytes(static_cast<unsigned char>(seed))));
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      for (const char c : alphabet) {
        if (c == symbols[i]) continue;
        std::string wrong = symbols;
        wrong[i] = c;
        EXPECT_FALSE(normalise_voucher_code(wrong)) << wrong;
      }
      const bool zero_z =
          (symbols[i] == '0' && symbols[i + 1 < symbols.size() ? i + 1 : i] == 'Z') ||
          (symbols[i] == 'Z' && symbols[i + 1 < symbols.size() ? i + 1 : i] == '0');
      if (i + 1 < symbols.size() && symbols[i] != symbols[i + 1] && !zero_z) {
        std::string swapped = symbols;
        std::swap(swapped[i], swapped[i + 1]);
        EXPECT_FALSE(normalise_voucher_code(swapped)) << swapped;
      }
    }
  }
}

TEST(VoucherCodes, MalformedInputIsRefused) {
  EXPECT_FALSE(normalise_voucher_code(""));
  EXPECT_FALSE(normalise_voucher_code("ABCD"));
  EXPECT_FALSE(normalise_voucher_code(std::string(27, 'U')));  // U is not in the alphabet
  EXPECT_FALSE(normalise_voucher_code(std::string(200, '0')));
  const std::string code = voucher_code(bytes(5));
  EXPECT_FALSE(normalise_voucher_code(code + "0"));
  EXPECT_FALSE(normalise_voucher_code(code.substr(0, code.size() - 1)));
}

TEST(VoucherMasks, CodeShowsOnlyItsLastFourAndNamesTheirFirstCharacter) {
  EXPECT_EQ(mask_voucher_code("XY4Z"), "****-****-****-****-****-****-XY4Z");
  EXPECT_EQ(mask_person_name("张三"), "张*");
  EXPECT_EQ(mask_person_name("欧阳娜娜"), "欧***");
  EXPECT_EQ(mask_person_name("Li"), "L*");
  EXPECT_EQ(mask_person_name(""), "");
}

TEST(VoucherValidation, ABatchNamesEveryBadField) {
  VoucherBatch b;
  b.valid_from = Date::from_ymd(2027, 2, 1);
  b.valid_to = Date::from_ymd(2027, 1, 1);
  auto errors = validate(b);
  std::set<std::string> fields;
  for (const auto& e : errors) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"title", "face_value_fen", "count", "valid_to",
                                           "merchant_ids"}));
  b.title = "呼和浩特市困难职工消费券";
  b.face_value_fen = 20000;
  b.count = 100;
  b.valid_to = Date::from_ymd(2027, 3, 1);
  b.merchant_ids = {3, 2, 3};
  EXPECT_TRUE(validate(b).empty());
  EXPECT_EQ(b.merchant_ids, (std::vector<Id>{2, 3}));
}

TEST(VoucherValidation, RequestKeysAreVisibleAsciiUpTo128) {
  EXPECT_TRUE(request_key_valid("till-7:2026-12-04:0001"));
  EXPECT_FALSE(request_key_valid(""));
  EXPECT_FALSE(request_key_valid(std::string(129, 'a')));
  EXPECT_FALSE(request_key_valid("with space"));
  EXPECT_FALSE(request_key_valid("键"));
}

}  // namespace
}  // namespace xj::domain
