// The dashboard's figures (统计): summed from the kept tallies (migration 0015, kept by
// src/store/tallies.cpp), or counted from the sessions themselves. Both feed the same
// accumulation below, so that they can only differ where the kept sums went wrong — which the
// store conformance suite checks after every kind of write.
#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::Where;
using sql::Row;
using sql::Value;

namespace {

// Sums rows of (day, region, audience group, industry, format, sessions, offline audience,
// online viewers, branch headcount) into the figures and their breakdowns.
class Accumulator {
 public:
  explicit Accumulator(CampaignStatistics& st) : st_(st) {}

  void add(const Row& r) {
    const std::int64_t sessions = r.integer(5);
    const std::int64_t audience = r.integer(6) + r.integer(7) + r.integer(8);
    st_.sessions += sessions;
    st_.audience_offline += r.integer(6);
    st_.online_viewers += r.integer(7);
    st_.branch_headcount += r.integer(8);
    for (auto* t : {&days_[r.text(0)], &industries_[r.text(3)], &formats_[r.text(4)]}) {
      t->sessions += sessions;
      t->audience += audience;
    }
    PlaceTally& p = places_[{r.text(1), r.text(2)}];
    p.sessions += sessions;
    p.audience += audience;
  }

  // A row of a node's breakdown `dim` (migration 0025): (day, dim, key_a, key_b, sessions,
  // offline audience, online viewers, branch headcount). Each breakdown holds every session
  // once: the totals and the days come from one of them.
  void add_marginal(const Row& r) {
    const std::string dim = r.text(1);
    const std::int64_t sessions = r.integer(4);
    const std::int64_t audience = r.integer(5) + r.integer(6) + r.integer(7);
    Tally* t = nullptr;
    if (dim == "format") {
      st_.sessions += sessions;
      st_.audience_offline += r.integer(5);
      st_.online_viewers += r.integer(6);
      st_.branch_headcount += r.integer(7);
      Tally& day = days_[r.text(0)];
      day.sessions += sessions;
      day.audience += audience;
      t = &formats_[r.text(2)];
    } else if (dim == "industry") {
      t = &industries_[r.text(2)];
    } else {
      PlaceTally& p = places_[{r.text(2), r.text(3)}];
      p.sessions += sessions;
      p.audience += audience;
      return;
    }
    t->sessions += sessions;
    t->audience += audience;
  }

  void finish() {
    for (auto& [key, t] : days_) st_.by_date.push_back(Tally{key, t.sessions, t.audience});
    for (auto& [key, t] : industries_) {
      st_.by_industry.push_back(Tally{key, t.sessions, t.audience});
    }
    for (auto& [key, t] : formats_) st_.by_format.push_back(Tally{key, t.sessions, t.audience});
    for (auto& [key, p] : places_) {
      st_.by_place.push_back(PlaceTally{key.first, key.second, p.sessions, p.audience});
    }
  }

 private:
  CampaignStatistics& st_;
  std::map<std::string, Tally> days_;
  std::map<std::string, Tally> industries_;
  std::map<std::string, Tally> formats_;
  std::map<std::pair<std::string, std::string>, PlaceTally> places_;
};

// The busiest `top` lecturers first; ties by audience, then by id.
void keep_top(std::vector<LecturerTally>& lecturers, int top) {
  std::sort(lecturers.begin(), lecturers.end(), [](const auto& a, const auto& b) {
    return std::tie(b.sessions, b.audience, a.id) < std::tie(a.sessions, a.audience, b.id);
  });
  if (lecturers.size() > static_cast<std::size_t>(std::max(top, 0))) {
    lecturers.resize(static_cast<std::size_t>(std::max(top, 0)));
  }
}

void add_campaigns(Where& w, const std::string& column, const StatisticsFilter& f) {
  detail::add_ids(w, column, f.campaigns);
}

void add_period(Where& w, const std::string& column, const StatisticsFilter& f) {
  if (f.date_from) w.add(column + " >= ?", {f.date_from->iso()});
  if (f.date_to) w.add(column + " <= ?", {f.date_to->iso()});
}

}  // namespace

