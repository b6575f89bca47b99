// The lecture workflow's use cases (点单 → 派单 → 接单 → 宣讲 → 评单): orders, their transitions
// with the dispatch checks, and the inbox. Each transition is one transaction that checks the
// role, the scope, the state and the order's version, writes the order, its history, the audit
// log and the notifications together, or changes nothing.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/candidates.hpp"
#include "domain/order.hpp"
#include "service/records.hpp"
#include "store/store.hpp"

namespace xj::service {

struct WorkflowOptions {
  domain::TravelModel travel;
  int remind_after_days = 3;      // submitted and still not dispatched: tell the organisers
  int escalate_after_hours = 48;  // dispatched and still not accepted: tell the dispatcher
  // The day orders are placed on, for the rules that look ahead of it (an order's window must
  // not have passed); today in China when empty. The demo sets it to place its past orders.
  std::function<Date()> today;
};

struct DispatchRequest {
  std::int64_t version = 0;
  Id lecturer_id = 0;
  std::optional<Date> date;
  std::optional<TimeOfDay> start_time;
  std::optional<TimeOfDay> end_time;
  bool override_travel = false;  // dispatch although the day's travel does not fit
  std::string note;
};

// What dispatching a lecturer on a date would meet, without dispatching: the board shows it
// before the organiser saves.
struct DispatchCheck {
  bool available = true;  // false: unavailable that day, never overridable
  bool travel_fits = true;
  std::vector<Message> problems;
};

// One lecturer as a candidate for an order on one day: the facts that ranked them (reasons as
// data, for the web to word) and what the board shows beside them.
struct Candidate {
  domain::CandidateFacts facts;
  std::string category;  // dictionary lecturer_category
  std::string region_code;
  std::string employer;
  std::string unavailable_reason;     // the lecturer's own note on the period, when unavailable
  std::optional<int> travel_minutes;  // one way, from home; none when online or unknown
};

struct CandidateList {
  Date date;                      // the day judged
  bool online = false;            // distances do not matter
  std::int64_t lecturers = 0;     // every active lecturer in scope, judged
  std::int64_t dispatchable = 0;  // of those, free to take it that day
  std::vector<Candidate> items;   // the best `limit` free ones, then up to `limit` others
};

struct CandidateQuery {
  std::optional<Date> date;  // default: the order's date, else the first day of its window
  int limit = 20;            // 1–100
};

struct RateRequest {
  std::int64_t version = 0;
  int rating = 0;
  std::string comment;
};

class Workflow {
 public:
  Workflow(store::Store& store, WorkflowOptions options)
      : store_(store), options_(std::move(options)) {}

  Result<Page<domain::Order>> list_orders(const Principal& who, store::OrderFilter filter,
                                          std::optional<Id> organisation_id);
  Result<domain::Order> get_order(const Principal& who, Id id);
  Result<std::vector<domain::OrderEvent>> order_history(const Principal& who, Id id);
  // A requester orders for their own organisation or one below it; organisers may take an
  // order on a union's behalf.
  Result<domain::Order> create_order(const Principal& who, domain::Order order);
  // Edits a submitted order's request (not its state).
  Result<domain::Order> update_order(const Principal& who, Id id, std::int64_t version,
                                     const Patch<domain::Order>& patch);

  Result<DispatchCheck> check_dispatch(const Principal& who, Id id, const DispatchRequest& req);
  // Every active lecturer in the caller's scope ranked for the order on a day
  // (domain::rank_candidates), the ones who cannot take it listed last with the reason.
  Result<CandidateList> candidates(const Principal& who, Id id, const CandidateQuery& query);
  Result<domain::Order> dispatch(const Principal& who, Id id, const DispatchRequest& req);
  Result<domain::Order> accept(const Principal& who, Id id, std::int64_t version);
  Result<domain::Order> decline(const Principal& who, Id id, std::int64_t version,
                                std::string reason);
  // Records the order's session (lecturer, campaign, order and source come from the order;
  // the rest from `session`, defaulting to the order's place, date and audience group).
  Result<domain::Order> deliver(const Principal& who, Id id, std::int64_t version,
                                domain::Session session);
  Result<domain::Order> rate(const Principal& who, Id id, const RateRequest& req);
  Result<domain::Order> cancel(const Principal& who, Id id, std::int64_t version,
                               std::string reason);

  // A lecturer's agenda (orders dispatched or accepted, sessions given) in [from, to]: the
  // lecturer themself, or roles that see the lecturer.
  Result<std::vector<store::AgendaItem>> agenda(const Principal& who, Id lecturer_id, Date from,
                                                Date to);
  // The private calendar link's token, made on first use; `renew` replaces it (the old link
  // stops working). The lecturer themself, or an organiser who manages them.
  Result<std::string> calendar_token(const Principal& who, Id lecturer_id, bool renew);
  struct CalendarFeed {
    std::string lecturer_name;
    std::vector<store::AgendaItem> items;
  };
  // What a calendar app subscribed to the link sees: five years back, two years ahead (a
  // lecturer's whole record, a few hundred events at most).
  Result<CalendarFeed> calendar_feed(const std::string& token, Date today);

  // Inbox of the caller's own account.
  struct InboxItem {
    domain::Notification notification;
    Message text;
  };
  Page<InboxItem> inbox(const Principal& who, bool unread_only, store::PageRequest page);
  std::int64_t unread(const Principal& who);
  std::int64_t mark_read(const Principal& who, const std::vector<Id>& ids);

  // Sends the reminders that are due at `now` (orders waiting for a lecturer, for an answer);
  // each once. Returns how many notifications it wrote. Run by the server every few minutes.
  std::int64_t send_reminders(UnixSeconds now);

 private:
  Date today() const { return options_.today ? options_.today() : shanghai_date(now_utc()); }

  store::Store& store_;
  WorkflowOptions options_;
};

}  // namespace xj::service
