#include "checker.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace xj::schedule::test {

namespace {

constexpr double kTol = 1e-6;

double arc(const BenchPoint& a, const BenchPoint& b, bool solomon, bool hierarchical,
           int decimals) {
  const double e = std::hypot(a.x - b.x, a.y - b.y);
  if (solomon) return hierarchical ? e : std::floor(e * 10) / 10;
  const double s = decimals == 2 ? 100 : 10;
  return std::floor(e * s) / s;
}

// Own haversine, independent of the library's.
double km_between(double lat1, double lon1, double lat2, double lon2) {
  const double r = M_PI / 180;
  const double a =
      std::pow(std::sin((lat2 - lat1) * r / 2), 2) +
      std::cos(lat1 * r) * std::cos(lat2 * r) * std::pow(std::sin((lon2 - lon1) * r / 2), 2);
  return 2 * 6371.0 * std::asin(std::sqrt(a));
}

int clock_minutes(const std::string& s) {
  return std::stoi(s.substr(0, 2)) * 60 + std::stoi(s.substr(3, 2));
}

}  // namespace

BenchCheck check_bench(const BenchInstance& inst, bool hierarchical, int round_decimals,
                       int max_vehicles, const std::vector<std::vector<int>>& routes) {
  BenchCheck r;
  const bool solomon = inst.format == BenchFormat::kSolomon;
  const int n = static_cast<int>(inst.points.size()) - 1;
  std::vector<int> seen(static_cast<size_t>(n) + 1, 0);
  const BenchPoint& depot = inst.points[0];
  for (const auto& route : routes) {
    if (route.empty()) continue;
    ++r.vehicles;
    double t = depot.ready, load = 0;
    const BenchPoint* prev = &depot;
    for (int id : route) {
      if (id < 1 || id > n) {
        r.violations.push_back("customer " + std::to_string(id) + " does not exist");
        continue;
      }
      const BenchPoint& q = inst.points[static_cast<size_t>(id)];
      if (++seen[static_cast<size_t>(id)] == 2)
        r.violations.push_back("customer " + std::to_string(id) + " visited twice");
      const double a = arc(*prev, q, solomon, hierarchical, round_decimals);
      r.distance += a;
      t = std::max(t + a, q.ready);
      if (t > q.due + kTol)
        r.violations.push_back("customer " + std::to_string(id) + " served at " +
                               std::to_string(t) + " after its due time " + std::to_string(q.due));
      t += q.service;
      if (solomon)
        load += q.value;
      else
        r.profit += q.value;
      prev = &q;
    }
    const double back = arc(*prev, depot, solomon, hierarchical, round_decimals);
    r.distance += back;
    t += back;
    if (t > depot.due + kTol) r.violations.push_back("a route returns after the depot closes");
    if (solomon && load > inst.capacity + kTol)
      r.violations.push_back("a route exceeds the capacity");
  }
  if (r.vehicles > max_vehicles)
    r.violations.push_back(std::to_string(r.vehicles) + " vehicles used, at most " +
                           std::to_string(max_vehicles) + " allowed");
  for (int i = 1; i <= n; ++i) {
    if (seen[static_cast<size_t>(i)])
      ++r.visited;
    else if (solomon)
      r.violations.push_back("customer " + std::to_string(i) + " not visited");
  }
  return r;
}

std::vector<std::vector<int>> routes_of(const Json& result) {
  std::vector<std::vector<int>> out;
  const Json* routes = result.find("routes");
  if (!routes || !routes->is_array()) return out;
  for (const Json& r : routes->items()) {
    std::vector<int> ids;
    for (const Json& x : r.items()) ids.push_back(static_cast<int>(x.as_integer()));
    out.push_back(std::move(ids));
  }
  return out;
}

