// The report extractor's pieces (issue 18): normalisation, sentences, rules as data, and the
// extraction of dates, lecturers, venues, regions, counts, groups and statements.
#include <gtest/gtest.h>

#include "extract/extract.hpp"
#include "service/report_imports.hpp"
#include "sheet/table.hpp"

namespace xj::extract {
namespace {

Gazetteer small_gazetteer() {
  Gazetteer g;
  g.regions = {{"150000", "内蒙古自治区", ""},   {"150100", "呼和浩特市", "150000"},
               {"150102", "新城区", "150100"},   {"150500", "通辽市", "150000"},
               {"150502", "科尔沁区", "150500"}, {"150521", "科尔沁左翼中旗", "150500"},
               {"150523", "开鲁县", "150500"},   {"150200", "包头市", "150000"},
               {"150203", "昆都仑区", "150200"}, {"460000", "海南省", ""}};
  g.lecturers = {{7, "李海峰"}};
  g.organisations = {{3, "通辽市总工会", "150500"}};
  return g;
}

Extraction run(std::string_view text, std::map<std::string, std::string> extra = {}) {
  auto rules = parse_rules(extra);
  EXPECT_TRUE(rules.ok());
  const Extractor extractor(std::move(*rules), small_gazetteer());
  return extractor.extract(text, 2023);
}

std::vector<std::string> venues(const Extraction& e) {
  std::vector<std::string> out;
  for (const auto& p : e.proposals) out.push_back(p.venue);
  return out;
}

TEST(ExtractNormalize, JoinsLinesHardWrappedInsideSentences) {
  const auto n = normalize(
      "通辽市总工会宣讲活动\n\n　　4月9日，市总工会副主席李海峰深入通辽市物\n流园区开展宣讲，为一线"
      "职工宣讲。\n");
  ASSERT_EQ(n.blocks.size(), 2u);
  EXPECT_EQ(n.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(n.blocks[1].kind, BlockKind::kBody);
  EXPECT_NE(n.text.find("通辽市物流园区"), std::string::npos);
}

TEST(ExtractNormalize, ReassemblesACaptionSetOneCharacterALine) {
  const auto n = normalize("宣讲一场。\n宣\n讲\n现\n场\n听众说好。\n");
  bool caption = false;
  for (const auto& b : n.blocks) caption = caption || b.kind == BlockKind::kCaption;
  EXPECT_TRUE(caption);
  EXPECT_NE(n.text.find("宣讲现场"), std::string::npos);
}

TEST(ExtractNormalize, MakesDigitsHalfWidthAndDropsStraySpacesButKeepsATitlesSpace) {
  const auto n = normalize("４月 16日，以《奋进新征程 建功新时代》为题宣讲。");
  EXPECT_NE(n.text.find("4月16日"), std::string::npos) << n.text;
  EXPECT_NE(n.text.find("奋进新征程 建功新时代"), std::string::npos) << n.text;
}

TEST(ExtractNormalize, AClosingQuoteOnItsOwnLineGoesBackToItsSentence) {
  const auto n = normalize("　　“讲得实实在在。\n”种植户李秀芳说。\n");
  ASSERT_EQ(n.blocks.size(), 1u);
  EXPECT_EQ(n.text, "“讲得实实在在。”种植户李秀芳说。");
}

TEST(ExtractSentences, NeverSplitInsideAQuotation) {
  const auto n = normalize("他说：“好。很好！”大家鼓掌。第二句。");
  const auto s = sentences(n);
  // 他说：“好。很好！” | 大家鼓掌。 | 第二句。: the marks inside the quotation end nothing.
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].begin, 0u);
  EXPECT_EQ(s[0].end, 10u);
  EXPECT_EQ(s[1].end, 15u);
}

TEST(ExtractRules, RefuseAnUnknownFileAndAMappingLineWithoutKey) {
  EXPECT_FALSE(parse_rules({{"nonsense.txt", "x"}}).ok());
  const auto bad = parse_rules({{"audience_groups.txt", "没有冒号的一行"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.en.find("audience_groups.txt, line 1"), std::string::npos);
  EXPECT_FALSE(parse_rules({{"formats.txt", "sometimes: 偶尔"}}).ok());
}

TEST(ExtractRules, AnAdministratorsPhrasesAreAddedToTheShippedOnes) {
  const std::string text = "5月2日，宣讲员王大山走进开鲁县治沙站，为治沙护林员宣讲。";
  EXPECT_EQ(run(text).proposals.at(0).audience_group, "");
  const auto e = run(text, {{"audience_groups.txt", "农牧民: 护林员"}});
  EXPECT_EQ(e.proposals.at(0).audience_group, "农牧民");
}

TEST(Extract, OneSessionPerVenueOfASentenceWithTheRosterAndTheHost) {
  const auto e = run(
      "4月9日，由通辽市总工会组织、以市总工会副主席李海峰为主讲的宣讲小分队，深入通辽市物流园区、"
      "科尔沁区顺达医药有限公司开展宣讲座谈活动，向一线职工宣讲。");
  ASSERT_EQ(venues(e), (std::vector<std::string>{"通辽市物流园区", "科尔沁区顺达医药有限公司"}));
  for (const auto& p : e.proposals) {
    EXPECT_EQ(p.date.iso(), "2023-04-09");
    EXPECT_EQ(p.lecturer_name, "李海峰");
    EXPECT_EQ(p.lecturer_id, std::optional<Id>(7));
    EXPECT_EQ(p.host_organisation, "通辽市总工会");
    EXPECT_EQ(p.host_organisation_id, std::optional<Id>(3));
    EXPECT_EQ(p.audience_group, "一线职工");
    EXPECT_FALSE(p.audience_count.has_value());  // one count for two places belongs to neither
  }
  EXPECT_EQ(e.proposals[0].region_code, "150500");
  EXPECT_EQ(e.proposals[1].region_code, "150502");
  // The sentence's offsets point into the normalised text.
  const auto& span = e.proposals[0].sentence_span;
  EXPECT_EQ(span.begin, 0u);
  EXPECT_GT(span.end, span.begin);
}

TEST(Extract, ARangeOfDaysIsKeptAsARange) {
  const auto e = run("3月5日至6日，北疆工匠孙宝山先后走进开鲁县煤矿和包头市昆都仑区炼铁厂宣讲。");
  ASSERT_EQ(e.proposals.size(), 2u);
  EXPECT_EQ(e.proposals[0].date.iso(), "2023-03-05");
  ASSERT_TRUE(e.proposals[0].date_to.has_value());
  EXPECT_EQ(e.proposals[0].date_to->iso(), "2023-03-06");
  EXPECT_EQ(e.proposals[1].region_code, "150203");
}

TEST(Extract, ANewLecturerComesWithHonoursEmployerAndCategory) {
  const auto e =
      run("5月16日，全国劳动模范、包钢集团首席技师张福来走进昆都仑区高炉车间，以《在平凡岗位上"
          "创造不平凡》为题，为50余名快递小哥宣讲。");
  ASSERT_EQ(e.proposals.size(), 1u);
  const auto& p = e.proposals[0];
  EXPECT_EQ(p.lecturer_name, "张福来");
  EXPECT_FALSE(p.lecturer_id.has_value());
  EXPECT_EQ(p.lecturer_employer, "包钢集团");
  EXPECT_EQ(p.lecturer_honours, "全国劳动模范、首席技师");
  EXPECT_EQ(p.lecturer_category, "model_worker");
  EXPECT_EQ(p.title, "在平凡岗位上创造不平凡");
  EXPECT_EQ(p.audience_count, std::optional<std::int64_t>(50));
  EXPECT_EQ(p.audience_qualifier, Qualifier::kAtLeast);
  EXPECT_EQ(p.audience_group, "新就业形态劳动者");
}

TEST(Extract, ShortAndAliasRegionNames) {
  const auto e =
      run("6月3日，宣讲员陈晓东在呼市新城区职工之家宣讲。6月4日，陈晓东来到通辽职工之家宣讲。");
  ASSERT_EQ(e.proposals.size(), 2u);
  EXPECT_EQ(e.proposals[0].region_code, "150102");
  EXPECT_EQ(e.proposals[1].region_code, "150500");
}

TEST(Extract, APlanIsNoSessionAndOnlineHasNoPlace) {
  EXPECT_TRUE(run("5月19日，宣讲团下周将继续深入开鲁县开展宣讲。").proposals.empty());
  const auto e = run("6月3日，教授陈晓东通过线上直播为机关干部宣讲，在线观看超过2000人次。");
  ASSERT_EQ(e.proposals.size(), 1u);
  EXPECT_EQ(e.proposals[0].format, "online");
  EXPECT_EQ(e.proposals[0].venue, "线上直播");
  EXPECT_EQ(e.proposals[0].audience_count, std::optional<std::int64_t>(2000));
}

TEST(Extract, StatementsOfTotalsMoneyAndQuotes) {
  const auto e = run(
      "筹集资金不少于500万元，其中投入2.5万元。截至目前，李海峰已开展了8场宣讲。骑手王小川说：“今天"
      "算是听明白了。”");
  std::vector<std::string> got;
  for (const auto& s : e.statements) {
    got.push_back(std::string(statement_kind_name(s.kind)) + ":" + std::to_string(s.fen) + ":" +
                  std::to_string(s.count) + ":" + s.lecturer_name + s.who);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"money:500000000:0:", "money:2500000:0:",
                                           "running_total:0:8:李海峰", "quote:0:0:骑手王小川"}));
  EXPECT_EQ(e.statements[0].qualifier, Qualifier::kAtLeast);
}

TEST(Extract, CivilDatesRefuseDaysThatDoNotExist) {
  EXPECT_FALSE(civil_date(2023, 2, 29).has_value());
  EXPECT_TRUE(civil_date(2024, 2, 29).has_value());
  EXPECT_FALSE(civil_date(2023, 13, 1).has_value());
  EXPECT_TRUE(run("2月30日，宣讲员王大山走进开鲁县治沙站宣讲。").proposals.empty());
}

TEST(ReportFiles, EmptyBinaryAndGbkFiles) {
  EXPECT_FALSE(service::report_text_from_file("").ok());
  EXPECT_FALSE(service::report_text_from_file(std::string("ab\0cd", 5)).ok());
  const auto gbk = service::report_text_from_file(sheet::utf8_to_gb18030("4月9日，宣讲。"));
  ASSERT_TRUE(gbk.ok());
  EXPECT_EQ(*gbk, "4月9日，宣讲。");
  const auto big =
      service::report_text_from_file(std::string(service::kMaxReportTextBytes + 1, 'a'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_FALSE(service::report_text_from_file("PK\x03\x04 not a zip").ok());
  EXPECT_FALSE(service::report_text_from_file("%PDF-1.4 damaged").ok());
}

}  // namespace
}  // namespace xj::extract

namespace xj::extract {
namespace {

// 主会场+分会场: the branch venues a sentence names become the proposal's branches; a sentence
// that says 分会场 without naming one gives an offline proposal and says why.
TEST(ExtractBranches, NamedBranchVenuesMakeAHybridProposal) {
  auto rules = parse_rules({});
  ASSERT_TRUE(rules.ok());
  Gazetteer g;
  g.regions = {{"150000", "内蒙古自治区", ""},
               {"150500", "通辽市", "150000"},
               {"150502", "科尔沁区", "150500"},
               {"150523", "开鲁县", "150500"}};
  const Extractor extractor(std::move(*rules), g);
  auto x = extractor.extract(
      "9月14日上午，通辽市总工会在市职工服务中心设主会场，邀请市劳动模范赵云鹏作专题宣讲，"
      "分会场设在科尔沁区职工之家、开鲁县总工会职工书屋，全市300余名职工代表参加。\n"
      "9月16日，赵云鹏在科尔沁区明仁街道社区服务中心以视频连线的方式为开鲁县、科尔沁区等"
      "分会场的社区工作者同步宣讲。\n"
      "9月20日，赵云鹏在科尔沁区新华街道社区服务中心为社区工作者宣讲，各旗县区设分会场同步收看。",
      2023);
  ASSERT_EQ(x.proposals.size(), 3u);
  const auto& first = x.proposals[0];
  EXPECT_EQ(first.format, "hybrid");
  ASSERT_EQ(first.branches.size(), 2u);
  EXPECT_EQ(first.branches[0].venue, "科尔沁区职工之家");
  EXPECT_EQ(first.branches[0].region_code, "150502");
  EXPECT_EQ(first.branches[1].venue, "开鲁县总工会职工书屋");
  EXPECT_EQ(first.branches[1].region_code, "150523");
  EXPECT_TRUE(first.hybrid_reason.empty());

  const auto& second = x.proposals[1];
  EXPECT_EQ(second.format, "hybrid");
  ASSERT_EQ(second.branches.size(), 2u);
  EXPECT_EQ(second.branches[0].venue, "开鲁县");
  EXPECT_EQ(second.branches[1].venue, "科尔沁区");

  const auto& third = x.proposals[2];
  EXPECT_EQ(third.format, "offline");
  EXPECT_TRUE(third.branches.empty());
  EXPECT_EQ(third.hybrid_reason, "branches_not_named");
}

}  // namespace
}  // namespace xj::extract
