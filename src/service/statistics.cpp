#include "service/statistics.hpp"

#include <algorithm>
#include <map>

#include "service/rules.hpp"

namespace xj::service {

using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

constexpr int kTopLecturers = 10;

std::optional<double> average(std::int64_t sum, std::int64_t count) {
  if (count == 0) return std::nullopt;
  return static_cast<double>(sum) / static_cast<double>(count);
}

Date monday_of(Date d) { return d.plus_days(1 - static_cast<std::int32_t>(d.weekday())); }

// Every week from the campaign's first to its last (and any week a session falls in outside
// them), so that a trend line shows the quiet weeks as zero rather than skipping them.
std::vector<WeekFigures> weekly(const domain::Campaign& c, const std::vector<store::Tally>& days) {
  Date first = monday_of(c.start_date);
  Date last = monday_of(c.end_date);
  std::map<Date, WeekFigures> weeks;
  for (const store::Tally& t : days) {
    const auto date = Date::parse(t.key);
    if (!date) continue;
    const Date week = monday_of(*date);
    first = std::min(first, week);
    last = std::max(last, week);
    WeekFigures& w = weeks[week];
    w.sessions += t.sessions;
    w.audience += t.audience;
  }
  std::vector<WeekFigures> out;
  for (Date week = first; week <= last; week = week.plus_days(7)) {
    WeekFigures w = weeks[week];
    w.week_start = week;
    out.push_back(w);
  }
  return out;
}

// Names each code from the dictionary, in the dictionary's order; codes the dictionary lacks
// (an entry since removed) follow, unnamed.
std::vector<Breakdown> named(const std::vector<domain::DictionaryEntry>& dictionary,
                             const std::map<std::string, store::Tally>& tallies) {
  std::vector<Breakdown> out;
  for (const auto& e : dictionary) {
    const auto it = tallies.find(e.code);
    if (it == tallies.end() && !e.active) continue;
    Breakdown b{e.code, e.name, e.name_en, 0, 0};
    if (it != tallies.end()) {
      b.sessions = it->second.sessions;
      b.audience = it->second.audience;
    }
    out.push_back(std::move(b));
  }
  for (const auto& entry : tallies) {
    const bool known = std::any_of(dictionary.begin(), dictionary.end(),
                                   [&](const auto& e) { return e.code == entry.first; });
    if (!known) {
      out.push_back(Breakdown{entry.first, "", "", entry.second.sessions, entry.second.audience});
    }
  }
  return out;
}

std::map<std::string, store::Tally> keyed(const std::vector<store::Tally>& tallies) {
  std::map<std::string, store::Tally> out;
  for (const auto& t : tallies) out[t.key] = t;
  return out;
}

// Sessions and audience of the places within `region_code` (every place when empty) and of
// `audience_group` (every group when empty).
store::Tally reached(const std::vector<store::PlaceTally>& places, const std::string& region_code,
                     const std::string& audience_group) {
  const std::string prefix = region_code.empty() ? "" : store::region_prefix(region_code);
  store::Tally t;
  for (const auto& p : places) {
    if (!p.region_code.starts_with(prefix)) continue;
    if (!audience_group.empty() && p.audience_group != audience_group) continue;
    t.sessions += p.sessions;
    t.audience += p.audience;
  }
  return t;
}

// The league (GB/T 2260 code of its city, "150200") an organisation below the province
// belongs to, or "" for a province-wide one: a league's figures show its league alone,
// with its own targets and nothing of its neighbours' (issue 14).
std::string league_of(const std::optional<domain::Organisation>& org) {
  if (!org || org->level == domain::OrganisationLevel::kProvince) return "";
  const std::string& code = org->region_code;
  if (code.size() != 6 || code.substr(2, 2) == "00") return "";
  return code.substr(0, 4) + "00";
}

// The same day a year before; 29 February becomes the 28th.
Date year_before(Date d) {
  const unsigned day = d.month() == 2 && d.day() == 29 ? 28 : d.day();
  return Date::from_ymd(d.year() - 1, d.month(), day);
}

// Every week from the one holding `from` to the one holding `to`, empty ones as zero.
std::vector<WeekFigures> weeks_between(Date from, Date to, const std::vector<store::Tally>& days) {
  std::map<Date, WeekFigures> weeks;
  for (const store::Tally& t : days) {
    const auto date = Date::parse(t.key);
    if (!date) continue;
    WeekFigures& w = weeks[monday_of(*date)];
    w.sessions += t.sessions;
    w.audience += t.audience;
  }
  std::vector<WeekFigures> out;
  for (Date week = monday_of(from); week <= monday_of(to); week = week.plus_days(7)) {
    WeekFigures w = weeks[week];
    w.week_start = week;
    out.push_back(w);
  }
  return out;
}

// A breakdown's current and previous values by code, in code order.
using Pairs = std::map<std::string, std::pair<store::Tally, store::Tally>>;

void add_to(store::Tally& t, std::int64_t sessions, std::int64_t audience) {
  t.sessions += sessions;
  t.audience += audience;
}

Compared compared(const std::string& code, const std::pair<store::Tally, store::Tally>& p) {
  Compared c;
  c.code = code;
  c.sessions = p.first.sessions;
  c.audience = p.first.audience;
  c.previous_sessions = p.second.sessions;
  c.previous_audience = p.second.audience;
  return c;
}

// In the dictionary's order, named; codes the dictionary lacks follow, unnamed. Inactive
// entries only when they have figures.
std::vector<Compared> named_compared(const std::vector<domain::DictionaryEntry>& dictionary,
                                     const Pairs& pairs) {
  std::vector<Compared> out;
  for (const auto& e : dictionary) {
    const auto it = pairs.find(e.code);
    if (it == pairs.end() && !e.active) continue;
    Compared c = it == pairs.end() ? Compared{} : compared(e.code, it->second);
    c.code = e.code;
    c.name = e.name;
    c.name_en = e.name_en;
    out.push_back(std::move(c));
  }
  for (const auto& entry : pairs) {
    const bool known = std::any_of(dictionary.begin(), dictionary.end(),
                                   [&](const auto& e) { return e.code == entry.first; });
    if (!known) out.push_back(compared(entry.first, entry.second));
  }

  return out;
}

Pairs pair_up(const std::vector<store::Tally>& now, const std::vector<store::Tally>& before) {
  Pairs out;
  for (const auto& t : now) add_to(out[t.key].first, t.sessions, t.audience);
  for (const auto& t : before) add_to(out[t.key].second, t.sessions, t.audience);
  return out;
}

// Months ("YYYY-MM") of the days, each year-before day moved on by a year.
Pairs months_of(const std::vector<store::Tally>& now, const std::vector<store::Tally>& before) {
  Pairs out;
  for (const auto& t : now) add_to(out[t.key.substr(0, 7)].first, t.sessions, t.audience);
  for (const auto& t : before) {
    if (t.key.size() < 7) continue;
    const int year = std::stoi(t.key.substr(0, 4)) + 1;
    add_to(out[std::to_string(year) + t.key.substr(4, 3)].second, t.sessions, t.audience);
  }
  return out;
}

constexpr std::int32_t kLongestPeriodDays = 3660;  // ten years and their leap days
constexpr std::size_t kMostCampaigns = 100;

}  // namespace

