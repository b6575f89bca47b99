#include "schedule/benchmark.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "schedule/json.hpp"
#include "schedule/solver.hpp"

namespace xj::schedule {

namespace {

Error bad(const std::string& name, int line, const std::string& what) {
  return Error{"invalid_instance", name + ":" + std::to_string(line) + ": " + what,
               "line " + std::to_string(line)};
}

// Splits a line into numbers; false if any token is not a finite number.
bool numbers(const std::string& line, std::vector<double>& out) {
  out.clear();
  std::istringstream ss(line);
  std::string tok;
  while (ss >> tok) {
    char* end = nullptr;
    const double d = std::strtod(tok.c_str(), &end);
    if (end == tok.c_str() || *end != '\0' || !std::isfinite(d)) return false;
    out.push_back(d);
  }
  return true;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

bool is_int(double d) { return d == std::floor(d) && std::fabs(d) < 1e9; }

}  // namespace

Result<BenchInstance> read_solomon(std::istream& in, const std::string& name) {
  BenchInstance inst;
  inst.format = BenchFormat::kSolomon;
  std::string line;
  int ln = 0;
  auto next_nonblank = [&](std::string& out) {
    while (std::getline(in, out)) {
      ++ln;
      if (!blank(out)) return true;
    }
    return false;
  };
  if (!next_nonblank(line)) return bad(name, ln, "empty file");
  inst.name = trim(line);
  if (!next_nonblank(line) || trim(line) != "VEHICLE")
    return bad(name, ln, "expected the line VEHICLE");
  if (!next_nonblank(line) || trim(line).rfind("NUMBER", 0) != 0)
    return bad(name, ln, "expected the header NUMBER CAPACITY");
  std::vector<double> v;
  if (!next_nonblank(line) || !numbers(line, v) || v.size() != 2 || !is_int(v[0]) || v[0] < 1 ||
      v[1] <= 0)
    return bad(name, ln, "expected two numbers: vehicles (>= 1) and capacity (> 0)");
  inst.fleet = static_cast<int>(v[0]);
  inst.capacity = v[1];
  if (!next_nonblank(line) || trim(line) != "CUSTOMER")
    return bad(name, ln, "expected the line CUSTOMER");
  if (!next_nonblank(line) || trim(line).rfind("CUST", 0) != 0)
    return bad(name, ln, "expected the column header CUST NO. ...");
  while (next_nonblank(line)) {
    if (!numbers(line, v) || v.size() != 7)
      return bad(name, ln, "expected 7 numbers: id x y demand ready due service");
    BenchPoint p;
    if (!is_int(v[0]) || static_cast<int>(v[0]) != static_cast<int>(inst.points.size()))
      return bad(name, ln, "customer numbers must run 0, 1, 2, ... in order");
    p.id = static_cast<int>(v[0]);
    p.x = v[1];
    p.y = v[2];
    p.value = v[3];
    p.ready = v[4];
    p.due = v[5];
    p.service = v[6];
    if (p.value < 0 || p.service < 0) return bad(name, ln, "negative demand or service time");
    if (p.value > inst.capacity) return bad(name, ln, "demand above the vehicle capacity");
    if (p.ready > p.due) return bad(name, ln, "ready time after due date");
    inst.points.push_back(p);
  }
  if (inst.points.size() < 2) return bad(name, ln, "need a depot and at least one customer");
  return inst;
}

Result<BenchInstance> read_toptw(std::istream& in, const std::string& name) {
  BenchInstance inst;
  inst.format = BenchFormat::kToptw;
  inst.name = name;
  std::string line;
  int ln = 0;
  std::vector<double> v;
  if (!std::getline(in, line)) return bad(name, 1, "empty file");
  ++ln;
  if (!numbers(line, v) || v.size() != 4 || !is_int(v[1]) || !is_int(v[2]) || v[1] < 1 || v[2] < 1)
    return bad(name, ln, "expected the first line k v N t (v >= 1, N >= 1)");
  inst.fleet = static_cast<int>(v[1]);
  const int n = static_cast<int>(v[2]);
  if (!std::getline(in, line)) return bad(name, ln + 1, "missing the line D Q");
  ++ln;
  if (!numbers(line, v) || v.size() > 2) return bad(name, ln, "expected the line D Q");
  while (std::getline(in, line)) {
    ++ln;
    if (blank(line)) continue;
    if (!numbers(line, v) || v.size() < 9) return bad(name, ln, "expected i x y d S f a list O C");
    if (!is_int(v[6]) || v[6] < 0) return bad(name, ln, "a (the list length) must be >= 0");
    const auto a = static_cast<size_t>(v[6]);
    if (v.size() != 9 + a)
      return bad(name, ln,
                 "expected " + std::to_string(9 + a) + " numbers (list of " + std::to_string(a) +
                     "), found " + std::to_string(v.size()));
    BenchPoint p;
    if (!is_int(v[0]) || static_cast<int>(v[0]) != static_cast<int>(inst.points.size()))
      return bad(name, ln, "vertex numbers must run 0, 1, 2, ... in order");
    p.id = static_cast<int>(v[0]);
    p.x = v[1];
    p.y = v[2];
    p.service = v[3];
    p.value = v[4];
    p.ready = v[7 + a];
    p.due = v[8 + a];
    if (p.service < 0 || p.value < 0) return bad(name, ln, "negative duration or profit");
    if (p.ready > p.due) return bad(name, ln, "window opens after it closes");
    inst.points.push_back(p);
  }
  if (static_cast<int>(inst.points.size()) != n + 1)
    return bad(name, ln,
               "expected " + std::to_string(n + 1) + " vertices (N = " + std::to_string(n) +
                   " plus the depot), found " + std::to_string(inst.points.size()));
  return inst;
}

Result<BenchInstance> read_bench_file(BenchFormat format, const std::string& path) {
  std::ifstream f(path);
  if (!f) return Error{"io_error", "cannot open " + path, "FILE"};
  std::string name = path;
  const size_t slash = name.find_last_of('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name = name.substr(0, dot);
  auto r = format == BenchFormat::kSolomon ? read_solomon(f, name) : read_toptw(f, name);
  if (r.ok() && format == BenchFormat::kSolomon && r.value().name.empty()) r.value().name = name;
  return r;
}

double bench_arc(const BenchInstance& inst, const BenchOptions& opt, int a, int b) {
  const BenchPoint& p = inst.points[static_cast<size_t>(a)];
  const BenchPoint& q = inst.points[static_cast<size_t>(b)];
  const double e = std::sqrt((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y));
  if (inst.format == BenchFormat::kSolomon) {
    if (opt.convention == Convention::kHierarchical) return e;
    return std::floor(10.0 * e) / 10.0;
  }
  const double scale = opt.round_decimals == 2 ? 100.0 : 10.0;
  return std::floor(scale * e) / scale;
}

Problem bench_problem(const BenchInstance& inst, const BenchOptions& opt) {
  Problem p;
  const int n = static_cast<int>(inst.points.size());
  p.num_nodes = n;
  p.distance.resize(static_cast<size_t>(n) * static_cast<size_t>(n));
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      p.distance[static_cast<size_t>(a) * static_cast<size_t>(n) + static_cast<size_t>(b)] =
          a == b ? 0 : bench_arc(inst, opt, a, b);
  const BenchPoint& depot = inst.points[0];
  // More vehicles than customers can never all be used: a file (or option) asking for a
  // billion would only exhaust memory.
  const int fleet = std::min(opt.vehicles > 0 ? opt.vehicles : inst.fleet, n - 1);
  for (int v = 0; v < fleet; ++v) {
    Vehicle veh;
    veh.start_node = veh.end_node = 0;
    veh.earliest = depot.ready;
    veh.latest = depot.due;
    if (inst.format == BenchFormat::kSolomon) veh.capacity = inst.capacity;  // else unlimited
    p.vehicles.push_back(veh);
  }
  p.max_routes = fleet;
  for (int i = 1; i < n; ++i) {
    const BenchPoint& q = inst.points[static_cast<size_t>(i)];
    Client c;
    c.node = i;
    c.service = q.service;
    c.ready = q.ready;
    c.due = q.due;
    c.proximity_ready = q.ready;
    c.proximity_due = q.due;
    if (inst.format == BenchFormat::kSolomon) {
      c.demand = q.value;
    } else {
      c.required = false;
      c.prize = q.value;
    }
    p.clients.push_back(c);
  }
  // TOPTW: profit first; distance only breaks ties (a whole tour is worth far less than 1).
  if (inst.format == BenchFormat::kToptw) p.travel_weight = 1e-5;
  return p;
}

void tune_for_bench(const BenchInstance& inst, const BenchOptions& opt, SolverOptions& so) {
  if (inst.format == BenchFormat::kSolomon) {
    so.minimize_routes = opt.convention == Convention::kHierarchical;
    // Fixed temperatures for Solomon's 100 x 100 grid, as SISR uses fixed ones: the
    // nearest-neighbour rule runs too cold on the clustered C2 instances.
    if (so.start_temperature < 0) so.start_temperature = 30;
    if (so.end_temperature < 0) so.end_temperature = 0.3;
    if (so.probes == 0) so.probes = 4;
    return;
  }
  double sum = 0;
  int cnt = 0;
  for (size_t i = 1; i < inst.points.size(); ++i) {
    sum += inst.points[i].value;
    ++cnt;
  }
  const double mean = cnt ? sum / cnt : 1.0;
  // The file's v is the Solomon fleet, in which every vertex fits (see data/bench/toptw).
  so.serve_all_first = opt.vehicles <= 0 || opt.vehicles >= inst.fleet;
  if (so.start_temperature < 0) so.start_temperature = 0.3 * mean;
  if (so.end_temperature < 0) so.end_temperature = 0.01 * mean;
}

std::string bench_result_json(const BenchInstance& inst, const BenchOptions& opt,
                              const Solution& sol, double seconds, uint64_t seed) {
  double distance = 0, profit = 0;
  int vehicles = 0;
  for (const auto& route : sol.routes) {
    if (route.empty()) continue;
    ++vehicles;
    int prev = 0;
    for (int c : route) {
      const int node = c + 1;
      distance += bench_arc(inst, opt, prev, node);
      profit += inst.points[static_cast<size_t>(node)].value;
      prev = node;
    }
    distance += bench_arc(inst, opt, prev, 0);
  }
  const bool solomon = inst.format == BenchFormat::kSolomon;
  JsonWriter w(12);
  w.begin_object();
  w.key("instance").value(inst.name);
  w.key("format").value(solomon ? "solomon" : "toptw");
  if (solomon) {
    w.key("convention")
        .value(opt.convention == Convention::kDistance ? "distance" : "hierarchical");
  } else {
    w.key("round_decimals").value(opt.round_decimals);
  }
  // Rounded to the convention's precision so that sums of tenths print as tenths.
  const double rounded = std::round(distance * 1e6) / 1e6;
  w.key("objective").value(solomon ? rounded : profit);
  w.key("vehicles").value(vehicles);
  w.key("distance").value(rounded);
  w.key("profit").value(profit);
  w.key("feasible").value(!solomon || sol.unserved.empty());
  w.key("unserved").begin_array();
  for (int c : sol.unserved) w.value(inst.points[static_cast<size_t>(c) + 1].id);
  w.end_array();
  w.key("routes").begin_array();
  for (const auto& route : sol.routes) {
    if (route.empty()) continue;
    w.begin_array();
    for (int c : route) w.value(inst.points[static_cast<size_t>(c) + 1].id);
    w.end_array();
  }
  w.end_array();
  w.key("seconds").value(std::round(seconds * 1000) / 1000);
  w.key("seed").value(static_cast<int64_t>(seed));
  w.end_object();
  return w.str();
}

}  // namespace xj::schedule
