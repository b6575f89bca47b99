// Dispatch plans (智能派单): the optimiser proposes lecturers and dates for a campaign's open
// orders in the organiser's scope; the organiser applies all or some, each through the ordinary
// dispatch (Workflow::dispatch) with its checks, one transaction per assignment.
//
// A plan is computed on this process's planning thread, never on a request thread, and stored
// in the database so that any server process can show it. Whatever goes wrong there (a
// database error, a bug) fails that plan and no more: the thread and the process carry on. A
// plan whose process died while computing it is failed once its time limit is well past: at
// start-up and whenever it is read.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "service/orders.hpp"
#include "store/store.hpp"

namespace xj::service {

struct PlanRequest {
  double time_limit_seconds = 10;  // 1–60
  std::int64_t seed = 1;
};

// One assignment the organiser chose to apply.
struct PlanAssignment {
  Id order_id = 0;
  Id lecturer_id = 0;
  Date date;
  std::optional<TimeOfDay> start_time;
  std::optional<TimeOfDay> end_time;
};

struct AppliedAssignment {
  Id order_id = 0;
  bool dispatched = false;
  std::optional<Error> error;  // why not, as dispatching by hand would have answered
};

class Planner {
 public:
  Planner(store::Store& store, Workflow& workflow, WorkflowOptions options);
  ~Planner();  // waits for a plan being computed (its time limit bounds the wait)
  Planner(const Planner&) = delete;
  Planner& operator=(const Planner&) = delete;

  // Builds the instance now (so it reflects the database at the time of asking) and queues the
  // solving. Conflict when this process is already computing a plan.
  Result<store::DispatchPlanRecord> start(const Principal& who, Id campaign_id,
                                          const PlanRequest& request);
  Result<store::DispatchPlanRecord> get(const Principal& who, Id plan_id);
  Result<std::vector<AppliedAssignment>> apply(const Principal& who, Id plan_id,
                                               const std::vector<PlanAssignment>& assignments,
                                               bool override_travel);

  // Waits until no plan is being computed (tests and shutdown).
  void drain();

  // How long past its time limit a plan may still be running before it counts as abandoned:
  // building the model, writing the result, a busy database.
  static constexpr UnixSeconds kAbandonedAfter = 120;

 private:
  struct Job {
    Id plan_id = 0;
    std::function<void()> run;
  };
  void work();
  // Stores the plan's outcome; if that fails, tries to store it as failed. Never throws.
  void finish(Id plan_id, const std::string& state, const std::string& result,
              const std::string& error) noexcept;
  void fail_abandoned() noexcept;

  store::Store& store_;
  Workflow& workflow_;
  WorkflowOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace xj::service
