// A campaign's figures for the dashboard (统计): aggregated in SQL so that the work stays in the
// database however many sessions a province records.
#include <map>

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
  w.add("s.campaign_id = ?", {f.campaign_id});
  w.subtree("s.host_path", f.scope_path);
  w.subtree("s.host_path", f.organisation_path);
  if (f.only_lecturer) {
    w.add(
        "EXISTS (SELECT 1 FROM session_lecturers k WHERE k.session_id = s.id AND k.lecturer_id = "
        "?)",
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
  auto tallies = [&](const std::string& select) {
    std::vector<Tally> out;
    for (const Row& r : run(select)) out.push_back(Tally{r.text(0), r.integer(1), r.integer(2)});
    return out;
  };

  CampaignStatistics st;
  {
    const Row r = run("SELECT COUNT(*), COALESCE(SUM(audience_offline), 0), "
                      "COALESCE(SUM(online_viewers), 0), COALESCE(SUM(branches), 0) FROM v")
                      .at(0);
    st.sessions = r.integer(0);
    st.audience_offline = r.integer(1);
    st.online_viewers = r.integer(2);
    st.branch_headcount = r.integer(3);
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
  st.lecturers = run("SELECT COUNT(DISTINCT m.lecturer_id) FROM session_lecturers m "
                     "JOIN v ON v.id = m.session_id")
                     .at(0)
                     .integer(0);

  st.by_date =
      tallies("SELECT date, COUNT(*), SUM(main + branches) FROM v GROUP BY date ORDER BY date");
  st.by_industry = tallies(
      "SELECT industry, COUNT(*), SUM(main + branches) FROM v GROUP BY industry ORDER BY industry");
  st.by_lecturer_category = tallies(
      "SELECT category, COUNT(*), SUM(total) FROM (SELECT DISTINCT l.category, v.id, "
      "v.main + v.branches AS total FROM v JOIN session_lecturers m ON m.session_id = v.id "
      "JOIN lecturers l ON l.id = m.lecturer_id) c GROUP BY category ORDER BY category");

  for (const Row& r : run("SELECT region_code, audience_group, COUNT(*), SUM(main) FROM v "
                          "GROUP BY region_code, audience_group "
                          "UNION ALL SELECT b.region_code, b.audience_group, 0, SUM(b.headcount) "
                          "FROM session_branches b JOIN v ON v.id = b.session_id "
                          "GROUP BY b.region_code, b.audience_group")) {
    st.by_place.push_back(PlaceTally{r.text(0), r.text(1), r.integer(2), r.integer(3)});
  }

  for (const Row& r :
       run("SELECT m.lecturer_id, l.name, COUNT(*), SUM(v.main + v.branches) "
           "FROM v JOIN session_lecturers m ON m.session_id = v.id "
           "JOIN lecturers l ON l.id = m.lecturer_id GROUP BY m.lecturer_id, l.name "
           "ORDER BY COUNT(*) DESC, SUM(v.main + v.branches) DESC, m.lecturer_id LIMIT ?",
           {Value(static_cast<std::int64_t>(top_lecturers))})) {
    st.top_lecturers.push_back(LecturerTally{r.integer(0), r.text(1), r.integer(2), r.integer(3)});
  }
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
