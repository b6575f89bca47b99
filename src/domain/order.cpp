#include "domain/order.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "domain/enum_names.hpp"

namespace xj::domain {
namespace {

using detail::name_of;
using detail::parse_of;

constexpr std::array<std::pair<OrderState, std::string_view>, 6> kStates{{
    {OrderState::kSubmitted, "submitted"},
    {OrderState::kDispatched, "dispatched"},
    {OrderState::kAccepted, "accepted"},
    {OrderState::kDelivered, "delivered"},
    {OrderState::kRated, "rated"},
    {OrderState::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<OrderState, std::string_view>, 6> kStateLabels{{
    {OrderState::kSubmitted, "待派单"},
    {OrderState::kDispatched, "已派单"},
    {OrderState::kAccepted, "已接单"},
    {OrderState::kDelivered, "已宣讲"},
    {OrderState::kRated, "已评价"},
    {OrderState::kCancelled, "已撤销"},
}};

constexpr std::array<std::pair<OrderAction, std::string_view>, 6> kActions{{
    {OrderAction::kDispatch, "dispatch"},
    {OrderAction::kAccept, "accept"},
    {OrderAction::kDecline, "decline"},
    {OrderAction::kDeliver, "deliver"},
    {OrderAction::kRate, "rate"},
    {OrderAction::kCancel, "cancel"},
}};

constexpr std::array<std::pair<OrderAction, std::string_view>, 6> kActionLabels{{
    {OrderAction::kDispatch, "派单"},
    {OrderAction::kAccept, "接单"},
    {OrderAction::kDecline, "拒单"},
    {OrderAction::kDeliver, "记录宣讲"},
    {OrderAction::kRate, "评价"},
    {OrderAction::kCancel, "撤销"},
}};

constexpr std::array<std::pair<NotificationKind, std::string_view>, 7> kKinds{{
    {NotificationKind::kDispatched, "dispatched"},
    {NotificationKind::kAccepted, "accepted"},
    {NotificationKind::kDeclined, "declined"},
    {NotificationKind::kDelivered, "delivered"},
    {NotificationKind::kCancelled, "cancelled"},
    {NotificationKind::kNotDispatched, "not_dispatched"},
    {NotificationKind::kNotAccepted, "not_accepted"},
}};

// Which relation to the order the role needs for the action: a lecturer acts on what is
// dispatched to them; everyone else on orders of their own subtree.
enum class Needs { kNever, kScope, kAssigned };

Needs needs(Role role, OrderAction action) {
  using A = OrderAction;
  switch (role) {
    case Role::kAdmin:
      return Needs::kScope;
    case Role::kOrganiser:
      // Organisers dispatch, and accept, decline or record for a lecturer who phoned in;
      // rating is the ordering union's own voice.
      return action == A::kRate ? Needs::kNever : Needs::kScope;
    case Role::kLecturer:
      return action == A::kAccept || action == A::kDecline || action == A::kDeliver
                 ? Needs::kAssigned
                 : Needs::kNever;
    case Role::kRequester:
      return action == A::kRate || action == A::kCancel ? Needs::kScope : Needs::kNever;
    case Role::kViewer:
    case Role::kMerchant:
      return Needs::kNever;
  }
  return Needs::kNever;
}

// The state machine proper: where an action may start, and where it leads.
std::optional<OrderState> next_state(OrderState from, OrderAction action) {
  using S = OrderState;
  switch (action) {
    case OrderAction::kDispatch:  // again while not yet accepted: re-dispatch to someone else
      if (from == S::kSubmitted || from == S::kDispatched) return S::kDispatched;
      break;
    case OrderAction::kAccept:
      if (from == S::kDispatched) return S::kAccepted;
      break;
    case OrderAction::kDecline:  // also after accepting: illness happens
      if (from == S::kDispatched || from == S::kAccepted) return S::kSubmitted;
      break;
    case OrderAction::kDeliver:
      if (from == S::kAccepted) return S::kDelivered;
      break;
    case OrderAction::kRate:
      if (from == S::kDelivered) return S::kRated;
      break;
    case OrderAction::kCancel:
      if (from == S::kSubmitted || from == S::kDispatched || from == S::kAccepted) {
        return S::kCancelled;
      }
      break;
  }
  return std::nullopt;
}

}  // namespace

std::string_view state_name(OrderState s) { return name_of(kStates, s); }
std::optional<OrderState> parse_state(std::string_view name) { return parse_of(kStates, name); }
std::string_view action_name(OrderAction a) { return name_of(kActions, a); }

std::string_view kind_name(NotificationKind k) { return name_of(kKinds, k); }
std::optional<NotificationKind> parse_notification_kind(std::string_view name) {
  return parse_of(kKinds, name);
}

namespace {
// The order state a notification that asks to act is waiting in.
std::optional<OrderState> awaited_state(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kDispatched:
    case NotificationKind::kNotAccepted:
      return OrderState::kDispatched;
    case NotificationKind::kNotDispatched:
    case NotificationKind::kDeclined:  // the organiser is to find someone else
      return OrderState::kSubmitted;
    case NotificationKind::kDelivered:  // the union is asked to rate
      return OrderState::kDelivered;
    case NotificationKind::kAccepted:
    case NotificationKind::kCancelled:
      return std::nullopt;
  }
  return std::nullopt;
}
}  // namespace

bool asks_to_act(NotificationKind kind) { return awaited_state(kind).has_value(); }

bool settled_by(NotificationKind kind, OrderAction action, OrderState now) {
  const auto awaited = awaited_state(kind);
  if (!awaited) return false;
  if (*awaited != now) return true;
  // Dispatched again while waiting for an answer: the earlier lecturer's request is void (they
  // are told it was cancelled) and the new one gets their own.
  return action == OrderAction::kDispatch &&
         (kind == NotificationKind::kDispatched || kind == NotificationKind::kNotAccepted);
}

namespace {
// A dispatch's detail starts with the day in ISO form ("2026-12-04 包头…"), which reads like a code
// in a sentence: the day in words as the pages write it ("2026年12月4日", "4 Dec 2026"); any other
// detail as it is.
Message day_in_words(const std::string& detail) {
  const std::optional<Date> day =
      detail.size() >= 10 ? Date::parse(std::string_view(detail).substr(0, 10)) : std::nullopt;
  if (!day) return {detail, detail};
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string rest = detail.substr(10);
  const std::string year = std::to_string(day->year());
  return {
      year + "年" + std::to_string(day->month()) + "月" + std::to_string(day->day()) + "日" + rest,
      std::to_string(day->day()) + " " + std::string(kMonths.at(day->month() - 1)) + " " + year +
          rest};
}
}  // namespace

Message notification_text(const Notification& n) {
  const std::string id = n.order_id ? std::to_string(*n.order_id) : std::string("?");
  const std::string& d = n.detail;
  switch (n.kind) {
    case NotificationKind::kDispatched: {
      const Message when = day_in_words(d);
      return {"需求单 " + id + " 已派给您（" + when.zh + "），请确认接单",
              "order " + id + " was dispatched to you (" + when.en + "): please accept or decline"};
    }
    case NotificationKind::kAccepted:
      return {d + " 已接受需求单 " + id, d + " accepted order " + id};
    case NotificationKind::kDeclined:
      return {"需求单 " + id + " 被拒绝，需重新派单。原因：" + d,
              "order " + id + " was declined and needs a new lecturer. Reason: " + d};
    case NotificationKind::kDelivered:
      return {"需求单 " + id + " 的宣讲已完成，请评价",
              "the lecture of order " + id + " was given: please rate it"};
    case NotificationKind::kCancelled:
      return {"需求单 " + id + " 已撤销。原因：" + d,
              "order " + id + " was cancelled. Reason: " + d};
    case NotificationKind::kNotDispatched:
      return {"需求单 " + id + " 提交已超过 " + d + " 天，仍未派单",
              "order " + id + " has waited " + d + " days without a lecturer"};
    case NotificationKind::kNotAccepted:
      return {"需求单 " + id + " 派单已超过 " + d + " 小时，宣讲员仍未接单",
              "order " + id + " was dispatched " + d + " hours ago and is not yet accepted"};
  }
  return {"", ""};
}

bool may_take(Role role, OrderAction action) { return needs(role, action) != Needs::kNever; }

Result<OrderState> transition(OrderState from, OrderAction action, Role role,
                              const OrderRelation& relation) {
  const Needs need = needs(role, action);
  const bool related = (need == Needs::kScope && relation.in_scope) ||
                       (need == Needs::kAssigned && relation.assigned_to_me);
  if (!related) return Error::forbidden();
  if (auto to = next_state(from, action)) return *to;
  const std::string label(name_of(kStateLabels, from));
  const std::string act(name_of(kActionLabels, action));
  return Error::conflict({"需求单当前状态为“" + label + "”，不能" + act,
                          "the order is " + std::string(state_name(from)) + ": cannot " +
                              std::string(action_name(action)) + " it now"},
                         "state");
}

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthKm = 6371.0;
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(h)));
}

