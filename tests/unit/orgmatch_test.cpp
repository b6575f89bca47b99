// Matching a report's host organisation against the organisation tree (issue 18): exact names,
// folded short forms, a region's name in front, and "not in the tree" when none or two fit.
#include <gtest/gtest.h>

#include "extract/extract.hpp"
#include "extract/orgmatch.hpp"

namespace xj::extract {
namespace {

std::vector<KnownRegion> regions() {
  return {{"150000", "内蒙古自治区", ""},
          {"150200", "包头市", "150000"},
          {"150203", "昆都仑区", "150200"},
          {"150500", "通辽市", "150000"}};
}

std::vector<KnownOrganisation> tree() {
  return {{1, "内蒙古自治区总工会", "150000"},    {2, "包头市总工会", "150200"},
          {3, "包钢集团有限公司工会", "150203"},  {4, "通辽市鑫达医药有限公司工会", "150500"},
          {5, "昆都仑区总工会", "150203"},        {6, "通辽市第一建筑公司工会", "150500"},
          {7, "包头市第一建筑公司工会", "150200"}};
}

OrgMatch match(std::string_view name) { return match_organisation(name, tree(), regions()); }

TEST(OrgMatch, FoldsTheFormsOfAName) {
  EXPECT_EQ(fold_organisation_name("包头市总工会"), "包头市总");
  EXPECT_EQ(fold_organisation_name("包头市总"), "包头市总");
  EXPECT_EQ(fold_organisation_name("某某有限公司工会"), "某某公司");
  EXPECT_EQ(fold_organisation_name("某某股份有限公司"), "某某公司");
  EXPECT_EQ(fold_organisation_name("某某公司工会"), "某某公司");
  EXPECT_EQ(fold_organisation_name("某某集团公司"), "某某集团");
  EXPECT_EQ(fold_organisation_name("工会"), "工会");
}

TEST(OrgMatch, TheExactNameIsCertain) {
  const auto m = match("包头市总工会");
  EXPECT_EQ(m.kind, OrgMatchKind::kExact);
  EXPECT_EQ(m.id, 2);
  EXPECT_DOUBLE_EQ(m.confidence, 1.0);
}

TEST(OrgMatch, ShortFormsAndTheTrailingUnionMatch) {
  for (const auto* name : {"包头市总", "包钢集团公司", "包钢集团有限公司", "包钢集团公司工会"}) {
    const auto m = match(name);
    EXPECT_EQ(m.kind, OrgMatchKind::kShortForm) << name;
    EXPECT_TRUE(m.id == 2 || m.id == 3) << name;
    EXPECT_DOUBLE_EQ(m.confidence, 0.9) << name;
  }
  EXPECT_EQ(match("包钢集团公司").name, "包钢集团有限公司工会");
  EXPECT_EQ(match("通辽市鑫达医药公司").id, 4);
}

TEST(OrgMatch, ARegionInFrontMayBeLeftOutOrAdded) {
  auto m = match("鑫达医药有限公司");  // the tree says 通辽市鑫达医药有限公司工会
  EXPECT_EQ(m.kind, OrgMatchKind::kNoRegion);
  EXPECT_EQ(m.id, 4);
  EXPECT_DOUBLE_EQ(m.confidence, 0.7);
  m = match("内蒙古包头市昆都仑区总工会");  // two regions in front, the short form of one
  EXPECT_EQ(m.kind, OrgMatchKind::kNoRegion);
  EXPECT_EQ(m.id, 5);
}

TEST(OrgMatch, NotInTheTreeIsAClearState) {
  for (const auto* name : {"", "赤峰市总工会", "某某物流公司", "总工会", "公司",
                           "第一建筑公司工会"}) {  // the last: two fit, so none is taken
    const auto m = match(name);
    EXPECT_EQ(m.kind, OrgMatchKind::kNone) << name;
    EXPECT_FALSE(m.id.has_value()) << name;
    EXPECT_DOUBLE_EQ(m.confidence, 0.0) << name;
  }
  EXPECT_EQ(org_match_kind_name(OrgMatchKind::kNone), "none");
}

TEST(OrgMatch, OnlyTheGivenSubtreeIsSearched) {
  // The caller passes the importer's subtree: what lies outside it is not found.
  const std::vector<KnownOrganisation> baotou = {{2, "包头市总工会", "150200"}};
  EXPECT_EQ(match_organisation("通辽市鑫达医药公司", baotou, regions()).kind, OrgMatchKind::kNone);
  EXPECT_EQ(match_organisation("包头市总", baotou, regions()).id, 2);
}

}  // namespace
}  // namespace xj::extract
