// The order workflow: every (state, action, role) combination against a table written out here,
// independently of order.cpp; the order's validation; and the day-fit rule of dispatching.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "domain/order.hpp"
#include "domain/validation.hpp"

namespace xj::domain {
namespace {

using S = OrderState;
using A = OrderAction;

struct Rule {
  std::set<Role> roles;
  std::set<S> from;
  S to;
};

// DESIGN.md's workflow: organisers dispatch (and act for a lecturer who phoned in), lecturers
// accept, decline and record, the ordering union rates and may cancel; admins may do anything.
const std::map<A, Rule>& expected_rules() {
  static const std::map<A, Rule> rules{
      {A::kDispatch,
       {{Role::kAdmin, Role::kOrganiser}, {S::kSubmitted, S::kDispatched}, S::kDispatched}},
      {A::kAccept,
       {{Role::kAdmin, Role::kOrganiser, Role::kLecturer}, {S::kDispatched}, S::kAccepted}},
      {A::kDecline,
       {{Role::kAdmin, Role::kOrganiser, Role::kLecturer},
        {S::kDispatched, S::kAccepted},
        S::kSubmitted}},
      {A::kDeliver,
       {{Role::kAdmin, Role::kOrganiser, Role::kLecturer}, {S::kAccepted}, S::kDelivered}},
      {A::kRate, {{Role::kAdmin, Role::kRequester}, {S::kDelivered}, S::kRated}},
      {A::kCancel,
       {{Role::kAdmin, Role::kOrganiser, Role::kRequester},
        {S::kSubmitted, S::kDispatched, S::kAccepted},
        S::kCancelled}},
  };
  return rules;
}

constexpr Role kRoles[] = {Role::kAdmin, Role::kOrganiser, Role::kLecturer, Role::kRequester,
                           Role::kViewer};

TEST(OrderStateMachine, EveryStateActionAndRole) {
  const OrderRelation related{true, true};
  int allowed = 0;
  int checked = 0;
  for (const S state : kAllOrderStates) {
    for (const A action : kAllOrderActions) {
      for (const Role role : kRoles) {
        ++checked;
        const Rule& rule = expected_rules().at(action);
        const auto got = transition(state, action, role, related);
        const std::string what = std::string(state_name(state)) + " × " +
                                 std::string(action_name(action)) + " × " +
                                 std::string(role_name(role));
        if (!rule.roles.contains(role)) {
          ASSERT_FALSE(got.ok()) << what;
          EXPECT_EQ(got.error().code, ErrorCode::kForbidden) << what;
        } else if (!rule.from.contains(state)) {
          ASSERT_FALSE(got.ok()) << what;
          EXPECT_EQ(got.error().code, ErrorCode::kConflict) << what;
          // The refusal names the current state in both languages.
          EXPECT_NE(got.error().message.en.find(state_name(state)), std::string::npos) << what;
          EXPECT_FALSE(got.error().message.zh.empty()) << what;
        } else {
          ASSERT_TRUE(got.ok()) << what;
          EXPECT_EQ(*got, rule.to) << what;
          ++allowed;
        }
        EXPECT_EQ(may_take(role, action), rule.roles.contains(role)) << what;
      }
    }
  }
  EXPECT_EQ(checked, 6 * 6 * 5);
  EXPECT_EQ(allowed, 2 * 2 + 3 * 1 + 3 * 2 + 3 * 1 + 2 * 1 + 3 * 3);
}

TEST(OrderStateMachine, RelationToTheOrderIsRequired) {
  const OrderRelation outside{false, false};
  // Out of scope: an organiser of another league, a requester of another union.
  EXPECT_EQ(transition(S::kSubmitted, A::kDispatch, Role::kOrganiser, outside).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(transition(S::kDelivered, A::kRate, Role::kRequester, outside).error().code,
            ErrorCode::kForbidden);
  // A lecturer acts only on what is dispatched to them, even in scope.
  EXPECT_EQ(transition(S::kDispatched, A::kAccept, Role::kLecturer, {true, false}).error().code,
            ErrorCode::kForbidden);
  EXPECT_TRUE(transition(S::kDispatched, A::kAccept, Role::kLecturer, {false, true}).ok());
  // Being the lecturer gives an organiser nothing: organisers act by scope.
  EXPECT_EQ(transition(S::kDispatched, A::kAccept, Role::kOrganiser, {false, true}).error().code,
            ErrorCode::kForbidden);
}

TEST(OrderStateMachine, NamesRoundTrip) {
  for (const S state : kAllOrderStates) EXPECT_EQ(parse_state(state_name(state)), state);
  EXPECT_FALSE(parse_state("declined"));  // a decline is an event, not a state
}

class Refs final : public References {
 public:
  bool region_exists(std::string_view code) const override { return code == "150203"; }
  bool dictionary_has(DictionaryKind kind, std::string_view code) const override {
    return (kind == DictionaryKind::kAudienceGroup && code == "frontline_workers") ||
           (kind == DictionaryKind::kTopic && code == "craftsmanship");
  }
};

Order valid_order() {
  Order o;
  o.organisation_id = 7;
  o.campaign_id = 1;
  o.window_from = *Date::parse("2026-12-01");
  o.window_to = *Date::parse("2026-12-10");
  o.region_code = "150203";
  o.address = "  包头市昆都仑区钢铁大街 1 号 ";
  o.audience_group = "frontline_workers";
  o.expected_audience = 120;
  o.topic = "craftsmanship";
  return o;
}

TEST(OrderValidation, AcceptsAValidOrderAndTrims) {
  Order o = valid_order();
  EXPECT_TRUE(validate(o, Refs{}).empty());
  EXPECT_EQ(o.address, "包头市昆都仑区钢铁大街 1 号");
}

TEST(OrderValidation, ReturnsEveryErrorByField) {
  Order o = valid_order();
  o.window_to = *Date::parse("2026-11-01");
  o.region_code = "999999";
  o.address = "";
  o.audience_group = "nobody";
  o.expected_audience = 0;
  o.priority = 9;
  o.language = "fr";
  o.contact_phone = "call me";
  std::set<std::string> got;
  for (const auto& e : validate(o, Refs{})) got.insert(e.field);
  EXPECT_EQ(got,
            (std::set<std::string>{"window_to", "region_code", "address", "audience_group",
                                   "expected_audience", "priority", "language", "contact_phone"}));
}

// Baotou and Hohhot seats: about 150 km apart, so about 3 h 15 min on the road at 60 km/h × 1.3.
const Place kBaotou{40.657, 109.840, false};
const Place kHohhot{40.842, 111.749, false};

Booking at(std::string label, Place place, const char* start, const char* end) {
  return {std::move(label), place, TimeOfDay::parse(start), TimeOfDay::parse(end)};
}

TEST(DayFit, TravelMinutesFollowTheModel) {
  const TravelModel model;
  const int minutes = travel_minutes(kBaotou, kHohhot, model);
  const double km = great_circle_km(*kBaotou.lat, *kBaotou.lon, *kHohhot.lat, *kHohhot.lon);
  EXPECT_NEAR(km, 162, 5);
  EXPECT_NEAR(minutes, km * 1.3, 2);  // 60 km/h: a kilometre a minute
  EXPECT_EQ(travel_minutes(kBaotou, Place{40.8, 111.7, true}, model), 0);
  EXPECT_EQ(travel_minutes(kBaotou, Place{}, model), 0);
}

TEST(DayFit, TimedLecturesNeedTheDriveBetweenThem) {
  const TravelModel model;
  const std::vector<Booking> booked{at("需求单 1", kBaotou, "09:00", "11:00")};
  // Hohhot at 12:00: one hour after Baotou ends, the drive takes over three.
  const auto tight = day_fits(booked, at("本单", kHohhot, "12:00", "14:00"), model);
  EXPECT_FALSE(tight.fits);
  EXPECT_NE(tight.reason.zh.find("需求单 1"), std::string::npos);
  EXPECT_NE(tight.reason.en.find("drive"), std::string::npos);
  // Spans over an hour read in hours and minutes, the gap of one hour as just that.
  EXPECT_NE(tight.reason.zh.find("小时"), std::string::npos) << tight.reason.zh;
  EXPECT_NE(tight.reason.zh.find("间隔只有 1 小时"), std::string::npos) << tight.reason.zh;
  EXPECT_TRUE(day_fits(booked, at("本单", kHohhot, "15:00", "17:00"), model).fits);
  // Same city: back to back is fine; overlapping is not.
  EXPECT_TRUE(day_fits(booked, at("本单", kBaotou, "11:00", "12:00"), model).fits);
  const auto overlap = day_fits(booked, at("本单", kBaotou, "10:30", "12:00"), model);
  EXPECT_FALSE(overlap.fits);
  EXPECT_NE(overlap.reason.en.find("overlaps"), std::string::npos);
  // The proposed lecture before the booked one: the gap after it counts too.
  EXPECT_FALSE(day_fits(booked, at("本单", kHohhot, "06:00", "07:00"), model).fits);
}

TEST(DayFit, UntimedLecturesMustFitIntoTheDay) {
  const TravelModel model;  // 2 h per lecture, 12 h a day
  std::vector<Booking> booked{{"需求单 1", kBaotou, {}, {}}, {"需求单 2", kHohhot, {}, {}}};
  // 3 × 2 h + about 3.5 h of driving Baotou → Hohhot: fits; a fourth back in Baotou does not.
  EXPECT_TRUE(day_fits(booked, {"本单", kHohhot, {}, {}}, model).fits);
  booked.push_back({"需求单 3", kHohhot, {}, {}});
  const auto full = day_fits(booked, {"本单", kBaotou, {}, {}}, model);
  EXPECT_FALSE(full.fits);
  EXPECT_NE(full.reason.zh.find("超过"), std::string::npos);
  // Online lectures travel nowhere.
  EXPECT_TRUE(
      day_fits({{"需求单 1", kBaotou, {}, {}}}, {"本单", Place{{}, {}, true}, {}, {}}, model).fits);
}

// The inbox says the day as the pages do, not in ISO form (issue 14, no raw codes).
TEST(Inbox, ADispatchNamesItsDayInWords) {
  Notification n;
  n.kind = NotificationKind::kDispatched;
  n.order_id = 63;
  n.detail = "2026-12-04 包头稀土新材料公司工会";
  const Message text = notification_text(n);
  EXPECT_EQ(text.zh, "需求单 63 已派给您（2026年12月4日 包头稀土新材料公司工会），请确认接单");
  EXPECT_EQ(text.en,
            "order 63 was dispatched to you (4 Dec 2026 包头稀土新材料公司工会): please accept or "
            "decline");
  n.detail = "包头稀土新材料公司工会";  // no day: as it is
  EXPECT_EQ(notification_text(n).zh, "需求单 63 已派给您（包头稀土新材料公司工会），请确认接单");
}

// The inbox stays true (issue 14): what a notification asks is done once its order moves on.
TEST(Inbox, RequestsToActAreSettledWhenTheOrderMovesOn) {
  using K = NotificationKind;
  EXPECT_TRUE(settled_by(K::kDispatched, A::kAccept, S::kAccepted));
  EXPECT_TRUE(settled_by(K::kDispatched, A::kDecline, S::kSubmitted));
  EXPECT_TRUE(settled_by(K::kDispatched, A::kCancel, S::kCancelled));
  EXPECT_TRUE(settled_by(K::kNotAccepted, A::kAccept, S::kAccepted));
  // Dispatched again to someone else: the first lecturer's request is void.
  EXPECT_TRUE(settled_by(K::kDispatched, A::kDispatch, S::kDispatched));
  EXPECT_TRUE(settled_by(K::kNotDispatched, A::kDispatch, S::kDispatched));
  EXPECT_TRUE(settled_by(K::kDeclined, A::kDispatch, S::kDispatched));
  EXPECT_TRUE(settled_by(K::kDelivered, A::kRate, S::kRated));
  // Still waiting: a decline brings the order back to be dispatched, so that reminder stands.
  EXPECT_FALSE(settled_by(K::kNotDispatched, A::kDecline, S::kSubmitted));
  EXPECT_FALSE(settled_by(K::kDelivered, A::kDeliver, S::kDelivered));
  // News is never "done": it counts until read.
  for (const auto action : {A::kDispatch, A::kAccept, A::kDecline, A::kCancel, A::kRate}) {
    for (const auto state : kAllOrderStates) {
      EXPECT_FALSE(settled_by(K::kAccepted, action, state));
      EXPECT_FALSE(settled_by(K::kCancelled, action, state));
    }
  }
  EXPECT_TRUE(asks_to_act(K::kDispatched));
  EXPECT_FALSE(asks_to_act(K::kCancelled));
}

}  // namespace
}  // namespace xj::domain
