// Candidates for one order (派单候选): the dispatch check's day and the planner's qualification,
// judged for every lecturer in the organiser's scope, ranked by domain::rank_candidates.
#include <map>
#include <set>

#include "service/dispatch_facts.hpp"
#include "service/orders.hpp"
#include "service/rules.hpp"

namespace xj::service {

using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

constexpr int kMaxCandidates = 100;

domain::Requirement requirement(const std::string& asked, bool met) {
  if (asked.empty()) return domain::Requirement::kNotAsked;
  return met ? domain::Requirement::kMet : domain::Requirement::kNotMet;
}

}  // namespace

Result<CandidateList> Workflow::candidates(const Principal& who, Id id,
                                           const CandidateQuery& query) {
  if (auto s = require(who, Permission::kOrdersDispatch); !s) return std::move(s).error();
  if (query.limit < 1 || query.limit > kMaxCandidates) {
    return Error::invalid({{"limit", {"候选人数须在 1 到 100 之间", "limit must be 1 to 100"}}});
  }
  store::Tx tx = store_.read();
  const auto order = tx.order(id);
  if (!order || !domain::in_scope(who, order->organisation_path)) return Error::not_found();
  CandidateList out;
  out.date = query.date.value_or(order->date.value_or(order->window_from));
  if (out.date < order->window_from || out.date > order->window_to) {
    return Error::invalid({{"date",
                            {"日期不在点单单位可接受的范围（" + order->window_from.iso() + " 至 " +
                                 order->window_to.iso() + "）内",
                             "the date is outside the union's window (" + order->window_from.iso() +
                                 " to " + order->window_to.iso() + ")"}}});
  }
  out.online = order->preferred_format == domain::SessionFormat::kOnline;

  Seats seats(tx);
  const auto venue = seats.of(order->region_code);
  std::set<Id> busy_that_day;
  for (const auto& b : tx.booked_days(out.date, out.date)) busy_that_day.insert(b.lecturer_id);
  const auto load = tx.campaign_lectures(order->campaign_id);
  const bool order_taken = order->state == domain::OrderState::kDispatched ||
                           order->state == domain::OrderState::kAccepted;
  const schedule::Order wanted = planned_order(*order);

  std::vector<Candidate> judged;
  store::LecturerFilter filter;
  filter.scope_path = who.organisation_path;
  filter.active = true;
  filter.page.page_size = 200;
  for (filter.page.page = 1;; ++filter.page.page) {
    auto page = tx.lecturers(filter);
    for (const auto& l : page.items) {
      Candidate c;
      auto& f = c.facts;
      f.lecturer_id = l.id;
      f.name = l.name;
      c.category = l.category;
      c.region_code = l.region_code;
      c.employer = l.employer;
      f.requested = order->preferred_lecturer_id == l.id;
      const auto q = schedule::qualification(planned_lecturer(l), wanted);
      f.category = requirement(order->preferred_category, q.category);
      f.topic = requirement(order->topic, q.topic);
      f.language = requirement(order->language, q.language);
      const auto day = examine_day(tx, seats, l, *order, out.date, order->start_time,
                                   order->end_time, options_.travel, !busy_that_day.contains(l.id));
      if (day.unavailable) {
        f.block = domain::CandidateBlock::kUnavailable;
        c.unavailable_reason = day.unavailable->reason;
      } else if (!day.fit.fits) {
        f.block = domain::CandidateBlock::kDayFull;
      }
      f.same_day_lectures = day.lectures;
      if (auto it = load.find(l.id); it != load.end()) f.campaign_lectures = it->second;
      // The order itself, when it is already this lecturer's, is not load to spread.
      if (order_taken && order->lecturer_id == l.id && f.campaign_lectures > 0) {
        --f.campaign_lectures;
      }
      const auto home = home_of(tx, seats, l);
      if (home && venue) {
        f.distance_km = domain::great_circle_km(home->lat, home->lon, venue->lat, venue->lon) *
                        options_.travel.road_factor;
        if (!out.online) {
          const domain::Place from{home->lat, home->lon, false};
          const domain::Place to{venue->lat, venue->lon, false};
          c.travel_minutes = domain::travel_minutes(from, to, options_.travel);
        }
      }
      judged.push_back(std::move(c));
    }
    if (filter.page.page * filter.page.page_size >= page.total) break;
  }
  out.lecturers = static_cast<std::int64_t>(judged.size());

  std::vector<domain::CandidateFacts> facts;
  facts.reserve(judged.size());
  for (const auto& c : judged) facts.push_back(c.facts);
  domain::rank_candidates(facts, out.online);
  std::map<Id, Candidate*> by_id;
  for (auto& c : judged) by_id[c.facts.lecturer_id] = &c;
  std::int64_t free_shown = 0;
  std::int64_t blocked_shown = 0;
  for (const auto& f : facts) {
    const bool free = f.block == domain::CandidateBlock::kNone;
    if (free) ++out.dispatchable;
    auto& shown = free ? free_shown : blocked_shown;
    if (shown >= query.limit) continue;
    ++shown;
    out.items.push_back(std::move(*by_id.at(f.lecturer_id)));
  }
  return out;
}

}  // namespace xj::service
