// Civil dates, times of day and UTC instants. Civil dates (a lecture's date) carry no time zone;
// instants (when a record changed) are UTC and shown in Asia/Shanghai by the front end.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xj {

class Date {
 public:
  Date() = default;
  // REQUIRES: a valid proleptic Gregorian date.
  static Date from_ymd(int year, unsigned month, unsigned day);
  static Date from_days(std::int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Strict ISO 8601 calendar date "YYYY-MM-DD" between 1900 and 2999; nullopt otherwise.
  static std::optional<Date> parse(std::string_view text);

  std::int32_t days() const { return days_; }  // days since 1970-01-01
  int year() const;
  unsigned month() const;
  unsigned day() const;
  unsigned weekday() const;  // 1 = Monday ... 7 = Sunday (ISO)
  std::string iso() const;   // "YYYY-MM-DD"
  Date plus_days(std::int32_t n) const { return Date(days_ + n); }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the defaulted comparison
  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

class TimeOfDay {
 public:
  TimeOfDay() = default;
  // "HH:MM" with 00 ≤ HH ≤ 23, 00 ≤ MM ≤ 59; nullopt otherwise.
  static std::optional<TimeOfDay> parse(std::string_view text);
  static TimeOfDay from_minutes(int minutes) { return TimeOfDay(minutes); }
  int minutes() const { return minutes_; }
  std::string text() const;  // "HH:MM"
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the defaulted comparison
  auto operator<=>(const TimeOfDay&) const = default;

 private:
  explicit TimeOfDay(int minutes) : minutes_(minutes) {}
  int minutes_ = 0;
};

// Seconds since the Unix epoch, UTC.
using UnixSeconds = std::int64_t;

UnixSeconds now_utc();
// "2026-11-25T06:40:00Z"
std::string iso_instant(UnixSeconds t);
// The civil date in Asia/Shanghai (UTC+8, no daylight saving) of an instant.
Date shanghai_date(UnixSeconds t);

}  // namespace xj
