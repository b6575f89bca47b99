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

class Statistics {
 public:
  explicit Statistics(store::Store& store) : store_(store) {}

  // Not found for a campaign the caller cannot see; `organisation_id` narrows to a subtree in
  // scope (one outside it counts nothing rather than revealing that it exists).
  Result<CampaignFigures> campaign(const Principal& who, Id campaign_id,
                                   std::optional<Id> organisation_id);

 private:
  store::Store& store_;
};

}  // namespace xj::service
