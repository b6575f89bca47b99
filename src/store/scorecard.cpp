// The lecturer scorecard's reads (宣讲员档案): the kept per-lecturer sums (migration 0016) or
// their recount from the sessions, the orders' history and the quotes.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::Where;
using sql::Row;
using sql::Value;

namespace {

void add_period(Where& w, const std::string& column, const ScorecardFilter& f) {
  if (f.date_from) w.add(column + " >= ?", {f.date_from->iso()});
  if (f.date_to) w.add(column + " <= ?", {f.date_to->iso()});
}

// Adds a row of (lecturer, day or year, format, region or league, the eight sums) to its
// lecturer × year × format × league.
using Groups = std::map<std::tuple<Id, std::string, std::string, std::string>, ScorecardTally>;
void add_row(Groups& out, const Row& r) {
  const std::string year = r.text(1).substr(0, 4);
  const std::string league = r.text(3).substr(0, 4) + "00";
  ScorecardTally& t = out[{r.integer(0), year, r.text(2), league}];
  t.lecturer_id = r.integer(0);
  t.year = year;
  t.format = r.text(2);
  t.league = league;
  t.sessions += r.integer(4);
  t.audience += r.integer(5);
  t.ratings += r.integer(6);
  t.rating_sum += r.integer(7);
  t.verified_ratings += r.integer(8);
  t.verified_rating_sum += r.integer(9);
  t.staff_ratings += r.integer(10);
  t.staff_rating_sum += r.integer(11);
}

}  // namespace

std::vector<ScorecardTally> Tx::scorecard_tallies(const ScorecardFilter& f,
                                                  StatisticsSource source) {
  settle_tallies();
  if (engine() == "postgresql") {
    // As for the statistics (store/statistics.cpp): plans made for the values at hand, not a
    // generic one guessing that a path range keeps one organisation, and no JIT for queries
    // this short, for the rest of this transaction.
    q("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
      "set_config('jit', 'off', true)");
  }
  const bool kept = source == StatisticsSource::kKept;
  // t: the kept rows; s: the sessions themselves, each row once per lecturer (m).
  const std::string lecturer = kept ? "t.lecturer_id" : "m.lecturer_id";
  const std::string day = kept ? "t.day" : "s.date";
  const std::string format = kept ? "t.format" : "s.format";
  const std::string region = kept ? "t.region_code" : "s.region_code";
  const std::string host = kept ? "t.organisation_id" : "s.host_organisation_id";
  Where w;
  if (f.lecturer_id) w.add(lecturer + " = ?", {*f.lecturer_id});
  detail::add_ids(w, kept ? "t.campaign_id" : "COALESCE(s.campaign_id, 0)", f.campaigns);
  add_period(w, day, f);
  if (auto [condition, values] = tally_scope(f.scope_path, "", host); !condition.empty()) {
    w.add_list(condition, values);
  }
  std::string from;
  std::string sums;
  if (kept) {
    from = " FROM lecturer_tallies t";
    sums =
        "t.sessions, t.audience, t.ratings, t.rating_sum, t.verified_ratings, "
        "t.verified_rating_sum, t.staff_ratings, t.staff_rating_sum";
  } else {
    using detail::answers_of;
    from = " FROM session_lecturers m JOIN sessions s ON s.id = m.session_id";
    sums = std::string("COUNT(*), SUM(") + detail::kReached + "), SUM(" + detail::kAnswers +
           "), SUM(" + detail::kRatingSum + "), SUM(" +
           answers_of("COUNT(*)", detail::kVerifiedAnswer) + "), SUM(" +
           answers_of("COALESCE(SUM(f.rating), 0)", detail::kVerifiedAnswer) + "), SUM(" +
           answers_of("COUNT(*)", detail::kStaffAnswer) + "), SUM(" +
           answers_of("COALESCE(SUM(f.rating), 0)", detail::kStaffAnswer) + ")";
  }
  // The kept rows are summed here rather than grouped in SQL, as the statistics do: grouping
  // sorts nearly as many rows as it reads (20,000 rows: 50 ms in SQLite, against 20 to read).
  const std::string keys = lecturer + ", " + day + ", " + format + ", " + region;
  const std::string sql = "SELECT " + keys + ", " + sums + from + w.sql() +
                          (kept ? std::string() : " GROUP BY " + keys);
  Groups grouped;
  for (const Row& r : conn_->query(sql, w.params())) add_row(grouped, r);
  std::vector<ScorecardTally> out;
  out.reserve(grouped.size());
  for (auto& [key, t] : grouped) out.push_back(std::move(t));
  return out;
}

