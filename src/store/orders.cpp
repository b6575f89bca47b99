// The store's share of the order workflow: orders, their history, the lecturer's day, the inbox.
#include <algorithm>
#include <map>
#include <utility>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::contains_pattern;
using detail::opt;
using detail::placeholders;
using detail::Where;
using domain::Notification;
using domain::Order;
using domain::OrderEvent;
using domain::OrderState;
using sql::Row;
using sql::Value;

namespace {

Value opt_date(const std::optional<Date>& d) { return d ? Value(d->iso()) : Value(nullptr); }
Value opt_time(const std::optional<TimeOfDay>& t) { return t ? Value(t->text()) : Value(nullptr); }
Value opt_int(const std::optional<int>& v) {
  return v ? Value(static_cast<std::int64_t>(*v)) : Value(nullptr);
}
Value state_value(OrderState s) { return std::string(domain::state_name(s)); }

std::optional<Date> date_of(const std::optional<std::string>& text) {
  return text ? Date::parse(*text) : std::nullopt;
}
std::optional<TimeOfDay> time_of(const std::optional<std::string>& text) {
  return text ? TimeOfDay::parse(*text) : std::nullopt;
}

constexpr const char* kOrderColumns =
    "d.id, d.organisation_id, d.campaign_id, d.window_from, d.window_to, d.region_code, "
    "d.address, d.audience_group, d.expected_audience, d.preferred_format, d.topic, d.language, "
    "d.preferred_lecturer_id, d.preferred_category, d.priority, d.contact_name, d.contact_phone, "
    "d.note, d.state, d.version, d.lecturer_id, d.date, d.start_time, d.end_time, "
    "d.dispatched_by, d.dispatched_at, d.session_id, d.rating, d.rating_comment, d.created_by, "
    "d.created_at, d.updated_at, o.path, o.name, "
    "(SELECT r.name FROM regions r WHERE r.code = d.region_code), "
    "(SELECT l.name FROM lecturers l WHERE l.id = d.lecturer_id), "
    "(SELECT c.title FROM campaigns c WHERE c.id = d.campaign_id)";
constexpr const char* kOrderFrom =
    " FROM orders d JOIN organisations o ON o.id = d.organisation_id";

Order order_from(const Row& r) {
  Order d;
  d.id = r.integer(0);
  d.organisation_id = r.integer(1);
  d.campaign_id = r.integer(2);
  d.window_from = Date::parse(r.text(3)).value_or(Date{});
  d.window_to = Date::parse(r.text(4)).value_or(Date{});
  d.region_code = r.text(5);
  d.address = r.text(6);
  d.audience_group = r.text(7);
  d.expected_audience = r.integer(8);
  d.preferred_format = domain::parse_format(r.text(9)).value_or(domain::SessionFormat::kOffline);
  d.topic = r.text(10);
  d.language = r.text(11);
  d.preferred_lecturer_id = r.opt_integer(12);
  d.preferred_category = r.text(13);
  d.priority = static_cast<int>(r.integer(14));
  d.contact_name = r.text(15);
  d.contact_phone = r.text(16);
  d.note = r.text(17);
  d.state = domain::parse_state(r.text(18)).value_or(OrderState::kSubmitted);
  d.version = r.integer(19);
  d.lecturer_id = r.opt_integer(20);
  d.date = date_of(r.opt_text(21));
  d.start_time = time_of(r.opt_text(22));
  d.end_time = time_of(r.opt_text(23));
  d.dispatched_by = r.opt_integer(24);
  d.dispatched_at = r.opt_integer(25);
  d.session_id = r.opt_integer(26);
  if (auto v = r.opt_integer(27)) d.rating = static_cast<int>(*v);
  d.rating_comment = r.text(28);
  d.created_by = r.opt_integer(29);
  d.created_at = r.integer(30);
  d.updated_at = r.integer(31);
  d.organisation_path = r.text(32);
  d.organisation_name = r.text(33);
  d.region_name = r.opt_text(34).value_or("");
  d.lecturer_name = r.opt_text(35).value_or("");
  d.campaign_title = r.opt_text(36).value_or("");
  return d;
}

}  // namespace

