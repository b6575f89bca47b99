// The threads that hash passwords. Argon2id takes about a third of a second and 64 MiB per hash:
// run on the request workers, a flood of failing logins takes every one of them and the whole
// API waits. Here hashes run on a few threads of their own, behind a bounded queue, and a hash
// the pool has no room for is refused at once rather than waited for.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace xj::service {

struct HashPoolOptions {
  unsigned threads = 1;  // 0 counts as 1
  // Jobs admitted and not yet finished (queued or running), for all addresses together.
  std::size_t capacity = 8;
  // The same, for one client address: one client cannot take the whole pool.
  std::size_t per_address = 2;
  // The threads' nice value (Linux: per thread), above the request threads' so that, when the
  // cores are short, a request waits less for a core than a hash does. 0 leaves it.
  int nice = 10;
};

class HashPool {
 public:
  enum class Refusal {
    kFull,         // the pool is at its capacity
    kAddressFull,  // this address is at its own limit
  };

  explicit HashPool(HashPoolOptions options);
  // stop().
  ~HashPool();
  HashPool(const HashPool&) = delete;
  HashPool& operator=(const HashPool&) = delete;

  // Queues `job` to run on one of the pool's threads, counted against `address`, or refuses it
  // at once when the pool or the address is at its limit (or the pool has stopped). Never
  // blocks, never runs the job on the calling thread. A job that throws is logged and counts as
  // finished.
  std::optional<Refusal> submit(const std::string& address, std::function<void()> job);

  // What submit() would answer now for `address`, without queueing anything: a cheap early
  // refusal before other work (submit() decides; the answer may change meanwhile).
  std::optional<Refusal> check(const std::string& address) const;

  // Jobs admitted and not finished: all, and for one address.
  std::size_t load() const;
  std::size_t load(const std::string& address) const;

  // Refuses new jobs, lets the running ones finish, and destroys the queued ones unrun (what
  // they own is released: a request waiting on one is answered by its own means). Idempotent,
  // safe from any thread but the pool's own.
  void stop();

 private:
  struct Job {
    std::string address;
    std::function<void()> run;
  };
  void work();
  void release(const std::string& address);  // REQUIRES: mutex_ held

  const HashPoolOptions options_;
  std::mutex stop_mutex_;  // one stop() at a time: it joins the threads
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Job> queue_;
  std::size_t admitted_ = 0;
  std::map<std::string, std::size_t, std::less<>> per_address_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace xj::service
