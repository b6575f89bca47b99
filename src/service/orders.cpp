#include "service/orders.hpp"

#include <algorithm>
#include <set>

#include "domain/validation.hpp"
#include "service/auth.hpp"
#include "service/dispatch_facts.hpp"
#include "service/rules.hpp"

namespace xj::service {

using domain::Notification;
using domain::NotificationKind;
using domain::Order;
using domain::OrderAction;
using domain::OrderState;
using domain::Role;
using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

bool order_visible(const Principal& who, const Order& o) {
  if (who.role == Role::kLecturer) return who.lecturer_id && o.lecturer_id == who.lecturer_id;
  return domain::in_scope(who, o.organisation_path);
}

domain::OrderRelation relation_of(const Principal& who, const Order& o) {
  return {domain::in_scope(who, o.organisation_path),
          who.lecturer_id.has_value() && o.lecturer_id == who.lecturer_id};
}

Error stale(const Order& o) {
  const std::string v = std::to_string(o.version);
  return Error::conflict(
      {"需求单已被他人修改（当前版本 " + v + "），请刷新后重试",
       "the order was changed meanwhile (now version " + v + "): reload it and try again"},
      "version");
}

// Loads the order for an action and checks, in this order: visible (else not found), role and
// relation (forbidden), state (conflict naming it), version (conflict). Returns the next state.
Result<OrderState> begin(store::Tx& tx, const Principal& who, Id id, std::int64_t version,
                         OrderAction action, Order& order) {
  auto o = tx.order(id);
  if (!o || !order_visible(who, *o)) return Error::not_found();
  order = std::move(*o);
  auto next = domain::transition(order.state, action, who.role, relation_of(who, order));
  if (!next) return next;
  if (version != order.version) return stale(order);
  return next;
}

// `assigned` is the order as it was assigned during the action (a decline clears the
// assignment but the history keeps whom and which date it concerned).
void record(store::Tx& tx, const Principal& who, const Order& o, OrderAction action,
            OrderState from, const std::string& reason, const Order* assigned = nullptr) {
  domain::OrderEvent e;
  e.order_id = o.id;
  e.at = now_utc();
  e.account_id = who.account_id;
  e.username = who.username;
  e.action = std::string(domain::action_name(action));
  e.from = from;
  e.to = o.state;
  e.reason = reason;
  e.lecturer_id = (assigned != nullptr ? assigned : &o)->lecturer_id;
  e.date = (assigned != nullptr ? assigned : &o)->date;
  tx.append_order_event(e);
  // Whatever the order was waiting for is done or void now; the caller then tells whoever the
  // new state needs.
  std::vector<std::string_view> settled;
  for (const auto kind : domain::kAllNotificationKinds) {
    if (domain::settled_by(kind, action, o.state)) settled.push_back(domain::kind_name(kind));
  }
  tx.settle_notifications(o.id, settled, e.at);
  audit(tx, who, e.action, "order", o.id,
        std::string(domain::state_name(from)) + " → " + std::string(domain::state_name(o.state)) +
            (reason.empty() ? "" : ": " + reason));
}

void notify(store::Tx& tx, const Principal& who, std::optional<Id> account, NotificationKind kind,
            Id order_id, std::string detail) {
  if (!account || *account == who.account_id) return;  // nobody needs telling what they did
  Notification n;
  n.account_id = *account;
  n.at = now_utc();
  n.kind = kind;
  n.order_id = order_id;
  n.detail = std::move(detail);
  tx.insert_notification(n);
}

Status require_text(std::string& text, const std::string& field, const Message& label,
                    std::size_t max, bool required) {
  auto errors = domain::validate_text(text, field, label, max, required);
  if (!errors.empty()) return invalid_or(std::move(errors));
  return {};
}

struct DispatchFindings {
  std::vector<FieldError> invalid;  // 422: the request itself is wrong
  DispatchCheck check;
  std::string lecturer_name;
};

DispatchFindings examine_dispatch(store::Tx& tx, const Principal& who, const Order& order,
                                  const DispatchRequest& req, const domain::TravelModel& travel) {
  DispatchFindings f;
  auto path = req.lecturer_id > 0 ? tx.lecturer_organisation_path(req.lecturer_id) : std::nullopt;
  std::optional<domain::Lecturer> lecturer;
  if (path && lecturer_visible(who, req.lecturer_id, *path))
    lecturer = tx.lecturer(req.lecturer_id);
  if (req.lecturer_id <= 0) {
    add(f.invalid, "lecturer_id", "请选择宣讲员", "choose a lecturer");
  } else if (!lecturer) {
    add(f.invalid, "lecturer_id", "宣讲员不存在", "no such lecturer");
  } else if (!lecturer->active) {
    add(f.invalid, "lecturer_id", "宣讲员已停用", "the lecturer is inactive");
  }
  if (!req.date) {
    add(f.invalid, "date", "请选择宣讲日期", "choose a date");
  } else if (*req.date < order.window_from || *req.date > order.window_to) {
    add(f.invalid, "date",
        "日期不在点单单位可接受的范围（" + order.window_from.iso() + " 至 " +
            order.window_to.iso() + "）内",
        "the date is outside the union's window (" + order.window_from.iso() + " to " +
            order.window_to.iso() + ")");
  }
  if (req.start_time && req.end_time && *req.end_time <= *req.start_time) {
    add(f.invalid, "end_time", "结束时间必须晚于开始时间", "end time must be after start time");
  }
  if (req.start_time.has_value() != req.end_time.has_value()) {
    add(f.invalid, req.start_time ? "end_time" : "start_time", "开始和结束时间须同时填写",
        "start and end time go together");
  }
  if (!f.invalid.empty()) return f;
  f.lecturer_name = lecturer->name;
  Seats seats(tx);
  const auto day =
      examine_day(tx, seats, *lecturer, order, *req.date, req.start_time, req.end_time, travel);
  if (day.unavailable) {
    const auto& u = *day.unavailable;
    f.check.available = false;
    const std::string why = u.reason.empty() ? "" : "（" + u.reason + "）";
    f.check.problems.push_back({lecturer->name + " 在 " + req.date->iso() + " 不可安排" + why,
                                lecturer->name + " is unavailable on " + req.date->iso() +
                                    (u.reason.empty() ? "" : " (" + u.reason + ")")});
  }
  if (!day.fit.fits) {
    f.check.travel_fits = false;
    f.check.problems.push_back(day.fit.reason);
  }
  return f;
}

}  // namespace

