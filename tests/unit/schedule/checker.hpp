// An independent feasibility checker for the optimiser's output. It reads only the instance
// data and the printed plan (routes by the file's customer numbers, campaign plans as JSON) and
// recomputes every time, distance and count itself: none of the solver's bookkeeping.
#pragma once

#include <string>
#include <vector>

#include "schedule/benchmark.hpp"
#include "schedule/campaign.hpp"
#include "schedule/json.hpp"

namespace xj::schedule::test {

struct BenchCheck {
  std::vector<std::string> violations;
  double distance = 0;  // under the convention's arc lengths, recomputed
  double profit = 0;
  int vehicles = 0;
  int visited = 0;
};

// `routes` hold the file's customer numbers. For Solomon every customer must be visited once;
// for TOPTW at most once. Arc lengths: Solomon distance convention floor(10 e)/10, hierarchical
// e; TOPTW floor down to `round_decimals`.
BenchCheck check_bench(const BenchInstance& inst, bool hierarchical, int round_decimals,
                       int max_vehicles, const std::vector<std::vector<int>>& routes);

// Parses the output JSON of `schedule solve --format solomon|toptw` into routes.
std::vector<std::vector<int>> routes_of(const Json& result);

struct CampaignCheck {
  std::vector<std::string> violations;
  int served = 0;
  double km = 0;
};

// Checks a plan printed by campaign_plan_json against the campaign: each order at most once,
// visits in the right lecturer-day, date in the order's window, lecturer available and
// qualified, sessions per day within the cap minus bookings, start times within windows and
// reachable from home / the previous venue with the travel model (great circle or matrix), back
// home by the day's end, every fixed assignment kept, and the flat assignment list consistent
// with the routes.
CampaignCheck check_campaign_plan(const Campaign& c, const Json& plan);

}  // namespace xj::schedule::test
