// Orders (宣讲需求) and their workflow: the state machine that says which action each role may
// take in each state, and the day-fit rule that says whether a lecturer can reach one more venue
// on a day. Pure: the service feeds it what the store knows.
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
#include "domain/access.hpp"
#include "domain/entities.hpp"

namespace xj::domain {

// submitted → dispatched → accepted → delivered → rated; a decline sends the order back to
// submitted (the history keeps it); cancelled ends it before delivery.
enum class OrderState { kSubmitted, kDispatched, kAccepted, kDelivered, kRated, kCancelled };
std::string_view state_name(OrderState s);
std::optional<OrderState> parse_state(std::string_view name);
inline constexpr std::array kAllOrderStates = {OrderState::kSubmitted, OrderState::kDispatched,
                                               OrderState::kAccepted,  OrderState::kDelivered,
                                               OrderState::kRated,     OrderState::kCancelled};

// 派单, 接单, 拒单, 完成 (records the session), 评单, 撤销.
enum class OrderAction { kDispatch, kAccept, kDecline, kDeliver, kRate, kCancel };
std::string_view action_name(OrderAction a);
inline constexpr std::array kAllOrderActions = {OrderAction::kDispatch, OrderAction::kAccept,
                                                OrderAction::kDecline,  OrderAction::kDeliver,
                                                OrderAction::kRate,     OrderAction::kCancel};

// 宣讲需求: what a grassroots union asks for, and what became of it.
struct Order {
  Id id = 0;
  Id organisation_id = 0;  // the ordering union (点单单位)
  Id campaign_id = 0;
  Date window_from;  // any day in [window_from, window_to] suits the union
  Date window_to;
  std::string region_code;  // where the lecture takes place
  std::string address;
  std::string audience_group;
  std::int64_t expected_audience = 0;
  SessionFormat preferred_format = SessionFormat::kOffline;
  std::string topic;     // dictionary topic code, or ""
  std::string language;  // zh, mn, or "" for either
  std::optional<Id> preferred_lecturer_id;
  std::string preferred_category;  // dictionary lecturer_category, or ""
  int priority = 3;                // 1 (low) … 5 (urgent)
  std::string contact_name;
  std::string contact_phone;
  std::string note;

