#include <gtest/gtest.h>

#include <set>

#include "domain/access.hpp"
#include "domain/validation.hpp"

namespace xj::domain {
namespace {

class FakeReferences final : public References {
 public:
  bool region_exists(std::string_view code) const override {
    return code == "150000" || code == "150200" || code == "150203";
  }
  bool dictionary_has(DictionaryKind kind, std::string_view code) const override {
    switch (kind) {
      case DictionaryKind::kLecturerCategory:
        return code == "model_worker";
      case DictionaryKind::kAudienceGroup:
        return code == "frontline_workers";
      case DictionaryKind::kTopic:
        return code == "craftsmanship" || code == "work_safety";
      default:
        return false;
    }
  }
};

std::set<std::string> fields(const std::vector<FieldError>& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) out.insert(e.field);
  return out;
}

Lecturer valid_lecturer() {
  Lecturer l;
  l.organisation_id = 1;
  l.name = "王建国";
  l.category = "model_worker";
  l.languages = {"zh"};
  l.topics = {"craftsmanship"};
  return l;
}

Session valid_session() {
  Session s;
  s.title = "弘扬劳模精神";
  s.date = *Date::parse("2022-11-15");
  s.venue = "车间会议室";
  s.host_organisation_id = 3;
  s.region_code = "150203";
  s.audience_group = "frontline_workers";
  s.audience_offline = 80;
  s.lecturer_ids = {1};
  return s;
}

}  // namespace

TEST(LecturerValidation, AcceptsAValidLecturer) {
  auto l = valid_lecturer();
  EXPECT_TRUE(validate(l, FakeReferences()).empty());
}

TEST(LecturerValidation, ReturnsEveryErrorAtOnceByField) {
  auto l = valid_lecturer();
  l.name = "  ";
  l.category = "astronaut";
  l.languages = {"fr"};
  l.phone = "call me";
  l.region_code = "999999";
  l.unavailable = {{*Date::parse("2022-12-05"), *Date::parse("2022-12-01"), ""}};
  const auto f = fields(validate(l, FakeReferences()));
  EXPECT_EQ(f, (std::set<std::string>{"name", "category", "languages[0]", "phone", "region_code",
                                      "unavailable[0].to"}));
}

TEST(LecturerValidation, CountsLengthInCharacters) {
  auto l = valid_lecturer();
  l.name = std::string();
  for (int i = 0; i < 50; ++i) l.name += "王";  // 150 bytes, 50 characters
  EXPECT_TRUE(validate(l, FakeReferences()).empty());
  l.name += "王";
  EXPECT_EQ(fields(validate(l, FakeReferences())), std::set<std::string>{"name"});
}

TEST(LecturerValidation, RejectsInvalidUtf8AndControlCharacters) {
  auto l = valid_lecturer();
  l.employer = "\xC3(";
  l.ethnicity = "汉\x01族";
  EXPECT_EQ(fields(validate(l, FakeReferences())),
            (std::set<std::string>{"employer", "ethnicity"}));
}

TEST(LecturerValidation, TrimsWhatItStores) {
  auto l = valid_lecturer();
  l.name = "  王建国 ";
  ASSERT_TRUE(validate(l, FakeReferences()).empty());
  EXPECT_EQ(l.name, "王建国");
}

TEST(SessionValidation, AcceptsAValidSession) {
  auto s = valid_session();
  EXPECT_TRUE(validate(s, FakeReferences()).empty());
}

TEST(SessionValidation, HybridNeedsBranchesAndOnlyHybridHasThem) {
  auto s = valid_session();
  s.format = SessionFormat::kHybrid;
  EXPECT_EQ(fields(validate(s, FakeReferences())), std::set<std::string>{"branches"});
  s.format = SessionFormat::kOffline;
  s.branches = {{0, 4, "分会场", "150200", "frontline_workers", 30}};
  EXPECT_EQ(fields(validate(s, FakeReferences())), std::set<std::string>{"branches"});
}

TEST(SessionValidation, ChecksRangesTimesAndLecturers) {
  auto s = valid_session();
  s.audience_offline = -1;
  s.start_time = TimeOfDay::parse("10:00");
  s.end_time = TimeOfDay::parse("09:00");
  s.lecturer_ids = {1, 1};
  s.online_viewers = 5;  // offline sessions have none
  EXPECT_EQ(
      fields(validate(s, FakeReferences())),
      (std::set<std::string>{"audience_offline", "end_time", "lecturer_ids", "online_viewers"}));
}

