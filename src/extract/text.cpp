// Normalisation and sentence splitting. PDF text comes out in lines the width of the printed
// column, so a line that fills the column and ends without a sentence mark is a sentence going
// on; a short line is the end of a paragraph or a heading; a run of one-character lines is a
// caption set vertically beside a photo.
#include <algorithm>
#include <array>

#include "extract/extract.hpp"
#include "extract/u32.hpp"

namespace xj::extract {

namespace detail {

std::u32string decode(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    char32_t c = 0;
    std::size_t n = 1;
    if (b < 0x80) {
      c = b;
    } else if ((b >> 5) == 0x6) {
      c = b & 0x1Fu;
      n = 2;
    } else if ((b >> 4) == 0xE) {
      c = b & 0x0Fu;
      n = 3;
    } else {
      c = b & 0x07u;
      n = 4;
    }
    for (std::size_t k = 1; k < n && i + k < text.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    }
    out.push_back(c);
    i += n;
  }
  return out;
}

std::string encode(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (const char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

}  // namespace detail

namespace {

using detail::is_ascii_alnum;
using detail::is_digit;
using detail::is_han;
using detail::is_space;
using detail::is_terminal;

// Full-width ASCII (digits, letters, ％ and friends) to half-width; the ideographic space to a
// space. Chinese punctuation (，。：“”) stays as it is: it is what the rules are written in.
char32_t half_width(char32_t c) {
  if (c == U'\u3000' || c == U'\u00A0' || c == U'\t') return U' ';
  if ((c >= U'０' && c <= U'９') || (c >= U'Ａ' && c <= U'Ｚ') || (c >= U'ａ' && c <= U'ｚ') ||
      c == U'．' || c == U'％' || c == U'－' || c == U'＋') {
    return c - 0xFEE0;
  }
  return c;
}

// A space is kept only between two ASCII words ("Vue 3") or between two Han characters (a
// title's "奋进新征程 建功新时代"); beside a digit or punctuation it is noise: `4月 16日`.
std::u32string tidy_spaces(std::u32string_view line) {
  std::u32string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char32_t c = line[i];
    if (c != U' ') {
      out.push_back(c);
      continue;
    }
    std::size_t j = i;
    while (j < line.size() && line[j] == U' ') ++j;
    if (out.empty() || j == line.size()) {
      i = j - 1;
      continue;
    }
    const char32_t before = out.back();
    const char32_t after = line[j];
    const bool ascii_words =
        is_ascii_alnum(before) && is_ascii_alnum(after) && !(is_digit(before) && is_digit(after));
    const bool han_words = is_han(before) && is_han(after);
    if (ascii_words || han_words) out.push_back(U' ');
    i = j - 1;
  }
  return out;
}

// Ends what a sentence ends with: 。！？；：, a closing quote after one of them, or an ellipsis.
bool ends_sentence(std::u32string_view line) {
  if (line.empty()) return true;
  char32_t last = line.back();
  if ((last == U'”' || last == U'」' || last == U'）' || last == U')') && line.size() > 1) {
    last = line[line.size() - 2];
  }
  return is_terminal(last) || last == U'：' || last == U'…' || last == U':';
}

// 一、 （一） 1. 第一 : the marks of a numbered heading.
bool numbered_heading(std::u32string_view line) {
  static constexpr std::u32string_view kNumerals = U"一二三四五六七八九十";
  if (line.size() >= 2 && kNumerals.find(line[0]) != std::u32string_view::npos &&
      (line[1] == U'、' ||
       (line.size() >= 3 && kNumerals.find(line[1]) != std::u32string_view::npos &&
        line[2] == U'、'))) {
    return true;
  }
  return line.size() >= 3 && (line[0] == U'（' || line[0] == U'(') &&
         kNumerals.find(line[1]) != std::u32string_view::npos;
}

struct Line {
  std::u32string text;
  bool indented = false;
  bool blank = false;
};

bool date_opening(std::u32string_view line) {
  // "4月9日，" or "2023年4月9日" at the start of a line opens a paragraph in a brief.
  std::size_t i = 0;
  while (i < line.size() && (is_digit(line[i]) || line[i] == U'年')) ++i;
  if (i == 0 || i >= line.size() || line[i] != U'月') return false;
  ++i;
  const std::size_t day = i;
  while (i < line.size() && is_digit(line[i])) ++i;
  if (i == day || i >= line.size() || line[i] != U'日') return false;
  ++i;
  while (i < line.size() && line[i] != U'，' && line[i] != U'。' && i < day + 8) ++i;
  return i < line.size() && line[i] == U'，';
}

}  // namespace

Normalized normalize(std::string_view text) {
  std::u32string all = detail::decode(text);
  std::vector<Line> lines;
  {
    Line cur;
    bool leading = true;
    for (char32_t c : all) {
      if (c == U'\r') continue;
      if (c == U'\n' || c == U'\u2028' || c == U'\u2029' || c == U'\f') {
        lines.push_back(std::move(cur));
        cur = Line{};
        leading = true;
        continue;
      }
      if (leading && is_space(c)) {
        cur.indented = true;
        continue;
      }
      leading = false;
      cur.text.push_back(half_width(c));
    }
    lines.push_back(std::move(cur));
  }
  for (auto& l : lines) {
    l.text = tidy_spaces(l.text);
    l.blank = l.text.empty();
  }

  // The width of the column: the median length of the lines that carry text.
  std::vector<std::size_t> lengths;
  for (const auto& l : lines) {
    if (l.text.size() >= 5) lengths.push_back(l.text.size());
  }
  std::size_t median = 0;
  if (!lengths.empty()) {
    std::nth_element(lengths.begin(),
                     lengths.begin() + static_cast<std::ptrdiff_t>(lengths.size() / 2),
                     lengths.end());
    median = lengths[lengths.size() / 2];
  }
  const auto full = [median](const std::u32string& t) { return t.size() * 10 >= median * 7; };
  const auto single = [](const Line& l) {
    return !l.blank && l.text.size() == 1 && is_han(l.text[0]);
  };

  struct Para {
    std::u32string text;
    BlockKind kind = BlockKind::kBody;
    bool open = false;  // a sentence may go on into the next line
  };
  std::vector<Para> paras;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (l.blank) {
      if (!paras.empty()) paras.back().open = false;
      continue;
    }
    // A caption set one character a line: two or more such lines in a row.
    if (single(l) && i + 1 < lines.size() && single(lines[i + 1])) {
      Para p{{}, BlockKind::kCaption, false};
      while (i < lines.size() && single(lines[i])) p.text += lines[i++].text;
      --i;
      paras.push_back(std::move(p));
      continue;
    }
    // A line that starts with closing punctuation (”，。) always goes on the line before.
    static constexpr std::u32string_view kClosing = U"”」』）)，。、；：！？》";
    const bool closing = kClosing.find(l.text.front()) != std::u32string_view::npos;
    const bool joins =
        !paras.empty() &&
        (closing || (paras.back().open && !l.indented &&
                     !(date_opening(l.text) && paras.back().kind == BlockKind::kBody &&
                       ends_sentence(paras.back().text)) &&
                     !numbered_heading(l.text)));
    if (joins) {
      auto& p = paras.back();
      if (!p.text.empty() && is_ascii_alnum(p.text.back()) && is_ascii_alnum(l.text.front()) &&
          !(is_digit(p.text.back()) && is_digit(l.text.front()))) {
        p.text.push_back(U' ');
      }
      p.text += l.text;
      p.open = full(l.text) && !ends_sentence(l.text);
    } else {
      paras.push_back(Para{l.text, BlockKind::kBody, full(l.text) && !ends_sentence(l.text)});
    }
  }
  for (auto& p : paras) {
    if (p.kind == BlockKind::kCaption) continue;
    if ((!ends_sentence(p.text) && p.text.size() <= 40) ||
        (numbered_heading(p.text) && p.text.size() <= 40)) {
      p.kind = BlockKind::kHeading;
    }
  }

