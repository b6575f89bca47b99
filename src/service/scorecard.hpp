// The lecturer scorecard (宣讲员档案, issue 15 point 3) and the ranking (排行) built on it.
// Who may read a lecturer may read their scorecard; the figures count only what happened in the
// caller's subtree (sessions hosted there, orders placed there), and a lecturer sees their own
// scorecard whole. Sessions come from the kept per-lecturer sums (migration 0016).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access.hpp"
#include "store/store.hpp"

namespace xj::service {

using domain::Principal;

// One value of a breakdown (a year, a format, a league or city).
struct ScorecardCount {
  std::string code;
  std::string name;  // "" when unnamed (years, a region the list lacks)
  std::string name_en;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

struct RatingFigures {
  std::int64_t count = 0;
  std::optional<double> average;  // none when count is 0
};

// A decline of an order dispatched to the lecturer, with the reason they gave.
struct DeclineFigure {
  Id order_id = 0;
  UnixSeconds at = 0;
  std::string reason;
  std::optional<Date> date;  // the day it had been dispatched for
};

struct OrderFigures {
  std::int64_t dispatched = 0;  // dispatches to the lecturer (an order dispatched twice: 2)
  std::int64_t accepted = 0;
  std::int64_t declined = 0;
  std::vector<DeclineFigure> declines;  // newest first
  // Dispatch → acceptance, in seconds, over every acceptance that follows a dispatch.
  std::optional<std::int64_t> median_acceptance_seconds;
  std::optional<std::int64_t> mean_acceptance_seconds;
};

// The figures of one lecturer and the ranking's inputs.
struct ScorecardFigures {
  Id lecturer_id = 0;
  std::string name;
  std::string category;
  bool active = true;
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
  RatingFigures verified;    // QR answers with a sign-in of the same browser
  RatingFigures unverified;  // QR answers without one
  RatingFigures staff;       // answers entered by staff
  RatingFigures unions;      // the ordering unions' ratings of delivered orders (评单)
  OrderFigures orders;
  double score = 0;
};

struct Scorecard {
  ScorecardFigures figures;
  std::vector<ScorecardCount> by_year;        // oldest first
  std::vector<ScorecardCount> by_format;      // offline, online, hybrid
  std::vector<ScorecardCount> by_league;      // most sessions first
  std::vector<store::ScorecardQuote> quotes;  // the newest kScorecardQuotes
  Message formula;
};

inline constexpr int kScorecardQuotes = 10;

enum class RankingSort { kScore, kSessions, kAudience, kRating, kAcceptance };
std::optional<RankingSort> parse_ranking_sort(std::string_view name);
std::string_view ranking_sort_name(RankingSort sort);

struct RankingQuery {
  std::optional<Date> from;
  std::optional<Date> to;
  std::vector<Id> campaign_ids;  // empty: every session, those of no campaign too
  std::optional<Id> organisation_id;
  RankingSort sort = RankingSort::kScore;
};

struct RankingEntry {
  int rank = 0;  // 1-based; equal values share no rank (ties go by pinyin)
  ScorecardFigures figures;
};

struct Ranking {
  RankingQuery query;
  Message formula;
  std::vector<RankingEntry> items;
};

class Scorecards {
 public:
  explicit Scorecards(store::Store& store) : store_(store) {}

  // Not found for a lecturer the caller may not read.
  Result<Scorecard> lecturer(const Principal& who, Id lecturer_id);

  // Every lecturer the caller may read, best first by `sort` (pinyin order on ties). Not found
  // for a campaign the caller cannot see; invalid when `to` is before `from`.
  Result<Ranking> ranking(const Principal& who, const RankingQuery& query);

 private:
  store::Store& store_;
};

}  // namespace xj::service
