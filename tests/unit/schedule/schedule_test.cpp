// Tests of the dispatch optimiser. Every plan is checked with the independent checker
// (checker.hpp). No timing assertions: runs are bounded by iteration counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "checker.hpp"
#include "schedule/benchmark.hpp"
#include "schedule/campaign.hpp"
#include "schedule/json.hpp"
#include "schedule/solver.hpp"

namespace xj::schedule {
namespace {

using test::check_bench;
using test::routes_of;

const std::string kData = XJ_SCHEDULE_DATA_DIR;

SolverOptions iterations(int64_t n, uint64_t seed = 1) {
  SolverOptions o;
  o.time_limit_seconds = 0;
  o.max_iterations = n;
  o.seed = seed;
  return o;
}

BenchInstance load(BenchFormat f, const std::string& rel) {
  auto r = read_bench_file(f, kData + "/" + rel);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.value();
}

Json parse_ok(const std::string& text) {
  auto j = parse_json(text);
  EXPECT_TRUE(j.ok()) << (j.ok() ? "" : j.error().message);
  return j.ok() ? j.value() : Json();
}

// Solves a benchmark instance the way the CLI does and returns the printed JSON, parsed.
Json solve_bench(const BenchInstance& inst, const BenchOptions& bo, SolverOptions so) {
  tune_for_bench(inst, bo, so);
  const Problem p = bench_problem(inst, bo);
  const Solution s = solve(p, so);
  return parse_ok(bench_result_json(inst, bo, s, 0, so.seed));
}

// ---- JSON ------------------------------------------------------------------------------------

TEST(ScheduleJson, ParsesNestedValuesAndUnicode) {
  const Json j = parse_ok(R"({"a": [1, -2.5e1, true, null], "b": "\u5ba3\ud83d\ude00 讲"})");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.find("a")->items().size(), 4u);
  EXPECT_TRUE(j.find("a")->items()[0].is_integer());
  EXPECT_DOUBLE_EQ(j.find("a")->items()[1].as_number(), -25.0);
  EXPECT_EQ(j.find("b")->as_string(), "宣\xF0\x9F\x98\x80 讲");
}

TEST(ScheduleJson, RejectsMalformedText) {
  for (const char* bad :
       {"", "{", "[1,]", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "01", "1.", "-", "\"\\x\"", "\"a\nb\"",
        "\"\xC3\x28\"", "\"\\ud800\"", "tru", "{\"a\":1,\"a\":2}", "[1] 2", "{a:1}", "1e999"}) {
    auto r = parse_json(bad);
    EXPECT_FALSE(r.ok()) << "accepted: " << bad;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("line"), std::string::npos);
    }
  }
}

TEST(ScheduleJson, ErrorNamesLineAndColumn) {
  auto r = parse_json("{\n  \"a\": [1, 2,, 3]\n}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("line 2, column 14"), std::string::npos) << r.error().message;
}

// ---- Benchmark readers -------------------------------------------------------------------------

TEST(ScheduleBenchReader, ReadsSolomonAndToptwFiles) {
  const BenchInstance s = load(BenchFormat::kSolomon, "solomon/R101.txt");
  EXPECT_EQ(s.name, "R101");
  EXPECT_EQ(s.fleet, 25);
  EXPECT_EQ(s.capacity, 200);
  ASSERT_EQ(s.points.size(), 101u);
  EXPECT_EQ(s.points[1].ready, 161);
  const BenchInstance t = load(BenchFormat::kToptw, "toptw/c101.txt");
  EXPECT_EQ(t.fleet, 10);
  ASSERT_EQ(t.points.size(), 101u);
  EXPECT_EQ(t.points[0].due, 1236);
  EXPECT_EQ(t.points[1].value, 10);
  EXPECT_EQ(t.points[1].ready, 912);
}

TEST(ScheduleBenchReader, RejectsMalformedSolomon) {
  const std::string head =
      "X\n\nVEHICLE\nNUMBER     CAPACITY\n  2   50\n\nCUSTOMER\nCUST NO. X Y D R DUE S\n\n";
  const std::string ok = head + "0 0 0 0 0 100 0\n1 1 1 5 0 50 1\n";
  {
    std::istringstream in(ok);
    EXPECT_TRUE(read_solomon(in, "x").ok());
  }
  for (const std::string& bad :
       {std::string("X\nVEHICLE\n"), head + "0 0 0 0 0 100\n",
        head + "0 0 0 0 0 100 0\n2 1 1 5 0 50 1\n", head + "0 0 0 0 0 100 0\n1 1 1 5 60 50 1\n",
        head + "0 0 0 0 0 100 0\n1 1 1 500 0 50 1\n", head + "0 0 0 0 0 100 0\n1 1 x 5 0 50 1\n",
        head + "0 0 0 0 0 100 0\n"}) {
    std::istringstream in(bad);
    auto r = read_solomon(in, "bad");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("bad:"), std::string::npos);
    }
  }
}

