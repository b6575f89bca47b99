// A campaign's figures (统计) for the dashboard: sessions and the people reached, orders by
// state, ratings, the weekly trend, each league/city, the breakdowns by audience group, industry
// and lecturer category, the busiest lecturers, and progress against the campaign's targets.
// Everyone sees the figures of their own subtree only; a lecturer those of their own lectures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/candidates.hpp"
#include "domain/coverage.hpp"
#include "domain/order.hpp"
#include "store/store.hpp"

namespace xj::service {

using domain::Principal;

// One value of a breakdown, named when it is a dictionary entry.
struct Breakdown {
  std::string code;
  std::string name;  // "" when the code is not in the dictionary (or is no dictionary's)
  std::string name_en;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

struct LeagueFigures {
  domain::Region region;  // a league or city (盟市) with its seat's coordinates
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
  std::int64_t target_sessions = 0;  // the campaign's targets for the league, 0 when none
  std::int64_t target_audience = 0;
};

struct WeekFigures {
  Date week_start;  // a Monday
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

struct LecturerFigures {
  store::LecturerTally tally;
  std::optional<double> average_rating;
};

struct TargetProgress {
  domain::CampaignTarget target;
  std::string region_name;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

struct CampaignFigures {
  Id campaign_id = 0;
  std::optional<Id> organisation_id;
  store::CampaignStatistics totals;  // the sums; its lists are summarised below
  std::optional<double> average_rating;
  std::vector<std::pair<domain::OrderState, std::int64_t>> orders;  // every state, in order
  std::vector<WeekFigures> weekly;  // every week of the campaign, empty weeks included
  std::vector<LeagueFigures> leagues;
  std::vector<Breakdown> audience_groups;
  std::vector<Breakdown> industries;
  std::vector<Breakdown> lecturer_categories;
  std::vector<LecturerFigures> lecturers;  // the ten with most sessions
  std::vector<TargetProgress> targets;
};

// Figures over a period and any set of campaigns (issue 15): what to count.
struct PeriodQuery {
  std::optional<Date> from;  // default: the campaigns' periods, or else this calendar year
  std::optional<Date> to;
  std::vector<Id> campaign_ids;  // empty: every session, those of no campaign included
  std::optional<Id> organisation_id;
};

// One value of a breakdown, with the same period a year before beside it.
struct Compared {
  std::string code;
  std::string name;  // "" when the code names nothing known
  std::string name_en;
  std::string parent;         // a county's league ("150200"), "" otherwise
  std::optional<double> lat;  // a league's seat, for the map
  std::optional<double> lon;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
  std::int64_t previous_sessions = 0;
  std::int64_t previous_audience = 0;
};

struct PeriodFigures {
  Date from;
  Date to;
  Date previous_from;  // the same days a year before (29 February becomes the 28th)
  Date previous_to;
  std::vector<Id> campaign_ids;
  std::optional<Id> organisation_id;
  store::CampaignStatistics totals;
  // The year before counts every campaign's sessions (and those of none) in the same scope:
  // a campaign seldom runs twice, the reach of the same months does.
  store::CampaignStatistics previous;
  std::optional<double> average_rating;
  std::vector<std::pair<domain::OrderState, std::int64_t>> orders;
  std::vector<Compared> leagues;     // 盟市: the province's leagues and cities
  std::vector<Compared> counties;    // 旗县区 with figures this period or the year before
  std::vector<Compared> industries;  // GB/T 4754 sections
  std::vector<Compared> audience_groups;
  std::vector<Compared> lecturer_categories;
  std::vector<Compared> formats;           // offline | online | hybrid
  std::vector<Compared> months;            // "YYYY-MM", every month of the period
  std::vector<WeekFigures> weekly;         // every week of the period
  std::vector<LecturerFigures> lecturers;  // the ten with most sessions
};

// Coverage gaps (覆盖情况, issue 15 point 2): where and for whom nothing, or too little, was
// given, from the kept tallies.
struct CoverageQuery {
  PeriodQuery period;  // as for the figures over a period
  domain::CoverageGrain grain = domain::CoverageGrain::kWeek;
  // "league" or "county"; "" for the scope's own: leagues for the province, the counties of
  // one league for a league.
  std::string level;
};

// A cell: what was given, what the targets expected of its days up to today, and the mark.
struct CoverageCell {
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
  std::int64_t expected_sessions = 0;  // pro-rata shares of the targets that concern it
  std::int64_t expected_audience = 0;
  bool targeted = false;  // some target concerns it
  domain::CoverageMark mark = domain::CoverageMark::kEmpty;
};

// A row: a league/city or a banner/county (a league's own code when its sessions name no
// county; the province's when they name no league), in GB/T 2260 order.
struct CoverageRow {
  std::string code;
  std::string name;
  std::string parent;  // a county's league, "" otherwise
  std::string level;   // province | city | county
  std::vector<CoverageCell> cells;
  CoverageCell total;
};

// A column: a week or a month, or an audience group.
struct CoverageHead {
  std::string key;   // "2026-03-02" (a week's Monday), "2026-03", or a group's code
  std::string name;  // a group's name, "" for a period or an unknown code
  std::string name_en;
  std::optional<Date> first;  // a period's days within the query's
  std::optional<Date> last;
  CoverageCell total;
};

struct CoverageMatrix {
  std::vector<CoverageHead> columns;
  std::vector<CoverageRow> rows;
  CoverageCell total;
};

// A target of a selected campaign, with the share of it due by today within the period.
struct CoverageTarget {
  Id campaign_id = 0;
  std::string campaign_title;
  domain::CampaignTarget target;
  std::string region_name;
  std::int64_t expected_sessions = 0;
  std::int64_t expected_audience = 0;
};

struct Coverage {
  Date from;
  Date to;
  Date today;
  std::vector<Id> campaign_ids;
  std::optional<Id> organisation_id;
  domain::CoverageGrain grain = domain::CoverageGrain::kWeek;
  std::string level;         // league | county
  CoverageMatrix by_period;  // rows × weeks or months
  CoverageMatrix by_group;   // rows × audience groups
  std::vector<CoverageTarget> targets;
  // Reached outside every row (a branch venue in another league): in no cell, for the sums.
  std::int64_t elsewhere_sessions = 0;
  std::int64_t elsewhere_audience = 0;
};

// What could fill a gap: a place (and a group) over some days.
struct CoverageFillQuery {
  std::string region_code;     // a league/city or banner/county
  std::string audience_group;  // "" for any
  PeriodQuery period;
  int limit = 20;  // lecturers shown, 1–100
};

struct FillLecturer {
  domain::CandidateFacts facts;  // ranked by domain::rank_candidates
  std::string category;
  std::string region_code;
  std::string region_name;
  std::int64_t free_days = 0;  // days of the window (from today on) without an unavailable period
};

struct CoverageFill {
  std::string region_code;
  std::string region_name;
  std::string audience_group;
  Date from;
  Date to;
  std::vector<domain::Order> orders;  // open: submitted, dispatched or accepted, window meeting it
  std::vector<FillLecturer> lecturers;  // free some day of it, nearest and least busy first
  std::int64_t available = 0;           // how many lecturers in scope are free some day of it
};

// What a printed report quotes and shows beside the figures (宣讲工作简报): the comments staff
// marked as quotes and one photo per lecture, over the same sessions as the figures.
struct Highlights {
  Date from;
  Date to;
  std::vector<Id> campaign_ids;
  std::optional<Id> organisation_id;
  std::vector<store::QuoteHighlight> quotes;
  std::vector<store::PhotoHighlight> photos;
};

// The most quotes (and photos) one request may ask for.
constexpr int kMostHighlights = 50;

class Statistics {
 public:
  explicit Statistics(store::Store& store) : store_(store) {}

