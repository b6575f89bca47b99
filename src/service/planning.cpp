#include "service/planning.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

#include "schedule/campaign.hpp"
#include "service/dispatch_facts.hpp"
#include "service/rules.hpp"

namespace xj::service {

using domain::Role;
using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

constexpr double kMaxTimeLimit = 60;

// What a failed plan says when its own failure could not be told more precisely: the web shows
// it as is, so both languages.
const std::string kAbandoned =
    "计算中断（服务进程已停止），请重新计算 / the computation was interrupted (the server "
    "process stopped): compute the plan again";
const std::string kNotStored =
    "计算结果无法保存（数据库错误），请重新计算 / the result could not be stored (database "
    "error): compute the plan again";
const std::string kCrashed =
    "计算出错，请重新计算 / the computation failed: compute the plan again";

std::string league_of(const std::string& region_code) {
  return region_code.size() == 6 ? region_code.substr(0, 4) + "00" : region_code;
}

struct Instance {
  schedule::Campaign campaign;
};

// The solver's view of the campaign's open orders and the lecturers in the organiser's scope,
// with what each lecturer already has booked and when they are unavailable.
Result<Instance> build_instance(store::Tx& tx, const Principal& who, const domain::Campaign& c,
                                const WorkflowOptions& options) {
  Instance in;
  auto& sc = in.campaign;
  sc.name = c.title;
  sc.start_day = c.start_date.days();
  sc.days = c.end_date.days() - c.start_date.days() + 1;
  sc.travel.road_factor = options.travel.road_factor;
  sc.travel.speed_kmh = options.travel.speed_kmh;
  Seats seats(tx);
  const auto day_of = [&](Date d) { return d.days() - c.start_date.days(); };

  std::map<Id, std::map<int, int>> booked;
  for (const auto& b : tx.booked_days(c.start_date, c.end_date)) {
    booked[b.lecturer_id][day_of(b.date)] += static_cast<int>(b.lectures);
  }
  store::LecturerFilter lf;
  lf.scope_path = who.organisation_path;
  lf.active = true;
  lf.page.page_size = 200;
  for (lf.page.page = 1;; ++lf.page.page) {
    auto page = tx.lecturers(lf);
    for (const auto& l : page.items) {
      const auto home = home_of(tx, seats, l);
      if (!home) {  // nowhere to start from: cannot be planned, and the plan says so
        sc.lecturers_without_home.push_back(std::to_string(l.id));
        continue;
      }
      schedule::Lecturer sl = planned_lecturer(l);
      sl.home = *home;
      sl.league = league_of(l.region_code);
      for (const auto& u : l.unavailable) {
        for (Date d = std::max(u.from, c.start_date); d <= std::min(u.to, c.end_date);
             d = d.plus_days(1)) {
          sl.unavailable.push_back(day_of(d));
        }
      }
      if (auto it = booked.find(l.id); it != booked.end()) sl.booked = it->second;
      sc.lecturers.push_back(std::move(sl));
    }
    if (lf.page.page * lf.page.page_size >= page.total) break;
  }

  store::OrderFilter of;
  of.scope_path = who.organisation_path;
  of.campaign_id = c.id;
  of.states = {domain::OrderState::kSubmitted};
  of.page.page_size = 200;
  for (of.page.page = 1;; ++of.page.page) {
    auto page = tx.orders(of);
    for (const auto& o : page.items) {
      const auto at = seats.of(o.region_code);
      if (!at) {
        sc.orders_without_place.push_back(std::to_string(o.id));
        continue;
      }
      schedule::Order so = planned_order(o);
      so.location = *at;
      so.league = league_of(o.region_code);
      so.day_from = std::clamp(day_of(o.window_from), 0, sc.days - 1);
      so.day_to = std::clamp(day_of(o.window_to), 0, sc.days - 1);
      so.time_from = 8 * 60;  // a lecture starts between 08:00 and 17:00
      so.time_to = 17 * 60;
      so.duration = options.travel.default_minutes;
      sc.orders.push_back(std::move(so));
    }
    // A capped total is a lower bound: walk on until a short page.
    if (static_cast<std::int64_t>(page.items.size()) < of.page.page_size ||
        (!page.total_capped && of.page.page * of.page.page_size >= page.total)) {
      break;
    }
  }
  if (sc.orders.empty() && !sc.orders_without_place.empty()) {
    return Error::invalid(
        {{"campaign_id",
          {"待派单需求单所在地区都没有坐标，无法计算路程",
           "no order awaiting dispatch is in a region with a place on the map"}}});
  }
  if (sc.orders.empty()) {
    return Error::invalid({{"campaign_id",
                            {"本活动在您的范围内没有待派单的需求单",
                             "the campaign has no orders awaiting dispatch in your scope"}}});
  }
  if (sc.lecturers.empty()) {
    return Error::invalid(
        {{"campaign_id", {"您的范围内没有可派的宣讲员", "no active lecturers in your scope"}}});
  }
  return in;
}

}  // namespace

