// What the dispatch check, the candidates of an order and the planner all judge the same way:
// where a region's seat is, where a lecturer starts from, how the planner sees a lecturer and an
// order (and so who qualifies), and whether one more lecture fits into a lecturer's day.
// Internal to the service library.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/entities.hpp"
#include "domain/order.hpp"
#include "schedule/campaign.hpp"
#include "store/store.hpp"

namespace xj::service::detail {

// Region seats by code, falling back to the parent's seat for a county without one; each code
// looked up once per transaction.
class Seats {
 public:
  explicit Seats(store::Tx& tx) : tx_(tx) {}
  std::optional<schedule::GeoPoint> of(const std::string& code);
  // A place for the day-fit rule: no coordinates when the region has no seat.
  domain::Place place(const std::string& code, bool online);

 private:
  store::Tx& tx_;
  std::map<std::string, std::optional<schedule::GeoPoint>> known_;
};

// Where a lecturer's day starts: their home region's seat, else their organisation's.
std::optional<schedule::GeoPoint> home_of(store::Tx& tx, Seats& seats, const domain::Lecturer& l);

// The planner's view of a lecturer and an order, without the campaign's days and places (the
// caller adds those): what schedule::qualification judges.
schedule::Lecturer planned_lecturer(const domain::Lecturer& l);
schedule::Order planned_order(const domain::Order& o);

// A lecturer's day with one more lecture of `order` on `date`.
struct DayFindings {
  std::optional<domain::Unavailability> unavailable;  // the period covering the day, if any
  std::int64_t lectures = 0;                          // already on that day (this order aside)
  domain::DayFit fit;                                 // with travel between the venues
};

// `bookings_known_empty` spares the look-up when the caller knows the day is empty.
DayFindings examine_day(store::Tx& tx, Seats& seats, const domain::Lecturer& lecturer,
                        const domain::Order& order, Date date, std::optional<TimeOfDay> start,
                        std::optional<TimeOfDay> end, const domain::TravelModel& travel,
                        bool bookings_known_empty = false);

}  // namespace xj::service::detail