  OrderState state = OrderState::kSubmitted;
  std::int64_t version = 1;  // bumped by every change: a stale version answers 409
  // Set by dispatch, cleared by a decline.
  std::optional<Id> lecturer_id;
  std::optional<Date> date;
  std::optional<TimeOfDay> start_time;
  std::optional<TimeOfDay> end_time;
  std::optional<Id> dispatched_by;  // account
  std::optional<UnixSeconds> dispatched_at;
  std::optional<Id> session_id;  // set by delivery
  std::optional<int> rating;     // the ordering union's own rating, 1–5
  std::string rating_comment;
  std::optional<Id> created_by;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  // Derived on reads, for display and scope: never written.
  std::string organisation_path;
  std::string organisation_name;
  std::string region_name;
  std::string lecturer_name;
  std::string campaign_title;
};

// One transition in an order's history.
struct OrderEvent {
  Id id = 0;
  Id order_id = 0;
  UnixSeconds at = 0;
  std::optional<Id> account_id;
  std::string username;
  std::string action;  // create, dispatch, accept, decline, deliver, rate, cancel, update
  std::optional<OrderState> from;
  OrderState to = OrderState::kSubmitted;
  std::string reason;
  std::optional<Id> lecturer_id;
  std::optional<Date> date;
  std::string display_name{};  // the account's display name when read; empty without an account
};

// One message in an account's inbox (站内消息). The text is rendered from `kind` when read, in
// the reader's language, so it is stored once for both.
enum class NotificationKind {
  kDispatched,     // to the lecturer: an order was dispatched to you
  kAccepted,       // to the dispatching organiser
  kDeclined,       // to the dispatching organiser, with the reason
  kDelivered,      // to the ordering union: please rate it
  kCancelled,      // to the lecturer of a dispatched or accepted order
  kNotDispatched,  // to the organisers in scope: still waiting for a lecturer
  kNotAccepted,    // to the dispatching organiser: the lecturer has not answered
};
inline constexpr std::array kAllNotificationKinds = {
    NotificationKind::kDispatched, NotificationKind::kAccepted,  NotificationKind::kDeclined,
    NotificationKind::kDelivered,  NotificationKind::kCancelled, NotificationKind::kNotDispatched,
    NotificationKind::kNotAccepted};
std::string_view kind_name(NotificationKind k);
std::optional<NotificationKind> parse_notification_kind(std::string_view name);

struct Notification {
  Id id = 0;
  Id account_id = 0;
  UnixSeconds at = 0;
  NotificationKind kind = NotificationKind::kDispatched;
  std::optional<Id> order_id;
  std::string detail;  // a reason, a lecturer's name: what the message quotes
  std::optional<UnixSeconds> read_at;
  // When the order moved on so that what the message asks is done, or no longer anyone's to do.
  std::optional<UnixSeconds> done_at;
  // The priority of the order it is about (1 low … 5 urgent), as read with the notification; not
  // stored with it, so that it follows an edit of the order.
  std::optional<int> order_priority;
};

// Whether `kind` asks its reader to act on the order (accept, dispatch, rate), as opposed to
// telling them something.
bool asks_to_act(NotificationKind kind);
// Whether an action that took the order to `now` settles what a notification of `kind` asked:
// the order has left the state it was waiting in, or was dispatched again to someone else.
bool settled_by(NotificationKind kind, OrderAction action, OrderState now);

// The message of a notification, quoting `detail` where the kind has one.
Message notification_text(const Notification& n);

// How the caller stands to the order, beyond their role: the service works it out from scope.
struct OrderRelation {
  bool in_scope = false;        // the ordering organisation is in the caller's subtree
  bool assigned_to_me = false;  // the caller is the lecturer the order is dispatched to
};

// The state an action leads to, or why not: forbidden when the role (or relation) may never
// take this action, conflict (naming the current state) when the state does not allow it now.
// Roles are checked first, so a role that may never act learns nothing about the state.
Result<OrderState> transition(OrderState from, OrderAction action, Role role,
                              const OrderRelation& relation);

// Whether `role` may take `action` in some state (the table behind transition()).
bool may_take(Role role, OrderAction action);

// --- Dispatch: does one more venue fit into a lecturer's day? -------------------------------

struct TravelModel {
  double road_factor = 1.3;   // road distance ÷ great-circle distance
  double speed_kmh = 60.0;    // average road speed, stops included
  int default_minutes = 120;  // a lecture without times takes this long
  int day_minutes = 12 * 60;  // 08:00–20:00: what a lecturer can give in one day
};

struct Place {
  std::optional<double> lat;
  std::optional<double> lon;
  bool online = false;  // an online lecture is given from wherever the lecturer is
};

// Minutes of driving between two places; 0 when either is online or lacks coordinates.
int travel_minutes(const Place& a, const Place& b, const TravelModel& model);
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

// One lecture on the lecturer's day, booked or proposed.
struct Booking {
  std::string label;  // for the message: "需求单 12" / "场次 7"
  Place place;
  std::optional<TimeOfDay> start;
  std::optional<TimeOfDay> end;
};

struct DayFit {
  bool fits = true;
  Message reason;  // why not, naming the booking that collides, when !fits
};

// Orders the day's lectures by start time (untimed ones after), then checks that each can be
// reached from the previous one: with times, the gap must hold the drive; without, the day's
// lectures and drives must fit into model.day_minutes.
DayFit day_fits(const std::vector<Booking>& booked, const Booking& proposed,
                const TravelModel& model);

}  // namespace xj::domain
