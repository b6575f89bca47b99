// A small strict JSON reader (RFC 8259) and writer for the schedule library, which depends on the
// standard library only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schedule/problem.hpp"

namespace xj::schedule {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Json>;

  Json() = default;
  static Json boolean(bool b);
  static Json number(double d, bool integral);
  static Json string(std::string s);
  static Json array(std::vector<Json> items);
  static Json object(std::vector<Member> members);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  // A number written without fraction or exponent that fits in int64.
  bool is_integer() const { return type_ == Type::kNumber && integral_; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  int64_t as_integer() const { return static_cast<int64_t>(number_); }
  const std::string& as_string() const { return string_; }
  const std::vector<Json>& items() const { return items_; }
  const std::vector<Member>& members() const { return members_; }
  // REQUIRES: is_object(). nullptr when absent.
  const Json* find(std::string_view key) const;

  static const char* type_name(Type t);

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  bool integral_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<Member> members_;
};

// Parses one JSON text. Rejects trailing content, duplicate object keys, control characters in
// strings, invalid escapes and UTF-8, leading zeros, nesting deeper than 256. Errors carry the
// line and column ("code" parse_error).
Result<Json> parse_json(std::string_view text);

// Appends JSON text. Numbers: integers exactly, others with up to `precision` significant
// digits; non-finite numbers are written as null.
class JsonWriter {
 public:
  explicit JsonWriter(int precision = 10) : precision_(precision) {}
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(double d);
  JsonWriter& value(int64_t i);
  JsonWriter& value(int i) { return value(static_cast<int64_t>(i)); }
  JsonWriter& value(size_t i) { return value(static_cast<int64_t>(i)); }
  JsonWriter& value(bool b);
  JsonWriter& null();
  const std::string& str() const { return out_; }

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
  int precision_;
};

std::string json_quote(std::string_view s);

}  // namespace xj::schedule
