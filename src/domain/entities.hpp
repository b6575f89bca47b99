// The records of the lecture corps: plain values, no behaviour beyond what validation.hpp checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/access.hpp"

namespace xj::domain {

// 行政区划 (GB/T 2260). Shipped as data; not edited through the API.
struct Region {
  std::string code;    // six digits, "150200"
  std::string name;    // "包头市"
  std::string parent;  // "" for provinces
  std::string level;   // province | city | county
  std::string kind;    // division | development_zone
  std::optional<double> lat;
  std::optional<double> lon;
};

// 工会组织: one node of the union tree.
enum class OrganisationLevel { kProvince, kLeague, kCounty, kIndustry, kGrassroots };
std::string_view level_name(OrganisationLevel level);
std::optional<OrganisationLevel> parse_level(std::string_view name);

struct Organisation {
  Id id = 0;
  std::string name;
  std::optional<Id> parent_id;  // none only for the root (自治区总工会)
  OrganisationLevel level = OrganisationLevel::kGrassroots;
  std::string region_code;  // GB/T 2260
  std::string industry;     // GB/T 4754 section letter A–T, or ""
  std::string address;
  std::optional<double> lat;
  std::optional<double> lon;
  std::string path;  // "/1/3/17/": maintained by the store
};

// 字典: editable lists with stable codes.
enum class DictionaryKind { kLecturerCategory, kAudienceGroup, kTopic, kBeneficiaryCategory };
std::string_view dictionary_kind_name(DictionaryKind kind);
std::optional<DictionaryKind> parse_dictionary_kind(std::string_view name);

struct DictionaryEntry {
  Id id = 0;
  DictionaryKind kind = DictionaryKind::kTopic;
  std::string code;  // stable: never changes once created
  std::string name;
  std::string name_en;
  int sort_order = 0;
  bool active = true;
};

struct Account {
  Id id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kViewer;
  Id organisation_id = 0;
  std::optional<Id> lecturer_id;
  bool active = true;
};

struct Unavailability {
  Date from;
  Date to;
  std::string reason;
  bool operator==(const Unavailability&) const = default;
};

// 宣讲员
struct Lecturer {
  Id id = 0;
  Id organisation_id = 0;  // the corps that registers the lecturer
  std::string name;
  std::string gender;  // "", male, female
  std::string ethnicity;
  std::string category;              // dictionary lecturer_category
  std::vector<std::string> honours;  // 全国劳动模范, 北疆工匠, ...
  std::string employer;
  std::string region_code;
  std::vector<std::string> topics;     // dictionary topic codes
  std::vector<std::string> languages;  // zh, mn
  std::string phone;
  std::string bio;
  std::optional<Id> account_id;  // derived: the account linked to this lecturer
  // The portrait's file (SHA-256 and type), "" for none: set through the photo routes only.
  std::string photo_sha256;
  std::string photo_type;
  bool active = true;
  std::vector<Unavailability> unavailable;
  bool operator==(const Lecturer&) const = default;
};

struct CampaignTarget {
  std::string region_code;     // "" = the whole campaign
  std::string audience_group;  // "" = every group
  std::int64_t sessions = 0;
  std::int64_t audience = 0;
};

// 宣讲主题活动
struct Campaign {
  Id id = 0;
  std::string title;
  Id owner_organisation_id = 0;
  Date start_date;
  Date end_date;
  std::string description;
  std::vector<CampaignTarget> targets;
  std::string owner_path;  // derived from the owner organisation, for scope
  // 关闭: set by close, cleared by reopen; a closed campaign takes no new orders or sessions.
  std::optional<UnixSeconds> closed_at;
  std::optional<Id> closed_by;  // the account that closed it
  std::string closed_by_name;   // derived: that account's display name
  std::int64_t version = 0;     // bumped by every edit, close and reopen
};

// What a campaign is on a given day: derived from its period and whether it was closed.
enum class CampaignStatus { kUpcoming, kCurrent, kEnded, kClosed };
std::string_view campaign_status_name(CampaignStatus s);
// REQUIRES: nothing. Closed wins over the dates; `today` is the civil date in Asia/Shanghai.
CampaignStatus campaign_status(const Campaign& c, Date today);

enum class SessionFormat { kOffline, kOnline, kHybrid };
std::string_view format_name(SessionFormat f);
std::optional<SessionFormat> parse_format(std::string_view name);

enum class SessionSource { kOrdered, kUnordered, kImported };
std::string_view source_name(SessionSource s);
std::optional<SessionSource> parse_source(std::string_view name);

// 分会场 of a hybrid session (一主多分).
struct BranchVenue {
  Id id = 0;
  Id host_organisation_id = 0;
  std::string venue;
  std::string region_code;
  std::string audience_group;
  std::int64_t headcount = 0;
};

// 宣讲场次: one lecture at one main venue on one date.
struct Session {
  Id id = 0;
  std::optional<Id> campaign_id;
  std::string title;
  Date date;
  std::optional<TimeOfDay> start_time;
  std::optional<TimeOfDay> end_time;
  std::string venue;
  Id host_organisation_id = 0;
  std::string region_code;
  std::string industry;
  SessionFormat format = SessionFormat::kOffline;
  std::string audience_group;
  std::int64_t audience_offline = 0;  // at the main venue
  std::int64_t online_viewers = 0;
  std::string summary;
  SessionSource source = SessionSource::kUnordered;
  std::optional<Id> order_id;
  std::vector<Id> lecturer_ids;
  std::vector<BranchVenue> branches;
  std::int64_t version = 0;  // bumped by every correction; a stale one is refused (409)
  // Derived on reads, for display: never written.
  std::string host_path;  // of the host organisation, for scope
  std::string host_organisation_name;
  std::string region_name;
  std::vector<std::string> lecturer_names;  // parallel to lecturer_ids
};

// Everyone reached once: main venue, online viewers and each branch venue's own headcount.
std::int64_t total_audience(const Session& s);

// 操作日志: append-only.
struct AuditEntry {
  Id id = 0;
  UnixSeconds at = 0;
  std::optional<Id> account_id;
  std::string username;
  std::string action;  // create, update, login, login_failed, logout, token_create, ...
  std::string entity;  // lecturer, session, ...
  std::optional<Id> entity_id;
  std::string address;
  std::string detail;
  std::string organisation_path;  // of the acting account, for scope of reading the log
  std::string display_name{};     // the account's display name when read; empty without an account
};

}  // namespace xj::domain