  // Not found for a campaign the caller cannot see; `organisation_id` narrows to a subtree in
  // scope (one outside it counts nothing rather than revealing that it exists).
  Result<CampaignFigures> campaign(const Principal& who, Id campaign_id,
                                   std::optional<Id> organisation_id);

  // Not found for a campaign the caller cannot see; invalid when `to` is before `from` or the
  // period is longer than ten years. `today` (Asia/Shanghai) sets the default period.
  Result<PeriodFigures> period(const Principal& who, const PeriodQuery& query, Date today);

  // Coverage gaps within the caller's scope (404 for an organisation out of it; forbidden for
  // a lecturer). Invalid parameters as for `period`, and `level`, `grain` (weeks over at most
  // two years).
  Result<Coverage> coverage(const Principal& who, const CoverageQuery& query, Date today);

  // Open orders and free lecturers for one place (in scope) and group over a period.
  Result<CoverageFill> coverage_fill(const Principal& who, const CoverageFillQuery& query,
                                     Date today);

  // The quotes and photos of the sessions `period` would count for the same query, newest
  // lecture first, at most `limit` (1–50) of each; the same refusals as `period`, and a bad
  // request for a `limit` out of range.
  Result<Highlights> highlights(const Principal& who, const PeriodQuery& query, Date today,
                                int limit);

 private:
  // The period, campaigns and scope a query names, resolved once for every reader of them.
  struct Selection {
    std::vector<Id> campaign_ids;             // without repeats, in the order named
    std::vector<domain::Campaign> campaigns;  // the same, read
    Date from;
    Date to;
    store::StatisticsFilter filter;
    std::optional<domain::Organisation> scope_org;  // the narrowing or the caller's own
  };
  static Result<Selection> resolve(store::Tx& tx, const Principal& who, const PeriodQuery& query,
                                   Date today);

  store::Store& store_;
};

}  // namespace xj::service
