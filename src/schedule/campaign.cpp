#include "schedule/campaign.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "schedule/json.hpp"

namespace xj::schedule {

namespace {

constexpr std::string_view kSchema = "xuanjiang.campaign/1";

// Thrown only inside this file while reading a campaign, and turned into an Error by
// parse_campaign: it keeps the hundred field checks below one line each.
struct SchemaError {
  std::string field;
  std::string message;
};

[[noreturn]] void fail(const std::string& field, const std::string& message) {
  throw SchemaError{field, message};
}

std::string describe(const Json& j) { return Json::type_name(j.type()); }

// One JSON object being read: every getter marks its key, finish() rejects the others.
class Obj {
 public:
  Obj(const Json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j.is_object()) fail(path_, "expected an object, found " + describe(j));
  }
  std::string at(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const Json* get(std::string_view key, bool required) {
    used_.insert(std::string(key));
    const Json* v = j_.find(key);
    if (!v && required) fail(at(key), "is required");
    return v;
  }
  std::string str(std::string_view key, bool required, std::string def = "") {
    const Json* v = get(key, required);
    if (!v) return def;
    if (!v->is_string()) fail(at(key), "expected a string, found " + describe(*v));
    return v->as_string();
  }
  std::string id(std::string_view key) {
    std::string s = str(key, true);
    if (s.empty()) fail(at(key), "must not be empty");
    return s;
  }
  double num(std::string_view key, bool required, double def, double lo, double hi) {
    const Json* v = get(key, required);
    if (!v) return def;
    if (!v->is_number()) fail(at(key), "expected a number, found " + describe(*v));
    const double d = v->as_number();
    if (d < lo || d > hi) fail(at(key), "must be between " + fmt(lo) + " and " + fmt(hi));
    return d;
  }
  int integer(std::string_view key, bool required, int def, int lo, int hi) {
    const Json* v = get(key, required);
    if (!v) return def;
    if (!v->is_integer()) fail(at(key), "expected an integer, found " + describe(*v));
    const int64_t d = v->as_integer();
    if (d < lo || d > hi)
      fail(at(key), "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<int>(d);
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    const Json* v = get(key, false);
    if (!v) return out;
    if (!v->is_array()) fail(at(key), "expected an array of strings, found " + describe(*v));
    for (size_t i = 0; i < v->items().size(); ++i) {
      const Json& x = v->items()[i];
      if (!x.is_string() || x.as_string().empty())
        fail(at(key) + "[" + std::to_string(i) + "]", "expected a non-empty string");
      out.push_back(x.as_string());
    }
    return out;
  }
  const std::vector<Json>& array(std::string_view key, bool required) {
    static const std::vector<Json> kEmpty;
    const Json* v = get(key, required);
    if (!v) return kEmpty;
    if (!v->is_array()) fail(at(key), "expected an array, found " + describe(*v));
    return v->items();
  }
  void finish() const {
    for (const auto& m : j_.members())
      if (!used_.count(m.first)) fail(at(m.first), "unknown field");
  }
  static std::string fmt(double d) {
    std::ostringstream s;
    s << d;
    return s.str();
  }

 private:
  const Json& j_;
  std::string path_;
  std::set<std::string> used_;
};

int parse_clock(const std::string& s, const std::string& field) {
  // "HH:MM", 00:00 .. 24:00
  if (s.size() != 5 || s[2] != ':' || !isdigit(static_cast<unsigned char>(s[0])) ||
      !isdigit(static_cast<unsigned char>(s[1])) || !isdigit(static_cast<unsigned char>(s[3])) ||
      !isdigit(static_cast<unsigned char>(s[4])))
    fail(field, "expected a time HH:MM, found \"" + s + "\"");
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) fail(field, "no such time \"" + s + "\"");
  return h * 60 + m;
}

std::string format_clock(double minutes) {
  int m = static_cast<int>(std::lround(minutes));
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d", m / 60, m % 60);
  return buf.data();
}

GeoPoint parse_point(Obj& parent, std::string_view key, bool required) {
  const Json* v = parent.get(key, required);
  if (!v) return {};
  Obj o(*v, parent.at(key));
  GeoPoint p;
  p.lat = o.num("lat", true, 0, -90, 90);
  p.lon = o.num("lon", true, 0, -180, 180);
  o.finish();
  return p;
}

Campaign parse(const Json& root) {
  Campaign c;
  Obj top(root, "");
  const std::string schema = top.str("schema", false, std::string(kSchema));
  if (schema != kSchema)
    fail("schema", "unsupported schema \"" + schema + "\" (expected " + std::string(kSchema) + ")");
  c.name = top.str("name", true);
  {
    Obj period(*top.get("period", true), "period");
    int32_t a, b;
    const std::string s = period.str("start", true), e = period.str("end", true);
    if (!parse_date(s, a)) fail("period.start", "expected a date YYYY-MM-DD, found \"" + s + "\"");
    if (!parse_date(e, b)) fail("period.end", "expected a date YYYY-MM-DD, found \"" + e + "\"");
    if (b < a) fail("period.end", "is before period.start");
    if (b - a >= 366) fail("period.end", "a campaign plan covers at most 366 days");
    period.finish();
    c.start_day = a;
    c.days = b - a + 1;
  }
  if (const Json* d = top.get("day", false)) {
    Obj day(*d, "day");
    c.day_start = parse_clock(day.str("start", true), "day.start");
    c.day_end = parse_clock(day.str("end", true), "day.end");
    if (c.day_end <= c.day_start) fail("day.end", "must be after day.start");
    day.finish();
  }
  if (const Json* t = top.get("travel", false)) {
    Obj tr(*t, "travel");
    const std::string model = tr.str("model", true);
    c.travel.speed_kmh = tr.num("speed_kmh", false, 60, 1, 300);
    if (model == "great_circle") {
      c.travel.road_factor = tr.num("road_factor", false, 1.3, 1, 5);
    } else if (model == "matrix") {
      c.travel.matrix = true;
      c.travel.ids = tr.strings("ids");
      auto rows = [&](std::string_view key, bool required, std::vector<std::vector<double>>& out) {
        const auto& arr = tr.array(key, required);
        if (!tr.get(key, false)) return;
        if (arr.size() != c.travel.ids.size())
          fail(tr.at(key),
               "expected " + std::to_string(c.travel.ids.size()) + " rows (one per id)");
        for (size_t i = 0; i < arr.size(); ++i) {
          const std::string f = tr.at(key) + "[" + std::to_string(i) + "]";
          if (!arr[i].is_array() || arr[i].items().size() != c.travel.ids.size())
            fail(f, "expected an array of " + std::to_string(c.travel.ids.size()) + " numbers");
          std::vector<double> row;
          for (const Json& x : arr[i].items()) {
            if (!x.is_number() || x.as_number() < 0) fail(f, "expected non-negative numbers");
            row.push_back(x.as_number());
          }
          out.push_back(std::move(row));
        }
      };
      rows("km", true, c.travel.km);
      rows("minutes", false, c.travel.minutes);
    } else {
      fail("travel.model", R"(expected "great_circle" or "matrix", found ")" + model + "\"");
    }
    tr.finish();
  }
  if (const Json* w = top.get("weights", false)) {
    Obj wo(*w, "weights");
    c.weights.served = wo.num("served", false, c.weights.served, 0, 1e9);
    c.weights.coverage = wo.num("coverage", false, c.weights.coverage, 0, 1e9);
    c.weights.balance = wo.num("balance", false, c.weights.balance, 0, 1e9);
    c.weights.travel = wo.num("travel", false, c.weights.travel, 0, 1e9);
    wo.finish();
  }
  auto day_of = [&](const std::string& s, const std::string& field) {
    int32_t d;
    if (!parse_date(s, d)) fail(field, "expected a date YYYY-MM-DD, found \"" + s + "\"");
    if (d < c.start_day || d >= c.start_day + c.days)
      fail(field, "date " + s + " is outside the campaign period");
    return static_cast<int>(d - c.start_day);
  };
  std::map<std::string, int> lecturer_index, order_index;
  const auto& lecturers = top.array("lecturers", true);
  if (lecturers.empty()) fail("lecturers", "must not be empty");
  for (size_t i = 0; i < lecturers.size(); ++i) {
    const std::string path = "lecturers[" + std::to_string(i) + "]";
    Obj o(lecturers[i], path);
    Lecturer l;
    l.id = o.id("id");
    if (!lecturer_index.emplace(l.id, static_cast<int>(i)).second)
      fail(path + ".id", "duplicate lecturer id \"" + l.id + "\"");
    l.name = o.str("name", false);
    l.home = parse_point(o, "home", true);
    l.league = o.str("league", false);
    l.categories = o.strings("categories");
    l.topics = o.strings("topics");
    l.languages = o.strings("languages");
    l.max_sessions_per_day = o.integer("max_sessions_per_day", false, 2, 1, 20);
    for (const std::string& d : o.strings("unavailable"))
      l.unavailable.push_back(day_of(d, path + ".unavailable"));
    const auto& booked = o.array("booked", false);
    for (size_t k = 0; k < booked.size(); ++k) {
      const std::string bp = path + ".booked[" + std::to_string(k) + "]";
      Obj b(booked[k], bp);
      const int day = day_of(b.str("date", true), bp + ".date");
      l.booked[day] += b.integer("sessions", true, 0, 1, 20);
      b.finish();
    }
    o.finish();
    c.lecturers.push_back(std::move(l));
  }
  const auto& orders = top.array("orders", true);
  for (size_t i = 0; i < orders.size(); ++i) {
    const std::string path = "orders[" + std::to_string(i) + "]";
    Obj o(orders[i], path);
    Order x;
    x.id = o.id("id");
    if (!order_index.emplace(x.id, static_cast<int>(i)).second)
      fail(path + ".id", "duplicate order id \"" + x.id + "\"");
    x.title = o.str("title", false);
    const std::string mode = o.str("mode", false, "onsite");
    if (mode != "onsite" && mode != "online")
      fail(path + ".mode", R"(expected "onsite" or "online", found ")" + mode + "\"");
    x.online = mode == "online";
    x.location = parse_point(o, "location", !x.online);
    x.region = o.str("region", false);
    x.league = o.str("league", false);
    x.audience = o.str("audience", false);
    {
      Obj w(*o.get("window", true), path + ".window");
      x.day_from = day_of(w.str("from", true), path + ".window.from");
      x.day_to = day_of(w.str("to", true), path + ".window.to");
      if (x.day_to < x.day_from) fail(path + ".window.to", "is before window.from");
      w.finish();
    }
    x.duration = o.integer("duration_minutes", true, 0, 1, 24 * 60);
    x.time_from = c.day_start;
    x.time_to = c.day_end - x.duration;
    if (const Json* t = o.get("time", false)) {
      Obj tw(*t, path + ".time");
      x.time_from = parse_clock(tw.str("from", true), path + ".time.from");
      x.time_to = parse_clock(tw.str("to", true), path + ".time.to");
      if (x.time_to < x.time_from) fail(path + ".time.to", "is before time.from");
      tw.finish();
    }
    x.category = o.str("category", false);
    x.topic = o.str("topic", false);
    x.language = o.str("language", false);
    x.lecturer = o.str("lecturer", false);
    if (!x.lecturer.empty() && !lecturer_index.count(x.lecturer))
      fail(path + ".lecturer", "no lecturer with id \"" + x.lecturer + "\"");
    x.priority = o.integer("priority", false, 1, 1, 100);
    o.finish();
    c.orders.push_back(std::move(x));
  }
  const auto& fixed = top.array("fixed", false);
  std::set<std::string> fixed_orders;
  for (size_t i = 0; i < fixed.size(); ++i) {
    const std::string path = "fixed[" + std::to_string(i) + "]";
    Obj o(fixed[i], path);
    FixedAssignment f;
    f.order = o.id("order");
    f.lecturer = o.id("lecturer");
    f.day = day_of(o.str("date", true), path + ".date");
    if (!order_index.count(f.order)) fail(path + ".order", "no order with id \"" + f.order + "\"");
    if (!lecturer_index.count(f.lecturer))
      fail(path + ".lecturer", "no lecturer with id \"" + f.lecturer + "\"");
    if (!fixed_orders.insert(f.order).second)
      fail(path + ".order", "order \"" + f.order + "\" is fixed twice");
    o.finish();
    c.fixed.push_back(std::move(f));
  }
  top.finish();
  if (c.travel.matrix) {
    std::set<std::string> ids(c.travel.ids.begin(), c.travel.ids.end());
    if (ids.size() != c.travel.ids.size()) fail("travel.ids", "duplicate id");
    for (const Lecturer& l : c.lecturers)
      if (!ids.count(l.id)) fail("travel.ids", "lecturer \"" + l.id + "\" is missing");
    for (const Order& o : c.orders)
      if (!o.online && !ids.count(o.id)) fail("travel.ids", "order \"" + o.id + "\" is missing");
  }
  return c;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool qualifies(const Lecturer& l, const Order& o) { return qualification(l, o).all(); }

// Feasibility of visiting `route` (clients) with vehicle v in order, as early as possible.
bool route_ok(const Problem& p, const std::vector<int>& route, int v) {
  const Vehicle& veh = p.vehicles[static_cast<size_t>(v)];
  if (static_cast<int>(route.size()) > veh.max_visits) return false;
  double t = veh.earliest;
  int prev = veh.start_node;
  for (int c : route) {
    const Client& x = p.clients[static_cast<size_t>(c)];
    const int l = location(p, c, v);
    t = std::max(t + p.time(prev, l), x.ready);
    if (t > x.due + 1e-7) return false;
    t += x.service;
    prev = l;
  }
  return t + p.time(prev, veh.end_node) <= veh.latest + 1e-7;
}

// Start of each visit of `route`, on the five minutes (a union prints "10:20", not "10:19")
// when the route stays feasible so; to the minute otherwise. Rounding only ever delays a
// start, so travel between venues still fits.
std::vector<double> visit_starts(const Problem& p, const std::vector<int>& route, int v) {
  constexpr double kStep = 5;
  const Vehicle& veh = p.vehicles[static_cast<size_t>(v)];
  for (const bool rounded : {true, false}) {
    std::vector<double> starts;
    double t = veh.earliest;
    int prev = veh.start_node;
    bool ok = true;
    for (int c : route) {
      const Client& x = p.clients[static_cast<size_t>(c)];
      const int l = location(p, c, v);
      t = std::max(t + p.time(prev, l), x.ready);
      t = rounded ? std::ceil(t / kStep - 1e-9) * kStep : std::round(t);
      ok = ok && t <= x.due + 1e-7;
      starts.push_back(t);
      t += x.service;
      prev = l;
    }
    if (!rounded || (ok && t + p.time(prev, veh.end_node) <= veh.latest + 1e-7)) return starts;
  }
  return {};  // not reached: the second pass always returns
}

}  // namespace

