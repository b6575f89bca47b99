// Readers for the public benchmark formats (Solomon VRPTW, TOPTW of Montemanni & Gambardella /
// Vansteenwegen et al.) and their translation into the solver's Problem with the benchmarks'
// own objectives. See data/bench/*/FORMAT.txt and docs/schedule.md.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "schedule/problem.hpp"
#include "schedule/solver.hpp"

namespace xj::schedule {

enum class BenchFormat { kSolomon, kToptw };

struct BenchPoint {
  int id = 0;  // the number in the file
  double x = 0, y = 0;
  double service = 0;
  double value = 0;  // Solomon: demand; TOPTW: profit
  double ready = 0, due = 0;
};

struct BenchInstance {
  BenchFormat format = BenchFormat::kSolomon;
  std::string name;
  int fleet = 0;           // >= 1. Solomon: vehicles in the header; TOPTW: v (all vertices fit)
  double capacity = kInf;  // Solomon only
  std::vector<BenchPoint> points;  // points[0] is the depot
};

// Strict readers: every required line and number present, ids 0..N in order, windows ordered,
// no negative durations; errors say which line is wrong.
Result<BenchInstance> read_solomon(std::istream& in, const std::string& name);
Result<BenchInstance> read_toptw(std::istream& in, const std::string& name);
Result<BenchInstance> read_bench_file(BenchFormat format, const std::string& path);

enum class Convention {
  kDistance,      // arc = floor(10 * euclid) / 10, fleet limit, minimise distance
  kHierarchical,  // double euclid, fewest vehicles first, then distance
};

struct BenchOptions {
  int vehicles = -1;  // Solomon: fleet limit; TOPTW: number of paths. < 0: the file's
  Convention convention = Convention::kDistance;  // Solomon only
  int round_decimals = 1;                         // TOPTW only: 1 or 2
};

// The arc length used by an instance under the options: also its travel time.
double bench_arc(const BenchInstance& inst, const BenchOptions& opt, int a, int b);

// One vehicle per route of the fleet (opt.vehicles, else the file's), at most one per customer.
// REQUIRES: opt.round_decimals in {1, 2}; inst as the readers return it.
Problem bench_problem(const BenchInstance& inst, const BenchOptions& opt);

// Default solver settings for a benchmark (temperatures, route minimisation).
void tune_for_bench(const BenchInstance& inst, const BenchOptions& opt, SolverOptions& so);

// The result line of `xuanjiang schedule solve --format solomon|toptw`:
// {"objective","vehicles","distance","profit","routes":[[ids]],...} with the file's ids.
std::string bench_result_json(const BenchInstance& inst, const BenchOptions& opt,
                              const Solution& sol, double seconds, uint64_t seed);

}  // namespace xj::schedule
