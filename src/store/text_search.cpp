#include "store/text_search.hpp"

#include <cstdint>
#include <set>
#include <vector>

namespace xj::store::detail {
namespace {

// The characters of `text` as their UTF-8 bytes, ASCII folded to lower case. A lead byte takes
// the continuation bytes that follow it; a stray byte stands alone (texts are validated on the
// way in, so this only keeps the split total).
std::vector<std::string> characters(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t n = 1;
    if (lead >= 0xC0) n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    std::size_t end = i + 1;
    while (end < text.size() && end < i + n &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      ++end;
    }
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

std::string bigram_words(std::string_view text) {
  std::string out;
  for (const auto& b : bigrams(text)) {
    if (!out.empty()) out += ' ';
    out += b;
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