std::vector<ScorecardTally> Tx::ranking_tallies(const ScorecardFilter& f, StatisticsSource source) {
  std::map<Id, ScorecardTally> by_lecturer;
  auto add = [&by_lecturer](Id lecturer, const ScorecardTally& sums) {
    ScorecardTally& t = by_lecturer[lecturer];
    t.lecturer_id = lecturer;
    t.sessions += sums.sessions;
    t.audience += sums.audience;
    t.ratings += sums.ratings;
    t.rating_sum += sums.rating_sum;
    t.verified_ratings += sums.verified_ratings;
    t.verified_rating_sum += sums.verified_rating_sum;
    t.staff_ratings += sums.staff_ratings;
    t.staff_rating_sum += sums.staff_rating_sum;
  };
  if (source == StatisticsSource::kRecount) {
    for (const ScorecardTally& t : scorecard_tallies(f, source)) add(t.lecturer_id, t);
  } else {
    settle_tallies();
    if (engine() == "postgresql") {  // as in scorecard_tallies
      q("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
        "set_config('jit', 'off', true)");
    }
    // The node sums of the scope (migration 0025): a few thousand rows for any subtree.
    const std::vector<Value> nodes = tally_nodes_of(f.scope_path, "");
    Where w;
    detail::add_values(w, "t.node_id", nodes);
    if (f.lecturer_id) w.add("t.lecturer_id = ?", {*f.lecturer_id});
    detail::add_ids(w, "t.campaign_id", f.campaigns);
    add_period(w, "t.day", f);
    for (const Row& r : conn_->query(
             "SELECT t.lecturer_id, t.sessions, t.audience, t.ratings, t.rating_sum, "
             "t.verified_ratings, t.verified_rating_sum, t.staff_ratings, t.staff_rating_sum "
             "FROM node_lecturer_tallies t" +
                 w.sql(),
             w.params())) {
      ScorecardTally sums;
      sums.sessions = r.integer(1);
      sums.audience = r.integer(2);
      sums.ratings = r.integer(3);
      sums.rating_sum = r.integer(4);
      sums.verified_ratings = r.integer(5);
      sums.verified_rating_sum = r.integer(6);
      sums.staff_ratings = r.integer(7);
      sums.staff_rating_sum = r.integer(8);
      add(r.integer(0), sums);
    }
  }
  std::vector<ScorecardTally> out;
  out.reserve(by_lecturer.size());
  for (auto& [id, t] : by_lecturer) out.push_back(std::move(t));
  return out;
}

namespace {
// Orders placed in the filter's scope, of its campaigns, dated in its period (by the day they
// were dispatched for, else the first day of their window, as the statistics count them).
Where order_where(const ScorecardFilter& f, const std::string& lecturer_column) {
  Where w;
  if (f.lecturer_id) w.add(lecturer_column + " = ?", {*f.lecturer_id});
  detail::add_ids(w, "d.campaign_id", f.campaigns);
  add_period(w, "COALESCE(d.date, d.window_from)", f);
  w.subtree("g.path", f.scope_path);
  return w;
}
}  // namespace

std::vector<LecturerOrderEvent> Tx::lecturer_order_events(const ScorecardFilter& f) {
  Where w = order_where(f, "e.lecturer_id");
  w.add("e.lecturer_id IS NOT NULL AND e.action IN ('dispatch', 'accept', 'decline')");
  std::vector<LecturerOrderEvent> out;
  for (const Row& r :
       conn_->query("SELECT e.lecturer_id, e.order_id, e.action, e.at, e.reason, e.date "
                    "FROM order_events e JOIN orders d ON d.id = e.order_id "
                    "JOIN organisations g ON g.id = d.organisation_id" +
                        w.sql() + " ORDER BY e.lecturer_id, e.order_id, e.id",
                    w.params())) {
    LecturerOrderEvent e;
    e.lecturer_id = r.integer(0);
    e.order_id = r.integer(1);
    e.action = r.text(2);
    e.at = r.integer(3);
    e.reason = r.text(4);
    if (const auto date = r.opt_text(5)) e.date = Date::parse(*date);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<LecturerOrderRatings> Tx::lecturer_order_ratings(const ScorecardFilter& f) {
  Where w = order_where(f, "d.lecturer_id");
  w.add("d.rating IS NOT NULL AND d.lecturer_id IS NOT NULL");
  std::vector<LecturerOrderRatings> out;
  for (const Row& r : conn_->query("SELECT d.lecturer_id, COUNT(*), SUM(d.rating) FROM orders d "
                                   "JOIN organisations g ON g.id = d.organisation_id" +
                                       w.sql() + " GROUP BY d.lecturer_id ORDER BY d.lecturer_id",
                                   w.params())) {
    out.push_back(LecturerOrderRatings{r.integer(0), r.integer(1), r.integer(2)});
  }
  return out;
}

std::vector<ScorecardQuote> Tx::scorecard_quotes(const ScorecardFilter& f, int limit) {
  Where w;
  w.add("m.lecturer_id = ?", {f.lecturer_id.value_or(0)});
  w.add("f.quote = 1 AND f.comment <> ''");
  detail::add_ids(w, "COALESCE(s.campaign_id, 0)", f.campaigns);
  add_period(w, "s.date", f);
  w.subtree("o.path", f.scope_path);
  std::vector<Value> params = w.params();
  params.emplace_back(static_cast<std::int64_t>(limit));
  std::vector<ScorecardQuote> out;
  for (const Row& r : conn_->query(
           "SELECT f.id, f.session_id, s.date, s.title, f.rating, f.comment, f.channel, "
           "CASE WHEN f.channel = 'qr' AND f.browser <> '' AND EXISTS (SELECT 1 FROM attendance "
           "a WHERE a.session_id = f.session_id AND a.browser = f.browser) THEN 1 ELSE 0 END "
           "FROM session_lecturers m JOIN sessions s ON s.id = m.session_id "
           "JOIN organisations o ON o.id = s.host_organisation_id "
           "JOIN feedback f ON f.session_id = s.id" +
               w.sql() + " ORDER BY f.id DESC LIMIT ?",
           params)) {
    ScorecardQuote qt;
    qt.feedback_id = r.integer(0);
    qt.session_id = r.integer(1);
    qt.date = Date::parse(r.text(2)).value_or(Date{});
    qt.session_title = r.text(3);
    qt.rating = static_cast<int>(r.integer(4));
    qt.comment = r.text(5);
    qt.channel = r.text(6);
    qt.verified = r.integer(7) != 0;
    out.push_back(std::move(qt));
  }
  return out;
}

}  // namespace xj::store
