#include "service/hash_pool.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <exception>

namespace xj::service {

HashPool::HashPool(HashPoolOptions options) : options_(options) {
  const unsigned n = std::max(1u, options_.threads);
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

HashPool::~HashPool() { stop(); }

std::optional<HashPool::Refusal> HashPool::submit(const std::string& address,
                                                  std::function<void()> job) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || admitted_ >= options_.capacity) return Refusal::kFull;
    auto& mine = per_address_[address];
    if (mine >= options_.per_address) {
      if (mine == 0) per_address_.erase(address);
      return Refusal::kAddressFull;
    }
    ++mine;
    ++admitted_;
    queue_.push_back({address, std::move(job)});
  }
  queued_.notify_one();
  return std::nullopt;
}

std::optional<HashPool::Refusal> HashPool::check(const std::string& address) const {
  const std::lock_guard lock(mutex_);
  if (stopping_ || admitted_ >= options_.capacity) return Refusal::kFull;
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && it->second >= options_.per_address) return Refusal::kAddressFull;
  return std::nullopt;
}

std::size_t HashPool::load() const {
  const std::lock_guard lock(mutex_);
  return admitted_;
}

std::size_t HashPool::load(const std::string& address) const {
  const std::lock_guard lock(mutex_);
  const auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

void HashPool::release(const std::string& address) {
  --admitted_;
  if (auto it = per_address_.find(address); it != per_address_.end() && --it->second == 0) {
    per_address_.erase(it);
  }
}

void HashPool::work() {
  if (options_.nice != 0 &&
      setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), options_.nice) != 0) {
    spdlog::warn("cannot lower the priority of a password hashing thread");
  }
  std::unique_lock lock(mutex_);
  while (true) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    try {
      job.run();
    } catch (const std::exception& e) {
      spdlog::error("a password hashing job failed: {}", e.what());
    } catch (...) {
      spdlog::error("a password hashing job failed");
    }
    job.run = nullptr;  // what it owns goes before it counts as finished
    lock.lock();
    release(job.address);
  }
}

void HashPool::stop() {
  const std::lock_guard stop_lock(stop_mutex_);
  std::deque<Job> dropped;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
    for (const auto& job : dropped) release(job.address);
  }
  queued_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  dropped.clear();  // outside the lock: a job's destructor may do anything but call us back
}

}  // namespace xj::service
