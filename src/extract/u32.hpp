// Internal to the extractor: text as code points, so that offsets and lengths are what a reader
// counts, and the small character classes the rules need.
#pragma once

#include <string>
#include <string_view>

namespace xj::extract::detail {

// REQUIRES: valid UTF-8.
std::u32string decode(std::string_view text);
std::string encode(std::u32string_view text);

inline bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0xF900 && c <= 0xFAFF);
}
inline bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
inline bool is_ascii_alnum(char32_t c) {
  return is_digit(c) || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}
inline bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\u00A0' || c == U'\r' || c == U'\f' ||
         c == U'\v';
}
// Ends a sentence: 。！？；(and their ASCII forms after normalisation: ! ? ;).
inline bool is_terminal(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'!' || c == U'?' ||
         c == U';';
}
inline bool starts_with(std::u32string_view text, std::size_t at, std::u32string_view word) {
  return at <= text.size() && text.size() - at >= word.size() &&
         text.compare(at, word.size(), word) == 0;
}

}  // namespace xj::extract::detail