CampaignCheck check_campaign_plan(const Campaign& c, const Json& plan) {
  CampaignCheck r;
  auto bad = [&r](std::string s) { r.violations.push_back(std::move(s)); };
  std::map<std::string, const Lecturer*> lecturers;
  std::map<std::string, const Order*> orders;
  for (const auto& l : c.lecturers) lecturers[l.id] = &l;
  for (const auto& o : c.orders) orders[o.id] = &o;
  std::map<std::pair<std::string, int>, int> sessions;        // (lecturer, day) -> count in plan
  std::map<std::string, std::pair<std::string, int>> placed;  // order -> (lecturer, day)
  const Json* routes = plan.find("routes");
  if (!routes || !routes->is_array()) {
    bad("plan has no routes");
    return r;
  }
  std::set<std::pair<std::string, int>> route_keys;
  for (const Json& route : routes->items()) {
    const std::string lid = route.find("lecturer")->as_string();
    int32_t date;
    if (!parse_date(route.find("date")->as_string(), date)) bad("bad route date");
    const int day = date - c.start_day;
    auto lit = lecturers.find(lid);
    if (lit == lecturers.end()) {
      bad("unknown lecturer " + lid);
      continue;
    }
    const Lecturer& lec = *lit->second;
    if (!route_keys.insert({lid, day}).second) bad("two routes for " + lid + " on one day");
    if (day < 0 || day >= c.days) bad("route outside the period");
    if (std::count(lec.unavailable.begin(), lec.unavailable.end(), day))
      bad(lid + " is unavailable on day " + std::to_string(day));
    const auto& visits = route.find("visits")->items();
    auto booked = lec.booked.find(day);
    const int cap = lec.max_sessions_per_day - (booked == lec.booked.end() ? 0 : booked->second);
    if (static_cast<int>(visits.size()) > cap)
      bad(lid + " gives " + std::to_string(visits.size()) + " sessions on day " +
          std::to_string(day) + ", cap " + std::to_string(cap));
    // Travel: from home, through the venues (online: at home), back home. A place is the id
    // naming it in a travel matrix (the lecturer's id for home) and its coordinates.
    struct Place {
      std::string id;
      GeoPoint at;
    };
    auto leg = [&](const Place& a, const Place& b, double& minutes) {
      if (!c.travel.matrix) {
        const double km = km_between(a.at.lat, a.at.lon, b.at.lat, b.at.lon) * c.travel.road_factor;
        minutes = km / c.travel.speed_kmh * 60;
        return km;
      }
      const auto ia = std::find(c.travel.ids.begin(), c.travel.ids.end(), a.id);
      const auto ib = std::find(c.travel.ids.begin(), c.travel.ids.end(), b.id);
      if (ia == c.travel.ids.end() || ib == c.travel.ids.end()) {
        bad("no travel matrix entry between " + a.id + " and " + b.id);
        minutes = 0;
        return 0.0;
      }
      const auto ra = static_cast<size_t>(ia - c.travel.ids.begin());
      const auto rb = static_cast<size_t>(ib - c.travel.ids.begin());
      const double km = c.travel.km[ra][rb];
      minutes = c.travel.minutes.empty() ? km / c.travel.speed_kmh * 60 : c.travel.minutes[ra][rb];
      return km;
    };
    const Place home{lid, lec.home};
    double t = c.day_start;
    Place here = home;
    double route_km = 0;
    for (const Json& v : visits) {
      const std::string oid = v.find("order")->as_string();
      auto oit = orders.find(oid);
      if (oit == orders.end()) {
        bad("unknown order " + oid);
        continue;
      }
      const Order& o = *oit->second;
      ++r.served;
      if (placed.count(oid)) bad("order " + oid + " served twice");
      placed[oid] = {lid, day};
      if (day < o.day_from || day > o.day_to) bad("order " + oid + " outside its date window");
      auto has = [](const std::vector<std::string>& xs, const std::string& x) {
        return std::find(xs.begin(), xs.end(), x) != xs.end();
      };
      if ((!o.category.empty() && !has(lec.categories, o.category)) ||
          (!o.topic.empty() && !has(lec.topics, o.topic)) ||
          (!o.language.empty() && !has(lec.languages, o.language)) ||
          (!o.lecturer.empty() && o.lecturer != lid))
        bad(lid + " does not qualify for order " + oid);
      const Place venue = o.online ? home : Place{oid, o.location};
      double minutes;
      route_km += leg(here, venue, minutes);
      const double arrive = t + minutes;
      const double earliest = std::max(arrive, static_cast<double>(o.time_from));
      // The printed start may wait past the earliest possible one (plans start on the five
      // minutes), never before it (allowing the minute of rounding); the day goes on from it.
      const double start = clock_minutes(v.find("start")->as_string());
      if (start < earliest - 1.0) bad("order " + oid + " starts before the lecturer can be there");
      if (start > o.time_to + kTol) bad("order " + oid + " cannot start in its time window");
      t = start + o.duration;
      here = venue;
    }
    double minutes;
    route_km += leg(here, home, minutes);
    t += minutes;
    if (t > c.day_end + kTol)
      bad(lid + " is back home after the day ends on day " + std::to_string(day));
    r.km += route_km;
    sessions[{lid, day}] += static_cast<int>(visits.size());
  }
  for (const FixedAssignment& f : c.fixed) {
    auto it = placed.find(f.order);
    if (it == placed.end() || it->second != std::make_pair(f.lecturer, f.day))
      bad("fixed assignment of order " + f.order + " was not kept");
  }
  const Json* flat = plan.find("assignments");
  if (!flat || flat->items().size() != placed.size()) {
    bad("assignment list does not match the routes");
  } else {
    for (const Json& a : flat->items()) {
      int32_t date;
      parse_date(a.find("date")->as_string(), date);
      auto it = placed.find(a.find("order")->as_string());
      if (it == placed.end() || it->second != std::make_pair(a.find("lecturer")->as_string(),
                                                             static_cast<int>(date - c.start_day)))
        bad("assignment list entry differs from the routes");
    }
  }
  const Json* un = plan.find("unassigned");
  if (!un || placed.size() + un->items().size() != c.orders.size())
    bad("served plus unassigned orders do not add up to all orders");
  return r;
}

}  // namespace xj::schedule::test
