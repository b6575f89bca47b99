// The ranking of candidates for one order: each rule of domain::rank_candidates on a case where
// it alone decides.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/candidates.hpp"

namespace xj::domain {
namespace {

CandidateFacts lecturer(Id id, double km) {
  CandidateFacts c;
  c.lecturer_id = id;
  c.name = "L" + std::to_string(id);
  c.distance_km = km;
  return c;
}

std::vector<Id> ranked(std::vector<CandidateFacts> v, bool online = false) {
  rank_candidates(v, online);
  std::vector<Id> ids;
  for (const auto& c : v) ids.push_back(c.lecturer_id);
  return ids;
}

TEST(Candidates, BlockedLecturersComeLastUnavailableAfterAFullDay) {
  auto off = lecturer(1, 1);
  off.block = CandidateBlock::kUnavailable;
  auto full = lecturer(2, 1);
  full.block = CandidateBlock::kDayFull;
  auto far = lecturer(3, 900);
  far.topic = Requirement::kNotMet;
  EXPECT_EQ(ranked({off, full, far}), (std::vector<Id>{3, 2, 1}));
}

TEST(Candidates, RequestedBeforeQualifiedBeforeUnqualified) {
  auto near_unqualified = lecturer(1, 5);
  near_unqualified.language = Requirement::kNotMet;
  auto qualified = lecturer(2, 500);
  qualified.language = Requirement::kMet;
  qualified.topic = Requirement::kMet;
  auto requested = lecturer(3, 800);
  requested.requested = true;
  requested.topic = Requirement::kNotMet;
  auto twice_unqualified = lecturer(4, 1);
  twice_unqualified.language = Requirement::kNotMet;
  twice_unqualified.category = Requirement::kNotMet;
  EXPECT_EQ(ranked({near_unqualified, qualified, requested, twice_unqualified}),
            (std::vector<Id>{3, 2, 1, 4}));
  EXPECT_EQ(unmet_requirements(twice_unqualified), 2);
  EXPECT_EQ(unmet_requirements(qualified), 0);
}

TEST(Candidates, AFreeDayBeatsDistance) {
  auto busy = lecturer(1, 10);
  busy.same_day_lectures = 1;
  auto free_far = lecturer(2, 400);
  EXPECT_EQ(ranked({busy, free_far}), (std::vector<Id>{2, 1}));
}

TEST(Candidates, WithinOneDistanceBandTheLighterLoadWins) {
  auto near_loaded = lecturer(1, 20);
  near_loaded.campaign_lectures = 5;
  auto bit_further_idle = lecturer(2, 80);
  auto far_idle = lecturer(3, 250);
  EXPECT_EQ(ranked({near_loaded, bit_further_idle, far_idle}), (std::vector<Id>{2, 1, 3}));
}

TEST(Candidates, SameLoadNearerFirstAndUnknownDistanceLast) {
  auto a = lecturer(1, 60);
  auto b = lecturer(2, 30);
  auto nowhere = lecturer(3, 0);
  nowhere.distance_km.reset();
  EXPECT_EQ(ranked({nowhere, a, b}), (std::vector<Id>{2, 1, 3}));
}

TEST(Candidates, OnlineOrdersIgnoreDistance) {
  auto near_loaded = lecturer(1, 5);
  near_loaded.campaign_lectures = 3;
  auto far_idle = lecturer(2, 1500);
  auto nowhere = lecturer(3, 0);
  nowhere.distance_km.reset();
  nowhere.campaign_lectures = 1;
  EXPECT_EQ(ranked({near_loaded, far_idle, nowhere}, true), (std::vector<Id>{2, 3, 1}));
}

TEST(Candidates, EqualFactsKeepTheOrderGiven) {
  EXPECT_EQ(ranked({lecturer(2, 10), lecturer(3, 10), lecturer(1, 10)}),
            (std::vector<Id>{2, 3, 1}));
}

TEST(Candidates, CodesAreTheApiWords) {
  EXPECT_EQ(block_name(CandidateBlock::kUnavailable), "unavailable");
  EXPECT_EQ(block_name(CandidateBlock::kDayFull), "day_full");
  EXPECT_EQ(requirement_name(Requirement::kNotMet), "not_met");
  EXPECT_EQ(requirement_name(Requirement::kNotAsked), "not_asked");
}

}  // namespace
}  // namespace xj::domain