TEST(ScheduleBenchReader, RejectsMalformedToptw) {
  const std::string ok = "4 1 1 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 1 5 10 1 1 1 0 50\n";
  {
    std::istringstream in(ok);
    EXPECT_TRUE(read_toptw(in, "x").ok());
  }
  for (const std::string& bad :
       {std::string("4 1 1\n0 200\n"),
        std::string("4 1 2 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 1 5 "
                    "10 1 1 1 0 50\n"),
        std::string("4 1 1 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 1 5 10 1 2 1 0 50\n"),
        std::string("4 1 1 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 1 5 10 1 1 1 60 50\n"),
        // No paths (found by fuzzing: the solver was handed a problem without vehicles).
        std::string("4 0 1 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 1 5 10 1 1 1 0 50\n"),
        std::string("4 -3 1 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 1 5 10 1 1 1 0 50\n")}) {
    std::istringstream in(bad);
    EXPECT_FALSE(read_toptw(in, "bad").ok()) << bad;
  }
}

// Found by fuzzing: a header asking for 999,999,999 vehicles exhausted memory in bench_problem.
TEST(ScheduleBenchReader, FleetBeyondTheCustomersIsOneVehiclePerCustomer) {
  std::istringstream in(
      "X\nVEHICLE\nNUMBER CAPACITY\n999999999 200\nCUSTOMER\nCUST NO.\n"
      "0 0 0 0 0 100 0\n1 1 1 5 0 50 10\n2 2 2 5 0 50 10\n");
  auto inst = read_solomon(in, "x");
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  BenchOptions bo;
  EXPECT_EQ(bench_problem(inst.value(), bo).vehicles.size(), 2U);
  bo.vehicles = 1;
  EXPECT_EQ(bench_problem(inst.value(), bo).vehicles.size(), 1U);
  bo.vehicles = 1 << 30;
  EXPECT_EQ(bench_problem(inst.value(), bo).vehicles.size(), 2U);
}

TEST(ScheduleBenchReader, ReportsMissingFile) {
  auto r = read_bench_file(BenchFormat::kSolomon, "/nonexistent/R101.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io_error");
}

// ---- Benchmark solving, checked independently --------------------------------------------------

TEST(ScheduleSolomon, DistanceConventionPlanIsFeasibleAndClose) {
  const BenchInstance inst = load(BenchFormat::kSolomon, "solomon/C101.txt");
  BenchOptions bo;
  bo.vehicles = 10;
  const Json out = solve_bench(inst, bo, iterations(4000));
  const auto check = check_bench(inst, false, 1, 10, routes_of(out));
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_NEAR(out.find("distance")->as_number(), check.distance, 1e-6);
  EXPECT_LE(check.distance, 827.3 * 1.01);  // best known 827.3
}

TEST(ScheduleSolomon, TightFleetIsRespected) {
  const BenchInstance inst = load(BenchFormat::kSolomon, "solomon/R105.txt");
  BenchOptions bo;
  bo.vehicles = 15;
  const Json out = solve_bench(inst, bo, iterations(3000, 7));
  const auto check = check_bench(inst, false, 1, 15, routes_of(out));
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_LE(check.vehicles, 15);
  EXPECT_LE(check.distance, 1355.3 * 1.05);
}

TEST(ScheduleSolomon, HierarchicalConventionMinimisesVehicles) {
  const BenchInstance inst = load(BenchFormat::kSolomon, "solomon/C201.txt");
  BenchOptions bo;
  bo.convention = Convention::kHierarchical;
  const Json out = solve_bench(inst, bo, iterations(20000));
  const auto check = check_bench(inst, true, 1, 25, routes_of(out));
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_EQ(check.vehicles, 3);              // the fewest: capacity alone needs 3
  EXPECT_LE(check.distance, 591.56 * 1.25);  // a short run; docs/benchmarks.md has long ones
}

