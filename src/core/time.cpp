#include "core/time.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace xj {
namespace {

bool parse_digits(std::string_view s, int& out) {
  out = 0;
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  return Date(static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  int m = 0;
  int d = 0;
  if (!parse_digits(text.substr(0, 4), y) || !parse_digits(text.substr(5, 2), m) ||
      !parse_digits(text.substr(8, 2), d)) {
    return std::nullopt;
  }
  if (y < 1900 || y > 2999) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

namespace {
std::chrono::year_month_day ymd_of(std::int32_t days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}
}  // namespace

int Date::year() const { return static_cast<int>(ymd_of(days_).year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd_of(days_).month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd_of(days_).day()); }
unsigned Date::weekday() const {
  return std::chrono::weekday{std::chrono::sys_days{std::chrono::days{days_}}}.iso_encoding();
}

std::string Date::iso() const {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", year(), month(), day());
  return buf.data();
}

std::optional<TimeOfDay> TimeOfDay::parse(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int h = 0;
  int m = 0;
  if (!parse_digits(text.substr(0, 2), h) || !parse_digits(text.substr(3, 2), m)) {
    return std::nullopt;
  }
  if (h > 23 || m > 59) return std::nullopt;
  return TimeOfDay(h * 60 + m);
}

std::string TimeOfDay::text() const {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d", minutes_ / 60 % 24, minutes_ % 60);
  return buf.data();
}

UnixSeconds now_utc() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso_instant(UnixSeconds t) {
  const auto days = static_cast<std::int32_t>(t >= 0 ? t / 86400 : (t - 86399) / 86400);
  const auto secs = t - static_cast<UnixSeconds>(days) * 86400;
  const Date d = Date::from_days(days);
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%sT%02d:%02d:%02dZ", d.iso().c_str(),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf.data();
}

Date shanghai_date(UnixSeconds t) {
  const UnixSeconds local = t + UnixSeconds{8} * 3600;
  return Date::from_days(
      static_cast<std::int32_t>(local >= 0 ? local / 86400 : (local - 86399) / 86400));
}

}  // namespace xj