Result<CampaignFigures> Statistics::campaign(const Principal& who, Id campaign_id,
                                             std::optional<Id> organisation_id) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  const auto campaign = tx.campaign(campaign_id);
  if (!campaign || !campaign_visible(who, *campaign)) return Error::not_found();

  store::StatisticsFilter filter;
  filter.campaigns = std::vector<Id>{campaign_id};
  if (who.role == domain::Role::kLecturer) {
    filter.only_lecturer = who.lecturer_id.value_or(-1);
  } else {
    filter.scope_path = who.organisation_path;
  }
  // The organisation whose figures these are: the one asked for, else the caller's own.
  std::optional<domain::Organisation> scope_org;
  if (organisation_id) {
    auto org = tx.organisation(*organisation_id);
    const bool visible =
        org && (who.role == domain::Role::kLecturer || domain::in_scope(who, org->path));
    filter.organisation_path = visible ? org->path : "/none/";
    if (visible) scope_org = std::move(org);
  } else if (who.role != domain::Role::kLecturer) {
    scope_org = tx.organisation(who.organisation_id);
  }
  const std::string league = league_of(scope_org);

  CampaignFigures f;
  f.campaign_id = campaign_id;
  f.organisation_id = organisation_id;
  f.totals = tx.campaign_statistics(filter, kTopLecturers);
  const store::CampaignStatistics& st = f.totals;
  f.average_rating = average(st.rating_sum, st.ratings);

  for (const domain::OrderState state : domain::kAllOrderStates) {
    std::int64_t n = 0;
    for (const auto& [name, count] : st.orders_by_state) {
      if (name == domain::state_name(state)) n = count;
    }
    f.orders.emplace_back(state, n);
  }
  f.weekly = weekly(*campaign, st.by_date);

  // The leagues of the campaign owner's province, each with its own targets (any group).
  const auto owner = tx.organisation(campaign->owner_organisation_id);
  const std::string province =
      owner && owner->region_code.size() == 6 ? owner->region_code.substr(0, 2) + "0000" : "";
  for (domain::Region& r : tx.regions(province, "city")) {
    LeagueFigures l;
    const store::Tally t = reached(st.by_place, r.code, "");
    // A league's own, and those its sessions' branch venues reached; not its idle neighbours.
    if (!league.empty() && r.code != league && t.sessions == 0 && t.audience == 0) continue;
    l.sessions = t.sessions;
    l.audience = t.audience;
    for (const auto& target : campaign->targets) {
      if (target.region_code == r.code && target.audience_group.empty()) {
        l.target_sessions += target.sessions;
        l.target_audience += target.audience;
      }
    }
    l.region = std::move(r);
    f.leagues.push_back(std::move(l));
  }

  std::map<std::string, store::Tally> groups;
  for (const auto& p : st.by_place) {
    store::Tally& t = groups[p.audience_group];
    t.sessions += p.sessions;
    t.audience += p.audience;
  }
  f.audience_groups = named(tx.dictionary(domain::DictionaryKind::kAudienceGroup, true), groups);
  for (const auto& t : st.by_industry) {
    f.industries.push_back(Breakdown{t.key, "", "", t.sessions, t.audience});
  }
  f.lecturer_categories = named(tx.dictionary(domain::DictionaryKind::kLecturerCategory, true),
                                keyed(st.by_lecturer_category));
  for (const auto& l : st.top_lecturers) {
    f.lecturers.push_back(LecturerFigures{l, average(l.rating_sum, l.ratings)});
  }
  for (const auto& target : campaign->targets) {
    if (!league.empty() && target.region_code != league) continue;
    TargetProgress p;
    p.target = target;
    if (!target.region_code.empty()) {
      const auto region = tx.region(target.region_code);
      p.region_name = region ? region->name : "";
    }
    const store::Tally t = reached(st.by_place, target.region_code, target.audience_group);
    p.sessions = t.sessions;
    p.audience = t.audience;
    f.targets.push_back(std::move(p));
  }
  return f;
}

