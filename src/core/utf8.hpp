// UTF-8 helpers. Lengths the user sees are counted in code points, never bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace xj::utf8 {

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool valid(std::string_view text);

// Number of code points. REQUIRES: valid(text).
std::size_t length(std::string_view text);

// `text` without leading and trailing ASCII whitespace and U+3000 (ideographic space).
std::string trim(std::string_view text);

// True if `text` holds a control character other than tab, newline and carriage return
// (C0, DEL and the C1 controls U+0080–U+009F).
bool has_control(std::string_view text);

}  // namespace xj::utf8