int travel_minutes(const Place& a, const Place& b, const TravelModel& model) {
  if (a.online || b.online || !a.lat || !a.lon || !b.lat || !b.lon) return 0;
  const double km = great_circle_km(*a.lat, *a.lon, *b.lat, *b.lon) * model.road_factor;
  return static_cast<int>(std::ceil(km / model.speed_kmh * 60.0));
}

namespace {
int duration(const Booking& b, const TravelModel& model) {
  if (b.start && b.end) return b.end->minutes() - b.start->minutes();
  return model.default_minutes;
}

// A span of minutes as an office reads it: "16 小时 37 分钟" rather than "997 分钟".
Message span(int minutes) {
  const int h = minutes / 60;
  const int m = minutes % 60;
  if (h == 0) return {std::to_string(m) + " 分钟", std::to_string(m) + " min"};
  return {std::to_string(h) + " 小时" + (m ? " " + std::to_string(m) + " 分钟" : ""),
          std::to_string(h) + " h" + (m ? " " + std::to_string(m) + " min" : "")};
}

// `other` is the booked lecture the proposed one cannot follow or precede.
Message collides(const Booking& other, int gap, int drive) {
  if (gap < 0) return {"与" + other.label + " 时间重叠", "overlaps " + other.label};
  const Message d = span(drive);
  const Message g = span(gap);
  return {"与" + other.label + " 衔接不上：两地车程约 " + d.zh + "，间隔只有 " + g.zh,
          "cannot be combined with " + other.label + ": the drive takes about " + d.en +
              ", the gap is " + g.en};
}
}  // namespace

