// Coverage gaps (覆盖情况): the kept tallies of the caller's scope laid out as leagues or counties
// × weeks or months and × audience groups, every place of the scope a row even when nothing was
// given there, each cell set against the pro-rata share of the selected campaigns' targets; and
// for one gap, the open orders and the free lecturers that could fill it.
#include <algorithm>
#include <map>
#include <set>

#include "domain/order.hpp"
#include "service/dispatch_facts.hpp"
#include "service/rules.hpp"
#include "service/statistics.hpp"

namespace xj::service {

using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

constexpr std::int32_t kLongestWeeklyDays = 732;  // two years of weeks: 105 columns
constexpr int kMaxFillLecturers = 100;
constexpr std::int64_t kMaxFillOrders = 200;

bool is_league(const std::string& code) {
  return code.size() == 6 && code.substr(4) == "00" && code.substr(2) != "0000";
}
bool is_province(const std::string& code) { return code.size() == 6 && code.substr(2) == "0000"; }

// A row and which places count on it: a league/city row (at league level) takes its counties'
// figures too; every other row only its own code's.
struct RowPlan {
  CoverageRow row;
  bool whole_league = false;
};

// The rows of a scope whose organisation sits at `scope_code`, at `level`.
std::vector<RowPlan> plan_rows(store::Tx& tx, const std::string& scope_code,
                               const std::string& level) {
  std::vector<RowPlan> out;
  auto add = [&](const domain::Region& r, bool whole) {
    RowPlan p;
    p.row.code = r.code;
    p.row.name = r.name;
    p.row.level = r.level;
    p.row.parent = r.level == "county" ? r.parent : "";
    p.whole_league = whole;
    out.push_back(std::move(p));
  };
  auto own = [&](const std::string& code) {
    if (const auto r = tx.region(code)) add(*r, false);
  };
  if (is_province(scope_code)) {
    own(scope_code);  // sessions placed at the province's own code, shown only when non-empty
    for (const domain::Region& league : tx.regions(scope_code, "city")) {
      if (level == "league") {
        add(league, true);
        continue;
      }
      add(league, false);
      for (const domain::Region& county : tx.regions(league.code, "county")) add(county, false);
    }
  } else if (is_league(scope_code)) {
    const auto league = tx.region(scope_code);
    if (!league) return out;
    if (level == "league") {
      add(*league, true);
    } else {
      add(*league, false);
      for (const domain::Region& county : tx.regions(scope_code, "county")) add(county, false);
    }
  } else {
    own(scope_code);
  }
  return out;
}

// Rows that only catch places named above the level shown (a province's or league's own code,
// at county level): kept only when something was given there.
bool catch_all(const RowPlan& p, const std::string& level) {
  if (p.row.level == "province") return true;
  return p.row.level == "city" && level == "county";
}

// The share of the target `t` of campaign `c` due on the days [first, last] up to `today`.
struct Share {
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};
Share share_of(const domain::Campaign& c, const domain::CampaignTarget& t, Date first, Date last,
               Date today) {
  const std::int32_t campaign_days = c.end_date.days() - c.start_date.days() + 1;
  if (campaign_days <= 0) return {};
  const std::int32_t days =
      domain::overlap_days(first, std::min(last, today), c.start_date, c.end_date);
  return Share{domain::pro_rata(t.sessions, days, campaign_days),
               domain::pro_rata(t.audience, days, campaign_days)};
}

void judge(CoverageCell& cell, bool future) {
  cell.mark = domain::coverage_mark(cell.sessions, cell.audience, cell.expected_sessions,
                                    cell.expected_audience, future);
}

}  // namespace