// The kept tables are keyed by (campaign, organisation, day, …). A join on the organisations'
// paths costs a lookup per row (33 of 39 ms of CPU for the province's 58,000 rows at 1,000,000
// sessions); the province needs no condition at all, and a league's few hundred organisations
// are best named, so that each (campaign, organisation) is a seek on the key. Past a few
// thousand, the names would cost more than they save: a subquery on the paths.
std::pair<std::string, std::vector<Value>> Tx::tally_scope(const std::string& scope_path,
                                                           const std::string& organisation_path,
                                                           const std::string& host_column) {
  if (scope_path.empty() && organisation_path.empty()) return {};
  Where inner;
  inner.subtree("path", scope_path);
  inner.subtree("path", organisation_path);
  constexpr std::size_t kMostNamed = 2000;
  const auto everyone = q("SELECT COUNT(*) FROM organisations")[0].integer(0);
  auto params = inner.params();
  params.emplace_back(static_cast<std::int64_t>(kMostNamed + 1));
  const auto rows = conn_->query("SELECT id FROM organisations" + inner.sql() + " LIMIT ?", params);
  if (std::cmp_equal(rows.size(), everyone)) return {};
  if (rows.empty()) return {"1 = 0", {}};
  if (rows.size() <= kMostNamed) {
    std::vector<Value> ids;
    ids.reserve(rows.size());
    for (const Row& r : rows) ids.emplace_back(r.integer(0));
    return {host_column + " IN (" + detail::placeholders(ids.size()) + ")", std::move(ids)};
  }
  return {host_column + " IN (SELECT id FROM organisations" + inner.sql() + ")", inner.params()};
}

CampaignStatistics Tx::campaign_statistics(const StatisticsFilter& f, int top_lecturers,
                                           StatisticsSource source) {
  if (engine() == "postgresql") {
    // A prepared statement turns generic after five runs, and a generic plan guesses that a
    // path range keeps one organisation: it then loops over the tallies once per organisation
    // (631 ms instead of 25 ms at 18,000 rows). Plans made for the values at hand, and no JIT
    // for queries this short, for the rest of this transaction.
    q("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
      "set_config('jit', 'off', true)");
  }
  CampaignStatistics st = source == StatisticsSource::kKept && !f.only_lecturer
                              ? kept_statistics(f, top_lecturers)
                              : counted_statistics(f, top_lecturers);
  add_orders(f, st);
  return st;
}

