#include "domain/session_changes.hpp"

#include <gtest/gtest.h>

namespace xj::domain {
namespace {

Session recorded() {
  Session s;
  s.id = 5;
  s.title = "劳模精神进车间";
  s.date = *Date::parse("2026-12-01");
  s.venue = "一号车间";
  s.host_organisation_id = 3;
  s.host_organisation_name = "包钢工会";
  s.region_code = "150203";
  s.region_name = "昆都仑区";
  s.industry = "C";
  s.audience_group = "frontline_workers";
  s.audience_offline = 120;
  s.lecturer_ids = {7};
  s.lecturer_names = {"王建国"};
  return s;
}

ChangeNames names() {
  return {[](const std::string& code) { return code == "frontline_workers" ? "一线职工" : ""; },
          [](Id id) { return id == 2 ? std::string("职工宣讲月") : std::string(); }};
}

TEST(SessionChanges, NamesEachChangedFieldWithBeforeAndAfter) {
  Session after = recorded();
  after.audience_offline = 150;
  after.venue = "职工之家";
  EXPECT_EQ(describe_changes(recorded(), after, names()),
            "地点 “一号车间” → “职工之家”；现场听众 120 → 150");
}

TEST(SessionChanges, WordsNamesNotCodes) {
  Session after = recorded();
  after.audience_group = "herders";
  after.campaign_id = 2;
  after.lecturer_ids = {7, 8};
  after.lecturer_names = {"王建国", "李娜"};
  after.format = SessionFormat::kHybrid;
  after.industry = "P";
  after.branches.push_back({0, 4, "分会场", "150204", "herders", 30});
  const std::string text = describe_changes(recorded(), after, names());
  EXPECT_NE(text.find("所属活动 （无） → “职工宣讲月”"), std::string::npos) << text;
  EXPECT_NE(text.find("听众群体 一线职工 → herders"), std::string::npos) << text;
  EXPECT_NE(text.find("宣讲员 王建国 → 王建国、李娜"), std::string::npos) << text;
  EXPECT_NE(text.find("形式 线下 → 主会场+分会场"), std::string::npos) << text;
  EXPECT_NE(text.find("行业 制造业 → 教育"), std::string::npos) << text;
  EXPECT_NE(text.find("分会场 0 个（0 人） → 1 个（30 人）"), std::string::npos) << text;
}

TEST(SessionChanges, CutsLongTextsAndSaysWhenNothingChanged) {
  EXPECT_EQ(describe_changes(recorded(), recorded(), names()), "未作修改");
  Session after = recorded();
  after.summary = std::string(60, 'x');
  EXPECT_EQ(describe_changes(recorded(), after, names()),
            "内容摘要 （空） → “" + std::string(40, 'x') + "…”");
}

}  // namespace
}  // namespace xj::domain
