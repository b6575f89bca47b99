#include "service/dispatch_facts.hpp"

namespace xj::service::detail {

std::optional<schedule::GeoPoint> Seats::of(const std::string& code) {
  if (auto it = known_.find(code); it != known_.end()) return it->second;
  std::optional<schedule::GeoPoint> seat;
  auto r = code.empty() ? std::nullopt : tx_.region(code);
  for (int hops = 0; r && hops < 3; ++hops) {
    if (r->lat && r->lon) {
      seat = schedule::GeoPoint{*r->lat, *r->lon};
      break;
    }
    r = r->parent.empty() ? std::nullopt : tx_.region(r->parent);
  }
  known_.emplace(code, seat);
  return seat;
}

domain::Place Seats::place(const std::string& code, bool online) {
  domain::Place p;
  p.online = online;
  if (auto seat = of(code)) {
    p.lat = seat->lat;
    p.lon = seat->lon;
  }
  return p;
}

std::optional<schedule::GeoPoint> home_of(store::Tx& tx, Seats& seats, const domain::Lecturer& l) {
  if (auto home = seats.of(l.region_code)) return home;
  if (auto org = tx.organisation(l.organisation_id)) return seats.of(org->region_code);
  return std::nullopt;
}

schedule::Lecturer planned_lecturer(const domain::Lecturer& l) {
  schedule::Lecturer sl;
  sl.id = std::to_string(l.id);
  sl.name = l.name;
  sl.categories = {l.category};
  sl.topics = l.topics;
  sl.languages = l.languages;
  return sl;
}

schedule::Order planned_order(const domain::Order& o) {
  schedule::Order so;
  so.id = std::to_string(o.id);
  so.title = o.organisation_name;
  so.region = o.region_code;
  so.audience = o.audience_group;
  so.category = o.preferred_category;
  so.topic = o.topic;
  so.language = o.language;
  so.priority = o.priority;
  so.online = o.preferred_format == domain::SessionFormat::kOnline;
  return so;
}

DayFindings examine_day(store::Tx& tx, Seats& seats, const domain::Lecturer& lecturer,
                        const domain::Order& order, Date date, std::optional<TimeOfDay> start,
                        std::optional<TimeOfDay> end, const domain::TravelModel& travel,
                        bool bookings_known_empty) {
  DayFindings f;
  for (const auto& u : lecturer.unavailable) {
    if (u.from <= date && date <= u.to) {
      f.unavailable = u;
      break;
    }
  }
  std::vector<domain::Booking> booked;
  if (!bookings_known_empty) {
    for (const auto& b : tx.lecturer_day(lecturer.id, date, order.id)) {
      const std::string id = std::to_string(b.id);
      booked.push_back({b.kind == "order" ? "需求单 " + id : "场次 " + id,
                        seats.place(b.region_code, b.online), b.start, b.end});
    }
  }
  f.lectures = static_cast<std::int64_t>(booked.size());
  const domain::Booking proposed{
      "本需求单",
      seats.place(order.region_code, order.preferred_format == domain::SessionFormat::kOnline),
      start, end};
  f.fit = domain::day_fits(booked, proposed, travel);
  return f;
}

}  // namespace xj::service::detail
