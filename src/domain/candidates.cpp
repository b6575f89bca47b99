#include "domain/candidates.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace xj::domain {

std::string_view block_name(CandidateBlock b) {
  switch (b) {
    case CandidateBlock::kNone:
      return "";
    case CandidateBlock::kDayFull:
      return "day_full";
    case CandidateBlock::kUnavailable:
      return "unavailable";
  }
  return "";
}

std::string_view requirement_name(Requirement r) {
  switch (r) {
    case Requirement::kNotAsked:
      return "not_asked";
    case Requirement::kMet:
      return "met";
    case Requirement::kNotMet:
      return "not_met";
  }
  return "not_asked";
}

int unmet_requirements(const CandidateFacts& c) {
  return static_cast<int>(c.category == Requirement::kNotMet) +
         static_cast<int>(c.topic == Requirement::kNotMet) +
         static_cast<int>(c.language == Requirement::kNotMet);
}

namespace {
constexpr double kUnknown = std::numeric_limits<double>::max();  // distance, and its band
}  // namespace

void rank_candidates(std::vector<CandidateFacts>& candidates, bool online) {
  const auto key = [online](const CandidateFacts& c) {
    const double km = online ? 0 : c.distance_km.value_or(kUnknown);
    const double band = km == kUnknown ? kUnknown : std::floor(km / kDistanceBandKm);
    return std::make_tuple(static_cast<int>(c.block), !c.requested, unmet_requirements(c),
                           c.same_day_lectures, band, c.campaign_lectures, km);
  };
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [&](const CandidateFacts& a, const CandidateFacts& b) { return key(a) < key(b); });
}

}  // namespace xj::domain