Result<Statistics::Selection> Statistics::resolve(store::Tx& tx, const Principal& who,
                                                  const PeriodQuery& query, Date today) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  if (query.campaign_ids.size() > kMostCampaigns) {
    return Error::bad_request({"一次最多选择 100 个宣讲活动", "at most 100 campaigns at a time"},
                              "campaign_ids");
  }
  Selection sel;
  std::optional<Date> first;
  std::optional<Date> last;
  for (const Id id : query.campaign_ids) {
    auto campaign = tx.campaign(id);
    if (!campaign || !campaign_visible(who, *campaign)) return Error::not_found();
    if (std::find(sel.campaign_ids.begin(), sel.campaign_ids.end(), id) != sel.campaign_ids.end()) {
      continue;
    }
    sel.campaign_ids.push_back(id);
    first = first ? std::min(*first, campaign->start_date) : campaign->start_date;
    last = last ? std::max(*last, campaign->end_date) : campaign->end_date;
    sel.campaigns.push_back(std::move(*campaign));
  }
  sel.from = query.from.value_or(
      first.value_or(Date::from_ymd(query.to ? query.to->year() : today.year(), 1, 1)));
  sel.to = query.to.value_or(last.value_or(Date::from_ymd(sel.from.year(), 12, 31)));
  if (sel.to < sel.from) {
    return Error::invalid({{"to", {"结束日期不能早于开始日期", "must not be before from"}}});
  }
  if (sel.to.days() - sel.from.days() > kLongestPeriodDays) {
    return Error::invalid({{"to", {"统计期间最长十年", "the period is at most ten years"}}});
  }

  store::StatisticsFilter& filter = sel.filter;
  if (!sel.campaign_ids.empty()) filter.campaigns = sel.campaign_ids;
  filter.date_from = sel.from;
  filter.date_to = sel.to;
  if (who.role == domain::Role::kLecturer) {
    filter.only_lecturer = who.lecturer_id.value_or(-1);
  } else {
    filter.scope_path = who.organisation_path;
  }
  if (query.organisation_id) {
    auto org = tx.organisation(*query.organisation_id);
    const bool visible =
        org && (who.role == domain::Role::kLecturer || domain::in_scope(who, org->path));
    filter.organisation_path = visible ? org->path : "/none/";
    if (visible) sel.scope_org = std::move(org);
  } else if (who.role != domain::Role::kLecturer) {
    sel.scope_org = tx.organisation(who.organisation_id);
  }
  return sel;
}