TEST(ScheduleToptw, SingleVehicleReachesTheOptimum) {
  const BenchInstance inst = load(BenchFormat::kToptw, "toptw/c101.txt");
  BenchOptions bo;
  bo.vehicles = 1;
  const Json out = solve_bench(inst, bo, iterations(5000));
  const auto check = check_bench(inst, false, 1, 1, routes_of(out));
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_EQ(out.find("profit")->as_number(), check.profit);
  EXPECT_GE(check.profit, 320 * 0.95);  // proven optimum 320
}

TEST(ScheduleToptw, FullFleetServesEveryone) {
  const BenchInstance inst = load(BenchFormat::kToptw, "toptw/r101.txt");
  BenchOptions bo;  // the file's v = 19 paths
  const Json out = solve_bench(inst, bo, iterations(3000));
  const auto check = check_bench(inst, false, 1, 19, routes_of(out));
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_EQ(check.profit, 1458);
}

TEST(ScheduleToptw, FullFleetAtTheFewestVehiclesServesEveryone) {
  // rc105's v = 13 paths is the least fleet serving all of its customers: the annealing on
  // prizes alone left two out at this budget, the search for a plan serving everyone does not.
  const BenchInstance inst = load(BenchFormat::kToptw, "toptw/rc105.txt");
  BenchOptions bo;
  const Json out = solve_bench(inst, bo, iterations(10000));
  const auto check = check_bench(inst, false, 1, 13, routes_of(out));
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_EQ(check.profit, 1724);
  EXPECT_EQ(check.visited, 100);
}

TEST(ScheduleSolver, SameSeedSamePlan) {
  const BenchInstance inst = load(BenchFormat::kSolomon, "solomon/RC201.txt");
  BenchOptions bo;
  bo.vehicles = 9;
  const Json a = solve_bench(inst, bo, iterations(1500, 42));
  const Json b = solve_bench(inst, bo, iterations(1500, 42));
  EXPECT_EQ(routes_of(a), routes_of(b));
  const Json c = solve_bench(inst, bo, iterations(1500, 43));
  EXPECT_TRUE(check_bench(inst, false, 1, 9, routes_of(c)).violations.empty());
}

// ---- Small instances against brute force -------------------------------------------------------

struct Tiny {
  Problem p;
  double optimum = kInf;
};

