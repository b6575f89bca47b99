#include "store/text_search.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

namespace xj::store::detail {
namespace {

// Where the character starting at byte `i` of `text` ends. A lead byte takes the continuation
// bytes that follow it; a stray byte stands alone (texts are validated on the way in, so this
// only keeps the split total).
std::size_t character_end(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t n = 1;
  if (lead >= 0xC0) n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  std::size_t end = i + 1;
  while (end < text.size() && end < i + n &&
         (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    ++end;
  }
  return end;
}

// The characters of `text` as their UTF-8 bytes, ASCII folded to lower case.
std::vector<std::string> characters(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t end = character_end(text, i);
    std::string c(text.substr(i, end - i));
    if (c.size() == 1 && c[0] >= 'A' && c[0] <= 'Z') c[0] = static_cast<char>(c[0] - 'A' + 'a');
    out.push_back(std::move(c));
    i = end;
  }
  return out;
}

// A token character to FTS5's `ascii` tokenizer: every non-ASCII byte, ASCII letters, digits.
bool is_token(const std::string& c) {
  const auto b = static_cast<unsigned char>(c[0]);
  return b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z');
}

std::set<std::string> bigrams(std::string_view text) {
  const auto chars = characters(text);
  std::set<std::string> out;
  for (std::size_t i = 0; i + 1 < chars.size(); ++i) {
    if (is_token(chars[i]) && is_token(chars[i + 1])) out.insert(chars[i] + chars[i + 1]);
  }
  return out;
}

}  // namespace

// Called for every session written (the text index's triggers), a million times in a bulk load:
// the bigrams are views into one folded copy of the text (a character's bytes are contiguous, so
// two neighbours are one substring), sorted and deduplicated, with no allocation per character.
// The words are those of bigrams() in the same order, which the index's deletions rely on.
std::string bigram_words(std::string_view text) {
  std::string folded(text);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // Each character's start; the text's end closes the last one.
  std::vector<std::uint32_t> starts;
  starts.reserve(folded.size() + 1);
  for (std::size_t i = 0; i < folded.size(); i = character_end(folded, i)) {
    starts.push_back(static_cast<std::uint32_t>(i));
  }
  starts.push_back(static_cast<std::uint32_t>(folded.size()));
  auto token = [&](std::size_t k) {
    const auto b = static_cast<unsigned char>(folded[starts[k]]);
    return b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z');
  };
  std::vector<std::string_view> pairs;
  const std::size_t count = starts.size() - 1;
  pairs.reserve(count);
  for (std::size_t k = 0; k + 1 < count; ++k) {
    if (token(k) && token(k + 1)) {
      pairs.emplace_back(folded.data() + starts[k], starts[k + 2] - starts[k]);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::string out;
  for (const auto pair : pairs) {
    if (!out.empty()) out += ' ';
    out += pair;
  }
  return out;
}

std::optional<std::string> bigram_match(std::string_view query) {
  const auto wanted = bigrams(query);
  if (wanted.empty()) return std::nullopt;
  // Each bigram quoted (it holds no '"': a quote is ASCII punctuation), all of them required.
  std::string out;
  for (const auto& b : wanted) {
    if (!out.empty()) out += " AND ";
    out += '"' + b + '"';
  }
  return out;
}

bool bigram_exact(std::string_view query) {
  const auto chars = characters(query);
  return chars.size() == 2 && is_token(chars[0]) && is_token(chars[1]);
}

bool has_bigram(std::string_view query) { return characters(query).size() >= 2; }

}  // namespace xj::store::detail