std::optional<Order> Tx::order(Id id) {
  auto rows = q(std::string("SELECT ") + kOrderColumns + kOrderFrom + " WHERE d.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return order_from(rows[0]);
}

Page<Order> Tx::orders(const OrderFilter& f) {
  Where w;
  w.subtree("o.path", f.scope_path);
  w.subtree("o.path", f.organisation_path);
  if (f.only_lecturer) w.add("d.lecturer_id = ?", {*f.only_lecturer});
  if (!f.states.empty()) {
    std::vector<Value> states;
    for (const auto s : f.states) states.push_back(state_value(s));
    w.add_list("d.state IN (" + placeholders(states.size()) + ")", states);
  }
  if (f.campaign_id) w.add("d.campaign_id = ?", {*f.campaign_id});
  if (!f.region_prefix.empty()) w.add("d.region_code LIKE ?", {f.region_prefix + "%"});
  if (f.lecturer_id) w.add("d.lecturer_id = ?", {*f.lecturer_id});
  if (f.date_from) w.add("COALESCE(d.date, d.window_to) >= ?", {f.date_from->iso()});
  if (f.date_to) w.add("COALESCE(d.date, d.window_from) <= ?", {f.date_to->iso()});
  if (!f.q.empty()) {
    w.add("(d.address LIKE ? ESCAPE '\\' OR d.note LIKE ? ESCAPE '\\')",
          {contains_pattern(f.q), contains_pattern(f.q)});
  }
  Page<Order> page;
  const auto params = w.params();
  detail::count_up_to(*conn_, kOrderFrom + w.sql(), params, f.count_bound, page);
  const char* order_by = f.sort == OrderFilter::Sort::kPriority
                             ? " ORDER BY d.priority DESC, COALESCE(d.date, d.window_from), d.id"
                             : " ORDER BY COALESCE(d.date, d.window_from), d.id";
  const auto paged = w.params_with_page(f.page);
  for (const Row& r : conn_->query(std::string("SELECT ") + kOrderColumns + kOrderFrom + w.sql() +
                                       order_by + " LIMIT ? OFFSET ?",
                                   paged)) {
    page.items.push_back(order_from(r));
  }
  return page;
}

Id Tx::insert_order(const Order& d) {
  const UnixSeconds now = now_utc();
  return insert_returning_id(
      "INSERT INTO orders (organisation_id, campaign_id, window_from, window_to, region_code, "
      "address, audience_group, expected_audience, preferred_format, topic, language, "
      "preferred_lecturer_id, preferred_category, priority, contact_name, contact_phone, note, "
      "state, version, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
      {d.organisation_id,
       d.campaign_id,
       d.window_from.iso(),
       d.window_to.iso(),
       d.region_code,
       d.address,
       d.audience_group,
       d.expected_audience,
       std::string(domain::format_name(d.preferred_format)),
       d.topic,
       d.language,
       opt(d.preferred_lecturer_id),
       d.preferred_category,
       static_cast<std::int64_t>(d.priority),
       d.contact_name,
       d.contact_phone,
       d.note,
       state_value(d.state),
       opt(d.created_by),
       now,
       now});
}

bool Tx::update_order(Order& d) {
  const UnixSeconds now = now_utc();
  const std::int64_t changed =
      x("UPDATE orders SET campaign_id = ?, window_from = ?, window_to = ?, region_code = ?, "
        "address = ?, audience_group = ?, expected_audience = ?, preferred_format = ?, topic = ?, "
        "language = ?, preferred_lecturer_id = ?, preferred_category = ?, priority = ?, "
        "contact_name = ?, contact_phone = ?, note = ?, state = ?, version = version + 1, "
        "lecturer_id = ?, date = ?, start_time = ?, end_time = ?, dispatched_by = ?, "
        "dispatched_at = ?, session_id = ?, rating = ?, rating_comment = ?, updated_at = ?, "
        // A new dispatch restarts the wait for an answer.
        "escalated_at = CASE WHEN dispatched_at IS NULL OR dispatched_at <> ? THEN NULL "
        "ELSE escalated_at END "
        "WHERE id = ? AND version = ?",
        {d.campaign_id,
         d.window_from.iso(),
         d.window_to.iso(),
         d.region_code,
         d.address,
         d.audience_group,
         d.expected_audience,
         std::string(domain::format_name(d.preferred_format)),
         d.topic,
         d.language,
         opt(d.preferred_lecturer_id),
         d.preferred_category,
         static_cast<std::int64_t>(d.priority),
         d.contact_name,
         d.contact_phone,
         d.note,
         state_value(d.state),
         opt(d.lecturer_id),
         opt_date(d.date),
         opt_time(d.start_time),
         opt_time(d.end_time),
         opt(d.dispatched_by),
         opt(d.dispatched_at),
         opt(d.session_id),
         opt_int(d.rating),
         d.rating_comment,
         now,
         opt(d.dispatched_at),
         d.id,
         d.version});
  if (changed != 1) return false;
  ++d.version;
  d.updated_at = now;
  return true;
}

void Tx::append_order_event(const OrderEvent& e) {
  x("INSERT INTO order_events (order_id, at, account_id, username, action, from_state, to_state, "
    "reason, lecturer_id, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    {e.order_id, e.at != 0 ? e.at : now_utc(), opt(e.account_id), e.username, e.action,
     e.from ? state_value(*e.from) : Value(nullptr), state_value(e.to), e.reason,
     opt(e.lecturer_id), opt_date(e.date)});
}

