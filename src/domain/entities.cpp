#include "domain/entities.hpp"

#include <array>
#include <utility>

#include "domain/enum_names.hpp"

namespace xj::domain {
namespace {

using detail::name_of;
using detail::parse_of;

constexpr std::array<std::pair<OrganisationLevel, std::string_view>, 5> kLevels{{
    {OrganisationLevel::kProvince, "province"},
    {OrganisationLevel::kLeague, "league"},
    {OrganisationLevel::kCounty, "county"},
    {OrganisationLevel::kIndustry, "industry"},
    {OrganisationLevel::kGrassroots, "grassroots"},
}};

constexpr std::array<std::pair<DictionaryKind, std::string_view>, 4> kKinds{{
    {DictionaryKind::kLecturerCategory, "lecturer_category"},
    {DictionaryKind::kAudienceGroup, "audience_group"},
    {DictionaryKind::kTopic, "topic"},
    {DictionaryKind::kBeneficiaryCategory, "beneficiary_category"},
}};

constexpr std::array<std::pair<SessionFormat, std::string_view>, 3> kFormats{{
    {SessionFormat::kOffline, "offline"},
    {SessionFormat::kOnline, "online"},
    {SessionFormat::kHybrid, "hybrid"},
}};

constexpr std::array<std::pair<SessionSource, std::string_view>, 3> kSources{{
    {SessionSource::kOrdered, "ordered"},
    {SessionSource::kUnordered, "unordered"},
    {SessionSource::kImported, "imported"},
}};

}  // namespace

std::string_view level_name(OrganisationLevel level) { return name_of(kLevels, level); }
std::optional<OrganisationLevel> parse_level(std::string_view name) {
  return parse_of(kLevels, name);
}
std::string_view dictionary_kind_name(DictionaryKind kind) { return name_of(kKinds, kind); }
std::optional<DictionaryKind> parse_dictionary_kind(std::string_view name) {
  return parse_of(kKinds, name);
}
std::string_view format_name(SessionFormat f) { return name_of(kFormats, f); }
std::optional<SessionFormat> parse_format(std::string_view name) {
  return parse_of(kFormats, name);
}
std::string_view source_name(SessionSource s) { return name_of(kSources, s); }
std::optional<SessionSource> parse_source(std::string_view name) {
  return parse_of(kSources, name);
}

std::string_view campaign_status_name(CampaignStatus s) {
  switch (s) {
    case CampaignStatus::kUpcoming:
      return "upcoming";
    case CampaignStatus::kCurrent:
      return "current";
    case CampaignStatus::kEnded:
      return "ended";
    case CampaignStatus::kClosed:
      return "closed";
  }
  return "current";
}

CampaignStatus campaign_status(const Campaign& c, Date today) {
  if (c.closed_at) return CampaignStatus::kClosed;
  if (today < c.start_date) return CampaignStatus::kUpcoming;
  if (c.end_date < today) return CampaignStatus::kEnded;
  return CampaignStatus::kCurrent;
}

std::int64_t total_audience(const Session& s) {
  std::int64_t total = s.audience_offline + s.online_viewers;
  for (const auto& b : s.branches) total += b.headcount;
  return total;
}

}  // namespace xj::domain