Result<Page<Order>> Workflow::list_orders(const Principal& who, store::OrderFilter filter,
                                          std::optional<Id> organisation_id) {
  if (auto s = require(who, Permission::kOrdersRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  if (who.role == Role::kLecturer) {
    if (!who.lecturer_id) return Page<Order>{};
    filter.scope_path.clear();
    filter.only_lecturer = who.lecturer_id;
  }
  if (organisation_id) {
    auto org = tx.organisation(*organisation_id);
    if (!org || !domain::in_scope(who, org->path)) return Page<Order>{};
    filter.organisation_path = org->path;
  }
  return tx.orders(filter);
}

Result<Order> Workflow::get_order(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kOrdersRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto o = tx.order(id);
  if (!o || !order_visible(who, *o)) return Error::not_found();
  return *o;
}

Result<std::vector<domain::OrderEvent>> Workflow::order_history(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kOrdersRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto o = tx.order(id);
  if (!o || !order_visible(who, *o)) return Error::not_found();
  return tx.order_events(id);
}

namespace {
void check_order_references(store::Tx& tx, const Principal& who, const Order& o, Date today,
                            std::vector<FieldError>& errors) {
  if (o.organisation_id > 0) {
    referenced_organisation(tx, who, o.organisation_id, false, errors, "organisation_id");
  }
  if (o.campaign_id > 0) {
    const auto c = tx.campaign(o.campaign_id);
    if (!c || !campaign_visible(who, *c)) {
      add(errors, "campaign_id", "宣讲活动不存在", "no such campaign");
    } else if (c->closed_at) {
      add(errors, "campaign_id", "宣讲活动“" + c->title + "”已关闭，不再接受点单",
          "the campaign \"" + c->title + "\" is closed and takes no new orders");
    } else if (c->end_date < today) {
      // An ended campaign is not closed until an organiser closes it, yet nothing more can be
      // ordered in it: every day of its window has passed.
      add(errors, "campaign_id",
          "宣讲活动“" + c->title + "”已于 " + c->end_date.iso() + " 结束，不再接受点单",
          "the campaign \"" + c->title + "\" ended on " + c->end_date.iso() +
              " and takes no new orders");
    } else if (o.window_from < c->start_date || o.window_to > c->end_date) {
      add(errors, "window_from",
          "可选日期须在活动期间（" + c->start_date.iso() + " 至 " + c->end_date.iso() + "）内",
          "the window must lie within the campaign (" + c->start_date.iso() + " to " +
              c->end_date.iso() + ")");
    }
  }
  // A preferred lecturer is a wish the organisers read, so any active lecturer may be named.
  if (o.preferred_lecturer_id) {
    const auto l = tx.lecturer(*o.preferred_lecturer_id);
    if (!l || !l->active) add(errors, "preferred_lecturer_id", "宣讲员不存在", "no such lecturer");
  }
}
// A union orders a lecture still to come; one already given is recorded as a session.
void check_window_ahead(const Order& o, Date today, std::vector<FieldError>& errors) {
  if (o.window_to < today) {
    add(errors, "window_to", "可选日期已全部过去，请选择今天或以后的日期",
        "every day of the window has passed: choose today or later");
  }
}
}  // namespace

Result<Order> Workflow::create_order(const Principal& who, Order order) {
  if (auto s = require(who, Permission::kOrdersWrite); !s) return std::move(s).error();
  if (order.organisation_id == 0) order.organisation_id = who.organisation_id;
  order.state = OrderState::kSubmitted;
  order.created_by = who.account_id;
  store::Tx tx = store_.write();
  TxReferences refs(tx);
  auto errors = domain::validate(order, refs);
  check_order_references(tx, who, order, today(), errors);
  check_window_ahead(order, today(), errors);
  if (!errors.empty()) return invalid_or(std::move(errors));
  const Id id = tx.insert_order(order);
  auto saved = tx.order(id);
  domain::OrderEvent e;
  e.order_id = id;
  e.at = now_utc();
  e.account_id = who.account_id;
  e.username = who.username;
  e.action = "create";
  e.to = OrderState::kSubmitted;
  tx.append_order_event(e);
  audit(tx, who, "create", "order", id, saved->organisation_name);
  tx.commit();
  return *saved;
}

Result<Order> Workflow::update_order(const Principal& who, Id id, std::int64_t version,
                                     const Patch<Order>& patch) {
  if (auto s = require(who, Permission::kOrdersWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto o = tx.order(id);
  if (!o || !order_visible(who, *o)) return Error::not_found();
  if (o->state != OrderState::kSubmitted) {
    return Error::conflict(
        {"只有待派单的需求单可以修改", "only an order awaiting dispatch can be edited"}, "state");
  }
  if (version != o->version) return stale(*o);
  const Order before = *o;
  if (auto s = patch(*o); !s) return std::move(s).error();
  o->id = id;
  TxReferences refs(tx);
  auto errors = domain::validate(*o, refs);
  if (o->organisation_id != before.organisation_id) {
    add(errors, "organisation_id", "点单单位不能修改", "the ordering organisation never changes");
  }
  check_order_references(tx, who, *o, today(), errors);
  if (o->window_to != before.window_to) check_window_ahead(*o, today(), errors);
  if (!errors.empty()) return invalid_or(std::move(errors));
  // Fields the request does not own stay as stored, whatever the patch said.
  o->state = before.state;
  o->version = before.version;
  if (!tx.update_order(*o)) return stale(before);
  domain::OrderEvent e;
  e.order_id = id;
  e.at = now_utc();
  e.account_id = who.account_id;
  e.username = who.username;
  e.action = "update";
  e.from = before.state;
  e.to = before.state;
  tx.append_order_event(e);
  audit(tx, who, "update", "order", id, "");
  auto saved = tx.order(id);
  tx.commit();
  return *saved;
}

Result<DispatchCheck> Workflow::check_dispatch(const Principal& who, Id id,
                                               const DispatchRequest& req) {
  if (auto s = require(who, Permission::kOrdersDispatch); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  Order order;
  if (auto next = begin(tx, who, id, req.version, OrderAction::kDispatch, order); !next) {
    return std::move(next).error();
  }
  auto f = examine_dispatch(tx, who, order, req, options_.travel);
  if (!f.invalid.empty()) return invalid_or(std::move(f.invalid));
  return f.check;
}

Result<Order> Workflow::dispatch(const Principal& who, Id id, const DispatchRequest& req) {
  if (auto s = require(who, Permission::kOrdersDispatch); !s) return std::move(s).error();
  std::string note = req.note;
  if (auto s = require_text(note, "note", {"派单说明", "dispatch note"}, 500, false); !s) {
    return std::move(s).error();
  }
  store::Tx tx = store_.write();
  Order order;
  auto next = begin(tx, who, id, req.version, OrderAction::kDispatch, order);
  if (!next) return std::move(next).error();
  auto f = examine_dispatch(tx, who, order, req, options_.travel);
  if (!f.invalid.empty()) return invalid_or(std::move(f.invalid));
  if (!f.check.available) return Error::conflict(f.check.problems.front(), "date");
  if (!f.check.travel_fits && !req.override_travel) {
    return Error::conflict(f.check.problems.front(), "override_travel");
  }
  const OrderState from = order.state;
  const std::optional<Id> previous = order.lecturer_id;
  order.state = *next;
  order.lecturer_id = req.lecturer_id;
  order.date = req.date;
  order.start_time = req.start_time;
  order.end_time = req.end_time;
  order.dispatched_by = who.account_id;
  order.dispatched_at = now_utc();
  if (!tx.update_order(order)) return stale(order);
  std::string reason = std::move(note);
  if (!f.check.travel_fits) {
    reason = "越过车程提醒：" + f.check.problems.front().zh + (reason.empty() ? "" : "；" + reason);
  }
  record(tx, who, order, OrderAction::kDispatch, from, reason);
  if (previous && previous != order.lecturer_id) {
    notify(tx, who, tx.lecturer_account(*previous), NotificationKind::kCancelled, order.id,
           "改派他人");
  }
  notify(tx, who, tx.lecturer_account(req.lecturer_id), NotificationKind::kDispatched, order.id,
         order.date->iso() + " " + order.organisation_name);
  auto saved = tx.order(id);
  tx.commit();
  return *saved;
}

Result<Order> Workflow::accept(const Principal& who, Id id, std::int64_t version) {
  store::Tx tx = store_.write();
  Order order;
  auto next = begin(tx, who, id, version, OrderAction::kAccept, order);
  if (!next) return std::move(next).error();
  const OrderState from = order.state;
  order.state = *next;
  if (!tx.update_order(order)) return stale(order);
  record(tx, who, order, OrderAction::kAccept, from, "");
  notify(tx, who, order.dispatched_by, NotificationKind::kAccepted, order.id, order.lecturer_name);
  auto saved = tx.order(id);
  tx.commit();
  return *saved;
}

Result<Order> Workflow::decline(const Principal& who, Id id, std::int64_t version,
                                std::string reason) {
  if (auto s = require_text(reason, "reason", {"拒单原因", "reason for declining"}, 500, true);
      !s) {
    return std::move(s).error();
  }
  store::Tx tx = store_.write();
  Order order;
  auto next = begin(tx, who, id, version, OrderAction::kDecline, order);
  if (!next) return std::move(next).error();
  const OrderState from = order.state;
  const Order before = order;
  order.state = *next;
  order.lecturer_id.reset();
  order.date.reset();
  order.start_time.reset();
  order.end_time.reset();
  order.dispatched_at.reset();
  if (!tx.update_order(order)) return stale(order);
  record(tx, who, order, OrderAction::kDecline, from, reason, &before);
  notify(tx, who, before.dispatched_by, NotificationKind::kDeclined, order.id,
         before.lecturer_name + "：" + reason);
  auto saved = tx.order(id);
  tx.commit();
  return *saved;
}

Result<Order> Workflow::deliver(const Principal& who, Id id, std::int64_t version,
                                domain::Session s) {
  store::Tx tx = store_.write();
  Order order;
  auto next = begin(tx, who, id, version, OrderAction::kDeliver, order);
  if (!next) return std::move(next).error();
  s.source = domain::SessionSource::kOrdered;
  s.order_id = order.id;
  s.campaign_id = order.campaign_id;
  s.lecturer_ids = {*order.lecturer_id};
  if (s.host_organisation_id == 0) s.host_organisation_id = order.organisation_id;
  if (s.date == Date{}) s.date = *order.date;
  if (!s.start_time && !s.end_time) {
    s.start_time = order.start_time;
    s.end_time = order.end_time;
  }
  if (s.region_code.empty()) s.region_code = order.region_code;
  if (s.audience_group.empty()) s.audience_group = order.audience_group;
  if (s.venue.empty()) s.venue = order.address;
  if (s.industry.empty()) {  // the host's own industry, as the session form defaults it
    if (const auto host = tx.organisation(s.host_organisation_id)) s.industry = host->industry;
  }
  TxReferences refs(tx);
  auto errors = domain::validate(s, refs);
  domain::Session granted;  // what the order brings: its union as host, its lecturer
  granted.host_organisation_id = order.organisation_id;
  granted.lecturer_ids = {*order.lecturer_id};
  check_session_references(tx, who, granted, s, errors);
  if (!errors.empty()) return invalid_or(std::move(errors));
  const Id session_id = tx.insert_session(s, who.account_id);
  audit(tx, who, "create", "session", session_id, s.title);
  const OrderState from = order.state;
  order.state = *next;
  order.session_id = session_id;
  if (!tx.update_order(order)) return stale(order);
  record(tx, who, order, OrderAction::kDeliver, from, "");
  std::set<Id> told;
  for (const Id a : tx.accounts_for(Role::kRequester, order.organisation_path, false)) {
    told.insert(a);
  }
  if (order.created_by) told.insert(*order.created_by);
  for (const Id a : told) notify(tx, who, a, NotificationKind::kDelivered, order.id, "");
  auto saved = tx.order(id);
  tx.commit();
  return *saved;
}

Result<Order> Workflow::rate(const Principal& who, Id id, const RateRequest& req) {
  std::string comment = req.comment;
  auto errors = domain::validate_text(comment, "comment", {"评价", "comment"}, 500, false);
  if (req.rating < 1 || req.rating > 5) add(errors, "rating", "请评 1–5 分", "rate from 1 to 5");
  if (!errors.empty()) return invalid_or(std::move(errors));
  store::Tx tx = store_.write();
  Order order;
  auto next = begin(tx, who, id, req.version, OrderAction::kRate, order);
  if (!next) return std::move(next).error();
  const OrderState from = order.state;
  order.state = *next;
  order.rating = req.rating;
  order.rating_comment = comment;
  if (!tx.update_order(order)) return stale(order);
  record(tx, who, order, OrderAction::kRate, from, std::to_string(req.rating) + "/5");
  auto saved = tx.order(id);
  tx.commit();
  return *saved;
}

Result<Order> Workflow::cancel(const Principal& who, Id id, std::int64_t version,
                               std::string reason) {
  if (auto s = require_text(reason, "reason", {"撤销原因", "reason for cancelling"}, 500, true);
      !s) {
    return std::move(s).error();
  }
  store::Tx tx = store_.write();
  Order order;
  auto next = begin(tx, who, id, version, OrderAction::kCancel, order);
  if (!next) return std::move(next).error();
  const OrderState from = order.state;
  order.state = *next;
  if (!tx.update_order(order)) return stale(order);
  record(tx, who, order, OrderAction::kCancel, from, reason);
  if (order.lecturer_id) {
    notify(tx, who, tx.lecturer_account(*order.lecturer_id), NotificationKind::kCancelled, order.id,
           reason);
  }
  auto saved = tx.order(id);
  tx.commit();
  return *saved;
}

Result<std::vector<store::AgendaItem>> Workflow::agenda(const Principal& who, Id lecturer_id,
                                                        Date from, Date to) {
  if (auto s = require(who, Permission::kLecturersRead); !s) return std::move(s).error();
  if (to < from || to.days() - from.days() > 400) {
    return Error::invalid({{"to",
                            {"日期范围须在 400 天以内且结束不早于开始",
                             "the range must end after it starts and span at most 400 days"}}});
  }
  store::Tx tx = store_.read();
  const auto path = tx.lecturer_organisation_path(lecturer_id);
  if (!path || !lecturer_visible(who, lecturer_id, *path)) return Error::not_found();
  auto items = tx.lecturer_agenda(lecturer_id, from, to);
  if (own_lecturer_record(who, lecturer_id)) return items;
  // A lecturer in scope may be booked by unions beyond it: the organiser sees that the time is
  // taken (they cannot dispatch into it), never by whom, where or what.
  for (auto& item : items) {
    if (domain::in_scope(who, item.path)) continue;
    store::AgendaItem busy;
    busy.kind = item.kind;
    busy.date = item.date;
    busy.start = item.start;
    busy.end = item.end;
    busy.state = item.state;
    busy.elsewhere = true;
    item = std::move(busy);
  }
  return items;
}

Result<std::string> Workflow::calendar_token(const Principal& who, Id lecturer_id, bool renew) {
  store::Tx tx = store_.write();
  const auto path = tx.lecturer_organisation_path(lecturer_id);
  if (!path || !lecturer_visible(who, lecturer_id, *path)) return Error::not_found();
  // The feed carries the lecturer's whole agenda, which reaches beyond any organiser's subtree:
  // only the lecturer may hold its link.
  if (!own_lecturer_record(who, lecturer_id)) {
    return Error::forbidden({"日历订阅链接只能由宣讲员本人在“我的日程”中获取",
                             "only the lecturer may get their calendar link, on My agenda"});
  }
  if (auto existing = tx.calendar_link(lecturer_id); existing && !renew) return *existing;
  const std::string token = random_token();
  tx.set_calendar_link(lecturer_id, token, now_utc());
  audit(tx, who, renew ? "renew_link" : "create_link", "calendar", lecturer_id, "");
  tx.commit();
  return token;
}

Result<Workflow::CalendarFeed> Workflow::calendar_feed(const std::string& token, Date today) {
  store::Tx tx = store_.read();
  const auto lecturer_id = tx.calendar_lecturer(token);
  if (!lecturer_id) return Error::not_found({"日历链接无效或已更换", "no such calendar link"});
  auto lecturer = tx.lecturer(*lecturer_id);
  if (!lecturer) return Error::not_found();
  return CalendarFeed{lecturer->name, tx.lecturer_agenda(*lecturer_id, today.plus_days(-5 * 366),
                                                         today.plus_days(2 * 366))};
}

Page<Workflow::InboxItem> Workflow::inbox(const Principal& who, bool unread_only,
                                          store::PageRequest page) {
  store::Tx tx = store_.read();
  auto got = tx.notifications(who.account_id, unread_only, clamp(page));
  Page<InboxItem> out;
  out.total = got.total;
  for (auto& n : got.items) {
    Message text = domain::notification_text(n);
    out.items.push_back({std::move(n), std::move(text)});
  }
  return out;
}

std::int64_t Workflow::unread(const Principal& who) {
  store::Tx tx = store_.read();
  return tx.unread_count(who.account_id);
}

std::int64_t Workflow::mark_read(const Principal& who, const std::vector<Id>& ids) {
  store::Tx tx = store_.write();
  const auto n = tx.mark_read(who.account_id, ids, now_utc());
  tx.commit();
  return n;
}

std::int64_t Workflow::send_reminders(UnixSeconds now) {
  const Principal system{0, "system", Role::kAdmin, 0, "", std::nullopt, ""};
  std::int64_t sent = 0;
  store::Tx tx = store_.write();
  const UnixSeconds waited = now - std::int64_t{options_.remind_after_days} * 86400;
  for (const Order& o : tx.orders_waiting(OrderState::kSubmitted, waited)) {
    for (const Id a : tx.accounts_for(Role::kOrganiser, o.organisation_path, true)) {
      notify(tx, system, a, NotificationKind::kNotDispatched, o.id,
             std::to_string(options_.remind_after_days));
      ++sent;
    }
    tx.mark_reminded(o.id, OrderState::kSubmitted, now);
  }
  const UnixSeconds unanswered = now - std::int64_t{options_.escalate_after_hours} * 3600;
  for (const Order& o : tx.orders_waiting(OrderState::kDispatched, unanswered)) {
    if (o.dispatched_by) {
      notify(tx, system, o.dispatched_by, NotificationKind::kNotAccepted, o.id,
             std::to_string(options_.escalate_after_hours));
      ++sent;
    }
    tx.mark_reminded(o.id, OrderState::kDispatched, now);
  }
  tx.commit();
  return sent;
}

}  // namespace xj::service
