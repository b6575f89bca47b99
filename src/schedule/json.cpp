#include "schedule/json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace xj::schedule {

Json Json::boolean(bool b) {
  Json j;
  j.type_ = Type::kBool;
  j.bool_ = b;
  return j;
}
Json Json::number(double d, bool integral) {
  Json j;
  j.type_ = Type::kNumber;
  j.number_ = d;
  j.integral_ = integral;
  return j;
}
Json Json::string(std::string s) {
  Json j;
  j.type_ = Type::kString;
  j.string_ = std::move(s);
  return j;
}
Json Json::array(std::vector<Json> items) {
  Json j;
  j.type_ = Type::kArray;
  j.items_ = std::move(items);
  return j;
}
Json Json::object(std::vector<Member> members) {
  Json j;
  j.type_ = Type::kObject;
  j.members_ = std::move(members);
  return j;
}

const Json* Json::find(std::string_view key) const {
  for (const auto& m : members_)
    if (m.first == key) return &m.second;
  return nullptr;
}

const char* Json::type_name(Type t) {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kNumber:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "?";
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Result<Json> parse() {
    Json v;
    if (!value(v, 0)) return fail_error();
    ws();
    if (i_ != t_.size()) {
      error("unexpected content after the JSON value");
      return fail_error();
    }
    return v;
  }

 private:
  static constexpr int kMaxDepth = 256;

  Error fail_error() const {
    size_t line = 1, col = 1;
    for (size_t k = 0; k < err_pos_ && k < t_.size(); ++k) {
      if (t_[k] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(t_[k]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    return Error{"parse_error",
                 "JSON syntax error at line " + std::to_string(line) + ", column " +
                     std::to_string(col) + ": " + err_,
                 ""};
  }
  bool error(std::string msg) {
    if (err_.empty()) {
      err_ = std::move(msg);
      err_pos_ = i_;
    }
    return false;
  }
  void ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
      ++i_;
  }
  bool literal(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) return error("invalid literal");
    i_ += word.size();
    return true;
  }

  bool value(Json& out, int depth) {
    if (depth > kMaxDepth) return error("nesting too deep");
    ws();
    if (i_ >= t_.size()) return error("unexpected end of input");
    const char c = t_[i_];
    switch (c) {
      case '{':
        return object(out, depth);
      case '[':
        return array(out, depth);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = Json::string(std::move(s));
        return true;
      }
      case 't':
        if (!literal("true")) return false;
        out = Json::boolean(true);
        return true;
      case 'f':
        if (!literal("false")) return false;
        out = Json::boolean(false);
        return true;
      case 'n':
        if (!literal("null")) return false;
        out = Json();
        return true;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(out);
        return error(std::string("unexpected character '") + c + "'");
    }
  }

  bool object(Json& out, int depth) {
    ++i_;  // {
    std::vector<Json::Member> members;
    ws();
    if (i_ < t_.size() && t_[i_] == '}') {
      ++i_;
      out = Json::object(std::move(members));
      return true;
    }
    for (;;) {
      ws();
      if (i_ >= t_.size() || t_[i_] != '"') return error("expected a string key");
      const size_t key_pos = i_;
      std::string key;
      if (!string(key)) return false;
      for (const auto& m : members) {
        if (m.first == key) {
          i_ = key_pos;
          return error("duplicate key \"" + key + "\"");
        }
      }
      ws();
      if (i_ >= t_.size() || t_[i_] != ':') return error("expected ':'");
      ++i_;
      Json v;
      if (!value(v, depth + 1)) return false;
      members.emplace_back(std::move(key), std::move(v));
      ws();
      if (i_ < t_.size() && t_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < t_.size() && t_[i_] == '}') {
        ++i_;
        out = Json::object(std::move(members));
        return true;
      }
      return error("expected ',' or '}'");
    }
  }

  bool array(Json& out, int depth) {
    ++i_;  // [
    std::vector<Json> items;
    ws();
    if (i_ < t_.size() && t_[i_] == ']') {
      ++i_;
      out = Json::array(std::move(items));
      return true;
    }
    for (;;) {
      Json v;
      if (!value(v, depth + 1)) return false;
      items.push_back(std::move(v));
      ws();
      if (i_ < t_.size() && t_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < t_.size() && t_[i_] == ']') {
        ++i_;
        out = Json::array(std::move(items));
        return true;
      }
      return error("expected ',' or ']'");
    }
  }

  bool number(Json& out) {
    const size_t begin = i_;
    bool integral = true;
    if (t_[i_] == '-') ++i_;
    if (i_ >= t_.size()) return error("invalid number");
    if (t_[i_] == '0') {
      ++i_;
      if (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9')
        return error("leading zeros are not allowed");
    } else if (t_[i_] >= '1' && t_[i_] <= '9') {
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    } else {
      return error("invalid number");
    }
    if (i_ < t_.size() && t_[i_] == '.') {
      integral = false;
      ++i_;
      if (i_ >= t_.size() || t_[i_] < '0' || t_[i_] > '9') return error("invalid number");
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      integral = false;
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (i_ >= t_.size() || t_[i_] < '0' || t_[i_] > '9') return error("invalid number");
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    }
    double d = 0;
    const auto res = std::from_chars(t_.data() + begin, t_.data() + i_, d);
    if (res.ec != std::errc() || !std::isfinite(d)) {
      i_ = begin;
      return error("number out of range");
    }
    if (integral && std::fabs(d) > 9007199254740992.0) integral = false;
    out = Json::number(d, integral);
    return true;
  }

  static void put_utf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(uint32_t& cp) {
    if (i_ + 4 > t_.size()) return error("truncated \\u escape");
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = t_[i_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<uint32_t>(h - 'A' + 10);
      } else {
        return error("invalid \\u escape");
      }
    }
    return true;
  }

  bool string(std::string& s) {
    ++i_;  // "
    for (;;) {
      if (i_ >= t_.size()) return error("unterminated string");
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return error("control character in string");
      if (c == '\\') {
        ++i_;
        if (i_ >= t_.size()) return error("unterminated string");
        const char e = t_[i_++];
        switch (e) {
          case '"':
            s += '"';
            break;
          case '\\':
            s += '\\';
            break;
          case '/':
            s += '/';
            break;
          case 'b':
            s += '\b';
            break;
          case 'f':
            s += '\f';
            break;
          case 'n':
            s += '\n';
            break;
          case 'r':
            s += '\r';
            break;
          case 't':
            s += '\t';
            break;
          case 'u': {
            uint32_t cp;
            if (!hex4(cp)) return false;
            if (cp >= 0xD800 && cp < 0xDC00) {
              uint32_t lo;
              if (i_ + 1 >= t_.size() || t_[i_] != '\\' || t_[i_ + 1] != 'u')
                return error("unpaired surrogate");
              i_ += 2;
              if (!hex4(lo)) return false;
              if (lo < 0xDC00 || lo > 0xDFFF) return error("unpaired surrogate");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
              return error("unpaired surrogate");
            }
            put_utf8(s, cp);
            break;
          }
          default:
            --i_;
            return error("invalid escape");
        }
        continue;
      }
      // UTF-8: validate the sequence length, continuation bytes, overlongs and surrogates.
      int len = 0;
      uint32_t cp = 0;
      if (c < 0x80) {
        len = 1;
        cp = c;
      } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
      } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
      } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
      } else {
        return error("invalid UTF-8");
      }
      if (i_ + static_cast<size_t>(len) > t_.size()) return error("invalid UTF-8");
      for (int k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(t_[i_ + static_cast<size_t>(k)]);
        if ((cc & 0xC0) != 0x80) return error("invalid UTF-8");
        cp = (cp << 6) | (cc & 0x3F);
      }
      if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
          cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        return error("invalid UTF-8");
      s.append(t_.substr(i_, static_cast<size_t>(len)));
      i_ += static_cast<size_t>(len);
    }
  }

  std::string_view t_;
  size_t i_ = 0;
  std::string err_;
  size_t err_pos_ = 0;
};

}  // namespace

Result<Json> parse_json(std::string_view text) {
  Parser p(text);
  return p.parse();
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          std::array<char, 8> buf{};
          std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
          out += buf.data();
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}
JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
  separate();
  out_ += json_quote(k);
  out_ += ':';
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::value(std::string_view s) {
  separate();
  out_ += json_quote(s);
  return *this;
}
JsonWriter& JsonWriter::value(double d) {
  separate();
  if (!std::isfinite(d)) {
    out_ += "null";
  } else if (d == std::floor(d) && std::fabs(d) < 1e15) {
    out_ += std::to_string(static_cast<int64_t>(d));
  } else {
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%.*g", precision_, d);
    out_ += buf.data();
  }
  return *this;
}
JsonWriter& JsonWriter::value(int64_t i) {
  separate();
  out_ += std::to_string(i);
  return *this;
}
JsonWriter& JsonWriter::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

}  // namespace xj::schedule
