// The server's copies of its most read pages (the session, lecturer and organisation lists):
// building one list page costs a few hundred microseconds of queries and JSON, sending a kept
// copy a few. Each copy is kept under the data version it was built at (store::Tx::data_version,
// raised by every committed write, in any process on the database) and answered only while the
// version has not moved, so a page is never older than the last write its reader could see.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/server.hpp"

namespace xj::http {

class ResponseCache {
 public:
  // Keeps bodies of at most `max_bytes` in all; a body larger than an eighth of that is not kept.
  explicit ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The answer kept for `key` at `version`, or nullptr. Thread-safe.
  std::shared_ptr<const Response> find(const std::string& key, std::int64_t version);

  // Keeps `answer` for `key`, built from data at `version` or newer. A version older than the
  // newest kept is not kept (a newer page may already be there); a newer one drops every copy
  // kept before it. The least recently used copies go first when the bodies pass max_bytes.
  // Thread-safe.
  void put(const std::string& key, std::int64_t version, Response answer);

  std::size_t entries() const;
  std::size_t bytes() const;

 private:
  struct Entry {
    std::shared_ptr<const Response> answer;
    std::list<std::string>::iterator used;  // its place in used_, most recent first
  };
  void drop_all();

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::int64_t version_ = -1;
  std::size_t bytes_ = 0;
  std::list<std::string> used_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace xj::http
