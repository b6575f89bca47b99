// Coverage gaps (覆盖情况): the columns of a coverage matrix (weeks or months of a period), a
// campaign target's pro-rata share of some days, and how a cell is judged. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace xj::domain {

enum class CoverageGrain { kWeek, kMonth };
std::string_view grain_name(CoverageGrain g);
std::optional<CoverageGrain> parse_grain(std::string_view text);

// One column of the matrix over time: its key (a week's Monday "2026-03-02", or a month
// "2026-03") and the days of the period it holds.
struct CoverageColumn {
  std::string key;
  Date first;  // within [from, to]: a week or month cut at the period's ends
  Date last;
};

// Every week (Monday to Sunday) or calendar month that meets [from, to], in order, each cut to
// the period. REQUIRES: from <= to.
std::vector<CoverageColumn> coverage_columns(Date from, Date to, CoverageGrain grain);

// The days two closed ranges share (0 when they do not meet).
std::int32_t overlap_days(Date a_from, Date a_to, Date b_from, Date b_to);

// The share of `target` that falls on `days` of a campaign of `campaign_days` days, rounded half
// up: 12 sessions over a 30-day campaign expect 3 in a week of 7 days (2.8). REQUIRES:
// campaign_days > 0, 0 <= days <= campaign_days.
std::int64_t pro_rata(std::int64_t target, std::int32_t days, std::int32_t campaign_days);

// How a cell stands. kFuture: its days are all still to come, nothing is judged.
enum class CoverageMark { kEmpty, kBehind, kOk, kFuture };
std::string_view mark_name(CoverageMark m);

// kFuture when `future`; kEmpty without a session; kBehind below an expected figure (a share of
// a target, 0 when there is none); kOk otherwise.
CoverageMark coverage_mark(std::int64_t sessions, std::int64_t audience,
                           std::int64_t expected_sessions, std::int64_t expected_audience,
                           bool future);

}  // namespace xj::domain