std::vector<Value> Tx::tally_nodes_of(const std::string& scope_path,
                                      const std::string& organisation_path) {
  if (scope_path.empty() && organisation_path.empty()) {
    std::vector<Value> roots;
    for (const Row& r : q("SELECT id FROM organisations WHERE parent_id IS NULL")) {
      roots.emplace_back(r.integer(0));
    }
    return roots;
  }
  // Paths nest when one begins the other: the deeper one is the scope; else nothing is in both.
  const std::string& deeper =
      scope_path.size() >= organisation_path.size() ? scope_path : organisation_path;
  const std::string& other = &deeper == &scope_path ? organisation_path : scope_path;
  if (!deeper.starts_with(other) || deeper.size() < 2 || deeper.back() != '/') return {};
  const std::size_t start = deeper.find_last_of('/', deeper.size() - 2) + 1;
  const std::string last = deeper.substr(start, deeper.size() - 1 - start);
  if (last.empty() || last.size() > 18 ||
      !std::all_of(last.begin(), last.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return {};
  }
  return {Value(static_cast<std::int64_t>(std::stoll(last)))};
}

namespace {

// The rows of a node table (`t`) over the filter: its nodes, campaigns and period.
Where node_rows(const std::vector<Value>& nodes, const StatisticsFilter& f) {
  Where w;
  detail::add_values(w, "t.node_id", nodes);
  add_campaigns(w, "t.campaign_id", f);
  add_period(w, "t.day", f);
  return w;
}

}  // namespace

CampaignStatistics Tx::kept_statistics(const StatisticsFilter& f, int top_lecturers) {
  settle_tallies();
  // The node sums of the scope (migration 0025): a few thousand rows for any subtree.
  const Where w = node_rows(tally_nodes_of(f.scope_path, f.organisation_path), f);
  const std::vector<Value> params = w.params();

  CampaignStatistics st;
  Accumulator acc(st);
  for (const Row& r :
       conn_->query("SELECT t.day, t.dim, t.key_a, t.key_b, t.sessions, t.audience_offline, "
                    "t.online_viewers, t.branch_headcount, t.ratings, t.rating_sum, t.signed_in "
                    "FROM node_tallies t" +
                        w.sql(),
                    params)) {
    acc.add_marginal(r);
    if (r.text(1) == "format") {
      st.ratings += r.integer(8);
      st.rating_sum += r.integer(9);
      st.signed_in += r.integer(10);
    }
  }
  acc.finish();

  std::map<Id, LecturerTally> by_lecturer;
  for (const Row& r :
       conn_->query("SELECT t.lecturer_id, t.sessions, t.audience, t.ratings, t.rating_sum "
                    "FROM node_lecturer_tallies t" +
                        w.sql(),
                    params)) {
    LecturerTally& t = by_lecturer[r.integer(0)];
    t.id = r.integer(0);
    t.sessions += r.integer(1);
    t.audience += r.integer(2);
    t.ratings += r.integer(3);
    t.rating_sum += r.integer(4);
  }
  std::vector<LecturerTally> lecturers;
  lecturers.reserve(by_lecturer.size());
  for (auto& [id, t] : by_lecturer) lecturers.push_back(std::move(t));
  st.lecturers = static_cast<std::int64_t>(lecturers.size());
  keep_top(lecturers, top_lecturers);
  if (!lecturers.empty()) {
    std::map<Id, LecturerTally*> named;
    std::vector<Value> ids;
    for (LecturerTally& t : lecturers) {
      named[t.id] = &t;
      ids.emplace_back(t.id);
    }
    for (const Row& r : conn_->query("SELECT id, name FROM lecturers WHERE id IN (" +
                                         detail::placeholders(ids.size()) + ")",
                                     ids)) {
      named.at(r.integer(0))->name = r.text(1);
    }
  }
  st.top_lecturers = std::move(lecturers);

  std::map<std::string, Tally> categories;
  for (const Row& r : conn_->query(
           "SELECT t.category, t.sessions, t.audience FROM node_category_tallies t" + w.sql(),
           params)) {
    Tally& t = categories[r.text(0)];
    t.sessions += r.integer(1);
    t.audience += r.integer(2);
  }
  for (auto& [key, t] : categories) {
    st.by_lecturer_category.push_back(Tally{key, t.sessions, t.audience});
  }
  return st;
}

std::vector<CoverageTally> Tx::coverage_tallies(const StatisticsFilter& f) {
  settle_tallies();
  if (engine() == "postgresql") {
    // As for the other figures: plans made for the values at hand, no JIT (campaign_statistics).
    q("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
      "set_config('jit', 'off', true)");
  }
  Where w = node_rows(tally_nodes_of(f.scope_path, f.organisation_path), f);
  w.add("t.dim = 'place'");
  // One row per day and place of each node and campaign: summed over those.
  std::map<std::tuple<std::string, std::string, std::string>, CoverageTally> sums;
  for (const Row& r : conn_->query("SELECT t.day, t.key_a, t.key_b, t.sessions, "
                                   "t.audience_offline + t.online_viewers + t.branch_headcount "
                                   "FROM node_tallies t" +
                                       w.sql(),
                                   w.params())) {
    CoverageTally& t = sums[{r.text(0), r.text(1), r.text(2)}];
    t.sessions += r.integer(3);
    t.audience += r.integer(4);
  }
  std::vector<CoverageTally> out;
  out.reserve(sums.size());
  for (auto& [key, t] : sums) {
    t.day = std::get<0>(key);
    t.region_code = std::get<1>(key);
    t.audience_group = std::get<2>(key);
    out.push_back(std::move(t));
  }
  return out;
}

namespace {

// The sessions a report's highlights come from: those the figures count.
Where highlight_sessions(const StatisticsFilter& f) {
  Where w;
  add_campaigns(w, "s.campaign_id", f);
  add_period(w, "s.date", f);
  w.subtree("s.host_path", f.scope_path);
  w.subtree("s.host_path", f.organisation_path);
  if (f.only_lecturer) {
    w.add("s.id IN (SELECT session_id FROM session_lecturers WHERE lecturer_id = ?)",
          {*f.only_lecturer});
  }
  return w;
}

}  // namespace

std::vector<QuoteHighlight> Tx::quote_highlights(const StatisticsFilter& f, int limit) {
  Where w = highlight_sessions(f);
  w.add("q.quote = 1 AND q.comment <> ''");
  std::vector<Value> params = w.params();
  params.emplace_back(static_cast<std::int64_t>(std::max(limit, 0)));
  std::vector<QuoteHighlight> out;
  for (const Row& r : conn_->query(
           "SELECT q.id, s.id, s.title, s.date, o.name, q.rating, q.comment, q.audience_group, "
           "q.channel FROM feedback q JOIN sessions s ON s.id = q.session_id "
           "JOIN organisations o ON o.id = s.host_organisation_id" +
               w.sql() + " ORDER BY s.date DESC, s.id DESC, q.id DESC LIMIT ?",
           params)) {
    QuoteHighlight h;
    h.feedback_id = r.integer(0);
    h.session_id = r.integer(1);
    h.session_title = r.text(2);
    h.session_date = Date::parse(r.text(3)).value_or(Date{});
    h.host_name = r.text(4);
    h.rating = static_cast<int>(r.integer(5));
    h.comment = r.text(6);
    h.audience_group = r.text(7);
    h.channel = r.text(8);
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<PhotoHighlight> Tx::photo_highlights(const StatisticsFilter& f, int limit) {
  Where w = highlight_sessions(f);
  w.add("p.id = (SELECT MIN(f.id) FROM photos f WHERE f.session_id = s.id)");
  std::vector<Value> params = w.params();
  params.emplace_back(static_cast<std::int64_t>(std::max(limit, 0)));
  std::vector<PhotoHighlight> out;
  for (const Row& r : conn_->query("SELECT p.id, s.id, s.title, s.date, o.name FROM photos p "
                                   "JOIN sessions s ON s.id = p.session_id "
                                   "JOIN organisations o ON o.id = s.host_organisation_id" +
                                       w.sql() + " ORDER BY s.date DESC, s.id DESC LIMIT ?",
                                   params)) {
    PhotoHighlight h;
    h.photo_id = r.integer(0);
    h.session_id = r.integer(1);
    h.session_title = r.text(2);
    h.session_date = Date::parse(r.text(3)).value_or(Date{});
    h.host_name = r.text(4);
    out.push_back(std::move(h));
  }
  return out;
}

CampaignStatistics Tx::counted_statistics(const StatisticsFilter& f, int top_lecturers) {
  // `v`: the visible sessions, each with its main-venue audience and its branches' headcount.
  // Every query below starts from it.
  Where w;
  // A lecturer's sessions are found through session_lecturers; SQLite would rather walk the
  // campaign's index and test every session of the campaign (×3–10 slower): the unary plus
  // keeps it off that index. PostgreSQL's planner needs no such hint (and is misled by one).
  const bool lecturer_first = f.only_lecturer && engine() == "sqlite";
  add_campaigns(w, lecturer_first ? "+s.campaign_id" : "s.campaign_id", f);
  add_period(w, "s.date", f);
  w.subtree("s.host_path", f.scope_path);
  w.subtree("s.host_path", f.organisation_path);
  if (f.only_lecturer) {
    w.add("s.id IN (SELECT session_id FROM session_lecturers WHERE lecturer_id = ?)",
          {*f.only_lecturer});
  }
  const std::string with =
      "WITH v AS (SELECT s.id, s.date, s.region_code, s.audience_group, s.industry, s.format, "
      "s.audience_offline, s.online_viewers, s.audience_offline + s.online_viewers AS main, "
      "COALESCE((SELECT SUM(b.headcount) FROM session_branches b WHERE b.session_id = s.id), 0) "
      "AS branches FROM sessions s" +
      w.sql() + ") ";
  const std::vector<Value> params = w.params();
  auto run = [&](const std::string& select, std::vector<Value> extra = {}) {
    std::vector<Value> all = params;
    all.insert(all.end(), extra.begin(), extra.end());
    return conn_->query(with + select, all);
  };

  CampaignStatistics st;
  Accumulator acc(st);
  for (const Row& r : run("SELECT date, region_code, audience_group, industry, format, COUNT(*), "
                          "SUM(audience_offline), SUM(online_viewers), 0 FROM v "
                          "GROUP BY date, region_code, audience_group, industry, format")) {
    acc.add(r);
  }
  for (const Row& r : run("SELECT v.date, b.region_code, b.audience_group, v.industry, "
                          "v.format, 0, 0, 0, SUM(b.headcount) "
                          "FROM session_branches b JOIN v ON v.id = b.session_id "
                          "GROUP BY v.date, b.region_code, b.audience_group, v.industry, "
                          "v.format")) {
    acc.add(r);
  }
  acc.finish();

  {
    const Row r = run("SELECT COUNT(*), COALESCE(SUM(f.rating), 0) FROM feedback f "
                      "JOIN v ON v.id = f.session_id")
                      .at(0);
    st.ratings = r.integer(0);
    st.rating_sum = r.integer(1);
  }
  st.signed_in =
      run("SELECT COUNT(*) FROM attendance a JOIN v ON v.id = a.session_id").at(0).integer(0);
  // Every lecturer's count in one query: how many gave a session, the busiest of them, and by
  // category — where a session counts once per category among its lecturers, so a session given
  // by two lecturers of one category is taken off again once (few are: only those are read).
  std::vector<LecturerTally> lecturers;
  std::map<std::string, Tally> categories;
  for (const Row& r : run("SELECT m.lecturer_id, l.name, l.category, COUNT(*), "
                          "SUM(v.main + v.branches) FROM v "
                          "JOIN session_lecturers m ON m.session_id = v.id "
                          "JOIN lecturers l ON l.id = m.lecturer_id "
                          "GROUP BY m.lecturer_id, l.name, l.category")) {
    lecturers.push_back(LecturerTally{r.integer(0), r.text(1), r.integer(3), r.integer(4)});
    Tally& t = categories[r.text(2)];
    t.sessions += r.integer(3);
    t.audience += r.integer(4);
  }
  for (const Row& r : run("SELECT l.category, COUNT(*) - 1, v.main + v.branches FROM v "
                          "JOIN session_lecturers m ON m.session_id = v.id "
                          "JOIN lecturers l ON l.id = m.lecturer_id "
                          "WHERE v.id IN (SELECT m2.session_id FROM session_lecturers m2 "
                          "WHERE m2.session_id IN (SELECT id FROM v) "
                          "GROUP BY m2.session_id HAVING COUNT(*) > 1) "
                          "GROUP BY v.id, l.category, v.main + v.branches HAVING COUNT(*) > 1")) {
    Tally& t = categories[r.text(0)];
    t.sessions -= r.integer(1);
    t.audience -= r.integer(1) * r.integer(2);
  }
  for (auto& [key, t] : categories) {
    st.by_lecturer_category.push_back(Tally{key, t.sessions, t.audience});
  }
  st.lecturers = static_cast<std::int64_t>(lecturers.size());
  keep_top(lecturers, top_lecturers);
  st.top_lecturers = std::move(lecturers);
  if (!st.top_lecturers.empty()) {
    std::map<Id, LecturerTally*> by_id;
    std::vector<Value> ids;
    for (LecturerTally& t : st.top_lecturers) {
      by_id[t.id] = &t;
      ids.emplace_back(t.id);
    }
    for (const Row& r : run("SELECT m.lecturer_id, COUNT(*), SUM(f.rating) FROM feedback f "
                            "JOIN v ON v.id = f.session_id "
                            "JOIN session_lecturers m ON m.session_id = v.id "
                            "WHERE m.lecturer_id IN (" +
                                detail::placeholders(ids.size()) + ") GROUP BY m.lecturer_id",
                            ids)) {
      LecturerTally& t = *by_id.at(r.integer(0));
      t.ratings = r.integer(1);
      t.rating_sum = r.integer(2);
    }
  }
  return st;
}

void Tx::add_orders(const StatisticsFilter& f, CampaignStatistics& st) {
  // Orders count by the day they were dispatched for, or else the first day of their window.
  Where o;
  add_campaigns(o, "d.campaign_id", f);
  add_period(o, "COALESCE(d.date, d.window_from)", f);
  o.subtree("g.path", f.scope_path);
  o.subtree("g.path", f.organisation_path);
  if (f.only_lecturer) o.add("d.lecturer_id = ?", {*f.only_lecturer});
  for (const Row& r : conn_->query("SELECT d.state, COUNT(*) FROM orders d JOIN organisations g "
                                   "ON g.id = d.organisation_id" +
                                       o.sql() + " GROUP BY d.state ORDER BY d.state",
                                   o.params())) {
    st.orders_by_state.emplace_back(r.text(0), r.integer(1));
  }
}

}  // namespace xj::store
