// Candidates for one order (派单候选): the facts the service gathers about each lecturer in the
// organiser's scope, and the one ranking rule the dispatch board shows. Pure: the service feeds
// it what the store and the dispatch check know.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

namespace xj::domain {

// Why a lecturer cannot simply be dispatched on the day judged; kNone when they can.
enum class CandidateBlock {
  kNone,
  kDayFull,      // other lectures that day leave no room (time or travel); overridable
  kUnavailable,  // an unavailable period (请假) covers the day; never overridable
};
std::string_view block_name(CandidateBlock b);

// One requirement of the order: asked for and met, asked for and not met, or not asked for.
enum class Requirement { kNotAsked, kMet, kNotMet };
std::string_view requirement_name(Requirement r);

struct CandidateFacts {
  Id lecturer_id = 0;
  std::string name;
  CandidateBlock block = CandidateBlock::kNone;
  bool requested = false;  // the ordering union named this lecturer
  Requirement category = Requirement::kNotAsked;
  Requirement topic = Requirement::kNotAsked;
  Requirement language = Requirement::kNotAsked;
  std::int64_t same_day_lectures = 0;  // already on the lecturer's day
  std::int64_t campaign_lectures = 0;  // sessions given and orders taken in the order's campaign
  // Road distance from the lecturer's home seat to the venue (great circle × road factor);
  // none when either has no place on the map. Ignored for online orders.
  std::optional<double> distance_km;
};

// How many of the order's requirements the lecturer does not meet (0: qualified).
int unmet_requirements(const CandidateFacts& c);

// Lecturers within this many road kilometres of each other count as equally near, so that the
// load of the campaign decides between them.
inline constexpr double kDistanceBandKm = 100;

// Sorts best first. In order of weight: can be dispatched (a full day before an unavailable
// one), requested by the union, fewer unmet requirements, fewer lectures already that day, the
// distance band (unknown distance last; not for online orders), fewer lectures this campaign,
// the exact distance. Equal facts keep the order given (the store lists lecturers by name).
void rank_candidates(std::vector<CandidateFacts>& candidates, bool online);

}  // namespace xj::domain