double great_circle_km(GeoPoint a, GeoPoint b) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(h)));
}

bool parse_date(std::string_view s, int32_t& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (const size_t i : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U})
    if (!isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) return false;
  out = static_cast<int32_t>(std::chrono::sys_days(ymd).time_since_epoch().count());
  return true;
}

std::string format_date(int32_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf.data();
}

Result<Campaign> parse_campaign(std::string_view json) {
  auto j = parse_json(json);
  if (!j.ok()) return j.error();
  try {
    return parse(j.value());
  } catch (const SchemaError& e) {
    return Error{"invalid_instance", e.field + ": " + e.message, e.field};
  }
}

Result<Campaign> read_campaign_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error{"io_error", "cannot open " + path, "FILE"};
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse_campaign(ss.str());
}

std::string campaign_to_json(const Campaign& c) {
  JsonWriter w(9);
  w.begin_object();
  w.key("schema").value(kSchema);
  w.key("name").value(c.name);
  w.key("period").begin_object();
  w.key("start").value(format_date(c.start_day));
  w.key("end").value(format_date(c.start_day + c.days - 1));
  w.end_object();
  w.key("day").begin_object();
  w.key("start").value(format_clock(c.day_start));
  w.key("end").value(format_clock(c.day_end));
  w.end_object();
  w.key("travel").begin_object();
  if (c.travel.matrix) {
    w.key("model").value("matrix");
    w.key("speed_kmh").value(c.travel.speed_kmh);
    w.key("ids").begin_array();
    for (const auto& id : c.travel.ids) w.value(id);
    w.end_array();
    auto rows = [&](const char* key, const std::vector<std::vector<double>>& m) {
      if (m.empty()) return;
      w.key(key).begin_array();
      for (const auto& r : m) {
        w.begin_array();
        for (double x : r) w.value(x);
        w.end_array();
      }
      w.end_array();
    };
    rows("km", c.travel.km);
    rows("minutes", c.travel.minutes);
  } else {
    w.key("model").value("great_circle");
    w.key("road_factor").value(c.travel.road_factor);
    w.key("speed_kmh").value(c.travel.speed_kmh);
  }
  w.end_object();
  w.key("weights").begin_object();
  w.key("served").value(c.weights.served);
  w.key("coverage").value(c.weights.coverage);
  w.key("balance").value(c.weights.balance);
  w.key("travel").value(c.weights.travel);
  w.end_object();
  auto strings = [&](const char* key, const std::vector<std::string>& v) {
    w.key(key).begin_array();
    for (const auto& s : v) w.value(s);
    w.end_array();
  };
  w.key("lecturers").begin_array();
  for (const Lecturer& l : c.lecturers) {
    w.begin_object();
    w.key("id").value(l.id);
    if (!l.name.empty()) w.key("name").value(l.name);
    w.key("home").begin_object().key("lat").value(l.home.lat).key("lon").value(l.home.lon);
    w.end_object();
    if (!l.league.empty()) w.key("league").value(l.league);
    strings("categories", l.categories);
    strings("topics", l.topics);
    strings("languages", l.languages);
    w.key("max_sessions_per_day").value(l.max_sessions_per_day);
    w.key("unavailable").begin_array();
    for (int d : l.unavailable) w.value(format_date(c.start_day + d));
    w.end_array();
    w.key("booked").begin_array();
    for (const auto& [d, n] : l.booked)
      w.begin_object()
          .key("date")
          .value(format_date(c.start_day + d))
          .key("sessions")
          .value(n)
          .end_object();
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("orders").begin_array();
  for (const Order& o : c.orders) {
    w.begin_object();
    w.key("id").value(o.id);
    if (!o.title.empty()) w.key("title").value(o.title);
    w.key("mode").value(o.online ? "online" : "onsite");
    if (!o.online) {
      w.key("location").begin_object().key("lat").value(o.location.lat);
      w.key("lon").value(o.location.lon).end_object();
    }
    if (!o.region.empty()) w.key("region").value(o.region);
    if (!o.league.empty()) w.key("league").value(o.league);
    if (!o.audience.empty()) w.key("audience").value(o.audience);
    w.key("window").begin_object().key("from").value(format_date(c.start_day + o.day_from));
    w.key("to").value(format_date(c.start_day + o.day_to)).end_object();
    w.key("time").begin_object().key("from").value(format_clock(o.time_from));
    w.key("to").value(format_clock(o.time_to)).end_object();
    w.key("duration_minutes").value(o.duration);
    if (!o.category.empty()) w.key("category").value(o.category);
    if (!o.topic.empty()) w.key("topic").value(o.topic);
    if (!o.language.empty()) w.key("language").value(o.language);
    if (!o.lecturer.empty()) w.key("lecturer").value(o.lecturer);
    w.key("priority").value(o.priority);
    w.end_object();
  }
  w.end_array();
  w.key("fixed").begin_array();
  for (const FixedAssignment& f : c.fixed) {
    w.begin_object().key("order").value(f.order).key("lecturer").value(f.lecturer);
    w.key("date").value(format_date(c.start_day + f.day)).end_object();
  }
  w.end_array();
  w.end_object();
  return w.str() + "\n";
}

Result<CampaignModel> build_campaign_model(const Campaign& c) {
  CampaignModel m;
  Problem& p = m.problem;
  const int nl = static_cast<int>(c.lecturers.size());
  const int no = static_cast<int>(c.orders.size());
  p.num_nodes = nl + no;
  const auto nn = static_cast<size_t>(p.num_nodes);
  p.distance.assign(nn * nn, 0.0);
  p.time_per_distance = 60.0 / c.travel.speed_kmh;
  auto point = [&](int node) {
    return node < nl ? c.lecturers[static_cast<size_t>(node)].home
                     : c.orders[static_cast<size_t>(node - nl)].location;
  };
  if (c.travel.matrix) {
    std::map<std::string, size_t> at;
    for (size_t i = 0; i < c.travel.ids.size(); ++i) at[c.travel.ids[i]] = i;
    std::vector<int> row(nn, -1);
    for (int i = 0; i < p.num_nodes; ++i) {
      const std::string& id = i < nl ? c.lecturers[static_cast<size_t>(i)].id
                                     : c.orders[static_cast<size_t>(i - nl)].id;
      auto it = at.find(id);
      if (it != at.end()) row[static_cast<size_t>(i)] = static_cast<int>(it->second);
    }
    if (!c.travel.minutes.empty()) p.travel_time.assign(nn * nn, 0.0);
    for (size_t a = 0; a < nn; ++a) {
      for (size_t b = 0; b < nn; ++b) {
        if (row[a] < 0 || row[b] < 0) continue;  // online orders: never travelled to
        const auto ra = static_cast<size_t>(row[a]);
        const auto rb = static_cast<size_t>(row[b]);
        p.distance[a * nn + b] = c.travel.km[ra][rb];
        if (!p.travel_time.empty()) p.travel_time[a * nn + b] = c.travel.minutes[ra][rb];
      }
    }
  } else {
    for (int a = 0; a < p.num_nodes; ++a)
      for (int b = a + 1; b < p.num_nodes; ++b) {
        const double d = great_circle_km(point(a), point(b)) * c.travel.road_factor;
        p.distance[static_cast<size_t>(a) * nn + static_cast<size_t>(b)] = d;
        p.distance[static_cast<size_t>(b) * nn + static_cast<size_t>(a)] = d;
      }
  }
  // Vehicles: lecturer-days, day-major.
  std::map<std::pair<int, int>, int> vehicle_of;  // (lecturer, day) -> vehicle
  for (int d = 0; d < c.days; ++d) {
    for (int l = 0; l < nl; ++l) {
      const Lecturer& lec = c.lecturers[static_cast<size_t>(l)];
      if (std::find(lec.unavailable.begin(), lec.unavailable.end(), d) != lec.unavailable.end())
        continue;
      auto b = lec.booked.find(d);
      const int cap = lec.max_sessions_per_day - (b == lec.booked.end() ? 0 : b->second);
      if (cap <= 0) continue;
      Vehicle v;
      v.start_node = v.end_node = l;
      v.earliest = c.day_start;
      v.latest = c.day_end;
      v.max_visits = cap;
      v.resource = l;
      vehicle_of[{l, d}] = static_cast<int>(p.vehicles.size());
      p.vehicles.push_back(v);
      m.vehicle_lecturer.push_back(l);
      m.vehicle_day.push_back(d);
    }
  }
  if (p.vehicles.empty())
    return Error{"invalid_instance", "no lecturer is available on any day of the period",
                 "lecturers"};
  // Coverage groups.
  std::map<std::string, int> group;
  auto group_id = [&](const std::string& name) {
    auto it = group.emplace(name, static_cast<int>(group.size())).first;
    if (static_cast<size_t>(it->second) == m.group_names.size()) m.group_names.push_back(name);
    return it->second;
  };
  std::map<std::string, std::string> fixed_to;
  for (const auto& f : c.fixed) fixed_to[f.order] = f.lecturer;
  p.allowed_vehicles.resize(static_cast<size_t>(no));
  m.eligible_lecturers.assign(static_cast<size_t>(no), 0);
  for (int i = 0; i < no; ++i) {
    const Order& o = c.orders[static_cast<size_t>(i)];
    Client x;
    x.node = nl + i;
    x.service = o.duration;
    x.ready = o.time_from;
    x.due = o.time_to;
    x.required = false;
    x.prize = c.weights.served * o.priority;
    x.at_vehicle_home = o.online;
    x.proximity_ready = o.day_from * 1440.0 + o.time_from;
    x.proximity_due = o.day_to * 1440.0 + o.time_to;
    if (!o.league.empty()) x.groups.push_back(group_id("league:" + o.league));
    if (!o.audience.empty()) x.groups.push_back(group_id("audience:" + o.audience));
    std::vector<int> qualified;
    for (int l = 0; l < nl; ++l)
      if (qualifies(c.lecturers[static_cast<size_t>(l)], o)) qualified.push_back(l);
    m.eligible_lecturers[static_cast<size_t>(i)] = static_cast<int>(qualified.size());
    auto& allowed = p.allowed_vehicles[static_cast<size_t>(i)];
    for (int d = o.day_from; d <= o.day_to; ++d)
      for (int l : qualified) {
        auto it = vehicle_of.find({l, d});
        if (it != vehicle_of.end()) allowed.push_back(it->second);
      }
    std::sort(allowed.begin(), allowed.end());
    p.clients.push_back(std::move(x));
  }
  std::map<std::string, int> order_index;
  std::map<std::string, int> lecturer_index;
  for (int i = 0; i < no; ++i) order_index[c.orders[static_cast<size_t>(i)].id] = i;
  for (int l = 0; l < nl; ++l) lecturer_index[c.lecturers[static_cast<size_t>(l)].id] = l;
  std::map<int, int> fixed_count;
  for (size_t k = 0; k < c.fixed.size(); ++k) {
    const FixedAssignment& f = c.fixed[k];
    const std::string field = "fixed[" + std::to_string(k) + "]";
    const int i = order_index.at(f.order);
    const int l = lecturer_index.at(f.lecturer);
    const Order& o = c.orders[static_cast<size_t>(i)];
    if (f.day < o.day_from || f.day > o.day_to)
      return Error{"invalid_instance", field + ": date is outside the window of order " + o.id,
                   field + ".date"};
    if (!qualifies(c.lecturers[static_cast<size_t>(l)], o))
      return Error{"invalid_instance",
                   field + ": lecturer " + f.lecturer + " does not qualify for order " + o.id,
                   field + ".lecturer"};
    auto it = vehicle_of.find({l, f.day});
    if (it == vehicle_of.end())
      return Error{"invalid_instance",
                   field + ": lecturer " + f.lecturer + " is unavailable or fully booked on " +
                       format_date(c.start_day + f.day),
                   field + ".date"};
    if (++fixed_count[it->second] > p.vehicles[static_cast<size_t>(it->second)].max_visits)
      return Error{"invalid_instance",
                   field + ": more fixed sessions than lecturer " + f.lecturer + " may give on " +
                       format_date(c.start_day + f.day),
                   field};
    Client& x = p.clients[static_cast<size_t>(i)];
    x.fixed_vehicle = it->second;
    x.required = true;
  }
  p.group_bonus.assign(m.group_names.size(), c.weights.coverage);
  p.num_resources = nl;
  p.balance_weight = c.weights.balance;
  p.travel_weight = c.weights.travel;
  // Fixed assignments dominate everything else.
  double mx = 0;
  for (double d : p.distance) mx = std::max(mx, d);
  double prizes = 0;
  for (const Client& x : p.clients) prizes += x.prize;
  p.required_penalty = 1e3 + 10 * (prizes + 100 * mx * std::max(1.0, c.weights.travel) +
                                   c.weights.coverage * static_cast<double>(m.group_names.size()));
  return m;
}

Solution greedy_campaign(const CampaignModel& m, const Campaign& c) {
  const Problem& p = m.problem;
  Solution s;
  s.routes.assign(p.vehicles.size(), {});
  std::vector<int> order(p.clients.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const Client& x = p.clients[static_cast<size_t>(a)];
    const Client& y = p.clients[static_cast<size_t>(b)];
    if ((x.fixed_vehicle >= 0) != (y.fixed_vehicle >= 0)) return x.fixed_vehicle >= 0;
    if (x.proximity_ready != y.proximity_ready) return x.proximity_ready < y.proximity_ready;
    return c.orders[static_cast<size_t>(a)].priority > c.orders[static_cast<size_t>(b)].priority;
  });
  std::vector<char> served(p.clients.size(), 0);
  for (int i : order) {
    const auto& allowed = p.clients[static_cast<size_t>(i)].fixed_vehicle >= 0
                              ? std::vector<int>{p.clients[static_cast<size_t>(i)].fixed_vehicle}
                              : p.allowed_vehicles[static_cast<size_t>(i)];
    // Day first (vehicles are day-major), then the nearest lecturer home.
    std::vector<int> cand(allowed.begin(), allowed.end());
    const int node = p.clients[static_cast<size_t>(i)].node;
    std::stable_sort(cand.begin(), cand.end(), [&](int a, int b) {
      const int da = m.vehicle_day[static_cast<size_t>(a)];
      const int db = m.vehicle_day[static_cast<size_t>(b)];
      if (da != db) return da < db;
      return p.dist(p.vehicles[static_cast<size_t>(a)].start_node, node) <
             p.dist(p.vehicles[static_cast<size_t>(b)].start_node, node);
    });
    for (int v : cand) {
      auto& r = s.routes[static_cast<size_t>(v)];
      r.push_back(i);
      if (route_ok(p, r, v)) {
        served[static_cast<size_t>(i)] = 1;
        break;
      }
      r.pop_back();
    }
  }
  for (size_t i = 0; i < served.size(); ++i)
    if (!served[i]) s.unserved.push_back(static_cast<int>(i));
  return s;
}

