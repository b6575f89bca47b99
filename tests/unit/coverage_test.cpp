#include "domain/coverage.hpp"

#include <gtest/gtest.h>

namespace xj::domain {
namespace {

Date d(const char* text) { return *Date::parse(text); }

TEST(Coverage, WeeksStartOnMondayAndAreCutToThePeriod) {
  // 2026-03-04 is a Wednesday; 2026-03-17 a Tuesday.
  const auto weeks = coverage_columns(d("2026-03-04"), d("2026-03-17"), CoverageGrain::kWeek);
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(weeks[0].key, "2026-03-02");
  EXPECT_EQ(weeks[0].first, d("2026-03-04"));
  EXPECT_EQ(weeks[0].last, d("2026-03-08"));
  EXPECT_EQ(weeks[1].key, "2026-03-09");
  EXPECT_EQ(weeks[1].last, d("2026-03-15"));
  EXPECT_EQ(weeks[2].first, d("2026-03-16"));
  EXPECT_EQ(weeks[2].last, d("2026-03-17"));
}

TEST(Coverage, MonthsCrossTheYearAndAreCutToThePeriod) {
  const auto months = coverage_columns(d("2025-11-15"), d("2026-02-10"), CoverageGrain::kMonth);
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[0].key, "2025-11");
  EXPECT_EQ(months[0].first, d("2025-11-15"));
  EXPECT_EQ(months[1].key, "2025-12");
  EXPECT_EQ(months[1].last, d("2025-12-31"));
  EXPECT_EQ(months[2].key, "2026-01");
  EXPECT_EQ(months[3].key, "2026-02");
  EXPECT_EQ(months[3].last, d("2026-02-10"));
}

TEST(Coverage, OneDayIsOneColumn) {
  const auto one = coverage_columns(d("2026-03-01"), d("2026-03-01"), CoverageGrain::kWeek);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].key, "2026-02-23");  // 1 March 2026 is a Sunday
}

TEST(Coverage, OverlapCountsSharedDaysOnly) {
  EXPECT_EQ(overlap_days(d("2026-01-01"), d("2026-01-10"), d("2026-01-05"), d("2026-02-01")), 6);
  EXPECT_EQ(overlap_days(d("2026-01-01"), d("2026-01-10"), d("2026-01-11"), d("2026-02-01")), 0);
  EXPECT_EQ(overlap_days(d("2026-01-01"), d("2026-01-01"), d("2026-01-01"), d("2026-01-01")), 1);
}

TEST(Coverage, ProRataRoundsHalfUp) {
  EXPECT_EQ(pro_rata(12, 7, 30), 3);  // 2.8
  EXPECT_EQ(pro_rata(10, 3, 20), 2);  // 1.5
  EXPECT_EQ(pro_rata(10, 2, 20), 1);
  EXPECT_EQ(pro_rata(10, 20, 20), 10);
  EXPECT_EQ(pro_rata(0, 7, 30), 0);
  EXPECT_EQ(pro_rata(7, 0, 30), 0);
}

TEST(Coverage, AnEmptyCellIsAGapEvenWithoutATarget) {
  EXPECT_EQ(coverage_mark(0, 0, 0, 0, false), CoverageMark::kEmpty);
  EXPECT_EQ(coverage_mark(0, 0, 3, 0, false), CoverageMark::kEmpty);
  EXPECT_EQ(coverage_mark(1, 0, 0, 0, false), CoverageMark::kOk);
}

TEST(Coverage, BelowEitherShareIsBehind) {
  EXPECT_EQ(coverage_mark(2, 500, 3, 0, false), CoverageMark::kBehind);
  EXPECT_EQ(coverage_mark(3, 100, 3, 200, false), CoverageMark::kBehind);
  EXPECT_EQ(coverage_mark(3, 200, 3, 200, false), CoverageMark::kOk);
}

TEST(Coverage, TheFutureIsNotJudged) {
  EXPECT_EQ(coverage_mark(0, 0, 5, 5, true), CoverageMark::kFuture);
  EXPECT_EQ(mark_name(CoverageMark::kFuture), "future");
  EXPECT_EQ(parse_grain("month"), CoverageGrain::kMonth);
  EXPECT_FALSE(parse_grain("day"));
}

}  // namespace
}  // namespace xj::domain