  Normalized out;
  std::u32string joined;
  for (const auto& p : paras) {
    if (!joined.empty()) joined.push_back(U'\n');
    Block b;
    b.kind = p.kind;
    b.begin = joined.size();
    joined += p.text;
    b.end = joined.size();
    out.blocks.push_back(b);
  }
  out.text = detail::encode(joined);
  return out;
}

std::vector<Span> sentences(const Normalized& normalized) {
  const std::u32string text = detail::decode(normalized.text);
  std::vector<Span> out;
  for (const auto& b : normalized.blocks) {
    if (b.kind != BlockKind::kBody) continue;
    std::size_t start = b.begin;
    int depth = 0;
    for (std::size_t i = b.begin; i < b.end; ++i) {
      const char32_t c = text[i];
      if (c == U'“' || c == U'「' || c == U'『') ++depth;
      if ((c == U'”' || c == U'」' || c == U'』') && depth > 0) --depth;
      bool end = depth == 0 && is_terminal(c);
      // 。” closes the quotation and, unless the speaker follows, the sentence.
      if (!end && depth == 0 && (c == U'”' || c == U'」') && i > b.begin &&
          is_terminal(text[i - 1])) {
        end = true;
        std::size_t k = i + 1;
        // "……。”骑手王小川说。": the speaker belongs to the quotation's sentence.
        while (k < b.end && k < i + 16 && !is_terminal(text[k]) && text[k] != U'，' &&
               text[k] != U'“') {
          if (text[k] == U'说' || text[k] == U'道') {
            end = false;
            break;
          }
          ++k;
        }
      }
      if (end) {
        out.push_back({start, i + 1});
        start = i + 1;
      }
    }
    if (start < b.end) out.push_back({start, b.end});
  }
  // Trim spaces at the edges.
  std::vector<Span> trimmed;
  for (auto s : out) {
    while (s.begin < s.end && is_space(text[s.begin])) ++s.begin;
    if (s.begin < s.end) trimmed.push_back(s);
  }
  return trimmed;
}

std::optional<Date> civil_date(int year, int month, int day) {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return std::nullopt;
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays.at(static_cast<std::size_t>(month - 1));
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) max = 29;
  if (day > max) return std::nullopt;
  return Date::from_ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

}  // namespace xj::extract