TEST(SessionTotals, AddBranchesWithoutCountingTwice) {
  auto s = valid_session();
  s.format = SessionFormat::kHybrid;
  s.audience_offline = 100;
  s.online_viewers = 50;
  s.branches = {{0, 4, "分会场一", "150200", "frontline_workers", 30},
                {0, 5, "分会场二", "150200", "frontline_workers", 20}};
  EXPECT_EQ(total_audience(s), 200);
}

TEST(CampaignValidation, EndMustNotPrecedeStart) {
  Campaign c;
  c.title = "学习宣传贯彻党的二十大精神";
  c.owner_organisation_id = 1;
  c.start_date = *Date::parse("2023-01-31");
  c.end_date = *Date::parse("2022-11-01");
  EXPECT_EQ(fields(validate(c, FakeReferences())), std::set<std::string>{"end_date"});
}

TEST(CampaignValidation, OneTargetRowPerRegionAndGroup) {
  Campaign c;
  c.title = "职工宣讲进万家";
  c.start_date = *Date::parse("2026-11-01");
  c.end_date = *Date::parse("2027-01-31");
  c.targets = {{"150203", "frontline_workers", 5, 400},
               {"150203", "", 3, 100},
               {"150203", "frontline_workers", 1, 10},
               {"", "", 20, 2000}};
  EXPECT_EQ(fields(validate(c, FakeReferences())), std::set<std::string>{"targets[2].region_code"});
  c.targets[2].region_code = "150200";
  c.targets[3].sessions = -1;
  EXPECT_EQ(fields(validate(c, FakeReferences())), std::set<std::string>{"targets[3].sessions"});
}

TEST(CampaignStatus, ClosedWinsOverThePeriodWhichIsInclusive) {
  Campaign c;
  c.start_date = *Date::parse("2026-11-01");
  c.end_date = *Date::parse("2026-12-31");
  EXPECT_EQ(campaign_status(c, *Date::parse("2026-10-31")), CampaignStatus::kUpcoming);
  EXPECT_EQ(campaign_status(c, *Date::parse("2026-11-01")), CampaignStatus::kCurrent);
  EXPECT_EQ(campaign_status(c, *Date::parse("2026-12-31")), CampaignStatus::kCurrent);
  EXPECT_EQ(campaign_status(c, *Date::parse("2027-01-01")), CampaignStatus::kEnded);
  c.closed_at = 1;
  EXPECT_EQ(campaign_status(c, *Date::parse("2026-10-31")), CampaignStatus::kClosed);
  EXPECT_EQ(campaign_status(c, *Date::parse("2026-12-01")), CampaignStatus::kClosed);
  EXPECT_EQ(campaign_status_name(CampaignStatus::kClosed), "closed");
}

TEST(AccountValidation, LecturerRoleNeedsItsLecturer) {
  Account a{0, "wang.jg", "王建国", Role::kLecturer, 1, std::nullopt, true};
  EXPECT_EQ(fields(validate(a)), std::set<std::string>{"lecturer_id"});
  a.username = "a b";
  a.lecturer_id = 3;
  EXPECT_EQ(fields(validate(a)), std::set<std::string>{"username"});
}

TEST(PasswordValidation, RequiresLengthAndVariety) {
  EXPECT_FALSE(validate_password("short").empty());
  EXPECT_FALSE(validate_password("aaaaaaaaaaaa").empty());
  EXPECT_TRUE(validate_password("correct horse battery").empty());
}

TEST(OrganisationLevels, FollowTheUnionTree) {
  using L = OrganisationLevel;
  EXPECT_TRUE(level_fits_under(L::kLeague, L::kProvince));
  EXPECT_FALSE(level_fits_under(L::kLeague, L::kCounty));
  EXPECT_TRUE(level_fits_under(L::kCounty, L::kLeague));
  EXPECT_TRUE(level_fits_under(L::kGrassroots, L::kCounty));
  EXPECT_FALSE(level_fits_under(L::kProvince, L::kProvince));
}

