// The care programmes' pure rules (domain/care.hpp): GB 11643 check characters, masks, amounts,
// the programme's state machine, the balance rule.
#include "domain/care.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace xj::domain {
namespace {

class Dictionary final : public References {
 public:
  bool region_exists(std::string_view) const override { return true; }
  bool dictionary_has(DictionaryKind kind, std::string_view code) const override {
    return kind == DictionaryKind::kBeneficiaryCategory &&
           (code == "hardship_worker" || code == "frontline_worker");
  }
};

// The two examples printed in GB 11643-1999 itself, and ones with a wrong check character,
// an impossible birth date, a wrong length or a letter inside.
TEST(ResidentId, AcceptsTheStandardsOwnExamples) {
  EXPECT_TRUE(resident_id_valid("11010519491231002X"));
  EXPECT_TRUE(resident_id_valid("11010519491231002x"));
  EXPECT_TRUE(resident_id_valid("440524188001010014"));
  EXPECT_EQ(resident_id_check_char("11010519491231002"), 'X');
  EXPECT_EQ(resident_id_check_char("44052418800101001"), '4');
}

TEST(ResidentId, RefusesAWrongCheckCharacterDateOrShape) {
  EXPECT_FALSE(resident_id_valid("110105194912310021"));   // check character should be X
  EXPECT_FALSE(resident_id_valid("440524188001010015"));   // should be 4
  EXPECT_FALSE(resident_id_valid("150102198002301236"));   // 30 February
  EXPECT_FALSE(resident_id_valid("15010219800101123"));    // 17 characters
  EXPECT_FALSE(resident_id_valid("1501021980010112366"));  // 19
  EXPECT_FALSE(resident_id_valid("15010219800A011236"));   // a letter inside
  EXPECT_FALSE(resident_id_valid(""));
  // Every other check character for one valid number is refused.
  int accepted = 0;
  for (const char c : std::string("0123456789X")) {
    accepted += resident_id_valid(std::string("15010219800101123") + c) ? 1 : 0;
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_TRUE(resident_id_valid("150102198001011236"));
}

TEST(Masks, KeepTheEndsOfAnIdNumberAndAPhone) {
  EXPECT_EQ(mask_resident_id("15010219800101123X"), "1501**********123X");
  EXPECT_EQ(mask_resident_id("15010219800101123x"), "1501**********123X");
  EXPECT_EQ(mask_phone("13812341234"), "138****1234");
  EXPECT_EQ(mask_phone("04716661234"), "047****1234");
  EXPECT_EQ(mask_phone("1234567"), "*****67");
  EXPECT_EQ(mask_phone(""), "");
}

TEST(Amounts, AreWholePositiveFenFormattedAsYuan) {
  EXPECT_FALSE(amount_valid(0));
  EXPECT_FALSE(amount_valid(-1));
  EXPECT_TRUE(amount_valid(1));
  EXPECT_TRUE(amount_valid(kMaxAmountFen));
  EXPECT_FALSE(amount_valid(kMaxAmountFen + 1));
  EXPECT_EQ(format_yuan(1'000'000'000), "10,000,000.00");
  EXPECT_EQ(format_yuan(5), "0.05");
  EXPECT_EQ(format_yuan(-123456), "-1,234.56");
}

TEST(Balance, NobodySpendsMoreThanItHolds) {
  EXPECT_FALSE(overspend(2'000'000, 2'000'000, "amount_fen"));
  auto e = overspend(2'000'000, 2'000'001, "amount_fen");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::kConflict);
  EXPECT_EQ(e->field, "amount_fen");
  EXPECT_NE(e->message.zh.find("20,000.00"), std::string::npos);
  EXPECT_TRUE(overspend(0, 1, "amount_fen"));
}

// The whole table: every (state, action) pair, and what it leads to.
TEST(ProgrammeStates, OnlyDraftOpensAndOnlyOpenCloses) {
  using S = ProgrammeState;
  using A = ProgrammeAction;
  EXPECT_EQ(programme_transition(S::kDraft, A::kOpen), S::kOpen);
  EXPECT_EQ(programme_transition(S::kOpen, A::kClose), S::kClosed);
  EXPECT_FALSE(programme_transition(S::kDraft, A::kClose));
  EXPECT_FALSE(programme_transition(S::kOpen, A::kOpen));
  EXPECT_FALSE(programme_transition(S::kClosed, A::kOpen));
  EXPECT_FALSE(programme_transition(S::kClosed, A::kClose));
  for (auto s : {S::kDraft, S::kOpen, S::kClosed}) {
    EXPECT_EQ(parse_programme_state(programme_state_name(s)), s);
  }
  for (auto k : {AidKind::kCash, AidKind::kGoods, AidKind::kVoucher, AidKind::kSubsidy}) {
    EXPECT_EQ(parse_aid_kind(aid_kind_name(k)), k);
  }
  EXPECT_FALSE(parse_aid_kind("bitcoin"));
}

TEST(CareValidation, NamesEveryWrongFieldOfAProgramme) {
  const Dictionary refs;
  CareProgramme p;
  p.title = "  ";
  p.start_date = *Date::parse("2027-02-01");
  p.end_date = *Date::parse("2027-01-01");
  p.budget_fen = 0;
  p.categories = {"hardship_worker", "nobody", "hardship_worker"};
  std::set<std::string> fields;
  for (const auto& e : validate(p, refs)) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"title", "end_date", "budget_fen", "categories[1]",
                                           "categories[2]", "kinds"}));
}

TEST(CareValidation, APersonNeedsAValidIdNumberAndCategory) {
  const Dictionary refs;
  PersonInput person{"王师傅", "150102198001011237", "1381234", "", "nobody"};
  std::set<std::string> fields;
  for (const auto& e : validate(person, refs)) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"id_number", "category"}));
  PersonInput good{" 王师傅 ", "11010519491231002x", "13812341234", "包钢", "hardship_worker"};
  EXPECT_TRUE(validate(good, refs).empty());
  EXPECT_EQ(good.name, "王师傅");
  EXPECT_EQ(good.id_number, "11010519491231002X");
}

TEST(CareValidation, AUnitSubsidyNeedsItsDocumentAndBank) {
  const Dictionary refs;
  CareDisbursement d;
  d.beneficiary_kind = "unit";
  d.amount_fen = 100;
  d.aid_kind = AidKind::kCash;
  d.bank_account = "62-abc";
  std::set<std::string> fields;
  for (const auto& e : validate(d, refs)) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"unit_name", "document_no", "bank_name", "bank_account",
                                           "aid_kind"}));
}

}  // namespace
}  // namespace xj::domain
