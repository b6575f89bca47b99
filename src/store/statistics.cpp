// A campaign's figures for the dashboard (统计): aggregated in SQL so that the work stays in the
// database however many sessions a province records.
#include <algorithm>
#include <map>
#include <tuple>

#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using detail::Where;
using sql::Row;
using sql::Value;

CampaignStatistics Tx::campaign_statistics(const StatisticsFilter& f, int top_lecturers) {
  // `v`: the visible sessions of the campaign, each with its main-venue audience and its
  // branches' headcount. Every query below starts from it.
  Where w;
  const bool whole_tree = f.organisation_path.empty() && !f.only_lecturer &&
                          std::count(f.scope_path.begin(), f.scope_path.end(), '/') <= 2;
  if (whole_tree) {
    // A province's figures read (nearly) every session of the campaign, and a straight scan of
    // the table does that several times faster than a walk through an index with a lookup per
    // row: the predicates are written so that no index applies (unary plus, concatenation).
    w.add("+s.campaign_id = ?", {f.campaign_id});
    if (!f.scope_path.empty()) {
      w.add("s.host_path || '' >= ? AND s.host_path || '' < ?",
            {f.scope_path, detail::upper_bound_of(f.scope_path)});
    }
  } else {
    w.add("s.campaign_id = ?", {f.campaign_id});  // sessions_campaign_scope (migration 0008)
    w.subtree("s.host_path", f.scope_path);
    w.subtree("s.host_path", f.organisation_path);
  }
  if (f.only_lecturer) {
    w.add("s.id IN (SELECT session_id FROM session_lecturers WHERE lecturer_id = ?)",
          {*f.only_lecturer});
  }
  const std::string with =
      "WITH v AS (SELECT s.id, s.date, s.region_code, s.audience_group, s.industry, "
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
  // One pass over the sessions, grouped finely enough for every breakdown that is a column of
  // the session itself; the sums are made here rather than by a scan per breakdown.
  std::map<std::string, Tally> days;
  std::map<std::string, Tally> industries;
  std::map<std::pair<std::string, std::string>, PlaceTally> places;
  // Branch venues' headcounts are read apart (only sessions with branches have any), so that
  // the pass over the sessions needs no lookup per session.
  for (const Row& r : run("SELECT date, region_code, audience_group, industry, COUNT(*), "
                          "SUM(audience_offline), SUM(online_viewers) FROM v "
                          "GROUP BY date, region_code, audience_group, industry")) {
    const std::int64_t sessions = r.integer(4);
    const std::int64_t main = r.integer(5) + r.integer(6);
    st.sessions += sessions;
    st.audience_offline += r.integer(5);
    st.online_viewers += r.integer(6);
    for (auto* t : {&days[r.text(0)], &industries[r.text(3)]}) {
      t->sessions += sessions;
      t->audience += main;
    }
    PlaceTally& p = places[{r.text(1), r.text(2)}];
    p.sessions += sessions;
    p.audience += main;
  }
  for (const Row& r :
       run("SELECT v.date, v.industry, b.region_code, b.audience_group, SUM(b.headcount) "
           "FROM session_branches b JOIN v ON v.id = b.session_id "
           "GROUP BY v.date, v.industry, b.region_code, b.audience_group")) {
    const std::int64_t headcount = r.integer(4);
    st.branch_headcount += headcount;
    days[r.text(0)].audience += headcount;
    industries[r.text(1)].audience += headcount;
    places[{r.text(2), r.text(3)}].audience += headcount;
  }
  for (auto& [key, t] : days) st.by_date.push_back(Tally{key, t.sessions, t.audience});
  for (auto& [key, t] : industries) st.by_industry.push_back(Tally{key, t.sessions, t.audience});
  for (auto& [key, p] : places) {
    st.by_place.push_back(PlaceTally{key.first, key.second, p.sessions, p.audience});
  }

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
                          "WHERE v.id IN (SELECT session_id FROM session_lecturers "
                          "GROUP BY session_id HAVING COUNT(*) > 1) "
                          "GROUP BY v.id, l.category, v.main + v.branches HAVING COUNT(*) > 1")) {
    Tally& t = categories[r.text(0)];
    t.sessions -= r.integer(1);
    t.audience -= r.integer(1) * r.integer(2);
  }
  for (auto& [key, t] : categories) {
    st.by_lecturer_category.push_back(Tally{key, t.sessions, t.audience});
  }
  st.lecturers = static_cast<std::int64_t>(lecturers.size());
  std::sort(lecturers.begin(), lecturers.end(), [](const auto& a, const auto& b) {
    return std::tie(b.sessions, b.audience, a.id) < std::tie(a.sessions, a.audience, b.id);
  });
  if (lecturers.size() > static_cast<std::size_t>(std::max(top_lecturers, 0))) {
    lecturers.resize(static_cast<std::size_t>(std::max(top_lecturers, 0)));
  }
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

  Where o;
  o.add("d.campaign_id = ?", {f.campaign_id});
  o.subtree("g.path", f.scope_path);
  o.subtree("g.path", f.organisation_path);
  if (f.only_lecturer) o.add("d.lecturer_id = ?", {*f.only_lecturer});
  for (const Row& r : conn_->query("SELECT d.state, COUNT(*) FROM orders d JOIN organisations g "
                                   "ON g.id = d.organisation_id" +
                                       o.sql() + " GROUP BY d.state",
                                   o.params())) {
    st.orders_by_state.emplace_back(r.text(0), r.integer(1));
  }
  return st;
}

}  // namespace xj::store