Result<Coverage> Statistics::coverage(const Principal& who, const CoverageQuery& query,
                                      Date today) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  if (who.role == domain::Role::kLecturer) return Error::forbidden();
  if (!query.level.empty() && query.level != "league" && query.level != "county") {
    return Error::bad_request(
        {"查询参数 level 应为 league 或 county", "query parameter level must be league or county"},
        "level");
  }
  store::Tx tx = store_.read();
  auto resolved = resolve(tx, who, query.period, today);
  if (!resolved) return std::move(resolved).error();
  if (query.grain == domain::CoverageGrain::kWeek &&
      resolved->to.days() - resolved->from.days() > kLongestWeeklyDays) {
    return Error::invalid(
        {{"to",
          {"按周查看时期间最长两年，请改为按月", "weeks cover at most two years: use months"}}});
  }

  std::optional<domain::Organisation> org;
  if (query.period.organisation_id) {
    org = tx.organisation(*query.period.organisation_id);
    if (!org || !domain::in_scope(who, org->path)) return Error::not_found();
  } else {
    org = tx.organisation(who.organisation_id);
  }
  if (!org) return Error::not_found();

  Coverage cov;
  cov.from = resolved->from;
  cov.to = resolved->to;
  cov.today = today;
  cov.campaign_ids = resolved->campaign_ids;
  cov.organisation_id = query.period.organisation_id;
  cov.grain = query.grain;
  const std::string& scope_code = org->region_code;
  cov.level = !query.level.empty() ? query.level : is_province(scope_code) ? "league" : "county";

  std::vector<RowPlan> plans = plan_rows(tx, scope_code, cov.level);
  // Where each place counts: its own row, else its league's row taking its counties.
  std::map<std::string, std::size_t> exact;
  std::map<std::string, std::size_t> by_league;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    (plans[i].whole_league ? by_league : exact)[plans[i].row.code] = i;
  }
  auto row_of = [&](const std::string& code) -> std::optional<std::size_t> {
    if (const auto it = exact.find(code); it != exact.end()) return it->second;
    if (code.size() == 6) {
      if (const auto it = by_league.find(code.substr(0, 4) + "00"); it != by_league.end()) {
        return it->second;
      }
    }
    return std::nullopt;
  };

  // Columns over time, and the audience groups (the dictionary's, then codes it lacks).
  const auto periods = domain::coverage_columns(cov.from, cov.to, cov.grain);
  for (const auto& p : periods) {
    CoverageHead h;
    h.key = p.key;
    h.first = p.first;
    h.last = p.last;
    cov.by_period.columns.push_back(std::move(h));
  }

  store::StatisticsFilter filter;
  if (!cov.campaign_ids.empty()) filter.campaigns = cov.campaign_ids;
  filter.date_from = cov.from;
  filter.date_to = cov.to;
  filter.scope_path = who.organisation_path;
  filter.organisation_path = org->path;
  const std::vector<store::CoverageTally> tallies = tx.coverage_tallies(filter);

  std::map<std::string, std::size_t> group_column;
  const auto dictionary = tx.dictionary(domain::DictionaryKind::kAudienceGroup, true);
  std::set<std::string> groups_seen;
  for (const auto& t : tallies) groups_seen.insert(t.audience_group);
  for (const auto& e : dictionary) {
    if (!e.active && !groups_seen.contains(e.code)) continue;
    group_column[e.code] = cov.by_group.columns.size();
    cov.by_group.columns.push_back(CoverageHead{e.code, e.name, e.name_en, {}, {}, {}});
  }
  for (const auto& code : groups_seen) {
    if (group_column.contains(code)) continue;
    group_column[code] = cov.by_group.columns.size();
    cov.by_group.columns.push_back(CoverageHead{code, "", "", {}, {}, {}});
  }

  std::vector<CoverageRow> period_rows;
  std::vector<CoverageRow> group_rows;
  for (const auto& p : plans) {
    CoverageRow r = p.row;
    r.cells.assign(cov.by_period.columns.size(), CoverageCell{});
    period_rows.push_back(r);
    r.cells.assign(cov.by_group.columns.size(), CoverageCell{});
    group_rows.push_back(std::move(r));
  }

  for (const auto& t : tallies) {
    const auto row = row_of(t.region_code);
    if (!row) {
      cov.elsewhere_sessions += t.sessions;
      cov.elsewhere_audience += t.audience;
      continue;
    }
    const auto day = Date::parse(t.day);
    if (!day) continue;
    // The columns are in order and meet end to end: the first whose last day is not before.
    const auto col =
        std::lower_bound(periods.begin(), periods.end(), *day,
                         [](const domain::CoverageColumn& c, Date d) { return c.last < d; });
    if (col == periods.end()) continue;
    CoverageCell& pc = period_rows[*row].cells[static_cast<std::size_t>(col - periods.begin())];
    pc.sessions += t.sessions;
    pc.audience += t.audience;
    CoverageCell& gc = group_rows[*row].cells[group_column.at(t.audience_group)];
    gc.sessions += t.sessions;
    gc.audience += t.audience;
  }

  // Targets: those of the selected campaigns that lie within the scope's own area.
  const std::string scope_prefix = store::region_prefix(scope_code);
  for (const auto& c : resolved->campaigns) {
    // A league's targets: its own when it has some, else its counties' summed (never both).
    std::set<std::string> leagues_with_own;
    for (const auto& t : c.targets) {
      if (t.audience_group.empty() && is_league(t.region_code)) {
        leagues_with_own.insert(t.region_code);
      }
    }
    for (const auto& t : c.targets) {
      if (!t.region_code.empty() ? !t.region_code.starts_with(scope_prefix)
                                 : !is_province(scope_code)) {
        continue;
      }
      CoverageTarget ct;
      ct.campaign_id = c.id;
      ct.campaign_title = c.title;
      ct.target = t;
      if (!t.region_code.empty()) {
        const auto region = tx.region(t.region_code);
        ct.region_name = region ? region->name : "";
      }
      const Share whole = share_of(c, t, cov.from, cov.to, today);
      ct.expected_sessions = whole.sessions;
      ct.expected_audience = whole.audience;
      cov.targets.push_back(ct);

      // The rows it concerns: its own, or (at league level) its league's when that league has
      // no target of its own for every group.
      std::optional<std::size_t> row;
      if (!t.region_code.empty()) {
        row = row_of(t.region_code);
        if (row && plans[*row].whole_league && t.region_code != plans[*row].row.code &&
            leagues_with_own.contains(plans[*row].row.code)) {
          row.reset();
        }
        if (!row) continue;  // a place shown nowhere at this level
      }
      auto add_expected = [](CoverageCell& cell, const Share& s) {
        cell.expected_sessions += s.sessions;
        cell.expected_audience += s.audience;
        cell.targeted = true;
      };
      if (t.audience_group.empty()) {
        if (row) {
          for (std::size_t i = 0; i < periods.size(); ++i) {
            add_expected(period_rows[*row].cells[i],
                         share_of(c, t, periods[i].first, periods[i].last, today));
          }
          add_expected(period_rows[*row].total, whole);
          add_expected(group_rows[*row].total, whole);
        } else {
          for (std::size_t i = 0; i < periods.size(); ++i) {
            add_expected(cov.by_period.columns[i].total,
                         share_of(c, t, periods[i].first, periods[i].last, today));
          }
          add_expected(cov.by_period.total, whole);
          add_expected(cov.by_group.total, whole);
        }
      } else {
        const auto it = group_column.find(t.audience_group);
        if (it == group_column.end()) continue;
        if (row) {
          add_expected(group_rows[*row].cells[it->second], whole);
        } else {
          add_expected(cov.by_group.columns[it->second].total, whole);
        }
      }
    }
  }

  // Sums, marks, and the catch-all rows dropped when empty.
  for (CoverageMatrix* m : {&cov.by_period, &cov.by_group}) {
    std::vector<CoverageRow>& rows = m == &cov.by_period ? period_rows : group_rows;
    for (CoverageRow& row : rows) {
      for (std::size_t i = 0; i < row.cells.size(); ++i) {
        CoverageCell& cell = row.cells[i];
        row.total.sessions += cell.sessions;
        row.total.audience += cell.audience;
        m->columns[i].total.sessions += cell.sessions;
        m->columns[i].total.audience += cell.audience;
        const bool future = m == &cov.by_period && periods[i].first > today;
        judge(cell, future);
      }
      m->total.sessions += row.total.sessions;
      m->total.audience += row.total.audience;
      judge(row.total, cov.from > today);
    }
    for (std::size_t i = 0; i < m->columns.size(); ++i) {
      CoverageHead& h = m->columns[i];
      // Without a target of its own, a column expects what its rows' targets expect.
      if (!h.total.targeted) {
        for (const auto& row : rows) {
          if (!row.cells[i].targeted) continue;
          h.total.expected_sessions += row.cells[i].expected_sessions;
          h.total.expected_audience += row.cells[i].expected_audience;
          h.total.targeted = true;
        }
      }
      judge(h.total, h.first ? *h.first > today : cov.from > today);
    }
    if (!m->total.targeted) {
      for (const auto& row : rows) {
        if (!row.total.targeted) continue;
        m->total.expected_sessions += row.total.expected_sessions;
        m->total.expected_audience += row.total.expected_audience;
        m->total.targeted = true;
      }
    }
    judge(m->total, cov.from > today);
  }
  for (std::size_t r = 0; r < plans.size(); ++r) {
    if (catch_all(plans[r], cov.level) && period_rows[r].total.sessions == 0 &&
        period_rows[r].total.audience == 0 && !period_rows[r].total.targeted &&
        !group_rows[r].total.targeted) {
      continue;
    }
    cov.by_period.rows.push_back(std::move(period_rows[r]));
    cov.by_group.rows.push_back(std::move(group_rows[r]));
  }
  return cov;
}