// The permission table, written out: a change to access.cpp must change this too.
TEST(Access, PermissionTableByRole) {
  auto names = [](Role r) {
    std::set<std::string> s;
    for (auto p : permissions_of(r)) s.insert(std::string(permission_name(p)));
    return s;
  };
  EXPECT_EQ(names(Role::kAdmin).size(), 22u);
  EXPECT_EQ(names(Role::kOrganiser).count("audit.read"), 0u);
  EXPECT_EQ(names(Role::kOrganiser).count("tokens.manage"), 0u);
  EXPECT_EQ(names(Role::kOrganiser).count("dictionaries.write"), 0u);
  EXPECT_EQ(names(Role::kOrganiser).count("accounts.write"), 1u);
  EXPECT_EQ(names(Role::kViewer),
            (std::set<std::string>{"lecturers.read", "sessions.read", "organisations.read",
                                   "campaigns.read", "dictionaries.read", "regions.read",
                                   "orders.read", "care.read"}));
  EXPECT_EQ(
      names(Role::kRequester),
      (std::set<std::string>{"sessions.read", "campaigns.read", "organisations.read",
                             "dictionaries.read", "regions.read", "orders.read", "orders.write"}));
  EXPECT_EQ(names(Role::kLecturer),
            (std::set<std::string>{"lecturers.read", "sessions.read", "sessions.write",
                                   "campaigns.read", "organisations.read", "dictionaries.read",
                                   "regions.read", "orders.read"}));
  EXPECT_EQ(names(Role::kOrganiser).count("orders.dispatch"), 1u);
  EXPECT_EQ(names(Role::kRequester).count("orders.dispatch"), 0u);
  EXPECT_EQ(names(Role::kOrganiser).count("care.write"), 1u);
  EXPECT_EQ(names(Role::kOrganiser).count("care.reveal"), 0u);
  EXPECT_EQ(names(Role::kAdmin).count("care.reveal"), 1u);
  EXPECT_EQ(names(Role::kMerchant), (std::set<std::string>{"voucher.redeem"}));
  EXPECT_EQ(names(Role::kOrganiser).count("voucher.redeem"), 0u);
}

TEST(Access, ScopeIsTheSubtree) {
  Principal baotou;
  baotou.organisation_path = "/1/3/";
  EXPECT_TRUE(in_scope(baotou, "/1/3/"));
  EXPECT_TRUE(in_scope(baotou, "/1/3/17/"));
  EXPECT_FALSE(in_scope(baotou, "/1/"));
  EXPECT_FALSE(in_scope(baotou, "/1/4/"));
  EXPECT_FALSE(in_scope(baotou, "/1/30/"));  // a prefix of digits is not a subtree
}

TEST(Access, NobodyGrantsAboveTheirOwnRole) {
  Principal organiser;
  organiser.role = Role::kOrganiser;
  EXPECT_TRUE(can_grant(organiser, Role::kRequester));
  EXPECT_TRUE(can_grant(organiser, Role::kOrganiser));
  EXPECT_FALSE(can_grant(organiser, Role::kAdmin));
  Principal viewer;
  viewer.role = Role::kViewer;
  EXPECT_FALSE(can_grant(viewer, Role::kViewer));
}

}  // namespace xj::domain

TEST(TextBound, RefusesWhatNoFieldMayHold) {
  EXPECT_FALSE(xj::domain::text_problem("宣讲\n第二行\t完").has_value());
  EXPECT_TRUE(xj::domain::text_problem(std::string("a\0b", 3)).has_value());
  EXPECT_TRUE(xj::domain::text_problem("\x1b[31mred").has_value());
  EXPECT_TRUE(xj::domain::text_problem("\xc2\x9b"
                                       "31m")
                  .has_value());  // C1 CSI
  EXPECT_TRUE(xj::domain::text_problem("\xff\xfe").has_value());
  std::string longest;
  for (std::size_t i = 0; i < xj::domain::kMaxTextCharacters; ++i) longest += "宣";
  EXPECT_FALSE(xj::domain::text_problem(longest).has_value());
  EXPECT_TRUE(xj::domain::text_problem(longest + "x").has_value());
}

TEST(TextBound, StoresOneKindOfLineBreak) {
  EXPECT_EQ(xj::domain::normalise_line_breaks("a\r\nb\rc\n"), "a\nb\nc\n");
  EXPECT_EQ(xj::domain::normalise_line_breaks("end\r"), "end\n");
}
