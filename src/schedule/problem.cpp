#include "schedule/problem.hpp"

#include <algorithm>
#include <cmath>

namespace xj::schedule {

namespace {
constexpr double kEps = 1e-7;
}

bool Problem::allowed(int client, int vehicle) const {
  const Client& c = clients[static_cast<size_t>(client)];
  if (c.fixed_vehicle >= 0) return c.fixed_vehicle == vehicle;
  if (allowed_vehicles.empty()) return true;
  const auto& list = allowed_vehicles[static_cast<size_t>(client)];
  return std::binary_search(list.begin(), list.end(), vehicle);
}

std::string Problem::validate() const {
  const auto n = static_cast<size_t>(num_nodes);
  if (num_nodes <= 0) return "no nodes";
  if (distance.size() != n * n) return "distance matrix size";
  if (!travel_time.empty() && travel_time.size() != n * n) return "travel time matrix size";
  if (vehicles.empty()) return "no vehicles";
  for (const Vehicle& v : vehicles) {
    if (v.start_node < 0 || v.start_node >= num_nodes || v.end_node < 0 || v.end_node >= num_nodes)
      return "vehicle node out of range";
  }
  if (!allowed_vehicles.empty() && allowed_vehicles.size() != clients.size())
    return "allowed_vehicles size";
  for (size_t i = 0; i < clients.size(); ++i) {
    const Client& c = clients[i];
    if (c.node < 0 || c.node >= num_nodes) return "client node out of range";
    if (c.fixed_vehicle >= static_cast<int>(vehicles.size())) return "fixed vehicle out of range";
    for (int g : c.groups)
      if (g < 0 || g >= static_cast<int>(group_bonus.size())) return "group out of range";
    if (!allowed_vehicles.empty()) {
      const auto& l = allowed_vehicles[i];
      if (!std::is_sorted(l.begin(), l.end())) return "allowed_vehicles not sorted";
      for (int v : l)
        if (v < 0 || v >= static_cast<int>(vehicles.size())) return "allowed vehicle range";
    }
  }
  for (const Vehicle& v : vehicles)
    if (v.resource >= num_resources) return "vehicle resource out of range";
  return "";
}

Evaluation evaluate(const Problem& p, const Solution& s) {
  Evaluation e;
  auto fail = [&e](std::string why) {
    if (e.feasible) e.violation = std::move(why);
    e.feasible = false;
  };
  std::vector<int> seen(p.clients.size(), 0);
  std::vector<int> load(static_cast<size_t>(std::max(p.num_resources, 0)), 0);
  std::vector<int> group_count(p.group_bonus.size(), 0);
  if (s.routes.size() != p.vehicles.size()) fail("routes.size() != vehicles.size()");
  for (size_t v = 0; v < s.routes.size() && v < p.vehicles.size(); ++v) {
    const auto& route = s.routes[v];
    if (route.empty()) continue;
    const Vehicle& veh = p.vehicles[v];
    ++e.routes_used;
    double t = veh.earliest;
    double demand = 0;
    int prev = veh.start_node;
    for (int c : route) {
      if (c < 0 || c >= static_cast<int>(p.clients.size())) {
        fail("client index out of range");
        continue;
      }
      const Client& cl = p.clients[static_cast<size_t>(c)];
      if (++seen[static_cast<size_t>(c)] > 1) fail("client " + std::to_string(c) + " twice");
      if (!p.allowed(c, static_cast<int>(v)))
        fail("client " + std::to_string(c) + " not allowed on vehicle " + std::to_string(v));
      const int loc = location(p, c, static_cast<int>(v));
      e.distance += p.dist(prev, loc);
      t = std::max(t + p.time(prev, loc), cl.ready);
      if (t > cl.due + kEps) fail("client " + std::to_string(c) + " late");
      t += cl.service;
      demand += cl.demand;
      prev = loc;
      ++e.served;
      e.prize_served += cl.prize;
      if (veh.resource >= 0) ++load[static_cast<size_t>(veh.resource)];
      for (int g : cl.groups) ++group_count[static_cast<size_t>(g)];
    }
    e.distance += p.dist(prev, veh.end_node);
    t += p.time(prev, veh.end_node);
    if (t > veh.latest + kEps) fail("vehicle " + std::to_string(v) + " back late");
    if (demand > veh.capacity + kEps) fail("vehicle " + std::to_string(v) + " over capacity");
    if (static_cast<int>(route.size()) > veh.max_visits)
      fail("vehicle " + std::to_string(v) + " over its visits");
    e.duration += t - veh.earliest;
  }
  if (p.max_routes >= 0 && e.routes_used > p.max_routes) fail("more routes than allowed");
  double penalty = p.required_penalty;
  if (penalty <= 0) {
    double m = 0;
    for (double d : p.distance) m = std::max(m, d);
    penalty = 1e3 + 100.0 * m * p.travel_weight;
  }
  double unserved_cost = 0;
  for (size_t c = 0; c < p.clients.size(); ++c) {
    if (seen[c] > 0) continue;
    const Client& cl = p.clients[c];
    if (cl.required) {
      ++e.unserved_required;
      unserved_cost += penalty;
    } else {
      unserved_cost += cl.prize;
    }
    e.prize_unserved += cl.prize;
  }
  for (size_t g = 0; g < group_count.size(); ++g)
    if (group_count[g] == 0) e.group_penalty += p.group_bonus[g];
  for (int l : load) e.balance_penalty += p.balance_weight * static_cast<double>(l) * l;
  e.cost = p.travel_weight * e.distance + unserved_cost + e.group_penalty + e.balance_penalty;
  return e;
}

}  // namespace xj::schedule