DayFit day_fits(const std::vector<Booking>& booked, const Booking& proposed,
                const TravelModel& model) {
  std::vector<const Booking*> day;
  day.reserve(booked.size() + 1);
  for (const auto& b : booked) day.push_back(&b);
  day.push_back(&proposed);
  // Timed lectures in time order, then untimed ones in the order given.
  std::stable_sort(day.begin(), day.end(), [](const Booking* x, const Booking* y) {
    if (x->start && y->start) return *x->start < *y->start;
    return x->start.has_value() && !y->start.has_value();
  });
  int total = 0;
  for (std::size_t i = 0; i < day.size(); ++i) {
    total += duration(*day[i], model);
    if (i == 0) continue;
    const Booking& prev = *day[i - 1];
    const Booking& next = *day[i];
    const int drive = travel_minutes(prev.place, next.place, model);
    total += drive;
    if (prev.start && next.start) {
      const int prev_end = prev.start->minutes() + duration(prev, model);
      const int gap = next.start->minutes() - prev_end;
      if (gap < drive) {
        const Booking& other = &next == &proposed ? prev : next;
        return {false, collides(other, gap, drive)};
      }
    }
  }
  if (total > model.day_minutes) {
    return {false,
            {"当天已排 " + std::to_string(booked.size()) + " 场，加上车程共需约 " +
                 std::to_string(total / 60) + " 小时，超过一天可安排的 " +
                 std::to_string(model.day_minutes / 60) + " 小时",
             "with " + std::to_string(booked.size()) +
                 " lectures already booked that day, lectures and drives need about " +
                 std::to_string(total / 60) + " h, more than the " +
                 std::to_string(model.day_minutes / 60) + " h a day holds"}};
  }
  return {};
}

}  // namespace xj::domain