Planner::Planner(store::Store& store, Workflow& workflow, WorkflowOptions options)
    : store_(store), workflow_(workflow), options_(std::move(options)) {
  fail_abandoned();
  worker_ = std::thread([this] { work(); });
}

Planner::~Planner() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void Planner::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    auto job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    // An exception escaping a thread's function ends the process: stop it here, with the plan.
    try {
      job.run();
    } catch (const std::exception& e) {
      spdlog::error("dispatch plan {}: the planning thread failed: {}", job.plan_id, e.what());
      finish(job.plan_id, "failed", "", kCrashed);
    } catch (...) {
      spdlog::error("dispatch plan {}: the planning thread failed", job.plan_id);
      finish(job.plan_id, "failed", "", kCrashed);
    }
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

void Planner::finish(Id plan_id, const std::string& state, const std::string& result,
                     const std::string& error) noexcept {
  try {
    store::Tx tx = store_.write();
    tx.finish_dispatch_plan(plan_id, state, result, error, now_utc());
    tx.commit();
    return;
  } catch (const std::exception& e) {
    spdlog::error("dispatch plan {}: cannot store its outcome ({}): {}", plan_id, state, e.what());
  } catch (...) {
    spdlog::error("dispatch plan {}: cannot store its outcome ({})", plan_id, state);
  }
  if (state == "failed" && error == kNotStored) return;  // that was already the fallback
  try {
    store::Tx tx = store_.write();
    tx.finish_dispatch_plan(plan_id, "failed", "", kNotStored, now_utc());
    tx.commit();
  } catch (const std::exception& e) {
    // Left running: it is failed as abandoned once its time limit is well past.
    spdlog::error("dispatch plan {}: cannot mark it failed either: {}", plan_id, e.what());
  } catch (...) {
    spdlog::error("dispatch plan {}: cannot mark it failed either", plan_id);
  }
}

void Planner::fail_abandoned() noexcept {
  try {
    store::Tx tx = store_.write();
    const auto n = tx.fail_stale_dispatch_plans(now_utc(), kAbandonedAfter, kAbandoned);
    tx.commit();
    if (n > 0) spdlog::warn("{} abandoned dispatch plans marked failed", n);
  } catch (const std::exception& e) {
    spdlog::error("cannot mark abandoned dispatch plans failed: {}", e.what());
  }
}

void Planner::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !busy_; });
}

Result<store::DispatchPlanRecord> Planner::start(const Principal& who, Id campaign_id,
                                                 const PlanRequest& request) {
  if (auto s = require(who, Permission::kOrdersDispatch); !s) return std::move(s).error();
  if (request.time_limit_seconds < 1 || request.time_limit_seconds > kMaxTimeLimit) {
    return Error::invalid(
        {{"time_limit_seconds",
          {"计算时间须在 1 到 60 秒之间", "time limit must be 1 to 60 seconds"}}});
  }
  Instance instance;
  store::DispatchPlanRecord plan;
  {
    store::Tx tx = store_.read();
    auto c = tx.campaign(campaign_id);
    if (!c || !campaign_visible(who, *c)) return Error::not_found();
    auto built = build_instance(tx, who, *c, options_);
    if (!built) return std::move(built).error();
    instance = std::move(*built);
  }
  {
    const std::lock_guard lock(mutex_);
    if (busy_ || stopping_) {
      return Error::conflict({"正在计算另一个派单方案，请稍候再试",
                              "another dispatch plan is being computed: try again shortly"});
    }
    busy_ = true;
  }
  plan.campaign_id = campaign_id;
  plan.scope_path = who.organisation_path;
  plan.created_by = who.account_id;
  plan.created_at = now_utc();
  plan.state = "running";
  plan.time_limit = request.time_limit_seconds;
  plan.seed = request.seed;
  plan.orders = static_cast<std::int64_t>(instance.campaign.orders.size());
  plan.lecturers = static_cast<std::int64_t>(instance.campaign.lecturers.size());
  try {
    store::Tx tx = store_.write();
    plan.id = tx.insert_dispatch_plan(plan);
    audit(
        tx, who, "plan", "campaign", campaign_id,
        std::to_string(plan.orders) + " orders, " + std::to_string(plan.lecturers) + " lecturers");
    tx.commit();
  } catch (...) {
    const std::lock_guard lock(mutex_);
    busy_ = false;
    throw;
  }
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back({plan.id, [this, id = plan.id, request, c = std::move(instance.campaign)] {
                        std::string state = "failed";
                        std::string result;
                        std::string error;
                        try {
                          auto model = schedule::build_campaign_model(c);
                          if (!model.ok()) {
                            error = model.error().message;
                          } else {
                            schedule::SolverOptions so;
                            so.time_limit_seconds = request.time_limit_seconds;
                            so.seed = static_cast<std::uint64_t>(request.seed);
                            schedule::SolverStats stats;
                            auto solution = schedule::plan_campaign(c, model.value(), so, &stats);
                            if (!solution.ok()) {
                              error = solution.error().message;
                            } else {
                              schedule::CampaignRunInfo info;
                              info.seconds = stats.seconds;
                              info.iterations = stats.iterations;
                              info.seed = so.seed;
                              info.time_limit = so.time_limit_seconds;
                              result = schedule::campaign_plan_json(c, model.value(),
                                                                    solution.value(), info);
                              state = "done";
                            }
                          }
                        } catch (const std::exception& e) {
                          spdlog::error("dispatch plan {}: the solver failed: {}", id, e.what());
                          error = e.what();
                        }
                        finish(id, state, result, error);
                      }});
  }
  changed_.notify_all();
  return plan;
}

