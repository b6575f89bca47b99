// The lecturer ranking's score (宣讲员排行): one formula, small enough to say in a sentence,
// returned with every ranking so that nobody has to guess how a place was earned.
//
//   score = sessions × 1 + people reached ÷ 1000
//         + average verified rating × 10   (from min_verified_answers = 3 answers)
//         + acceptance rate × 10           (accepted ÷ dispatched, when any order was dispatched)
//
// Reach is divided by 1,000 so that one online broadcast to thousands does not outweigh a
// season of workshop lectures and their ratings. A verified answer is a QR answer from a browser
// that signed in to the same session: staff entries and the unions' own ratings are shown beside
// it, but only verified answers score, so that no office can raise its lecturers' places by typing
// ratings in.
#pragma once

#include <cstdint>
#include <optional>

#include "core/result.hpp"

namespace xj::domain {

struct ScoreInputs {
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
  std::int64_t verified_ratings = 0;  // how many verified answers
  std::int64_t verified_rating_sum = 0;
  std::int64_t dispatched = 0;  // orders dispatched to the lecturer
  std::int64_t accepted = 0;    // of which they accepted
};

struct ScoreWeights {
  double per_session = 1.0;
  double audience_divisor = 1000.0;
  double per_rating_point = 10.0;
  std::int64_t min_verified_answers = 3;
  double per_acceptance_rate = 10.0;
};

inline constexpr ScoreWeights kScoreWeights{};

// The score, rounded to one decimal place; never negative.
double lecturer_score(const ScoreInputs& in);

// The formula in words, in both languages (the ranking's `formula`).
Message score_formula();

}  // namespace xj::domain
