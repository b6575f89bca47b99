// xj_schedule_exact: the proven optimum of a small campaign instance (at most 25 orders) by an
// exact set-packing model solved with COIN-OR CBC. Benchmark only (bench/schedule/run.py exact).
//
// Every feasible lecturer-day route (at most its session cap of visits, in the cheapest feasible
// order) is a column; the objective is the solver's own (docs/schedule.md): travel + prizes of
// unserved orders + coverage bonus of groups not reached + balance weight * sum of squared
// sessions per lecturer, the squares linearised with one binary per lecturer and load.
//
// Usage: xj_schedule_exact FILE.json   prints {"objective": ..., "columns": ..., "seconds": ...}
#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "schedule/campaign.hpp"

namespace xs = xj::schedule;

namespace {

bool feasible(const xs::Problem& p, const std::vector<int>& seq, int v, double& km) {
  const xs::Vehicle& veh = p.vehicles[static_cast<size_t>(v)];
  double t = veh.earliest;
  int prev = veh.start_node;
  km = 0;
  for (int c : seq) {
    const xs::Client& x = p.clients[static_cast<size_t>(c)];
    const int l = xs::location(p, c, v);
    t = std::max(t + p.time(prev, l), x.ready);
    if (t > x.due + 1e-7) return false;
    km += p.dist(prev, l);
    t += x.service;
    prev = l;
  }
  km += p.dist(prev, veh.end_node);
  return t + p.time(prev, veh.end_node) <= veh.latest + 1e-7;
}

struct Column {
  int vehicle;
  std::vector<int> clients;  // sorted
  double km;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: xj_schedule_exact FILE.json\n");
    return 2;
  }
  auto c = xs::read_campaign_file(argv[1]);
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", c.error().message.c_str());
    return 1;
  }
  auto mr = xs::build_campaign_model(c.value());
  if (!mr.ok()) {
    std::fprintf(stderr, "%s\n", mr.error().message.c_str());
    return 1;
  }
  const xs::Problem& p = mr.value().problem;
  const int n = static_cast<int>(p.clients.size());
  if (n > 25) {
    std::fprintf(stderr, "xj_schedule_exact: at most 25 orders (%d given)\n", n);
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  // Columns: per vehicle, per subset of allowed clients, the cheapest feasible sequence.
  std::vector<Column> cols;
  const int nv = static_cast<int>(p.vehicles.size());
  for (int v = 0; v < nv; ++v) {
    std::vector<int> allowed;
    for (int i = 0; i < n; ++i)
      if (p.allowed(i, v)) allowed.push_back(i);
    std::map<std::vector<int>, double> best;
    std::vector<int> seq;
    const int cap = p.vehicles[static_cast<size_t>(v)].max_visits;
    // Depth-first over sequences, extending only feasible prefixes.
    auto dfs = [&](auto&& self) -> void {
      for (int i : allowed) {
        if (std::find(seq.begin(), seq.end(), i) != seq.end()) continue;
        seq.push_back(i);
        double km;
        if (feasible(p, seq, v, km)) {
          std::vector<int> key = seq;
          std::sort(key.begin(), key.end());
          auto it = best.find(key);
          if (it == best.end() || km < it->second) best[key] = km;
          if (static_cast<int>(seq.size()) < cap) self(self);
        }  // else: with waiting allowed, no extension of a late prefix is on time

        seq.pop_back();
      }
    };
    dfs(dfs);
    for (auto& [key, km] : best) cols.push_back({v, key, km});
  }
  Cbc_Model* m = Cbc_newModel();
  Cbc_setParameter(m, "logLevel", "0");
  Cbc_setObjSense(m, 1);
  double constant = 0;
  for (const auto& x : p.clients) constant += x.required ? 0 : x.prize;
  for (double b : p.group_bonus) constant += b;
  // Required (fixed) clients that stay unserved would cost the model's penalty: force them.
  const int ncol = static_cast<int>(cols.size());
  for (int k = 0; k < ncol; ++k) {
    double obj = p.travel_weight * cols[static_cast<size_t>(k)].km;
    for (int i : cols[static_cast<size_t>(k)].clients)
      if (!p.clients[static_cast<size_t>(i)].required)
        obj -= p.clients[static_cast<size_t>(i)].prize;
    Cbc_addCol(m, "", 0, 1, obj, 1, 0, nullptr, nullptr);
  }
  const int ng = static_cast<int>(p.group_bonus.size());
  for (int g = 0; g < ng; ++g)
    Cbc_addCol(m, "", 0, 1, -p.group_bonus[static_cast<size_t>(g)], 1, 0, nullptr, nullptr);
  // Balance: z[l][k] = 1 when lecturer l gives k sessions.
  const int nl = p.num_resources;
  std::vector<int> max_load(static_cast<size_t>(nl), 0);
  for (const auto& veh : p.vehicles) max_load[static_cast<size_t>(veh.resource)] += veh.max_visits;
  std::vector<int> zstart(static_cast<size_t>(nl));
  int next = ncol + ng;
  for (int l = 0; l < nl; ++l) {
    const int kmax = std::min(max_load[static_cast<size_t>(l)], n);
    zstart[static_cast<size_t>(l)] = next;
    for (int k = 0; k <= kmax; ++k, ++next)
      Cbc_addCol(m, "", 0, 1, p.balance_weight * k * k, 1, 0, nullptr, nullptr);
  }
  std::vector<int> idx;
  std::vector<double> val;
  // Each order at most once (fixed ones exactly once).
  for (int i = 0; i < n; ++i) {
    idx.clear();
    val.clear();
    for (int k = 0; k < ncol; ++k)
      if (std::binary_search(cols[static_cast<size_t>(k)].clients.begin(),
                             cols[static_cast<size_t>(k)].clients.end(), i)) {
        idx.push_back(k);
        val.push_back(1);
      }
    const bool req = p.clients[static_cast<size_t>(i)].required;
    Cbc_addRow(m, "", static_cast<int>(idx.size()), idx.data(), val.data(), req ? 'E' : 'L', 1);
  }
  // Each lecturer-day at most one route.
  for (int v = 0; v < nv; ++v) {
    idx.clear();
    val.clear();
    for (int k = 0; k < ncol; ++k)
      if (cols[static_cast<size_t>(k)].vehicle == v) {
        idx.push_back(k);
        val.push_back(1);
      }
    if (!idx.empty())
      Cbc_addRow(m, "", static_cast<int>(idx.size()), idx.data(), val.data(), 'L', 1);
  }
  // A group counts as reached only if a served order reaches it.
  for (int g = 0; g < ng; ++g) {
    idx.assign(1, ncol + g);
    val.assign(1, 1);
    for (int k = 0; k < ncol; ++k) {
      bool hit = false;
      for (int i : cols[static_cast<size_t>(k)].clients)
        for (int x : p.clients[static_cast<size_t>(i)].groups) hit = hit || x == g;
      if (hit) {
        idx.push_back(k);
        val.push_back(-1);
      }
    }
    Cbc_addRow(m, "", static_cast<int>(idx.size()), idx.data(), val.data(), 'L', 0);
  }
  // Load of each lecturer = sum k z[l][k]; one k each.
  for (int l = 0; l < nl; ++l) {
    const int kmax = std::min(max_load[static_cast<size_t>(l)], n);
    idx.clear();
    val.clear();
    for (int k = 0; k <= kmax; ++k) {
      idx.push_back(zstart[static_cast<size_t>(l)] + k);
      val.push_back(1);
    }
    Cbc_addRow(m, "", static_cast<int>(idx.size()), idx.data(), val.data(), 'E', 1);
    for (int k = 0; k <= kmax; ++k) val[static_cast<size_t>(k)] = -k;
    for (int k = 0; k < ncol; ++k)
      if (p.vehicles[static_cast<size_t>(cols[static_cast<size_t>(k)].vehicle)].resource == l) {
        idx.push_back(k);
        val.push_back(static_cast<double>(cols[static_cast<size_t>(k)].clients.size()));
      }
    Cbc_addRow(m, "", static_cast<int>(idx.size()), idx.data(), val.data(), 'E', 0);
  }
  Cbc_solve(m);
  const bool optimal = Cbc_isProvenOptimal(m) != 0;
  const double objective = Cbc_getObjValue(m) + constant;
  Cbc_deleteModel(m);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"objective\": %.6f, \"optimal\": %s, \"columns\": %d, \"seconds\": %.3f}\n",
              objective, optimal ? "true" : "false", ncol, secs);
  return optimal ? 0 : 1;
}
