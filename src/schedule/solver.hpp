// The solver: a greedy construction followed by ruin-and-recreate with simulated annealing
// (SISR: slack induction by string removals, Christiaens & Vanden Berghe, Transportation Science
// 2020) and an optional route-based local search (relocate, swap, 2-opt*, granular neighbourhoods).
// Constraints are hard throughout: every solution it holds is feasible.
#pragma once

#include <cstdint>

#include "schedule/problem.hpp"

namespace xj::schedule {

struct SolverOptions {
  double time_limit_seconds = 10.0;  // <= 0: no time limit (then max_iterations must be >= 0)
  // < 0: no limit. With an iteration limit and no binding time limit the result depends only on
  // the problem, the options and the seed.
  int64_t max_iterations = -1;
  uint64_t seed = 1;
  // Hierarchical objective: first fewest routes (required clients all served), then the
  // objective. Spends up to route_phase_fraction of the budget removing routes.
  bool minimize_routes = false;
  double route_phase_fraction = 0.4;
  // Ruin-and-recreate parameters (SISR's names): mean removed clients, longest string, split
  // probability, blink rate.
  double mean_removed = 10.0;
  int max_string = 10;
  double split_rate = 0.5;
  double blink_rate = 0.01;
  // Annealing temperatures in objective units; < 0: derived from the instance.
  double start_temperature = -1;
  double end_temperature = -1;
  // Also run a local search (relocate, swap, 2-opt*) on every accepted candidate. Off by
  // default: on the Solomon set, plain ruin-and-recreate reaches better plans in a given time.
  bool local_search = false;
  // Every client fits (a team orienteering instance with its full fleet): first search for a
  // plan serving all of them, treating optional clients as required, for up to
  // serve_all_fraction of the budget; then the objective as usual.
  bool serve_all_first = false;
  double serve_all_fraction = 0.5;
  // Restarts: before the long annealing run, this many short independent runs (together
  // probe_fraction of what is left of the budget) from the same start; the long run continues
  // from the best. <= 1: none.
  int probes = 0;
  double probe_fraction = 0.1;
  // Warm start: its routes are kept where feasible (clients fixed elsewhere are moved).
  const Solution* initial = nullptr;
};

struct SolverStats {
  int64_t iterations = 0;
  double seconds = 0;
  double best_found_seconds = 0;
  int64_t best_found_iteration = 0;
  double initial_cost = 0;
  double final_cost = 0;
};

// Solves `problem`. REQUIRES: problem.validate() == "". Every client fixed to a vehicle is
// placed on that vehicle if any feasible position exists; one that cannot be placed is
// reported unserved (callers check fixed assignments beforehand, see campaign.hpp).
Solution solve(const Problem& problem, const SolverOptions& options, SolverStats* stats = nullptr);

// The construction heuristic alone: cheapest feasible insertion of the clients, hardest first.
Solution construct(const Problem& problem, uint64_t seed);

}  // namespace xj::schedule
