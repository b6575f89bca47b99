// The password-hashing pool: bounded, refusing at once when full, one address never taking it
// whole. Jobs are held on gates the test opens, so nothing here depends on timing.
#include "service/hash_pool.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace xj::service {
namespace {

using namespace std::chrono_literals;
using Refusal = HashPool::Refusal;

// Holds every job until opened; counts the jobs that started and finished.
class Gate {
 public:
  std::function<void()> job() {
    return [this] {
      std::unique_lock lock(mutex_);
      ++started_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return open_; });
      ++finished_;
      cv_.notify_all();
    };
  }
  void open() {
    const std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits (at most 10 s, so that a broken pool fails instead of hanging) for `n` started jobs.
  bool wait_started(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 10s, [&] { return started_ >= n; });
  }
  bool wait_finished(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 10s, [&] { return finished_ >= n; });
  }
  int started() {
    const std::lock_guard lock(mutex_);
    return started_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
  int started_ = 0;
  int finished_ = 0;
};

// Waits until the pool's load drops to `n` (a finished job is released just after it returns).
bool wait_load(const HashPool& pool, std::size_t n) {
  for (int i = 0; i < 10'000 && pool.load() != n; ++i) std::this_thread::sleep_for(1ms);
  return pool.load() == n;
}

TEST(HashPool, RefusesAtOnceWhenFullAndNeverRunsTheRefusedJob) {
  HashPool pool({1, 3, 3});
  Gate gate;
  for (const char* a : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
    EXPECT_EQ(pool.submit(a, gate.job()), std::nullopt);
  }
  bool ran = false;
  EXPECT_EQ(pool.check("10.0.0.4"), Refusal::kFull);
  EXPECT_EQ(pool.submit("10.0.0.4", [&] { ran = true; }), Refusal::kFull);
  EXPECT_EQ(pool.load(), 3u);
  ASSERT_TRUE(gate.wait_started(1));
  EXPECT_EQ(gate.started(), 1);  // one thread: one hash at a time, the others wait their turn
  gate.open();
  ASSERT_TRUE(gate.wait_finished(3));
  ASSERT_TRUE(wait_load(pool, 0));
  EXPECT_FALSE(ran);
  // Room again once they are done.
  EXPECT_EQ(pool.submit("10.0.0.4", [] {}), std::nullopt);
}

TEST(HashPool, OneAddressHoldsAtMostItsShare) {
  HashPool pool({2, 8, 2});
  Gate gate;
  EXPECT_EQ(pool.submit("192.0.2.1", gate.job()), std::nullopt);
  EXPECT_EQ(pool.submit("192.0.2.1", gate.job()), std::nullopt);
  EXPECT_EQ(pool.check("192.0.2.1"), Refusal::kAddressFull);
  EXPECT_EQ(pool.submit("192.0.2.1", gate.job()), Refusal::kAddressFull);
  EXPECT_EQ(pool.load("192.0.2.1"), 2u);
  EXPECT_EQ(pool.check("192.0.2.2"), std::nullopt);
  // Another address still gets in.
  EXPECT_EQ(pool.submit("192.0.2.2", gate.job()), std::nullopt);
  EXPECT_EQ(pool.load("192.0.2.3"), 0u);
  gate.open();
  ASSERT_TRUE(gate.wait_finished(3));
  ASSERT_TRUE(wait_load(pool, 0));
  EXPECT_EQ(pool.load("192.0.2.1"), 0u);
  EXPECT_EQ(pool.submit("192.0.2.1", [] {}), std::nullopt);
}

TEST(HashPool, NeverRunsAJobOnTheSubmittingThread) {
  HashPool pool({1, 4, 4});
  std::promise<std::thread::id> ran_on;
  ASSERT_EQ(pool.submit("a", [&] { ran_on.set_value(std::this_thread::get_id()); }), std::nullopt);
  auto f = ran_on.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_NE(f.get(), std::this_thread::get_id());
}

TEST(HashPool, HashesRunBelowTheRequestThreadsPriority) {
  HashPool pool({1, 4, 4, 10});
  std::promise<int> nice;
  ASSERT_EQ(pool.submit("a", [&] { nice.set_value(getpriority(PRIO_PROCESS, 0)); }), std::nullopt);
  auto f = nice.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_GE(f.get(), 10);
  EXPECT_LT(getpriority(PRIO_PROCESS, 0), 10);  // this thread is left as it was
}

TEST(HashPool, AJobThatThrowsFreesItsPlaceAndTheThreadCarriesOn) {
  HashPool pool({1, 1, 1});
  ASSERT_EQ(pool.submit("a", [] { throw std::runtime_error("out of memory"); }), std::nullopt);
  ASSERT_TRUE(wait_load(pool, 0));
  Gate gate;
  ASSERT_EQ(pool.submit("a", gate.job()), std::nullopt);
  EXPECT_TRUE(gate.wait_started(1));
  gate.open();
  EXPECT_TRUE(gate.wait_finished(1));
}

TEST(HashPool, StopDropsQueuedJobsUnrunAndRefusesNewOnes) {
  auto pool = std::make_unique<HashPool>(HashPoolOptions{1, 4, 4});
  Gate gate;
  ASSERT_EQ(pool->submit("a", gate.job()), std::nullopt);
  ASSERT_TRUE(gate.wait_started(1));
  auto owned = std::make_shared<int>(7);
  std::weak_ptr<int> watch = owned;
  bool ran = false;
  ASSERT_EQ(pool->submit("b", [owned = std::move(owned), &ran] { ran = true; }), std::nullopt);
  std::thread stopper([&] { pool->stop(); });
  const bool dropped = wait_load(*pool, 1);  // stop() has dropped the queued job
  gate.open();                               // the running one finishes; stop() waits for it
  stopper.join();
  EXPECT_TRUE(dropped);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(watch.expired());  // what the dropped job owned is released
  EXPECT_EQ(pool->submit("c", [] {}), Refusal::kFull);
  pool.reset();  // a second stop, in the destructor, is harmless
}

}  // namespace
}  // namespace xj::service
