#include "domain/scorecard.hpp"

#include <algorithm>
#include <cmath>

namespace xj::domain {

double lecturer_score(const ScoreInputs& in) {
  const ScoreWeights& w = kScoreWeights;
  double score = static_cast<double>(std::max<std::int64_t>(in.sessions, 0)) * w.per_session +
                 static_cast<double>(std::max<std::int64_t>(in.audience, 0)) / w.audience_divisor;
  if (in.verified_ratings >= w.min_verified_answers) {
    score += static_cast<double>(in.verified_rating_sum) /
             static_cast<double>(in.verified_ratings) * w.per_rating_point;
  }
  if (in.dispatched > 0) {
    const double rate =
        static_cast<double>(std::clamp(in.accepted, std::int64_t{0}, in.dispatched)) /
        static_cast<double>(in.dispatched);
    score += rate * w.per_acceptance_rate;
  }
  return std::round(std::max(score, 0.0) * 10.0) / 10.0;
}

Message score_formula() {
  return {
      "得分 = 场次 × 1 + 覆盖人数 ÷ 1000 + 核验评价平均分 × 10 + 接单率 × 10。"
      "核验评价指听众签到后扫码提交的评价，满 3 条才计入；接单率 = 接单数 ÷ 派单数，"
      "有派单时才计入；工作人员录入的评价和基层工会的评单只列出，不计分。得分保留一位小数。",
      "score = sessions × 1 + people reached ÷ 1000 + average verified rating × 10 + "
      "acceptance rate × 10. A verified answer is a QR answer from someone who signed in to "
      "the session; it counts from 3 verified answers. Acceptance rate = orders accepted ÷ "
      "orders dispatched, counted when any were dispatched. Ratings entered by staff and the "
      "unions' ratings of their orders are shown but do not score. Rounded to one decimal."};
}

}  // namespace xj::domain
