// The solver's instance model: a rich vehicle-routing problem with time windows that the three
// front ends (Solomon VRPTW, TOPTW, campaign dispatch) translate into.
//
// A route is one vehicle; in a campaign a vehicle is one lecturer-day (home = depot). A client is
// one visit (one order, one lecture). Clients are either required (unserved ones cost a large
// penalty) or optional with a prize (unserved ones cost their prize): team orienteering.
#pragma once

#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace xj::schedule {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// An expected failure: a malformed file, an impossible instance. `field` names the offending
// part of the input (e.g. "orders[3].window") when there is one.
struct Error {
  std::string code;
  std::string message;
  std::string field;
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  // REQUIRES: ok().
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  // REQUIRES: !ok().
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Client {
  int node = 0;          // location: index into the matrices
  double service = 0;    // service duration, in time units
  double ready = 0;      // earliest start of service
  double due = kInf;     // latest start of service
  double demand = 0;     // against Vehicle::capacity
  bool required = true;  // a required client left unserved costs Problem::required_penalty
  double prize = 0;      // an optional client left unserved costs its prize (objective units)
  // Served from wherever the vehicle starts (an online lecture given from home): its location
  // is the serving vehicle's start node, not `node`.
  bool at_vehicle_home = false;
  // >= 0: the client must be served by this vehicle and is never moved elsewhere (an accepted
  // assignment). The order of visits inside that vehicle may still change.
  int fixed_vehicle = -1;
  std::vector<int> groups;  // coverage groups (league/city, audience group) it reaches
  // Window on an absolute time axis, used only to judge which clients are near each other
  // (a campaign's orders lie in different days). Defaults to [ready, due].
  double proximity_ready = 0;
  double proximity_due = kInf;
};

struct Vehicle {
  int start_node = 0;
  int end_node = 0;
  double earliest = 0;     // leaves start_node no earlier
  double latest = kInf;    // back at end_node no later
  double capacity = kInf;  // sum of demands
  int max_visits = std::numeric_limits<int>::max();
  int resource = -1;  // balance group (a lecturer); -1: none
};

struct Problem {
  int num_nodes = 0;
  std::vector<double> distance;     // num_nodes * num_nodes, row-major, objective length
  std::vector<double> travel_time;  // same shape; empty: distance * time_per_distance
  double time_per_distance = 1.0;
  std::vector<Client> clients;
  std::vector<Vehicle> vehicles;
  // Empty: every client may use every vehicle. Otherwise one sorted list per client.
  std::vector<std::vector<int>> allowed_vehicles;
  // At most this many non-empty routes (identical spare vehicles need not be listed twice
  // but may be); < 0: no limit beyond vehicles.size().
  int max_routes = -1;

  // Objective (minimised): travel_weight * distance + unserved penalties/prizes
  //   + group_bonus of every group with no served client + balance_weight * sum(load^2)
  // where load is the number of visits per resource.
  double travel_weight = 1.0;
  double required_penalty = 0;  // <= 0: derived from the distances (dominates any travel)
  std::vector<double> group_bonus;
  int num_resources = 0;
  double balance_weight = 0;

  double dist(int a, int b) const {
    return distance[static_cast<size_t>(a) * static_cast<size_t>(num_nodes) +
                    static_cast<size_t>(b)];
  }
  double time(int a, int b) const {
    const size_t i =
        static_cast<size_t>(a) * static_cast<size_t>(num_nodes) + static_cast<size_t>(b);
    return travel_time.empty() ? distance[i] * time_per_distance : travel_time[i];
  }
  bool allowed(int client, int vehicle) const;
  // Returns a description of the first inconsistency (sizes, indices), or "" when consistent.
  std::string validate() const;
};

// One plan: the visits of every vehicle in order (client indices) and what is left unserved.
struct Solution {
  std::vector<std::vector<int>> routes;  // routes.size() == vehicles.size()
  std::vector<int> unserved;
};

// Objective terms of a solution, recomputed from scratch (the solver's own bookkeeping is
// incremental; this is the reference).
struct Evaluation {
  bool feasible = true;   // time windows, capacity, visits, compatibility, route limit
  std::string violation;  // first violation found, "" when feasible
  double distance = 0;
  double duration = 0;  // sum over used routes of (return - departure), departures as early as
                        // possible
  int routes_used = 0;
  int served = 0;
  int unserved_required = 0;
  double prize_served = 0;
  double prize_unserved = 0;
  double group_penalty = 0;
  double balance_penalty = 0;
  double cost = 0;  // the objective as defined on Problem
};

Evaluation evaluate(const Problem& problem, const Solution& solution);

// The location a client is served at when vehicle `vehicle` serves it.
inline int location(const Problem& p, int client, int vehicle) {
  const Client& c = p.clients[static_cast<size_t>(client)];
  return c.at_vehicle_home ? p.vehicles[static_cast<size_t>(vehicle)].start_node : c.node;
}

}  // namespace xj::schedule
