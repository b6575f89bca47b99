#include "domain/coverage.hpp"

#include <algorithm>

namespace xj::domain {

std::string_view grain_name(CoverageGrain g) {
  return g == CoverageGrain::kWeek ? "week" : "month";
}

std::optional<CoverageGrain> parse_grain(std::string_view text) {
  if (text == "week") return CoverageGrain::kWeek;
  if (text == "month") return CoverageGrain::kMonth;
  return std::nullopt;
}

std::vector<CoverageColumn> coverage_columns(Date from, Date to, CoverageGrain grain) {
  std::vector<CoverageColumn> out;
  if (grain == CoverageGrain::kWeek) {
    Date monday = from.plus_days(1 - static_cast<std::int32_t>(from.weekday()));
    for (; monday <= to; monday = monday.plus_days(7)) {
      out.push_back(
          CoverageColumn{monday.iso(), std::max(monday, from), std::min(monday.plus_days(6), to)});
    }
    return out;
  }
  for (Date first = Date::from_ymd(from.year(), from.month(), 1); first <= to;) {
    const Date next = first.month() == 12 ? Date::from_ymd(first.year() + 1, 1, 1)
                                          : Date::from_ymd(first.year(), first.month() + 1, 1);
    out.push_back(CoverageColumn{first.iso().substr(0, 7), std::max(first, from),
                                 std::min(next.plus_days(-1), to)});
    first = next;
  }
  return out;
}

std::int32_t overlap_days(Date a_from, Date a_to, Date b_from, Date b_to) {
  const Date first = std::max(a_from, b_from);
  const Date last = std::min(a_to, b_to);
  return last < first ? 0 : last.days() - first.days() + 1;
}

std::int64_t pro_rata(std::int64_t target, std::int32_t days, std::int32_t campaign_days) {
  // Half up in integers: (2·t·d + c) / (2·c).
  return (2 * target * days + campaign_days) / (2 * static_cast<std::int64_t>(campaign_days));
}

std::string_view mark_name(CoverageMark m) {
  switch (m) {
    case CoverageMark::kEmpty:
      return "empty";
    case CoverageMark::kBehind:
      return "behind";
    case CoverageMark::kOk:
      return "ok";
    case CoverageMark::kFuture:
      return "future";
  }
  return "ok";
}

CoverageMark coverage_mark(std::int64_t sessions, std::int64_t audience,
                           std::int64_t expected_sessions, std::int64_t expected_audience,
                           bool future) {
  if (future) return CoverageMark::kFuture;
  if (sessions == 0) return CoverageMark::kEmpty;
  if (sessions < expected_sessions || audience < expected_audience) return CoverageMark::kBehind;
  return CoverageMark::kOk;
}

}  // namespace xj::domain
