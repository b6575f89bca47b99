// Fuzz target: the report extractor (src/extract), fed whatever text a user pastes. Beyond
// "never crashes, never reads outside the input": every offset it returns lies inside the
// normalised text, every sentence it quotes is that span of it, every proposal has a venue and a
// real date, and every confidence is between 0 and 1. Text that is not UTF-8 is the caller's to
// refuse (the service does): malformed bytes are turned into '?' here, so that byte mutations of
// Chinese text still reach the extractor.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/utf8.hpp"
#include "extract/extract.hpp"

namespace {

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "extract fuzz: %s (input of %zu bytes)\n", what, input.size());
  std::abort();
}

const xj::extract::Extractor& extractor() {
  static const xj::extract::Extractor kExtractor = [] {
    xj::extract::Gazetteer g;
    g.regions = {{"150000", "内蒙古自治区", ""},   {"150100", "呼和浩特市", "150000"},
                 {"150102", "新城区", "150100"},   {"150500", "通辽市", "150000"},
                 {"150502", "科尔沁区", "150500"}, {"150523", "开鲁县", "150500"}};
    g.lecturers = {{1, "李海峰"}, {2, "巴特尔"}};
    g.organisations = {{1, "通辽市总工会", "150500"}};
    auto rules = xj::extract::parse_rules();
    if (!rules) std::abort();
    return xj::extract::Extractor(std::move(*rules), g);
  }();
  return kExtractor;
}

// The code points of [begin, end) of `text`, as UTF-8.
std::string slice(std::string_view text, std::size_t begin, std::size_t end) {
  std::size_t cp = 0;
  std::size_t from = std::string_view::npos;
  std::size_t to = text.size();
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (cp == begin && from == std::string_view::npos) from = i;
    if (cp == end) {
      to = i;
      break;
    }
    ++cp;
  }
  if (from == std::string_view::npos) return "\xff";  // out of range: never equal to a sentence
  return std::string(text.substr(from, to - from));
}

std::string repaired(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    const std::size_t n = b < 0x80           ? 1
                          : (b >> 5) == 0x6  ? 2
                          : (b >> 4) == 0xE  ? 3
                          : (b >> 3) == 0x1E ? 4
                                             : 0;
    if (n > 0 && i + n <= bytes.size() && xj::utf8::valid(bytes.substr(i, n))) {
      out.append(bytes.substr(i, n));
      i += n;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = repaired(std::string_view(reinterpret_cast<const char*>(data), size));
  const std::string_view text(input);
  const auto e = extractor().extract(text, 2023);
  if (!xj::utf8::valid(e.normalized.text)) fail("normalised text is not UTF-8", text);
  const std::size_t length = xj::utf8::length(e.normalized.text);
  for (const auto& b : e.normalized.blocks) {
    if (b.begin > b.end || b.end > length) fail("a block lies outside the text", text);
  }
  for (const auto& p : e.proposals) {
    if (p.sentence_span.begin > p.sentence_span.end || p.sentence_span.end > length) {
      fail("a sentence lies outside the text", text);
    }
    if (slice(e.normalized.text, p.sentence_span.begin, p.sentence_span.end) != p.sentence) {
      fail("a proposal's sentence is not its span of the text", text);
    }
    if (p.venue.empty() || !xj::utf8::valid(p.venue)) fail("a proposal without a venue", text);
    if (!(p.confidence >= 0 && p.confidence <= 1)) fail("a confidence outside 0..1", text);
    if (p.date.year() != 2023 && (p.date.year() < 1900 || p.date.year() > 2999)) {
      fail("a date outside the years", text);
    }
    if (p.date_to && *p.date_to <= p.date) fail("a range that ends before it starts", text);
    if (p.audience_count && *p.audience_count < 0) fail("a negative audience", text);
  }
  for (const auto& s : e.statements) {
    if (s.sentence_span.end > length || s.fen < 0 || s.count < 0) {
      fail("a statement outside the text or below zero", text);
    }
  }
  return 0;
}