Result<Solution> plan_campaign(const Campaign& c, const CampaignModel& m,
                               const SolverOptions& options, SolverStats* stats) {
  // Start from the greedy baseline: the annealing keeps the best plan seen, so the result is
  // never worse than the baseline.
  const Solution start = greedy_campaign(m, c);
  SolverOptions o = options;
  if (!o.initial) o.initial = &start;
  Solution s = solve(m.problem, o, stats);
  for (const FixedAssignment& f : c.fixed) {
    for (size_t i = 0; i < c.orders.size(); ++i) {
      if (c.orders[i].id != f.order) continue;
      const int v = m.problem.clients[i].fixed_vehicle;
      const auto& r = s.routes[static_cast<size_t>(v)];
      if (std::find(r.begin(), r.end(), static_cast<int>(i)) == r.end())
        return Error{"infeasible_fixed",
                     "the fixed assignments of lecturer " + f.lecturer + " on " +
                         format_date(c.start_day + f.day) +
                         " cannot all be kept (time windows and travel)",
                     "fixed"};
    }
  }
  return s;
}

std::string campaign_plan_json(const Campaign& c, const CampaignModel& m, const Solution& s,
                               const CampaignRunInfo& info) {
  const Problem& p = m.problem;
  const int nl = static_cast<int>(c.lecturers.size());
  const Evaluation e = evaluate(p, s);
  JsonWriter w(10);
  w.begin_object();
  w.key("campaign").value(c.name);
  w.key("method").value(info.method);
  w.key("seed").value(static_cast<int64_t>(info.seed));
  w.key("time_limit").value(info.time_limit);
  w.key("seconds").value(std::round(info.seconds * 1000) / 1000);
  w.key("iterations").value(info.iterations);
  w.key("feasible").value(e.feasible);
  // Objective terms.
  std::vector<int> load(static_cast<size_t>(nl), 0);
  double prio_served = 0, prio_total = 0, minutes = 0;
  std::vector<int> group_count(m.group_names.size(), 0);
  for (size_t v = 0; v < s.routes.size(); ++v) {
    const auto& r = s.routes[v];
    load[static_cast<size_t>(m.vehicle_lecturer[v])] += static_cast<int>(r.size());
    int prev = p.vehicles[v].start_node;
    for (int i : r) {
      const int l = location(p, i, static_cast<int>(v));
      minutes += p.time(prev, l);
      prev = l;
      prio_served += c.orders[static_cast<size_t>(i)].priority;
      for (int g : p.clients[static_cast<size_t>(i)].groups) ++group_count[static_cast<size_t>(g)];
    }
    if (!r.empty()) minutes += p.time(prev, p.vehicles[v].end_node);
  }
  for (const Order& o : c.orders) prio_total += o.priority;
  int reached = 0;
  for (int g : group_count) reached += g > 0 ? 1 : 0;
  int64_t sumsq = 0;
  for (int l : load) sumsq += static_cast<int64_t>(l) * l;
  w.key("objective").begin_object();
  w.key("total").value(std::round(e.cost * 100) / 100);
  w.key("orders_served").value(e.served);
  w.key("orders_total").value(static_cast<int64_t>(c.orders.size()));
  w.key("priority_served").value(prio_served);
  w.key("priority_total").value(prio_total);
  w.key("groups_reached").value(reached);
  w.key("groups_total").value(static_cast<int64_t>(m.group_names.size()));
  w.key("groups_missed").begin_array();
  for (size_t g = 0; g < group_count.size(); ++g)
    if (group_count[g] == 0) w.value(m.group_names[g]);
  w.end_array();
  w.key("sessions_per_lecturer").begin_object();
  w.key("min").value(*std::min_element(load.begin(), load.end()));
  w.key("max").value(*std::max_element(load.begin(), load.end()));
  w.key("mean").value(std::round(100.0 * (e.served) / std::max(1, nl)) / 100);
  w.key("sum_of_squares").value(sumsq);
  w.end_object();
  w.key("travel_km").value(std::round(e.distance * 10) / 10);
  w.key("travel_minutes").value(std::round(minutes));
  w.end_object();

  // Ranking of qualified lecturers by home distance, for the reasons.
  auto qualified_rank = [&](int i, int lec, int& total) {
    const Order& o = c.orders[static_cast<size_t>(i)];
    std::vector<std::pair<double, int>> ds;
    for (int l = 0; l < nl; ++l)
      if (qualifies(c.lecturers[static_cast<size_t>(l)], o))
        ds.emplace_back(o.online ? 0.0 : p.dist(l, nl + i), l);
    std::sort(ds.begin(), ds.end());
    total = static_cast<int>(ds.size());
    for (size_t k = 0; k < ds.size(); ++k)
      if (ds[k].second == lec) return static_cast<int>(k) + 1;
    return 0;
  };
  auto node_name = [&](int node, int v) {
    (void)v;
    return node < nl ? std::string("home") : c.orders[static_cast<size_t>(node - nl)].id;
  };
  w.key("routes").begin_array();
  for (size_t v = 0; v < s.routes.size(); ++v) {
    const auto& r = s.routes[v];
    if (r.empty()) continue;
    const Lecturer& lec = c.lecturers[static_cast<size_t>(m.vehicle_lecturer[v])];
    const Vehicle& veh = p.vehicles[v];
    const std::vector<double> start = visit_starts(p, r, static_cast<int>(v));
    double km = 0;
    int prev = veh.start_node;
    for (int i : r) {
      const int l = location(p, i, static_cast<int>(v));
      km += p.dist(prev, l);
      prev = l;
    }
    km += p.dist(prev, veh.end_node);
    const int first = location(p, r[0], static_cast<int>(v));
    // Leave on the five minutes too (earlier is always possible, waiting at the venue).
    const double leave = std::max(
        veh.earliest, std::floor((start[0] - p.time(veh.start_node, first)) / 5 + 1e-9) * 5);
    const double back = start.back() + p.clients[static_cast<size_t>(r.back())].service +
                        p.time(prev, veh.end_node);
    w.begin_object();
    w.key("lecturer").value(lec.id);
    w.key("date").value(format_date(c.start_day + m.vehicle_day[v]));
    w.key("leave_home").value(format_clock(leave));
    w.key("back_home").value(format_clock(back));
    w.key("km").value(std::round(km * 10) / 10);
    w.key("visits").begin_array();
    for (size_t k = 0; k < r.size(); ++k) {
      const int i = r[k];
      const Order& o = c.orders[static_cast<size_t>(i)];
      const int li = location(p, i, static_cast<int>(v));
      const int lp = k == 0 ? veh.start_node : location(p, r[k - 1], static_cast<int>(v));
      const int ln = k + 1 == r.size() ? veh.end_node : location(p, r[k + 1], static_cast<int>(v));
      w.begin_object();
      w.key("order").value(o.id);
      w.key("start").value(format_clock(start[k]));
      w.key("end").value(format_clock(start[k] + o.duration));
      w.key("fixed").value(p.clients[static_cast<size_t>(i)].fixed_vehicle >= 0);
      int total = 0;
      const int rank = qualified_rank(i, m.vehicle_lecturer[v], total);
      std::string why;
      if (p.clients[static_cast<size_t>(i)].fixed_vehicle >= 0) {
        why = "already accepted: kept as it is. ";
      }
      std::vector<std::string> needs;
      if (!o.lecturer.empty()) needs.emplace_back("requested by the ordering union");
      if (!o.category.empty()) needs.emplace_back("category " + o.category);
      if (!o.topic.empty()) needs.emplace_back("topic " + o.topic);
      if (!o.language.empty()) needs.emplace_back("language " + o.language);
      if (needs.empty()) {
        why += "any lecturer qualifies";
      } else {
        why += "qualifies by";
        for (size_t q = 0; q < needs.size(); ++q) why += (q ? ", " : " ") + needs[q];
      }
      why += "; " + std::to_string(total) + " lecturer" + (total == 1 ? "" : "s") +
             " qualify, this one's home is the " + std::to_string(rank) +
             (rank == 1   ? "st"
              : rank == 2 ? "nd"
              : rank == 3 ? "rd"
                          : "th") +
             " nearest";
      if (o.online)
        why += "; online, given from home";
      else if (r.size() > 1)
        why += "; combined with " + std::to_string(r.size() - 1) + " other session" +
               (r.size() > 2 ? "s" : "") + " that day";
      // The same facts as data, for a front end to say in its user's language.
      w.key("reason").begin_object();
      w.key("why").value(why);
      w.key("requested").value(!o.lecturer.empty());
      w.key("category").value(o.category);
      w.key("topic").value(o.topic);
      w.key("language").value(o.language);
      w.key("online").value(o.online);
      w.key("same_day_sessions").value(static_cast<int64_t>(r.size()) - 1);
      w.key("qualified_lecturers").value(total);
      w.key("home_distance_rank").value(rank);
      w.key("travel_before").begin_object();
      w.key("from").value(node_name(lp, static_cast<int>(v)));
      w.key("km").value(std::round(p.dist(lp, li) * 10) / 10);
      w.key("minutes").value(std::round(p.time(lp, li)));
      w.end_object();
      w.key("travel_after").begin_object();
      w.key("to").value(node_name(ln, static_cast<int>(v)));
      w.key("km").value(std::round(p.dist(li, ln) * 10) / 10);
      w.key("minutes").value(std::round(p.time(li, ln)));
      w.end_object();
      w.end_object();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  // Flat list: the seam for the lecture workflow (order, lecturer, date).
  w.key("assignments").begin_array();
  for (size_t v = 0; v < s.routes.size(); ++v) {
    const auto& r = s.routes[v];
    for (size_t k = 0; k < r.size(); ++k) {
      w.begin_object();
      w.key("order").value(c.orders[static_cast<size_t>(r[k])].id);
      w.key("priority").value(static_cast<int64_t>(c.orders[static_cast<size_t>(r[k])].priority));
      w.key("lecturer").value(c.lecturers[static_cast<size_t>(m.vehicle_lecturer[v])].id);
      w.key("date").value(format_date(c.start_day + m.vehicle_day[v]));
      w.key("sequence").value(static_cast<int64_t>(k) + 1);
      w.end_object();
    }
  }
  w.end_array();
  w.key("unassigned").begin_array();
  for (int i : s.unserved) {
    const Order& o = c.orders[static_cast<size_t>(i)];
    std::string why, code;
    const auto& allowed = p.allowed_vehicles[static_cast<size_t>(i)];
    if (m.eligible_lecturers[static_cast<size_t>(i)] == 0) {
      code = "no_qualified_lecturer";
      why = "no lecturer qualifies (category, topic, language or requested lecturer)";
    } else if (allowed.empty()) {
      code = "none_available";
      why = "no qualified lecturer is available in the date window";
    } else {
      bool reachable = false;
      for (int v : allowed)
        if (route_ok(p, {i}, v)) reachable = true;
      code = reachable ? "outranked" : "unreachable";
      why = reachable ? "the qualified lecturers' days in the window are taken by orders of "
                        "higher value (priority, coverage, travel)"
                      : "no qualified lecturer can get there and back home within a day";
    }
    w.begin_object();
    w.key("order").value(o.id);
    w.key("priority").value(o.priority);
    w.key("reason").value(why);
    w.key("reason_code").value(code);  // for a front end to say in its user's language
    w.end_object();
  }
  for (const std::string& id : c.orders_without_place) {
    w.begin_object();
    w.key("order").value(id);
    w.key("reason").value("its region has no place on the map to travel to");
    w.key("reason_code").value("no_place");
    w.end_object();
  }
  w.end_array();
  w.key("lecturers_without_home").begin_array();
  for (const std::string& id : c.lecturers_without_home) w.value(id);
  w.end_array();
  w.end_object();
  return w.str();
}

std::vector<PlannedVisit> planned_visits(const Campaign& c, const CampaignModel& m,
                                         const Solution& s) {
  const Problem& p = m.problem;
  std::vector<PlannedVisit> out;
  for (size_t v = 0; v < s.routes.size(); ++v) {
    const auto& r = s.routes[v];
    const std::vector<double> starts = visit_starts(p, r, static_cast<int>(v));
    for (size_t k = 0; k < r.size(); ++k) {
      const int i = r[k];
      const Client& client = p.clients[static_cast<size_t>(i)];
      const Order& o = c.orders[static_cast<size_t>(i)];
      PlannedVisit visit;
      visit.order = o.id;
      visit.lecturer = c.lecturers[static_cast<size_t>(m.vehicle_lecturer[v])].id;
      visit.date = c.start_day + m.vehicle_day[v];
      visit.sequence = static_cast<int>(k) + 1;
      visit.start = static_cast<int>(std::lround(starts[k]));
      visit.end = visit.start + o.duration;
      visit.fixed = client.fixed_vehicle >= 0;
      out.push_back(std::move(visit));
    }
  }
  return out;
}

// ---- generator --------------------------------------------------------------------------------

namespace {

struct League {
  const char* code;
  const char* name;
  double lat, lon;
  double radius_km;
  double weight;
};
struct Banner {
  const char* code;
  const char* name;
  const char* league;
};
#include "schedule/inner_mongolia.inc"

class GenRng {
 public:
  explicit GenRng(uint64_t seed) : s_(seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  int below(int n) { return static_cast<int>(uniform() * n); }
  bool chance(double p) { return uniform() < p; }
  template <class T>
  size_t weighted(const std::vector<T>& w) {
    double total = 0;
    for (const T& x : w) total += x;
    double r = uniform() * total;
    for (size_t i = 0; i < w.size(); ++i) {
      r -= w[i];
      if (r < 0) return i;
    }
    return w.size() - 1;
  }

 private:
  uint64_t s_;
};

GeoPoint offset(GeoPoint p, double km, double angle) {
  GeoPoint q;
  q.lat = p.lat + km * std::cos(angle) / 111.0;
  q.lon = p.lon + km * std::sin(angle) / (111.0 * std::cos(p.lat * 3.14159265358979 / 180.0));
  return q;
}

}  // namespace

Campaign generate_inner_mongolia(const GeneratorOptions& o) {
  GenRng rng(o.seed);
  Campaign c;
  const int weeks = o.weeks > 0 ? o.weeks : std::clamp(o.orders / 250 + 3, 4, 16);
  c.name = "内蒙古职工宣讲 " + std::to_string(o.orders) + " orders, " +
           std::to_string(o.lecturers) + " lecturers, " + std::to_string(weeks) + " weeks (seed " +
           std::to_string(o.seed) + ")";
  int32_t start = 0;
  if (!parse_date(o.start, start)) parse_date("2025-03-03", start);
  c.start_day = start;
  c.days = weeks * 7;
  c.day_start = 7 * 60;
  c.day_end = 21 * 60;
  c.travel.road_factor = 1.3;
  c.travel.speed_kmh = 70;

  // Banner positions: synthetic, deterministic, around each league's seat.
  const size_t nleague = std::size(kLeagues);
  std::vector<std::vector<GeoPoint>> banner_pos(nleague);
  std::vector<std::vector<const Banner*>> banners(nleague);
  for (const Banner& b : kBanners) {
    for (size_t k = 0; k < nleague; ++k) {
      if (std::string(b.league) != kLeagues[k].code) continue;
      uint64_t h = 1469598103934665603ULL;
      for (const char* s = b.code; *s; ++s) h = (h ^ static_cast<uint64_t>(*s)) * 1099511628211ULL;
      const double angle = static_cast<double>(h % 6283) / 1000.0;
      const bool district = std::string(b.name).find("区") != std::string::npos;
      const double r = district ? 3.0 + static_cast<double>((h >> 16) % 10)
                                : kLeagues[k].radius_km *
                                      (0.3 + 0.7 * static_cast<double>((h >> 20) % 1000) / 1000.0);
      banner_pos[k].push_back(offset({kLeagues[k].lat, kLeagues[k].lon}, r, angle));
      banners[k].push_back(&b);
    }
  }
  std::vector<double> league_weight;
  league_weight.reserve(kLeagues.size());
  for (const League& l : kLeagues) league_weight.push_back(l.weight);

  static constexpr std::array<const char*, 5> kCategories = {
      "party_congress_delegate", "model_worker", "craftsman", "union_official", "scholar"};
  static const std::vector<double> kCategoryWeight = {15, 30, 20, 20, 15};
  static constexpr std::array<const char*, 8> kTopics = {"二十大精神", "劳模精神",       "工匠精神",
                                                         "安全生产",   "职工权益与法律", "乡村振兴",
                                                         "民族团结",   "新就业形态权益"};
  static constexpr std::array<const char*, 5> kAudiences = {
      "frontline_workers", "new_employment_forms", "farmers_and_herders", "medical_staff",
      "officials"};
  static const std::vector<double> kAudienceWeight = {35, 20, 20, 10, 15};

  // Lecturers: at least two per league, the rest by weight (the capital gets a few more).
  std::vector<int> per_league(nleague, 0);
  for (int i = 0; i < o.lecturers; ++i) {
    size_t k;
    if (i < 2 * static_cast<int>(nleague)) {
      k = static_cast<size_t>(i) % nleague;
    } else {
      k = rng.chance(0.15) ? 0 : rng.weighted(league_weight);
    }
    ++per_league[k];
    Lecturer l;
    std::array<char, 16> id{};
    std::snprintf(id.data(), id.size(), "L%03d", i + 1);
    l.id = id.data();
    l.name = std::string("宣讲员") + (id.data() + 1);
    l.league = kLeagues[k].code;
    if (rng.chance(0.7) || banner_pos[k].empty()) {
      l.home = offset({kLeagues[k].lat, kLeagues[k].lon}, 8 * rng.uniform(), 6.283 * rng.uniform());
    } else {
      l.home =
          banner_pos[k][static_cast<size_t>(rng.below(static_cast<int>(banner_pos[k].size())))];
    }
    l.categories.emplace_back(kCategories[rng.weighted(kCategoryWeight)]);
    if (rng.chance(0.15)) {
      const char* extra = kCategories[rng.weighted(kCategoryWeight)];
      if (!contains(l.categories, extra)) l.categories.emplace_back(extra);
    }
    const int ntopics = 2 + rng.below(3);
    while (static_cast<int>(l.topics.size()) < ntopics) {
      const char* t = kTopics[static_cast<size_t>(rng.below(8))];
      if (!contains(l.topics, t)) l.topics.emplace_back(t);
    }
    l.languages.emplace_back("zh");
    if (rng.chance(0.3)) l.languages.emplace_back("mn");
    const double r = rng.uniform();
    l.max_sessions_per_day = r < 0.1 ? 1 : r < 0.8 ? 2 : 3;
    for (int d = 0; d < c.days; ++d) {
      // Day of week of the period's day d: 1970-01-01 was a Thursday.
      const int dow = static_cast<int>((start + d + 3) % 7);  // 0 = Monday
      const bool off = dow == 6 || (dow == 5 && rng.chance(0.6)) || rng.chance(0.08);
      if (off) {
        l.unavailable.push_back(d);
      } else if (rng.chance(0.05)) {
        l.booked[d] = 1;
      }
    }
    c.lecturers.push_back(std::move(l));
  }
  // Orders.
  for (int i = 0; i < o.orders; ++i) {
    Order x;
    std::array<char, 16> id{};
    std::snprintf(id.data(), id.size(), "O%04d", i + 1);
    x.id = id.data();
    const size_t k = rng.weighted(league_weight);
    x.league = kLeagues[k].code;
    x.online = rng.chance(0.1);
    if (!banners[k].empty()) {
      const auto b = static_cast<size_t>(rng.below(static_cast<int>(banners[k].size())));
      x.region = banners[k][b]->code;
      x.location = offset(banner_pos[k][b], 5 * rng.uniform(), 6.283 * rng.uniform());
      x.title = std::string(banners[k][b]->name) + "职工宣讲";
    } else {
      x.location = {kLeagues[k].lat, kLeagues[k].lon};
    }
    x.audience = kAudiences[rng.weighted(kAudienceWeight)];
    const int len = 3 + rng.below(8);
    x.day_from = rng.below(std::max(1, c.days - 3));
    x.day_to = std::min(c.days - 1, x.day_from + len - 1);
    const double slot = rng.uniform();
    if (slot < 0.4) {
      x.time_from = 9 * 60;
      x.time_to = 10 * 60 + 30;
    } else if (slot < 0.8) {
      x.time_from = 14 * 60 + 30;
      x.time_to = 16 * 60;
    } else {
      x.time_from = 9 * 60;
      x.time_to = 16 * 60;
    }
    x.duration = 60 + 30 * rng.below(3);
    if (rng.chance(0.2)) x.category = kCategories[rng.weighted(kCategoryWeight)];
    if (rng.chance(0.35)) x.topic = kTopics[static_cast<size_t>(rng.below(8))];
    if (rng.chance(0.08)) x.language = "mn";
    const double pr = rng.uniform();
    x.priority = pr < 0.6 ? 1 : pr < 0.9 ? 2 : 3;
    // Every order must have someone qualified: relax language, then topic, then category.
    auto anyone = [&] {
      for (const Lecturer& l : c.lecturers)
        if (qualifies(l, x)) return true;
      return false;
    };
    if (!anyone()) x.language.clear();
    if (!anyone()) x.topic.clear();
    if (!anyone()) x.category.clear();
    c.orders.push_back(std::move(x));
  }
  // Accepted assignments: the nearest qualified lecturer, on the first day of the window they
  // are free, when a day trip there is possible. At most one fixed session per lecturer-day.
  std::set<std::pair<int, int>> used;
  const int nfixed = static_cast<int>(std::lround(o.fixed_fraction * o.orders));
  for (int attempt = 0; attempt < 20 * nfixed && static_cast<int>(c.fixed.size()) < nfixed;
       ++attempt) {
    const int i = rng.below(o.orders);
    const Order& x = c.orders[static_cast<size_t>(i)];
    if (std::any_of(c.fixed.begin(), c.fixed.end(),
                    [&](const FixedAssignment& f) { return f.order == x.id; }))
      continue;
    int best = -1;
    double best_km = kInf;
    for (size_t l = 0; l < c.lecturers.size(); ++l) {
      if (!qualifies(c.lecturers[l], x)) continue;
      const double km = x.online ? 0 : great_circle_km(c.lecturers[l].home, x.location) * 1.3;
      if (km < best_km) {
        best_km = km;
        best = static_cast<int>(l);
      }
    }
    if (best < 0) continue;
    const double minutes = best_km / c.travel.speed_kmh * 60;
    if (c.day_start + minutes > x.time_to ||
        std::max<double>(c.day_start + minutes, x.time_from) + x.duration + minutes > c.day_end)
      continue;
    const Lecturer& l = c.lecturers[static_cast<size_t>(best)];
    for (int d = x.day_from; d <= x.day_to; ++d) {
      if (std::find(l.unavailable.begin(), l.unavailable.end(), d) != l.unavailable.end()) continue;
      auto b = l.booked.find(d);
      if (b != l.booked.end() && b->second >= l.max_sessions_per_day) continue;
      if (used.count({best, d})) continue;
      used.insert({best, d});
      c.fixed.push_back({x.id, l.id, d});
      break;
    }
  }
  return c;
}

Qualification qualification(const Lecturer& l, const Order& o) {
  Qualification q;
  q.lecturer = o.lecturer.empty() || o.lecturer == l.id;
  q.category = o.category.empty() || contains(l.categories, o.category);
  q.topic = o.topic.empty() || contains(l.topics, o.topic);
  q.language = o.language.empty() || contains(l.languages, o.language);
  return q;
}

}  // namespace xj::schedule