Result<PeriodFigures> Statistics::period(const Principal& who, const PeriodQuery& query,
                                         Date today) {
  store::Tx tx = store_.read();
  auto selected = resolve(tx, who, query, today);
  if (!selected) return std::move(selected).error();
  const store::StatisticsFilter& filter = selected->filter;
  const std::optional<domain::Organisation>& scope_org = selected->scope_org;
  PeriodFigures f;
  f.campaign_ids = selected->campaign_ids;
  f.from = selected->from;
  f.to = selected->to;
  f.previous_from = year_before(f.from);
  f.previous_to = year_before(f.to);
  f.organisation_id = query.organisation_id;

  const std::string league = league_of(scope_org);

  f.totals = tx.campaign_statistics(filter, kTopLecturers);
  store::StatisticsFilter before = filter;
  before.campaigns.reset();
  before.date_from = f.previous_from;
  before.date_to = f.previous_to;
  f.previous = tx.campaign_statistics(before, 0);
  const store::CampaignStatistics& st = f.totals;
  f.average_rating = average(st.rating_sum, st.ratings);
  for (const domain::OrderState state : domain::kAllOrderStates) {
    std::int64_t n = 0;
    for (const auto& [name, count] : st.orders_by_state) {
      if (name == domain::state_name(state)) n = count;
    }
    f.orders.emplace_back(state, n);
  }

  // Leagues of the caller's province (a league sees its own and those its sessions reached).
  const auto home = tx.organisation(who.organisation_id);
  std::string province =
      home && home->region_code.size() == 6 ? home->region_code.substr(0, 2) + "0000" : "";
  if (province.empty() && !st.by_place.empty()) {
    province = st.by_place.front().region_code.substr(0, 2) + "0000";
  }
  for (domain::Region& r : tx.regions(province, "city")) {
    const store::Tally now = reached(st.by_place, r.code, "");
    const store::Tally then = reached(f.previous.by_place, r.code, "");
    if (!league.empty() && r.code != league && now.sessions == 0 && now.audience == 0 &&
        then.sessions == 0 && then.audience == 0) {
      continue;
    }
    Compared c = compared(r.code, {now, then});
    c.name = r.name;
    c.lat = r.lat;
    c.lon = r.lon;
    f.leagues.push_back(std::move(c));
  }
  // Counties: places whose code is below a league's (not ending in 00).
  Pairs counties;
  for (const bool now : {true, false}) {
    for (const auto& p : now ? st.by_place : f.previous.by_place) {
      if (p.region_code.size() != 6 || p.region_code.ends_with("00")) continue;
      auto& pair = counties[p.region_code];
      add_to(now ? pair.first : pair.second, p.sessions, p.audience);
    }
  }
  for (const auto& [code, pair] : counties) {
    Compared c = compared(code, pair);
    const auto region = tx.region(code);
    c.name = region ? region->name : "";
    c.parent = code.substr(0, 4) + "00";
    f.counties.push_back(std::move(c));
  }
  for (const auto& [code, pair] : pair_up(st.by_industry, f.previous.by_industry)) {
    f.industries.push_back(compared(code, pair));
  }
  auto groups_of = [](const std::vector<store::PlaceTally>& places) {
    std::map<std::string, store::Tally> groups;
    for (const auto& p : places) add_to(groups[p.audience_group], p.sessions, p.audience);
    std::vector<store::Tally> out;
    out.reserve(groups.size());
    for (const auto& [code, t] : groups) out.push_back(store::Tally{code, t.sessions, t.audience});
    return out;
  };
  f.audience_groups =
      named_compared(tx.dictionary(domain::DictionaryKind::kAudienceGroup, true),
                     pair_up(groups_of(st.by_place), groups_of(f.previous.by_place)));
  f.lecturer_categories =
      named_compared(tx.dictionary(domain::DictionaryKind::kLecturerCategory, true),
                     pair_up(st.by_lecturer_category, f.previous.by_lecturer_category));
  Pairs formats = pair_up(st.by_format, f.previous.by_format);
  for (const domain::SessionFormat format :
       {domain::SessionFormat::kOffline, domain::SessionFormat::kOnline,
        domain::SessionFormat::kHybrid}) {
    const std::string code(domain::format_name(format));
    f.formats.push_back(compared(code, formats[code]));
  }
  Pairs months = months_of(st.by_date, f.previous.by_date);
  for (Date m = Date::from_ymd(f.from.year(), f.from.month(), 1); m <= f.to;
       m = m.month() == 12 ? Date::from_ymd(m.year() + 1, 1, 1)
                           : Date::from_ymd(m.year(), m.month() + 1, 1)) {
    const std::string key = m.iso().substr(0, 7);
    f.months.push_back(compared(key, months[key]));
  }
  f.weekly = weeks_between(f.from, f.to, st.by_date);
  for (const auto& l : st.top_lecturers) {
    f.lecturers.push_back(LecturerFigures{l, average(l.rating_sum, l.ratings)});
  }
  return f;
}

Result<Highlights> Statistics::highlights(const Principal& who, const PeriodQuery& query,
                                          Date today, int limit) {
  if (limit < 1 || limit > kMostHighlights) {
    return Error::bad_request(
        {"limit 应为 1 至 50 之间的整数", "limit must be a whole number from 1 to 50"}, "limit");
  }
  store::Tx tx = store_.read();
  auto selected = resolve(tx, who, query, today);
  if (!selected) return std::move(selected).error();
  Highlights h;
  h.from = selected->from;
  h.to = selected->to;
  h.campaign_ids = selected->campaign_ids;
  h.organisation_id = query.organisation_id;
  h.quotes = tx.quote_highlights(selected->filter, limit);
  h.photos = tx.photo_highlights(selected->filter, limit);
  return h;
}

}  // namespace xj::service
