#include "cli/schedule_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "schedule/benchmark.hpp"
#include "schedule/campaign.hpp"
#include "schedule/solver.hpp"

namespace {

namespace xs = xj::schedule;

struct SolveArgs {
  std::string format = "campaign";
  int vehicles = -1;
  std::string convention = "distance";
  int round_decimals = 1;
  double time_limit = 10;
  int64_t iterations = -1;
  uint64_t seed = 1;
  std::string method = "sisr";
  std::string file;
};

struct GenerateArgs {
  xs::GeneratorOptions options;
  std::string output;
};

[[noreturn]] void fail(const xs::Error& e) { throw std::runtime_error(e.message); }

xs::SolverOptions solver_options(const SolveArgs& a) {
  xs::SolverOptions o;
  o.time_limit_seconds = a.time_limit;
  o.max_iterations = a.iterations;
  o.seed = a.seed;
  return o;
}

void run_solve(const SolveArgs& a) {
  if (a.time_limit <= 0 && a.iterations < 0)
    throw std::runtime_error("give --time-limit > 0 or --iterations");
  if (a.format == "campaign") {
    auto c = xs::read_campaign_file(a.file);
    if (!c.ok()) fail(c.error());
    auto m = xs::build_campaign_model(c.value());
    if (!m.ok()) fail(m.error());
    xs::CampaignRunInfo info;
    info.seed = a.seed;
    info.time_limit = a.time_limit;
    info.method = a.method;
    xs::Solution s;
    if (a.method == "greedy") {
      const auto t0 = std::chrono::steady_clock::now();
      s = xs::greedy_campaign(m.value(), c.value());
      info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } else {
      xs::SolverStats stats;
      auto r = xs::plan_campaign(c.value(), m.value(), solver_options(a), &stats);
      if (!r.ok()) fail(r.error());
      s = std::move(r.value());
      info.seconds = stats.seconds;
      info.iterations = stats.iterations;
    }
    std::cout << xs::campaign_plan_json(c.value(), m.value(), s, info) << "\n";
    return;
  }
  const auto fmt = a.format == "solomon" ? xs::BenchFormat::kSolomon : xs::BenchFormat::kToptw;
  auto inst = xs::read_bench_file(fmt, a.file);
  if (!inst.ok()) fail(inst.error());
  xs::BenchOptions bo;
  bo.vehicles = a.vehicles;
  bo.convention =
      a.convention == "hierarchical" ? xs::Convention::kHierarchical : xs::Convention::kDistance;
  bo.round_decimals = a.round_decimals;
  const xs::Problem p = xs::bench_problem(inst.value(), bo);
  xs::SolverOptions so = solver_options(a);
  xs::tune_for_bench(inst.value(), bo, so);
  xs::SolverStats stats;
  const xs::Solution s = xs::solve(p, so, &stats);
  std::cout << xs::bench_result_json(inst.value(), bo, s, stats.seconds, a.seed) << "\n";
}

void run_generate(const GenerateArgs& a) {
  int32_t d;
  if (!xs::parse_date(a.options.start, d))
    throw std::runtime_error("--start: expected a date YYYY-MM-DD");
  const std::string text = xs::campaign_to_json(xs::generate_inner_mongolia(a.options));
  if (a.output.empty() || a.output == "-") {
    std::cout << text;
    return;
  }
  std::ofstream f(a.output, std::ios::binary);
  if (!f) throw std::runtime_error("cannot write " + a.output);
  f << text;
  if (!f.flush()) throw std::runtime_error("cannot write " + a.output);
}

}  // namespace

void add_schedule_command(CLI::App& app) {
  auto* schedule = app.add_subcommand("schedule", "Dispatch optimiser (智能派单)");
  schedule->require_subcommand(1);

  auto solve_args = std::make_shared<SolveArgs>();
  auto* solve = schedule->add_subcommand(
      "solve", "Solve a campaign dispatch or a Solomon/TOPTW benchmark instance; prints JSON");
  solve->add_option("--format", solve_args->format, "Instance format")
      ->check(CLI::IsMember({"campaign", "solomon", "toptw"}))
      ->capture_default_str();
  solve
      ->add_option("--vehicles", solve_args->vehicles,
                   "Solomon: fleet limit (default: the file's); TOPTW: number of paths "
                   "(default: the file's v)")
      ->check(CLI::Range(1, 100000));
  solve
      ->add_option("--convention", solve_args->convention,
                   "Solomon: distance (arcs floor(10*euclid)/10) or hierarchical (vehicles, "
                   "then double distance)")
      ->check(CLI::IsMember({"distance", "hierarchical"}))
      ->capture_default_str();
  solve
      ->add_option("--round-decimals", solve_args->round_decimals,
                   "TOPTW: distances rounded down to 1 or 2 decimals")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  solve->add_option("--time-limit", solve_args->time_limit, "Seconds of search")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  solve
      ->add_option("--iterations", solve_args->iterations,
                   "Stop after this many iterations (results then depend only on the seed)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 50));
  solve->add_option("--seed", solve_args->seed, "Random seed")->capture_default_str();
  solve
      ->add_option("--method", solve_args->method,
                   "campaign: sisr (the optimiser) or greedy (the baseline)")
      ->check(CLI::IsMember({"sisr", "greedy"}))
      ->capture_default_str();
  solve->add_option("FILE", solve_args->file, "Instance file")->required();
  solve->callback([solve_args] { run_solve(*solve_args); });

  auto gen_args = std::make_shared<GenerateArgs>();
  auto* gen = schedule->add_subcommand("generate",
                                       "Write a realistic Inner Mongolia campaign instance (JSON)");
  gen->add_option("--orders", gen_args->options.orders, "Orders")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  gen->add_option("--lecturers", gen_args->options.lecturers, "Lecturers")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  gen->add_option("--weeks", gen_args->options.weeks, "Campaign weeks (0: by size)")
      ->check(CLI::Range(0, 52))
      ->capture_default_str();
  gen->add_option("--seed", gen_args->options.seed, "Random seed")->capture_default_str();
  gen->add_option("--start", gen_args->options.start, "First day YYYY-MM-DD")
      ->capture_default_str();
  gen->add_option("--fixed-fraction", gen_args->options.fixed_fraction,
                  "Share of orders already accepted")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  gen->add_option("-o,--output", gen_args->output, "Output file (default: standard output)");
  gen->callback([gen_args] { run_generate(*gen_args); });
}
