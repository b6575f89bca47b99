#include "domain/scorecard.hpp"

#include <gtest/gtest.h>

namespace xj::domain {
namespace {

TEST(LecturerScore, SessionsAndAudienceAlone) {
  EXPECT_DOUBLE_EQ(lecturer_score({.sessions = 12, .audience = 1530}), 13.5);
}

TEST(LecturerScore, VerifiedRatingsCountFromThreeAnswers) {
  // Two verified answers of 5 do not score yet; a third makes the average count.
  EXPECT_DOUBLE_EQ(
      lecturer_score({.sessions = 1, .verified_ratings = 2, .verified_rating_sum = 10}), 1.0);
  EXPECT_DOUBLE_EQ(
      lecturer_score({.sessions = 1, .verified_ratings = 3, .verified_rating_sum = 13}), 44.3);
}

TEST(LecturerScore, AcceptanceRateCountsOnlyWhenDispatched) {
  EXPECT_DOUBLE_EQ(lecturer_score({.sessions = 2, .dispatched = 0, .accepted = 0}), 2.0);
  EXPECT_DOUBLE_EQ(lecturer_score({.sessions = 2, .dispatched = 4, .accepted = 3}), 9.5);
  // More acceptances than dispatches (a history rewritten by hand) never exceed a rate of 1.
  EXPECT_DOUBLE_EQ(lecturer_score({.dispatched = 1, .accepted = 5}), 10.0);
}

TEST(LecturerScore, NeverNegativeAndRoundedToOneDecimal) {
  EXPECT_DOUBLE_EQ(lecturer_score({.sessions = -5, .audience = -100}), 0.0);
  EXPECT_DOUBLE_EQ(lecturer_score({.audience = 1}), 0.0);
  EXPECT_DOUBLE_EQ(lecturer_score({.audience = 60}), 0.1);
}

TEST(LecturerScore, FormulaSaysTheWeightsInBothLanguages) {
  const Message m = score_formula();
  EXPECT_NE(m.zh.find("场次 × 1"), std::string::npos);
  EXPECT_NE(m.zh.find("覆盖人数 ÷ 1000"), std::string::npos);
  EXPECT_NE(m.zh.find("满 3 条"), std::string::npos);
  EXPECT_NE(m.en.find("sessions × 1"), std::string::npos);
  EXPECT_NE(m.en.find("from 3 verified answers"), std::string::npos);
}

}  // namespace
}  // namespace xj::domain