std::vector<OrderEvent> Tx::order_events(Id order_id) {
  std::vector<OrderEvent> out;
  for (const Row& r :
       q("SELECT id, order_id, at, account_id, username, action, from_state, to_state, reason, "
         "lecturer_id, date, (SELECT accounts.display_name FROM accounts "
         "WHERE accounts.id = order_events.account_id) FROM order_events WHERE order_id = ? "
         "ORDER BY id",
         {order_id})) {
    OrderEvent e;
    e.id = r.integer(0);
    e.order_id = r.integer(1);
    e.at = r.integer(2);
    e.account_id = r.opt_integer(3);
    e.username = r.text(4);
    e.action = r.text(5);
    if (auto s = r.opt_text(6)) e.from = domain::parse_state(*s);
    e.to = domain::parse_state(r.text(7)).value_or(OrderState::kSubmitted);
    e.reason = r.text(8);
    e.lecturer_id = r.opt_integer(9);
    e.date = date_of(r.opt_text(10));
    e.display_name = r.opt_text(11).value_or("");
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<DayBooking> Tx::lecturer_day(Id lecturer_id, Date date, Id except_order) {
  std::vector<DayBooking> out;
  for (const Row& r :
       q("SELECT id, region_code, preferred_format, start_time, end_time FROM orders "
         "WHERE lecturer_id = ? AND date = ? AND state IN ('dispatched', 'accepted') AND id <> ? "
         "ORDER BY id",
         {lecturer_id, date.iso(), except_order})) {
    out.push_back({"order", r.integer(0), r.text(1), r.text(2) == "online", time_of(r.opt_text(3)),
                   time_of(r.opt_text(4))});
  }
  // Delivered orders appear through their sessions: the lecturer's day in lecturer_sessions'
  // key, not every session of the lecturer nor of the day (thousands each at a million).
  for (const Row& r :
       q("SELECT s.id, s.region_code, s.format, s.start_time, s.end_time FROM lecturer_sessions c "
         "JOIN sessions s ON s.id = c.session_id "
         "WHERE c.lecturer_id = ? AND c.date = ? ORDER BY s.id",
         {lecturer_id, date.iso()})) {
    out.push_back({"session", r.integer(0), r.text(1), r.text(2) == "online",
                   time_of(r.opt_text(3)), time_of(r.opt_text(4))});
  }
  return out;
}

std::vector<Order> Tx::orders_waiting(OrderState state, UnixSeconds before) {
  const bool submitted = state == OrderState::kSubmitted;
  std::vector<Order> out;
  for (const Row& r : q(std::string("SELECT ") + kOrderColumns + kOrderFrom +
                            (submitted ? " WHERE d.state = ? AND d.reminded_at IS NULL "
                                         "AND d.created_at < ?"
                                       : " WHERE d.state = ? AND d.escalated_at IS NULL "
                                         "AND d.dispatched_at < ?") +
                            " ORDER BY d.id",
                        {state_value(state), before})) {
    out.push_back(order_from(r));
  }
  return out;
}

void Tx::mark_reminded(Id order_id, OrderState state, UnixSeconds at) {
  x(state == OrderState::kSubmitted ? "UPDATE orders SET reminded_at = ? WHERE id = ?"
                                    : "UPDATE orders SET escalated_at = ? WHERE id = ?",
    {at, order_id});
}

void Tx::backdate_order(Id order_id, UnixSeconds created_at,
                        std::optional<UnixSeconds> dispatched_at) {
  x("UPDATE orders SET created_at = ?, dispatched_at = COALESCE(?, dispatched_at) WHERE id = ?",
    {created_at, opt(dispatched_at), order_id});
}

std::vector<BookedDay> Tx::booked_days(Date from, Date to) {
  std::map<std::pair<Id, std::string>, std::int64_t> days;
  for (const Row& r :
       q("SELECT lecturer_id, date, COUNT(*) FROM orders WHERE state IN ('dispatched', 'accepted') "
         "AND date >= ? AND date <= ? GROUP BY lecturer_id, date",
         {from.iso(), to.iso()})) {
    days[{r.integer(0), r.text(1)}] += r.integer(2);
  }
  for (const Row& r :
       q("SELECT m.lecturer_id, s.date, COUNT(*) FROM sessions s JOIN session_lecturers m "
         "ON m.session_id = s.id WHERE s.date >= ? AND s.date <= ? GROUP BY m.lecturer_id, s.date",
         {from.iso(), to.iso()})) {
    days[{r.integer(0), r.text(1)}] += r.integer(2);
  }
  std::vector<BookedDay> out;
  out.reserve(days.size());
  for (const auto& [key, n] : days) {
    out.push_back({key.first, Date::parse(key.second).value_or(Date{}), n});
  }
  return out;
}

std::map<Id, std::int64_t> Tx::campaign_lectures(Id campaign_id) {
  std::map<Id, std::int64_t> out;
  for (const Row& r : q("SELECT lecturer_id, COUNT(*) FROM orders WHERE campaign_id = ? AND "
                        "state IN ('dispatched', 'accepted') AND lecturer_id IS NOT NULL "
                        "GROUP BY lecturer_id",
                        {campaign_id})) {
    out[r.integer(0)] += r.integer(1);
  }
  // Delivered orders count through their sessions.
  for (const Row& r : q("SELECT m.lecturer_id, COUNT(*) FROM sessions s JOIN session_lecturers m "
                        "ON m.session_id = s.id WHERE s.campaign_id = ? GROUP BY m.lecturer_id",
                        {campaign_id})) {
    out[r.integer(0)] += r.integer(1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dispatch plans

Id Tx::insert_dispatch_plan(const DispatchPlanRecord& p) {
  return insert_returning_id(
      "INSERT INTO dispatch_plans (campaign_id, scope_path, created_by, created_at, state, "
      "time_limit, seed, orders, lecturers, result, error) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.campaign_id, p.scope_path, opt(p.created_by), p.created_at != 0 ? p.created_at : now_utc(),
       p.state, p.time_limit, p.seed, p.orders, p.lecturers, p.result, p.error});
}

void Tx::finish_dispatch_plan(Id id, const std::string& state, const std::string& result,
                              const std::string& error, UnixSeconds at) {
  x("UPDATE dispatch_plans SET state = ?, result = ?, error = ?, finished_at = ? WHERE id = ?",
    {state, result, error, at, id});
}

std::int64_t Tx::fail_stale_dispatch_plans(UnixSeconds now, UnixSeconds grace,
                                           const std::string& error) {
  return x(
      "UPDATE dispatch_plans SET state = 'failed', error = ?, finished_at = ? "
      "WHERE state = 'running' AND created_at + time_limit + ? < ?",
      {error, now, grace, now});
}

std::optional<DispatchPlanRecord> Tx::dispatch_plan(Id id) {
  auto rows =
      q("SELECT id, campaign_id, scope_path, created_by, created_at, state, time_limit, seed, "
        "orders, lecturers, result, error, finished_at FROM dispatch_plans WHERE id = ?",
        {id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  DispatchPlanRecord p;
  p.id = r.integer(0);
  p.campaign_id = r.integer(1);
  p.scope_path = r.text(2);
  p.created_by = r.opt_integer(3);
  p.created_at = r.integer(4);
  p.state = r.text(5);
  p.time_limit = r.real(6);
  p.seed = r.integer(7);
  p.orders = r.integer(8);
  p.lecturers = r.integer(9);
  p.result = r.text(10);
  p.error = r.text(11);
  p.finished_at = r.opt_integer(12);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Agendas, private links, feedback

namespace {

// The columns both kinds of agenda item begin with: id, date, start, end, title, place and the
// region's name, then its league's and the audience group's.
AgendaItem agenda_item(const Row& r, std::string kind) {
  AgendaItem item;
  item.kind = std::move(kind);
  item.id = r.integer(0);
  item.date = Date::parse(r.text(1)).value_or(Date{});
  item.start = time_of(r.opt_text(2));
  item.end = time_of(r.opt_text(3));
  item.title = r.text(4);
  item.place = r.text(5);
  item.region_name = r.opt_text(6).value_or("");
  item.league_name = r.opt_text(7).value_or("");
  item.audience_group_name = r.opt_text(8).value_or("");
  return item;
}

}  // namespace

std::vector<AgendaItem> Tx::lecturer_agenda(Id lecturer_id, Date from, Date to) {
  std::vector<AgendaItem> out;
  // The region's own name and, for a banner/county, its league's: 包头市 昆都仑区.
  static constexpr std::string_view kRegion =
      "(SELECT r.name FROM regions r WHERE r.code = X.region_code), "
      "(SELECT p.name FROM regions r JOIN regions p ON p.code = r.parent "
      "WHERE r.code = X.region_code AND r.level = 'county'), "
      "(SELECT e.name FROM dictionary_entries e WHERE e.kind = 'audience_group' "
      "AND e.code = X.audience_group), ";
  auto region_of = [](std::string_view alias) {
    std::string sql(kRegion);
    for (std::size_t at = sql.find("X."); at != std::string::npos; at = sql.find("X.", at)) {
      sql.replace(at, 1, alias);
    }
    return sql;
  };
  for (const Row& r :
       q("SELECT d.id, d.date, d.start_time, d.end_time, o.name, d.address, " + region_of("d") +
             "d.state, o.path, COALESCE((SELECT e.name FROM dictionary_entries e WHERE "
             "e.kind = 'topic' AND e.code = d.topic), d.topic), "
             "d.expected_audience, d.contact_name, "
             "d.contact_phone "
             "FROM orders d JOIN organisations o ON o.id = d.organisation_id "
             "WHERE d.lecturer_id = ? AND d.state IN ('dispatched', 'accepted') "
             "AND d.date >= ? AND d.date <= ? ORDER BY d.date, d.start_time, d.id",
         {lecturer_id, from.iso(), to.iso()})) {
    AgendaItem item = agenda_item(r, "order");
    item.organisation = r.text(4);
    item.state = r.text(9);
    item.path = r.text(10);
    item.topic = r.text(11);
    item.audience = r.integer(12);
    item.contact = r.text(13);
    if (!r.text(14).empty()) item.contact += (item.contact.empty() ? "" : " ") + r.text(14);
    out.push_back(std::move(item));
  }
  for (const Row& r :
       q("SELECT s.id, s.date, s.start_time, s.end_time, s.title, s.venue, " + region_of("s") +
             "(SELECT o.name FROM organisations o WHERE o.id = "
             "s.host_organisation_id), s.host_path, s.audience_offline + s.online_viewers "
             "FROM sessions s JOIN session_lecturers m ON m.session_id = s.id "
             "WHERE m.lecturer_id = ? AND s.date >= ? AND s.date <= ? "
             "ORDER BY s.date, s.id",
         {lecturer_id, from.iso(), to.iso()})) {
    AgendaItem item = agenda_item(r, "session");
    item.organisation = r.opt_text(9).value_or("");
    item.state = "delivered";
    item.path = r.text(10);
    item.topic = r.text(4);
    item.audience = r.integer(11);
    out.push_back(std::move(item));
  }
  std::stable_sort(out.begin(), out.end(), [](const AgendaItem& a, const AgendaItem& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.start && b.start) return *a.start < *b.start;
    return a.start.has_value() && !b.start.has_value();
  });
  return out;
}

// Both kinds of private link live in a table keyed by what they open, with a unique token.
// `table` and `key` are fixed names from the callers below, never input.
void Tx::put_link(std::string_view table, std::string_view key, Id id, const std::string& token,
                  UnixSeconds at) {
  const std::string t(table);
  const std::string k(key);
  x("INSERT INTO " + t + " (" + k + ", token, created_at) VALUES (?, ?, ?) ON CONFLICT (" + k +
        ") DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
    {id, token, at});
}

std::optional<std::string> Tx::link_token(std::string_view table, std::string_view key, Id id) {
  auto rows =
      q("SELECT token FROM " + std::string(table) + " WHERE " + std::string(key) + " = ?", {id});
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

std::optional<Id> Tx::link_owner(std::string_view table, std::string_view key,
                                 const std::string& token) {
  auto rows =
      q("SELECT " + std::string(key) + " FROM " + std::string(table) + " WHERE token = ?", {token});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

void Tx::set_calendar_link(Id lecturer_id, const std::string& token, UnixSeconds at) {
  put_link("calendar_links", "lecturer_id", lecturer_id, token, at);
}
std::optional<std::string> Tx::calendar_link(Id lecturer_id) {
  return link_token("calendar_links", "lecturer_id", lecturer_id);
}
std::optional<Id> Tx::calendar_lecturer(const std::string& token) {
  return link_owner("calendar_links", "lecturer_id", token);
}
void Tx::set_feedback_link(Id session_id, const std::string& token, UnixSeconds at) {
  put_link("feedback_links", "session_id", session_id, token, at);
}
std::optional<std::string> Tx::feedback_link(Id session_id) {
  return link_token("feedback_links", "session_id", session_id);
}
std::optional<Id> Tx::feedback_session(const std::string& token) {
  return link_owner("feedback_links", "session_id", token);
}

std::optional<FeedbackReopening> Tx::feedback_reopening(Id session_id) {
  auto rows =
      q("SELECT f.session_id, f.at, f.account_id, COALESCE(a.display_name, ''), "
        "f.reason, f.open_until FROM feedback_reopenings f "
        "LEFT JOIN accounts a ON a.id = f.account_id WHERE f.session_id = ?",
        {session_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  return FeedbackReopening{r.integer(0), r.integer(1), r.integer(2),
                           r.text(3),    r.text(4),    Date::parse(r.text(5)).value_or(Date{})};
}

bool Tx::insert_feedback_reopening(const FeedbackReopening& r) {
  return !q("INSERT INTO feedback_reopenings (session_id, at, account_id, reason, open_until) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING session_id",
            {r.session_id, r.at, r.account_id, r.reason, r.open_until.iso()})
              .empty();
}

Result<Id> Tx::insert_feedback(const FeedbackEntry& f) {
  // DO NOTHING rather than catching the violation: in PostgreSQL a failed statement would abort
  // the caller's whole transaction.
  const auto rows =
      q("INSERT INTO feedback (session_id, at, rating, comment, audience_group, channel, quote, "
        "browser, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        {f.session_id, f.at != 0 ? f.at : now_utc(), static_cast<std::int64_t>(f.rating), f.comment,
         f.audience_group, f.channel, detail::flag(f.quote), f.browser, f.address});
  if (rows.empty()) {
    return Error::conflict(
        {"您已经评价过这场宣讲，感谢参与", "you have already rated this lecture"});
  }
  AnswerTally answer{.ratings = 1, .rating_sum = f.rating};
  if (f.channel == "staff") {
    answer.staff = 1;
    answer.staff_sum = f.rating;
  } else if (!f.browser.empty() &&
             !q("SELECT 1 FROM attendance WHERE session_id = ? AND browser = ?",
                {f.session_id, f.browser})
                  .empty()) {
    answer.verified = 1;
    answer.verified_sum = f.rating;
  }
  tally_answer(f.session_id, answer);
  return rows[0].integer(0);
}

std::int64_t Tx::attendance_since(const std::string& address, UnixSeconds since) {
  return q("SELECT COUNT(*) FROM attendance WHERE address = ? AND at >= ?", {address, since})
      .at(0)
      .integer(0);
}

std::int64_t Tx::feedback_since(const std::string& address, UnixSeconds since) {
  return q("SELECT COUNT(*) FROM feedback WHERE address = ? AND at >= ?", {address, since})
      .at(0)
      .integer(0);
}

namespace {
constexpr const char* kFeedbackColumns =
    "SELECT id, session_id, at, rating, comment, audience_group, channel, quote FROM feedback ";

FeedbackEntry feedback_from(const Row& r) {
  FeedbackEntry f;
  f.id = r.integer(0);
  f.session_id = r.integer(1);
  f.at = r.integer(2);
  f.rating = static_cast<int>(r.integer(3));
  f.comment = r.text(4);
  f.audience_group = r.text(5);
  f.channel = r.text(6);
  f.quote = r.integer(7) != 0;
  return f;
}
}  // namespace

Page<FeedbackEntry> Tx::feedback(Id session_id, PageRequest page_request, bool quotes_only) {
  const std::string where =
      quotes_only ? "WHERE session_id = ? AND quote = 1 " : "WHERE session_id = ? ";
  Page<FeedbackEntry> page;
  page.total = q("SELECT COUNT(*) FROM feedback " + where, {session_id}).at(0).integer(0);
  for (const Row& r :
       q(std::string(kFeedbackColumns) + where + "ORDER BY id DESC LIMIT ? OFFSET ?",
         {session_id, page_request.page_size, (page_request.page - 1) * page_request.page_size})) {
    page.items.push_back(feedback_from(r));
  }
  return page;
}

std::optional<FeedbackEntry> Tx::feedback_entry(Id id) {
  const auto rows = q(std::string(kFeedbackColumns) + "WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return feedback_from(rows[0]);
}

void Tx::set_feedback_quote(Id id, bool quote) {
  x("UPDATE feedback SET quote = ? WHERE id = ?", {detail::flag(quote), id});
}

FeedbackSummary Tx::feedback_summary(Id session_id) {
  FeedbackSummary s;
  std::int64_t sum = 0;
  for (const Row& r : q("SELECT rating, COUNT(*) FROM feedback WHERE session_id = ? "
                        "GROUP BY rating",
                        {session_id})) {
    const auto rating = r.integer(0);
    if (rating >= 1 && rating <= 5)
      s.by_rating[static_cast<std::size_t>(rating - 1)] = r.integer(1);
    s.answers += r.integer(1);
    sum += rating * r.integer(1);
  }
  if (s.answers > 0) s.average = static_cast<double>(sum) / static_cast<double>(s.answers);
  s.signed_in =
      q("SELECT COUNT(*) FROM attendance WHERE session_id = ?", {session_id}).at(0).integer(0);
  return s;
}

Result<void> Tx::insert_attendance(Id session_id, const std::string& browser,
                                   const std::string& address, UnixSeconds at) {
  const auto added =
      x("INSERT INTO attendance (session_id, at, browser, address) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        {session_id, at, browser, address});
  if (added == 0) return Error::conflict({"您已经签到过了", "you have already signed in"});
  AnswerTally answer{.signed_in = 1};
  // An answer this browser gave before signing in is verified now.
  if (const auto rows = q("SELECT rating FROM feedback WHERE session_id = ? AND browser = ? "
                          "AND channel = 'qr'",
                          {session_id, browser});
      !rows.empty() && !browser.empty()) {
    answer.verified = 1;
    answer.verified_sum = rows[0].integer(0);
  }
  tally_answer(session_id, answer);
  return {};
}

// ---------------------------------------------------------------------------------------------
// Photos

namespace {
Photo photo_from(const Row& r) {
  Photo p;
  p.id = r.integer(0);
  p.session_id = r.integer(1);
  p.branch_id = r.opt_integer(2);
  p.sha256 = r.text(3);
  p.content_type = r.text(4);
  p.bytes = r.integer(5);
  p.created_by = r.opt_integer(6);
  p.created_at = r.integer(7);
  return p;
}
constexpr const char* kPhotoColumns =
    "SELECT id, session_id, branch_id, sha256, content_type, bytes, created_by, created_at "
    "FROM photos";
}  // namespace

Id Tx::insert_photo(const Photo& p) {
  return insert_returning_id(
      "INSERT INTO photos (session_id, branch_id, sha256, content_type, bytes, created_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.session_id, opt(p.branch_id), p.sha256, p.content_type, p.bytes, opt(p.created_by),
       p.created_at != 0 ? p.created_at : now_utc()});
}

std::optional<Photo> Tx::photo(Id id) {
  auto rows = q(std::string(kPhotoColumns) + " WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return photo_from(rows[0]);
}

std::vector<Photo> Tx::photos(Id session_id) {
  std::vector<Photo> out;
  for (const Row& r :
       q(std::string(kPhotoColumns) + " WHERE session_id = ? ORDER BY id", {session_id})) {
    out.push_back(photo_from(r));
  }
  return out;
}

void Tx::delete_photo(Id id) { x("DELETE FROM photos WHERE id = ?", {id}); }

std::int64_t Tx::photos_with(const std::string& sha256) {
  return q("SELECT (SELECT COUNT(*) FROM photos WHERE sha256 = ?) + "
           "(SELECT COUNT(*) FROM lecturers WHERE photo_sha256 = ?) + "
           "(SELECT COUNT(*) FROM care_photos WHERE sha256 = ?)",
           {sha256, sha256, sha256})
      .at(0)
      .integer(0);
}

// ---------------------------------------------------------------------------------------------
// Inbox

void Tx::insert_notification(const Notification& n) {
  x("INSERT INTO notifications (account_id, at, kind, order_id, detail) VALUES (?, ?, ?, ?, ?)",
    {n.account_id, n.at != 0 ? n.at : now_utc(), std::string(domain::kind_name(n.kind)),
     opt(n.order_id), n.detail});
}

void Tx::settle_notifications(Id order_id, const std::vector<std::string_view>& kinds,
                              UnixSeconds at) {
  if (kinds.empty()) return;
  std::vector<Value> params{at, order_id};
  for (const auto kind : kinds) params.emplace_back(std::string(kind));
  conn_->execute(
      "UPDATE notifications SET done_at = ? WHERE order_id = ? AND done_at IS NULL "
      "AND kind IN (" +
          placeholders(kinds.size()) + ")",
      params);
}

// "Unread" is what still needs its reader: not read, and not done by the order moving on.
Page<Notification> Tx::notifications(Id account_id, bool unread_only, PageRequest page_request) {
  Where w;
  w.add("account_id = ?", {account_id});
  if (unread_only) w.add("read_at IS NULL AND done_at IS NULL");
  Page<Notification> page;
  const auto params = w.params();
  page.total =
      conn_->query("SELECT COUNT(*) FROM notifications" + w.sql(), params).at(0).integer(0);
  const auto paged = w.params_with_page(page_request);
  for (const Row& r :
       conn_->query("SELECT id, account_id, at, kind, order_id, detail, read_at, done_at, "
                    "(SELECT priority FROM orders WHERE orders.id = notifications.order_id) FROM "
                    "notifications" +
                        w.sql() + " ORDER BY id DESC LIMIT ? OFFSET ?",
                    paged)) {
    Notification n;
    n.id = r.integer(0);
    n.account_id = r.integer(1);
    n.at = r.integer(2);
    n.kind =
        domain::parse_notification_kind(r.text(3)).value_or(domain::NotificationKind::kDispatched);
    n.order_id = r.opt_integer(4);
    n.detail = r.text(5);
    n.read_at = r.opt_integer(6);
    n.done_at = r.opt_integer(7);
    if (const auto priority = r.opt_integer(8)) n.order_priority = static_cast<int>(*priority);
    page.items.push_back(std::move(n));
  }
  return page;
}

std::int64_t Tx::unread_count(Id account_id) {
  return q("SELECT COUNT(*) FROM notifications WHERE account_id = ? AND read_at IS NULL "
           "AND done_at IS NULL",
           {account_id})
      .at(0)
      .integer(0);
}

std::int64_t Tx::mark_read(Id account_id, const std::vector<Id>& ids, UnixSeconds at) {
  if (ids.empty()) {
    return x("UPDATE notifications SET read_at = ? WHERE account_id = ? AND read_at IS NULL",
             {at, account_id});
  }
  std::vector<Value> params{at, account_id};
  for (const Id id : ids) params.emplace_back(id);
  return conn_->execute(
      "UPDATE notifications SET read_at = ? WHERE account_id = ? "
      "AND read_at IS NULL AND id IN (" +
          placeholders(ids.size()) + ")",
      params);
}

std::optional<Id> Tx::lecturer_account(Id lecturer_id) {
  auto rows = q("SELECT id FROM accounts WHERE lecturer_id = ? AND active = 1", {lecturer_id});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

std::vector<Id> Tx::accounts_for(domain::Role role, const std::string& organisation_path,
                                 bool ancestors) {
  std::vector<Id> out;
  const std::string match = ancestors ? "substr(?, 1, length(o.path)) = o.path" : "o.path = ?";
  for (const Row& r : q("SELECT a.id FROM accounts a JOIN organisations o "
                        "ON o.id = a.organisation_id WHERE a.role = ? AND a.active = 1 AND " +
                            match + " ORDER BY a.id",
                        {std::string(domain::role_name(role)), organisation_path})) {
    out.push_back(r.integer(0));
  }
  return out;
}

}  // namespace xj::store