// Random small VRPTW (required) or prize-collecting (optional) instance, solved exactly by
// enumerating every feasible route and the best combination of disjoint routes.
Tiny tiny_instance(uint64_t seed, bool prizes) {
  uint64_t s = seed * 2654435761u + 1;
  auto rnd = [&s](int n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((s >> 33) % static_cast<uint64_t>(n));
  };
  Tiny t;
  Problem& p = t.p;
  const int n = 7, nodes = n + 1;
  std::vector<std::pair<int, int>> xy(nodes);
  for (auto& q : xy) q = {rnd(50), rnd(50)};
  p.num_nodes = nodes;
  p.distance.resize(static_cast<size_t>(nodes * nodes));
  for (int a = 0; a < nodes; ++a)
    for (int b = 0; b < nodes; ++b)
      p.distance[static_cast<size_t>(a * nodes + b)] =
          std::floor(
              10 *
              std::hypot(xy[static_cast<size_t>(a)].first - xy[static_cast<size_t>(b)].first,
                         xy[static_cast<size_t>(a)].second - xy[static_cast<size_t>(b)].second)) /
          10;
  for (int v = 0; v < 2; ++v) {
    Vehicle veh;
    veh.latest = 200;
    veh.capacity = 25;
    p.vehicles.push_back(veh);
  }
  for (int i = 1; i <= n; ++i) {
    Client c;
    c.node = i;
    c.service = 5;
    c.ready = rnd(100);
    c.due = c.ready + 20 + rnd(60);
    c.demand = 3 + rnd(8);
    c.required = !prizes;
    c.prize = prizes ? 10 + rnd(40) : 0;
    c.proximity_ready = c.ready;
    c.proximity_due = c.due;
    p.clients.push_back(c);
  }
  if (!prizes) p.vehicles.push_back(p.vehicles[0]);  // three vehicles: always feasible here
  // Exact: best route per subset.
  const int full = 1 << n;
  std::vector<double> best(static_cast<size_t>(full), kInf);
  best[0] = 0;
  for (int mask = 1; mask < full; ++mask) {
    std::vector<int> perm;
    for (int i = 0; i < n; ++i)
      if (mask >> i & 1) perm.push_back(i);
    double demand = 0;
    for (int i : perm) demand += p.clients[static_cast<size_t>(i)].demand;
    if (demand > 25) continue;
    do {
      Solution one;
      one.routes.assign(p.vehicles.size(), {});
      one.routes[0] = perm;
      const Evaluation e = evaluate(p, one);
      if (e.feasible)
        best[static_cast<size_t>(mask)] = std::min(best[static_cast<size_t>(mask)], e.distance);
    } while (std::next_permutation(perm.begin(), perm.end()));
  }
  // Best over up to |vehicles| disjoint routes.
  const int nv = static_cast<int>(p.vehicles.size());
  std::vector<std::vector<double>> f(static_cast<size_t>(nv + 1),
                                     std::vector<double>(static_cast<size_t>(full), kInf));
  f[0][0] = 0;
  for (int k = 1; k <= nv; ++k)
    for (int mask = 0; mask < full; ++mask) {
      double b = f[static_cast<size_t>(k - 1)][static_cast<size_t>(mask)];
      for (int sub = mask; sub; sub = (sub - 1) & mask)
        b = std::min(b, f[static_cast<size_t>(k - 1)][static_cast<size_t>(mask ^ sub)] +
                            best[static_cast<size_t>(sub)]);
      f[static_cast<size_t>(k)][static_cast<size_t>(mask)] = b;
    }
  for (int mask = 0; mask < full; ++mask) {
    const double d = f[static_cast<size_t>(nv)][static_cast<size_t>(mask)];
    if (!std::isfinite(d)) continue;
    double lost = 0;
    for (int i = 0; i < n; ++i)
      if (!(mask >> i & 1)) lost += prizes ? p.clients[static_cast<size_t>(i)].prize : 1e9;
    t.optimum = std::min(t.optimum, d + lost);
  }
  return t;
}

TEST(ScheduleSolver, SmallVrptwInstancesAtTheirOptimum) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const Tiny t = tiny_instance(seed, false);
    const Solution s = solve(t.p, iterations(1500, seed));
    const Evaluation e = evaluate(t.p, s);
    EXPECT_TRUE(e.feasible) << e.violation;
    EXPECT_EQ(e.unserved_required, 0);
    EXPECT_NEAR(e.cost, t.optimum, 1e-6) << "seed " << seed;
  }
}

TEST(ScheduleSolver, SmallPrizeCollectingInstancesAtTheirOptimum) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const Tiny t = tiny_instance(seed, true);
    const Solution s = solve(t.p, iterations(1500, seed));
    const Evaluation e = evaluate(t.p, s);
    EXPECT_TRUE(e.feasible) << e.violation;
    EXPECT_NEAR(e.cost, t.optimum, 1e-6) << "seed " << seed;
  }
}

TEST(ScheduleSolver, ConstructionIsFeasible) {
  const BenchInstance inst = load(BenchFormat::kSolomon, "solomon/R201.txt");
  BenchOptions bo;
  const Problem p = bench_problem(inst, bo);
  const Evaluation e = evaluate(p, construct(p, 3));
  EXPECT_TRUE(e.feasible) << e.violation;
}

// ---- Campaigns ---------------------------------------------------------------------------------

Campaign small_campaign(uint64_t seed, int orders = 80) {
  GeneratorOptions g;
  g.orders = orders;
  g.lecturers = 10;
  g.weeks = 2;
  g.seed = seed;
  g.fixed_fraction = 0.05;
  return generate_inner_mongolia(g);
}

