// The page cache: a copy is answered only at the data version it was built at, a newer version
// drops every older copy, and the bodies kept stay within their bound, least recently used first.
#include "http/response_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace xj::http {
namespace {

Response page(std::string body) {
  Response r;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

TEST(ResponseCache, AnswersAKeptPageOnlyAtItsVersion) {
  ResponseCache cache(1 << 20);
  EXPECT_EQ(cache.find("1 zh /api/v1/sessions", 7), nullptr);
  cache.put("1 zh /api/v1/sessions", 7, page("[1]"));
  const auto kept = cache.find("1 zh /api/v1/sessions", 7);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->body, "[1]");
  EXPECT_EQ(kept->headers.size(), 1U);
  EXPECT_EQ(cache.find("1 zh /api/v1/sessions", 8), nullptr);  // the data moved on
  EXPECT_EQ(cache.find("2 zh /api/v1/sessions", 7), nullptr);  // another account
  EXPECT_EQ(cache.find("1 en /api/v1/sessions", 7), nullptr);
}

TEST(ResponseCache, ANewerVersionDropsEveryOlderCopyAndAnOlderOneIsNotKept) {
  ResponseCache cache(1 << 20);
  cache.put("a", 3, page("old a"));
  cache.put("b", 3, page("old b"));
  EXPECT_EQ(cache.entries(), 2U);
  cache.put("a", 4, page("new a"));
  EXPECT_EQ(cache.entries(), 1U);
  EXPECT_EQ(cache.find("b", 3), nullptr);
  EXPECT_EQ(cache.find("a", 4)->body, "new a");
  // A page built before the last write finished must not replace what was built after it.
  cache.put("a", 3, page("stale a"));
  EXPECT_EQ(cache.find("a", 4)->body, "new a");
  EXPECT_EQ(cache.find("a", 3), nullptr);
}

TEST(ResponseCache, KeepsItsBoundLeastRecentlyUsedFirst) {
  ResponseCache cache(800);  // bodies of at most 100 bytes each are kept
  const std::string body(90, 'x');
  for (const char* key : {"k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"}) {
    cache.put(key, 1, page(body));
  }
  EXPECT_EQ(cache.entries(), 8U);
  ASSERT_NE(cache.find("k1", 1), nullptr);  // k1 is now the most recently used
  cache.put("k9", 1, page(body));
  EXPECT_LE(cache.bytes(), 800U);
  EXPECT_NE(cache.find("k1", 1), nullptr);
  EXPECT_EQ(cache.find("k2", 1), nullptr);  // the least recently used went
  EXPECT_NE(cache.find("k9", 1), nullptr);
  cache.put("big", 1, page(std::string(200, 'y')));  // over an eighth of the bound
  EXPECT_EQ(cache.find("big", 1), nullptr);
  cache.put("k9", 1, page("short"));  // a key kept again replaces its copy and its size
  EXPECT_EQ(cache.find("k9", 1)->body, "short");
  EXPECT_LE(cache.bytes(), 800U);
}

}  // namespace
}  // namespace xj::http
