#include "http/response_cache.hpp"

#include <utility>

namespace xj::http {

std::shared_ptr<const Response> ResponseCache::find(const std::string& key, std::int64_t version) {
  const std::lock_guard lock(mutex_);
  if (version != version_) return nullptr;
  const auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  used_.splice(used_.begin(), used_, it->second.used);
  return it->second.answer;
}

void ResponseCache::put(const std::string& key, std::int64_t version, Response answer) {
  const std::size_t size = answer.body.size() + key.size();
  if (size > max_bytes_ / 8) return;
  auto kept = std::make_shared<const Response>(std::move(answer));
  const std::lock_guard lock(mutex_);
  if (version < version_) return;
  if (version > version_) {
    drop_all();
    version_ = version;
  }
  if (const auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= it->second.answer->body.size() + key.size();
    used_.erase(it->second.used);
    entries_.erase(it);
  }
  while (!used_.empty() && bytes_ + size > max_bytes_) {
    const auto last = entries_.find(used_.back());
    bytes_ -= last->second.answer->body.size() + last->first.size();
    entries_.erase(last);
    used_.pop_back();
  }
  used_.push_front(key);
  entries_.emplace(key, Entry{std::move(kept), used_.begin()});
  bytes_ += size;
}

std::size_t ResponseCache::entries() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t ResponseCache::bytes() const {
  const std::lock_guard lock(mutex_);
  return bytes_;
}

void ResponseCache::drop_all() {
  entries_.clear();
  used_.clear();
  bytes_ = 0;
}

}  // namespace xj::http
