// Fuzz target: the readers of the public benchmark formats (src/schedule/benchmark.hpp), what
// `xuanjiang schedule solve --format solomon|toptw FILE` reads. The first byte of an input picks
// the reader: odd ('S', 's') Solomon, even ('T', 't') TOPTW; the rest is the file. Beyond "never
// crashes, never throws", it checks what the solve command does next with an accepted file:
// the instance keeps the reader's promises (ids 0..N in order, ordered windows, no negative
// durations), the solver's problem built from it is consistent under every convention, and a
// short solve of a small instance gives a plan the result line can be written from.
//
// Seeds: tests/fuzz/corpus/bench/, cut from data/bench/ (a few customers each).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "schedule/benchmark.hpp"
#include "schedule/solver.hpp"

namespace {

namespace xs = xj::schedule;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "bench reader fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

void check_instance(const xs::BenchInstance& inst, const std::string& text) {
  if (inst.points.empty()) fail("an accepted instance without a depot", text);
  for (size_t i = 0; i < inst.points.size(); ++i) {
    const xs::BenchPoint& p = inst.points[i];
    if (p.id != static_cast<int>(i)) fail("ids out of order", text);
    if (!(p.ready <= p.due)) fail("a window that closes before it opens", text);
    if (p.service < 0 || p.value < 0) fail("a negative duration or value", text);
  }
}

// The solve command's path after reading, on instances small enough to solve in a fuzz run.
void check_solve(const xs::BenchInstance& inst, const xs::BenchOptions& opt,
                 const std::string& text) {
  const xs::Problem p = xs::bench_problem(inst, opt);
  if (const std::string why = p.validate(); !why.empty()) {
    fail("the benchmark problem is inconsistent", why + "\n" + text);
  }
  xs::SolverOptions so;
  so.time_limit_seconds = 0;
  so.max_iterations = 30;
  xs::tune_for_bench(inst, opt, so);
  const xs::Solution s = xs::solve(p, so);
  const xs::Evaluation e = xs::evaluate(p, s);
  if (!e.feasible) fail("the solver returned an infeasible plan", e.violation + "\n" + text);
  (void)xs::bench_result_json(inst, opt, s, 0.0, so.seed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool solomon = (data[0] & 1U) != 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::istringstream in(text);
  auto inst = solomon ? xs::read_solomon(in, "fuzz") : xs::read_toptw(in, "fuzz");
  if (!inst.ok()) {
    if (inst.error().message.empty()) fail("an error without a message", text);
    return 0;
  }
  check_instance(inst.value(), text);
  // Building the problem is quadratic in the points and the solver's work grows with the
  // fleet: keep each run short. Larger files are the benchmarks' business.
  if (inst.value().points.size() > 40) return 0;
  xs::BenchOptions opt;
  if (solomon) {
    check_solve(inst.value(), opt, text);
    opt.convention = xs::Convention::kHierarchical;
    check_solve(inst.value(), opt, text);
  } else {
    check_solve(inst.value(), opt, text);
    opt.round_decimals = 2;
    opt.vehicles = 1;
    check_solve(inst.value(), opt, text);
  }
  return 0;
}
