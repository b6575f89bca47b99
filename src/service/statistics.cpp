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

}  // namespace xj::service
