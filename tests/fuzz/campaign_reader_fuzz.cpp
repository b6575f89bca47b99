// Fuzz target: the campaign JSON reader (src/schedule/campaign.hpp), the one parser of outside
// input in the optimiser. Beyond "never crashes, never throws", it checks what the service seam
// relies on: an accepted campaign writes back to JSON that reads again to the same campaign
// (campaign_to_json is a fixed point after one round), and building its solver model either
// succeeds or returns an error, never anything worse.
//
// libFuzzer without configuring the whole project with clang (as run for issue 5: 183,537 runs
// in 90 s, no failure, with ASan and UBSan), the first command on one line:
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc
//     tests/fuzz/campaign_reader_fuzz.cpp
//     src/schedule/{campaign,json,problem,solver,benchmark}.cpp -o /tmp/fuzz_campaign
//   /tmp/fuzz_campaign -max_len=8192 NEW_CORPUS_DIR tests/fuzz/corpus/campaign
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "schedule/campaign.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "campaign reader fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace xs = xj::schedule;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = xs::parse_campaign(text);
  if (!c.ok()) {
    if (c.error().message.empty()) fail("an error without a message", std::string(text));
    return 0;
  }
  const std::string once = xs::campaign_to_json(c.value());
  auto again = xs::parse_campaign(once);
  if (!again.ok()) fail("the written campaign does not read again", again.error().message);
  const std::string twice = xs::campaign_to_json(again.value());
  if (twice != once) fail("writing is not stable after one round", once + "\n" + twice);
  auto model = xs::build_campaign_model(c.value());
  if (model.ok() && !model.value().problem.validate().empty())
    fail("the model is inconsistent", model.value().problem.validate());
  return 0;
}
