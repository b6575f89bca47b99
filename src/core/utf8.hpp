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

// `text` made safe to show where it came from outside and was never validated (a user name
// someone tried to log in with): malformed bytes become U+FFFD; control characters (C0 with tab
// and line breaks, DEL, C1) and the bidirectional embedding, override and isolate marks, which
// can make a log line read as something else, are removed; at most `max_code_points` remain.
std::string printable(std::string_view text, std::size_t max_code_points);

}  // namespace xj::utf8