TEST(ScheduleCampaign, GeneratedInstanceRoundTrips) {
  const Campaign c = small_campaign(5);
  const std::string text = campaign_to_json(c);
  auto back = parse_campaign(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(campaign_to_json(back.value()), text);
  EXPECT_EQ(back.value().orders.size(), 80u);
  EXPECT_EQ(back.value().lecturers.size(), 10u);
  EXPECT_FALSE(back.value().fixed.empty());
}

TEST(ScheduleCampaign, PlanPassesTheCheckerAndKeepsFixedAssignments) {
  const Campaign c = small_campaign(11);
  auto m = build_campaign_model(c);
  ASSERT_TRUE(m.ok()) << m.error().message;
  SolverStats stats;
  auto s = plan_campaign(c, m.value(), iterations(3000), &stats);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Json plan = parse_ok(campaign_plan_json(c, m.value(), s.value(), {}));
  const auto check = test::check_campaign_plan(c, plan);
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_GT(check.served, 40);
  EXPECT_NEAR(plan.find("objective")->find("travel_km")->as_number(), check.km, 0.2);
  // Every visit carries its reasons.
  for (const Json& r : plan.find("routes")->items())
    for (const Json& v : r.find("visits")->items()) {
      const Json* reason = v.find("reason");
      ASSERT_NE(reason, nullptr);
      EXPECT_FALSE(reason->find("why")->as_string().empty());
      EXPECT_NE(reason->find("travel_before"), nullptr);
      EXPECT_NE(reason->find("travel_after"), nullptr);
      // ... also as data, for the web app to say in the user's language.
      EXPECT_GE(reason->find("home_distance_rank")->as_number(), 1);
      EXPECT_NE(reason->find("same_day_sessions"), nullptr);
      EXPECT_NE(reason->find("requested"), nullptr);
    }
  // Starts on the five minutes, as an organiser would set them, wherever the day allows.
  int on_five = 0, visits = 0;
  for (const Json& r : plan.find("routes")->items())
    for (const Json& v : r.find("visits")->items()) {
      const std::string start = v.find("start")->as_string();
      ++visits;
      on_five += (start[4] - '0') % 5 == 0;
    }
  EXPECT_GE(on_five * 10, visits * 9) << on_five << " of " << visits;
  for (const Json& u : plan.find("unassigned")->items())
    EXPECT_FALSE(u.find("reason_code")->as_string().empty());
}

TEST(ScheduleCampaign, OptimiserBeatsTheGreedyBaseline) {
  // plan_campaign starts from the greedy plan and keeps the best it sees, so "no worse" proves
  // nothing: on this instance the search must win by a clear margin. Measured (seed 12, 4000
  // iterations): cost 5,021,617 against greedy's 5,427,829 (-7.5 %, one order more served),
  // 12,327 km against 17,949 (-31 %). The run is deterministic; the margins leave room for a
  // change of the search that is no worse.
  const Campaign c = small_campaign(12, 120);
  auto m = build_campaign_model(c);
  ASSERT_TRUE(m.ok());
  const Solution g = greedy_campaign(m.value(), c);
  const Json gplan = parse_ok(campaign_plan_json(c, m.value(), g, {}));
  EXPECT_TRUE(test::check_campaign_plan(c, gplan).violations.empty());
  auto s = plan_campaign(c, m.value(), iterations(4000), nullptr);
  ASSERT_TRUE(s.ok());
  const Json splan = parse_ok(campaign_plan_json(c, m.value(), s.value(), {}));
  const auto check = test::check_campaign_plan(c, splan);
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  const Evaluation greedy = evaluate(m.value().problem, g);
  const Evaluation best = evaluate(m.value().problem, s.value());
  ASSERT_TRUE(greedy.feasible && best.feasible) << greedy.violation << best.violation;
  EXPECT_LT(best.cost, 0.95 * greedy.cost)
      << "greedy " << greedy.cost << ", optimised " << best.cost;
  EXPECT_GE(best.served, greedy.served);
  EXPECT_LT(best.distance, 0.8 * greedy.distance)
      << "greedy " << greedy.distance << " km, optimised " << best.distance << " km";
}

TEST(ScheduleCampaign, SameSeedSamePlan) {
  const Campaign c = small_campaign(13);
  auto m = build_campaign_model(c);
  ASSERT_TRUE(m.ok());
  auto a = plan_campaign(c, m.value(), iterations(1500, 9), nullptr);
  auto b = plan_campaign(c, m.value(), iterations(1500, 9), nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().routes, b.value().routes);
}

TEST(ScheduleCampaign, FixedAssignmentStaysEvenWhenCostly) {
  // Two lecturers, one order: fixed to the far lecturer, who must keep it.
  const std::string text = R"({
    "name": "fixed", "period": {"start": "2025-05-05", "end": "2025-05-06"},
    "lecturers": [
      {"id": "near", "home": {"lat": 40.84, "lon": 111.75}},
      {"id": "far", "home": {"lat": 40.62, "lon": 109.95}}],
    "orders": [
      {"id": "o1", "location": {"lat": 40.85, "lon": 111.76},
       "window": {"from": "2025-05-05", "to": "2025-05-06"}, "duration_minutes": 60},
      {"id": "o2", "location": {"lat": 40.86, "lon": 111.70},
       "window": {"from": "2025-05-05", "to": "2025-05-05"}, "duration_minutes": 60}],
    "fixed": [{"order": "o1", "lecturer": "far", "date": "2025-05-06"}]})";
  auto c = parse_campaign(text);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto m = build_campaign_model(c.value());
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto s = plan_campaign(c.value(), m.value(), iterations(500), nullptr);
  ASSERT_TRUE(s.ok());
  const Json plan = parse_ok(campaign_plan_json(c.value(), m.value(), s.value(), {}));
  const auto check = test::check_campaign_plan(c.value(), plan);
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_EQ(check.served, 2);
}