Result<store::DispatchPlanRecord> Planner::get(const Principal& who, Id plan_id) {
  if (auto s = require(who, Permission::kOrdersDispatch); !s) return std::move(s).error();
  std::optional<store::DispatchPlanRecord> plan;
  {
    store::Tx tx = store_.read();
    plan = tx.dispatch_plan(plan_id);
  }
  if (!plan || !domain::in_scope(who, plan->scope_path)) return Error::not_found();
  if (plan->state == "running" && static_cast<double>(plan->created_at) + plan->time_limit +
                                          static_cast<double>(kAbandonedAfter) <
                                      static_cast<double>(now_utc())) {
    // Its process died (here or elsewhere) while computing it: say so, and keep it said.
    fail_abandoned();
    store::Tx tx = store_.read();
    if (auto again = tx.dispatch_plan(plan_id)) plan = std::move(again);
  }
  return *plan;
}

Result<std::vector<AppliedAssignment>> Planner::apply(
    const Principal& who, Id plan_id, const std::vector<PlanAssignment>& assignments,
    bool override_travel) {
  auto plan = get(who, plan_id);
  if (!plan) return std::move(plan).error();
  if (plan->state != "done") {
    return Error::conflict({"派单方案尚未算完", "the plan is not finished yet"}, "state");
  }
  if (assignments.empty() || assignments.size() > 3000) {
    return Error::invalid(
        {{"assignments", {"请选择 1–3000 条派单", "choose 1 to 3000 assignments"}}});
  }
  // Each assignment goes through the ordinary dispatch, in its own transaction: one refused
  // (an order someone else dispatched meanwhile, a lecturer now unavailable) stops no other.
  std::vector<AppliedAssignment> out;
  for (const auto& a : assignments) {
    AppliedAssignment applied;
    applied.order_id = a.order_id;
    auto order = workflow_.get_order(who, a.order_id);
    if (!order) {
      applied.error = std::move(order).error();
      out.push_back(std::move(applied));
      continue;
    }
    if (order->state != domain::OrderState::kSubmitted) {
      // Dispatched by someone (or an earlier apply) since the plan was made: a plan is for open
      // orders, it never re-dispatches.
      applied.error = Error::conflict(
          {"需求单已不在待派单状态，方案中的这条派单不再适用",
           "the order no longer awaits dispatch: this assignment of the plan no longer applies"},
          "state");
      out.push_back(std::move(applied));
      continue;
    }
    DispatchRequest d;
    d.version = order->version;
    d.lecturer_id = a.lecturer_id;
    d.date = a.date;
    d.start_time = a.start_time;
    d.end_time = a.end_time;
    d.override_travel = override_travel;
    d.note = "按智能派单方案 " + std::to_string(plan_id);
    auto done = workflow_.dispatch(who, a.order_id, d);
    if (done) {
      applied.dispatched = true;
    } else {
      applied.error = std::move(done).error();
    }
    out.push_back(std::move(applied));
  }
  return out;
}

}  // namespace xj::service