Result<CoverageFill> Statistics::coverage_fill(const Principal& who, const CoverageFillQuery& query,
                                               Date today) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  if (who.role == domain::Role::kLecturer) return Error::forbidden();
  if (query.limit < 1 || query.limit > kMaxFillLecturers) {
    return Error::invalid({{"limit", {"人数须在 1 到 100 之间", "limit must be 1 to 100"}}});
  }
  store::Tx tx = store_.read();
  const auto region = tx.region(query.region_code);
  if (!region) {
    return Error::invalid({{"region_code", {"没有这个行政区划", "no such region"}}});
  }
  if (!query.audience_group.empty() &&
      !tx.dictionary_has(domain::DictionaryKind::kAudienceGroup, query.audience_group)) {
    return Error::invalid({{"audience_group", {"没有这个宣讲对象", "no such audience group"}}});
  }
  auto resolved = resolve(tx, who, query.period, today);
  if (!resolved) return std::move(resolved).error();

  CoverageFill fill;
  fill.region_code = region->code;
  fill.region_name = region->name;
  fill.audience_group = query.audience_group;
  fill.from = resolved->from;
  fill.to = resolved->to;
  const std::string prefix = store::region_prefix(region->code);

  if (domain::allows(who.role, Permission::kOrdersRead)) {
    store::OrderFilter f;
    f.scope_path = who.organisation_path;
    f.states = {domain::OrderState::kSubmitted, domain::OrderState::kDispatched,
                domain::OrderState::kAccepted};
    f.region_prefix = prefix;
    f.date_from = fill.from;
    f.date_to = fill.to;
    f.sort = store::OrderFilter::Sort::kPriority;
    f.page.page_size = 100;
    for (f.page.page = 1;; ++f.page.page) {
      auto page = tx.orders(f);
      for (auto& o : page.items) {
        if (!query.audience_group.empty() && o.audience_group != query.audience_group) continue;
        if (!resolved->campaign_ids.empty() &&
            std::find(resolved->campaign_ids.begin(), resolved->campaign_ids.end(),
                      o.campaign_id) == resolved->campaign_ids.end()) {
          continue;
        }
        if (static_cast<std::int64_t>(fill.orders.size()) < kMaxFillOrders) {
          fill.orders.push_back(std::move(o));
        }
      }
      // A capped total is a lower bound: walk on until a short page.
      if (static_cast<std::int64_t>(page.items.size()) < f.page.page_size ||
          (!page.total_capped && f.page.page * f.page.page_size >= page.total)) {
        break;
      }
    }
  }

  if (domain::allows(who.role, Permission::kLecturersRead)) {
    // Free some day of the window from today on; the days already booked count as load.
    const Date first = std::max(fill.from, today);
    std::map<Id, std::int64_t> booked;
    if (first <= fill.to) {
      for (const auto& b : tx.booked_days(first, fill.to)) booked[b.lecturer_id] += b.lectures;
    }
    Seats seats(tx);
    const auto venue = seats.of(region->code);
    const domain::TravelModel travel;
    std::vector<FillLecturer> judged;
    store::LecturerFilter lf;
    lf.scope_path = who.organisation_path;
    lf.active = true;
    lf.page.page_size = 200;
    for (lf.page.page = 1;; ++lf.page.page) {
      auto page = tx.lecturers(lf);
      for (const auto& l : page.items) {
        FillLecturer c;
        c.facts.lecturer_id = l.id;
        c.facts.name = l.name;
        c.category = l.category;
        c.region_code = l.region_code;
        if (first <= fill.to) {
          std::int64_t free = 0;
          for (Date d = first; d <= fill.to; d = d.plus_days(1)) {
            const bool away = std::any_of(l.unavailable.begin(), l.unavailable.end(),
                                          [&](const auto& u) { return u.from <= d && d <= u.to; });
            if (!away) ++free;
          }
          c.free_days = free;
        }
        if (c.free_days == 0) c.facts.block = domain::CandidateBlock::kUnavailable;
        if (const auto it = booked.find(l.id); it != booked.end()) {
          c.facts.same_day_lectures = it->second;
        }
        const auto home = home_of(tx, seats, l);
        if (home && venue) {
          c.facts.distance_km =
              domain::great_circle_km(home->lat, home->lon, venue->lat, venue->lon) *
              travel.road_factor;
        }
        judged.push_back(std::move(c));
      }
      if (lf.page.page * lf.page.page_size >= page.total) break;
    }
    std::vector<domain::CandidateFacts> facts;
    facts.reserve(judged.size());
    for (const auto& c : judged) {
      if (c.facts.block == domain::CandidateBlock::kNone) facts.push_back(c.facts);
    }
    fill.available = static_cast<std::int64_t>(facts.size());
    domain::rank_candidates(facts, false);
    std::map<Id, FillLecturer*> by_id;
    for (auto& c : judged) by_id[c.facts.lecturer_id] = &c;
    std::map<std::string, std::string> names;
    for (const auto& f : facts) {
      if (static_cast<int>(fill.lecturers.size()) >= query.limit) break;
      FillLecturer c = std::move(*by_id.at(f.lecturer_id));
      if (!c.region_code.empty()) {
        auto [it, fresh] = names.try_emplace(c.region_code);
        if (fresh) {
          const auto r = tx.region(c.region_code);
          it->second = r ? r->name : "";
        }
        c.region_name = it->second;
      }
      fill.lecturers.push_back(std::move(c));
    }
  }
  return fill;
}

}  // namespace xj::service