TEST(ScheduleCampaign, ReaderRejectsMalformedFiles) {
  const std::string base = R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-09"},
    "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}}],
    "orders": [{"id": "o", "location": {"lat": 40, "lon": 111},
                "window": {"from": "2025-05-05", "to": "2025-05-06"}, "duration_minutes": 60}]
    %s})";
  auto with = [&](const std::string& extra) {
    std::string s = base;
    s.replace(s.find("%s"), 2, extra);
    return s;
  };
  ASSERT_TRUE(parse_campaign(with("")).ok());
  struct Case {
    std::string text;
    std::string field;
  };
  const std::vector<Case> cases = {
      {with(R"(, "colour": 1)"), "colour"},
      {with(R"(, "fixed": [{"order": "o", "lecturer": "b", "date": "2025-05-05"}])"),
       "fixed[0].lecturer"},
      {with(R"(, "fixed": [{"order": "o", "lecturer": "a", "date": "2025-06-05"}])"),
       "fixed[0].date"},
      {with(R"(, "fixed": [{"order": "o", "lecturer": "a", "date": "2025-02-30"}])"),
       "fixed[0].date"},
      {with(R"(, "day": {"start": "25:00", "end": "20:00"})"), "day.start"},
      {with(R"(, "travel": {"model": "teleport"})"), "travel.model"},
      {with(R"(, "weights": {"served": -1})"), "weights.served"},
      {R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-01"},
          "lecturers": [], "orders": []})",
       "period.end"},
      {R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-06"},
          "lecturers": [{"id": "a", "home": {"lat": 95, "lon": 111}}], "orders": []})",
       "lecturers[0].home.lat"},
      {R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-06"},
          "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}},
                        {"id": "a", "home": {"lat": 40, "lon": 111}}], "orders": []})",
       "lecturers[1].id"},
      {R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-06"},
          "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}}],
          "orders": [{"id": "o", "location": {"lat": 40, "lon": 111}, "duration_minutes": 60,
                      "window": {"from": "2025-05-05", "to": "2025-05-09"}}]})",
       "orders[0].window.to"},
      {R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-06"},
          "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}}],
          "orders": [{"id": "o", "location": {"lat": 40, "lon": 111}, "duration_minutes": "60",
                      "window": {"from": "2025-05-05", "to": "2025-05-06"}}]})",
       "orders[0].duration_minutes"},
      {R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-06"},
          "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}}],
          "orders": [{"id": "o", "duration_minutes": 60,
                      "window": {"from": "2025-05-05", "to": "2025-05-06"}}]})",
       "orders[0].location"},
      {R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-06"}, "orders": []})",
       "lecturers"},
  };
  for (const Case& k : cases) {
    auto r = parse_campaign(k.text);
    ASSERT_FALSE(r.ok()) << k.text;
    EXPECT_EQ(r.error().field, k.field) << r.error().message;
    EXPECT_NE(r.error().message.find(k.field), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(parse_campaign("{\"name\": ").ok());
  EXPECT_FALSE(read_campaign_file("/nonexistent.json").ok());
}

TEST(ScheduleCampaign, ModelRejectsImpossibleFixedAssignments) {
  const std::string text = R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-09"},
    "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}, "unavailable": ["2025-05-06"],
                   "categories": ["scholar"]}],
    "orders": [{"id": "o", "location": {"lat": 40, "lon": 111}, "category": "%s",
                "window": {"from": "2025-05-05", "to": "2025-05-07"}, "duration_minutes": 60}],
    "fixed": [{"order": "o", "lecturer": "a", "date": "%s"}]})";
  auto make = [&](const std::string& cat, const std::string& date) {
    std::string s = text;
    s.replace(s.find("%s"), 2, cat);
    s.replace(s.find("%s"), 2, date);
    auto c = parse_campaign(s);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return build_campaign_model(c.value());
  };
  EXPECT_TRUE(make("scholar", "2025-05-05").ok());
  EXPECT_FALSE(make("scholar", "2025-05-06").ok());       // unavailable
  EXPECT_FALSE(make("scholar", "2025-05-08").ok());       // outside the window
  EXPECT_FALSE(make("model_worker", "2025-05-05").ok());  // does not qualify
}

