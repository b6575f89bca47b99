// A campaign's dispatch as a file (docs/schedule.md has the JSON schema) and its mapping onto
// the solver: one vehicle per lecturer-day (home = depot, at most N sessions), one client per
// order, priorities as prizes (team orienteering with time windows), leagues and audience groups
// as coverage groups, lecturers as balance resources.
//
// The seam with the lecture workflow: that layer builds a Campaign from the database, calls
// plan_campaign, and applies the returned assignments through its own dispatch checks. Nothing
// here reads or writes the database.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "schedule/problem.hpp"
#include "schedule/solver.hpp"

namespace xj::schedule {

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

struct Lecturer {
  std::string id;
  std::string name;
  GeoPoint home;
  std::string league;  // GB/T 2260 code of the lecturer's league/city, optional
  std::vector<std::string> categories;
  std::vector<std::string> topics;
  std::vector<std::string> languages;
  int max_sessions_per_day = 2;
  std::vector<int> unavailable;  // day indices (0 = period start)
  std::map<int, int> booked;     // day index -> sessions already booked outside this plan
};

struct Order {
  std::string id;
  std::string title;
  GeoPoint location;
  std::string region;    // GB/T 2260 code of the venue's county, optional
  std::string league;    // GB/T 2260 code of its league/city: a coverage group when present
  std::string audience;  // audience group code: a coverage group when present
  int day_from = 0;      // date window, day indices, inclusive
  int day_to = 0;
  int time_from = 0;  // start of the lecture, minutes after midnight: earliest and latest
  int time_to = 0;
  int duration = 0;      // minutes
  std::string category;  // required lecturer category, "" = any
  std::string topic;     // required lecturer topic, "" = any
  std::string language;  // required lecture language, "" = any
  std::string lecturer;  // requested lecturer id, "" = any
  int priority = 1;      // >= 1; the prize is priority * weights.served
  bool online = false;   // given from the lecturer's home: no travel
};

struct FixedAssignment {
  std::string order;
  std::string lecturer;
  int day = 0;
};

struct TravelModel {
  // "great_circle": great-circle km * road_factor at speed_kmh. "matrix": given km (and
  // optionally minutes) between the points named in ids (lecturer ids and order ids).
  bool matrix = false;
  double road_factor = 1.3;
  double speed_kmh = 60;
  std::vector<std::string> ids;
  std::vector<std::vector<double>> km;
  std::vector<std::vector<double>> minutes;
};

struct Weights {
  double served = 100000;  // per priority point of a served order
  double coverage = 1000;  // per league/city or audience group reached
  double balance = 10;     // per unit of the sum over lecturers of sessions^2
  double travel = 1;       // per km
};

struct Campaign {
  std::string name;
  int32_t start_day = 0;   // days since 1970-01-01 of the period's first day
  int days = 1;            // period length
  int day_start = 7 * 60;  // a lecturer leaves home no earlier (minutes after midnight)
  int day_end = 21 * 60;   // and is back no later
  TravelModel travel;
  Weights weights;
  std::vector<Lecturer> lecturers;
  std::vector<Order> orders;
  std::vector<FixedAssignment> fixed;
  // What the instance's builder had to leave out, having no place for it on the map (a region
  // without a seat's coordinates): ids only, reported with the plan so that nothing is dropped
  // silently. Not part of the file format.
  std::vector<std::string> orders_without_place;
  std::vector<std::string> lecturers_without_home;
};

// Strict: unknown fields, wrong types, bad dates and times, dangling ids, duplicate ids, windows
// outside the period are errors naming the field (e.g. "orders[3].window.from").
Result<Campaign> parse_campaign(std::string_view json);
Result<Campaign> read_campaign_file(const std::string& path);
std::string campaign_to_json(const Campaign& c);

std::string format_date(int32_t days_since_epoch);
// "YYYY-MM-DD" -> days since epoch; false on a malformed or impossible date.
bool parse_date(std::string_view s, int32_t& out);

// Which of an order's requirements a lecturer meets (an order asks for nothing it leaves
// empty): the planner's qualification rule, also the dispatch board's.
struct Qualification {
  bool lecturer = true;  // the requested lecturer, if any
  bool category = true;
  bool topic = true;
  bool language = true;
  bool all() const { return lecturer && category && topic && language; }
};
Qualification qualification(const Lecturer& l, const Order& o);

// The campaign as a solver problem.
struct CampaignModel {
  Problem problem;
  std::vector<int> vehicle_lecturer;     // per vehicle
  std::vector<int> vehicle_day;          // per vehicle
  std::vector<std::string> group_names;  // "league:150100", "audience:frontline"
  std::vector<int> eligible_lecturers;   // per order: how many lecturers qualify
};

// Errors: a fixed assignment on an unavailable day, outside its order's window, or to a
// lecturer who does not qualify.
Result<CampaignModel> build_campaign_model(const Campaign& c);

// The greedy baseline: orders by earliest window (then priority), each to the first day of its
// window with the nearest free eligible lecturer (appended to that lecturer's day).
Solution greedy_campaign(const CampaignModel& m, const Campaign& c);

struct CampaignRunInfo {
  std::string method = "sisr";
  double seconds = 0;
  int64_t iterations = 0;
  uint64_t seed = 0;
  double time_limit = 0;
};

// The plan as JSON: assignments (date, order of visits per lecturer-day, times, reasons),
// lecturer-day routes, unassigned orders with reasons, objective terms.
std::string campaign_plan_json(const Campaign& c, const CampaignModel& m, const Solution& s,
                               const CampaignRunInfo& info);

// One planned visit, for the lecture workflow to apply through its own dispatch checks.
struct PlannedVisit {
  std::string order;
  std::string lecturer;
  int32_t date = 0;  // days since 1970-01-01
  int sequence = 1;  // 1-based position in the lecturer's day
  int start = 0;     // minutes after midnight
  int end = 0;
  bool fixed = false;
};

// The plan's visits in lecturer-day order, with the times the plan gives them.
std::vector<PlannedVisit> planned_visits(const Campaign& c, const CampaignModel& m,
                                         const Solution& s);

// Plans a campaign: solves from the greedy baseline (so never worse than it, unless
// options.initial is given) and checks that the fixed assignments stayed.
Result<Solution> plan_campaign(const Campaign& c, const CampaignModel& m,
                               const SolverOptions& options, SolverStats* stats);

struct GeneratorOptions {
  int orders = 300;
  int lecturers = 60;
  int weeks = 0;  // 0: by size (4 weeks per 300 orders, at least 4)
  uint64_t seed = 1;
  std::string start = "2025-03-03";
  double fixed_fraction = 0.02;  // share of orders already accepted (fixed)
};

// A realistic Inner Mongolia campaign: the 12 league seats and their 103 banners/counties
// (positions around each seat are synthetic), lecturers of the five categories, orders from all
// leagues weighted by population, audience groups, topics, Mongolian-language orders, online
// orders, and a few accepted assignments.
Campaign generate_inner_mongolia(const GeneratorOptions& o);

double great_circle_km(GeoPoint a, GeoPoint b);

}  // namespace xj::schedule
