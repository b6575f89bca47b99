#include <gtest/gtest.h>

#include "core/time.hpp"
#include "core/utf8.hpp"

namespace xj {

TEST(Utf8, AcceptsChineseAndMongolianScript) {
  EXPECT_TRUE(utf8::valid("内蒙古自治区总工会"));
  EXPECT_TRUE(utf8::valid("ᠮᠣᠩᠭᠣᠯ"));
  EXPECT_TRUE(utf8::valid(""));
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(utf8::valid("\xC3"));              // truncated
  EXPECT_FALSE(utf8::valid("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(utf8::valid("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8::valid("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(utf8::valid("\xFF"));
}

TEST(Utf8, CountsCharactersNotBytes) {
  EXPECT_EQ(utf8::length("包头"), 2u);
  EXPECT_EQ(utf8::length("ab包"), 3u);
}

TEST(Utf8, TrimsIdeographicSpace) {
  EXPECT_EQ(utf8::trim("\xE3\x80\x80 王建国 \xE3\x80\x80"), "王建国");
  EXPECT_EQ(utf8::trim("   "), "");
}

TEST(Utf8, PrintableDropsControlsAndBidiMarksAndTruncatesByCharacter) {
  EXPECT_EQ(utf8::printable("admin", 32), "admin");
  EXPECT_EQ(utf8::printable("ad\x1b[2Jmin\r\n\t\x7f\xC2\x85!", 32), "ad[2Jmin!");
  EXPECT_EQ(utf8::printable("a\xE2\x80\xAEnimda", 32), "animda");  // U+202E right-to-left override
  EXPECT_EQ(utf8::printable("王\xFFx", 32), "王\xEF\xBF\xBDx");
  EXPECT_EQ(utf8::printable("内蒙古自治区总工会", 3), "内蒙古");
  EXPECT_EQ(utf8::printable(std::string("a\0b", 3), 32), "ab");
}

TEST(Date, ParsesStrictIsoDates) {
  ASSERT_TRUE(Date::parse("2022-11-01"));
  EXPECT_EQ(Date::parse("2022-11-01")->iso(), "2022-11-01");
  EXPECT_TRUE(Date::parse("2024-02-29"));
  EXPECT_FALSE(Date::parse("2023-02-29"));
  EXPECT_FALSE(Date::parse("2022-13-01"));
  EXPECT_FALSE(Date::parse("2022-1-01"));
  EXPECT_FALSE(Date::parse("20221101"));
  EXPECT_FALSE(Date::parse("2022-11-01T00:00"));
}

TEST(Date, ArithmeticAndWeekday) {
  const Date d = *Date::parse("2022-12-31");
  EXPECT_EQ(d.plus_days(1).iso(), "2023-01-01");
  EXPECT_EQ(Date::parse("2022-11-01")->weekday(), 2u);  // a Tuesday
}

TEST(TimeOfDay, ParsesHoursAndMinutes) {
  EXPECT_EQ(TimeOfDay::parse("09:30")->minutes(), 570);
  EXPECT_FALSE(TimeOfDay::parse("24:00"));
  EXPECT_FALSE(TimeOfDay::parse("9:30"));
}

TEST(Instant, FormatsUtcAndShanghaiDate) {
  EXPECT_EQ(iso_instant(0), "1970-01-01T00:00:00Z");
  // 2022-11-01T17:00:00Z is already 2022-11-02 in Shanghai.
  EXPECT_EQ(shanghai_date(1667322000).iso(), "2022-11-02");
}

}  // namespace xj