TEST(ScheduleCampaign, OnlineOrdersNeedNoTravel) {
  const std::string text = R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-05"},
    "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}, "max_sessions_per_day": 3}],
    "orders": [
      {"id": "o1", "mode": "online", "window": {"from": "2025-05-05", "to": "2025-05-05"},
       "time": {"from": "09:00", "to": "09:00"}, "duration_minutes": 60},
      {"id": "o2", "mode": "online", "window": {"from": "2025-05-05", "to": "2025-05-05"},
       "time": {"from": "10:00", "to": "10:00"}, "duration_minutes": 60}]})";
  auto c = parse_campaign(text);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto m = build_campaign_model(c.value());
  ASSERT_TRUE(m.ok());
  auto s = plan_campaign(c.value(), m.value(), iterations(200), nullptr);
  ASSERT_TRUE(s.ok());
  const Json plan = parse_ok(campaign_plan_json(c.value(), m.value(), s.value(), {}));
  const auto check = test::check_campaign_plan(c.value(), plan);
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_EQ(check.served, 2);
  EXPECT_NEAR(check.km, 0, 1e-9);
}

TEST(ScheduleCampaign, MatrixTravelPlanPassesTheChecker) {
  const std::string text = R"({"name": "x", "period": {"start": "2025-05-05", "end": "2025-05-05"},
    "travel": {"model": "matrix", "ids": ["a", "o1", "o2"],
               "km": [[0, 10, 20], [10, 0, 10], [20, 10, 0]],
               "minutes": [[0, 30, 60], [30, 0, 30], [60, 30, 0]]},
    "lecturers": [{"id": "a", "home": {"lat": 40, "lon": 111}}],
    "orders": [
      {"id": "o1", "location": {"lat": 40.1, "lon": 111},
       "window": {"from": "2025-05-05", "to": "2025-05-05"},
       "time": {"from": "09:00", "to": "10:00"}, "duration_minutes": 60},
      {"id": "o2", "location": {"lat": 40.2, "lon": 111},
       "window": {"from": "2025-05-05", "to": "2025-05-05"},
       "time": {"from": "11:00", "to": "12:00"}, "duration_minutes": 60}]})";
  auto c = parse_campaign(text);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto m = build_campaign_model(c.value());
  ASSERT_TRUE(m.ok());
  auto s = plan_campaign(c.value(), m.value(), iterations(200), nullptr);
  ASSERT_TRUE(s.ok());
  const Json plan = parse_ok(campaign_plan_json(c.value(), m.value(), s.value(), {}));
  const auto check = test::check_campaign_plan(c.value(), plan);
  EXPECT_TRUE(check.violations.empty()) << check.violations.front();
  EXPECT_EQ(check.served, 2);
  EXPECT_NEAR(check.km, 40, 1e-9);  // the matrix's kilometres, not the coordinates'
  // The checker times legs by the matrix's minutes: 200 minutes from o1 to o2 make the same
  // plan late at o2.
  Campaign slow = c.value();
  slow.travel.minutes[1][2] = 200;
  EXPECT_FALSE(test::check_campaign_plan(slow, plan).violations.empty());
}

}  // namespace
}  // namespace xj::schedule
