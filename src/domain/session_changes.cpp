#include "domain/session_changes.hpp"

#include <array>
#include <string_view>
#include <vector>

#include "core/utf8.hpp"
#include "domain/validation.hpp"

namespace xj::domain {

namespace {

constexpr std::size_t kLongest = 40;  // code points of a value shown in the log

std::string quoted(const std::string& text) {
  if (text.empty()) return "（空）";
  std::string shown = utf8::printable(text, kLongest);
  if (shown.size() < text.size()) shown += "…";
  return "“" + shown + "”";
}

std::string industry_text(const std::string& letter) {
  if (letter.empty()) return "（空）";
  const std::string_view name = industry_section_name(letter);
  return name.empty() ? letter : std::string(name);
}

std::string time_text(const std::optional<TimeOfDay>& t) { return t ? t->text() : "（空）"; }

std::string format_text(SessionFormat f) {
  switch (f) {
    case SessionFormat::kOffline:
      return "线下";
    case SessionFormat::kOnline:
      return "线上";
    case SessionFormat::kHybrid:
      return "主会场+分会场";
  }
  return "";
}

std::string named(const std::string& name, const std::string& code) {
  if (!name.empty()) return name;
  return code.empty() ? "（空）" : code;
}

std::string lecturers_text(const Session& s) {
  std::string out;
  for (std::size_t i = 0; i < s.lecturer_ids.size(); ++i) {
    if (i > 0) out += "、";
    out += i < s.lecturer_names.size() && !s.lecturer_names[i].empty()
               ? s.lecturer_names[i]
               : "#" + std::to_string(s.lecturer_ids[i]);
  }
  return out.empty() ? "（空）" : out;
}

std::int64_t branch_headcount(const Session& s) {
  std::int64_t total = 0;
  for (const auto& b : s.branches) total += b.headcount;
  return total;
}

bool same_branches(const Session& a, const Session& b) {
  if (a.branches.size() != b.branches.size()) return false;
  for (std::size_t i = 0; i < a.branches.size(); ++i) {
    const auto& x = a.branches[i];
    const auto& y = b.branches[i];
    if (x.host_organisation_id != y.host_organisation_id || x.venue != y.venue ||
        x.region_code != y.region_code || x.audience_group != y.audience_group ||
        x.headcount != y.headcount) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string describe_changes(const Session& before, const Session& after,
                             const ChangeNames& names) {
  std::vector<std::string> parts;
  auto change = [&](const char* label, const std::string& from, const std::string& to) {
    if (from != to) parts.push_back(std::string(label) + " " + from + " → " + to);
  };
  auto campaign = [&](const std::optional<Id>& id) -> std::string {
    if (!id) return "（无）";
    const std::string name = names.campaign ? names.campaign(*id) : "";
    return name.empty() ? "#" + std::to_string(*id) : quoted(name);
  };
  auto group = [&](const std::string& code) {
    return named(names.audience_group ? names.audience_group(code) : "", code);
  };
  if (before.campaign_id != after.campaign_id) {
    change("所属活动", campaign(before.campaign_id), campaign(after.campaign_id));
  }
  change("标题", quoted(before.title), quoted(after.title));
  change("日期", before.date.iso(), after.date.iso());
  change("开始时间", time_text(before.start_time), time_text(after.start_time));
  change("结束时间", time_text(before.end_time), time_text(after.end_time));
  change("宣讲员", lecturers_text(before), lecturers_text(after));
  change("形式", format_text(before.format), format_text(after.format));
  if (before.host_organisation_id != after.host_organisation_id) {
    change("举办单位",
           named(before.host_organisation_name, std::to_string(before.host_organisation_id)),
           named(after.host_organisation_name, std::to_string(after.host_organisation_id)));
  }
  if (before.region_code != after.region_code) {
    change("地区", named(before.region_name, before.region_code),
           named(after.region_name, after.region_code));
  }
  change("行业", industry_text(before.industry), industry_text(after.industry));
  change("地点", quoted(before.venue), quoted(after.venue));
  if (before.audience_group != after.audience_group) {
    change("听众群体", group(before.audience_group), group(after.audience_group));
  }
  change("现场听众", std::to_string(before.audience_offline),
         std::to_string(after.audience_offline));
  change("线上观看", std::to_string(before.online_viewers), std::to_string(after.online_viewers));
  if (!same_branches(before, after)) {
    auto branches = [](const Session& s) {
      return std::to_string(s.branches.size()) + " 个（" + std::to_string(branch_headcount(s)) +
             " 人）";
    };
    parts.push_back("分会场 " + branches(before) + " → " + branches(after));
  }
  change("内容摘要", quoted(before.summary), quoted(after.summary));
  if (parts.empty()) return "未作修改";
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += "；";
    out += parts[i];
  }
  return out;
}

}  // namespace xj::domain
