#include "domain/validation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "core/utf8.hpp"

namespace xj::domain {
namespace {

struct Label {
  const char* zh;
  const char* en;
};

// Accumulates field errors with messages built from a field's label in both languages.
class Checker {
 public:
  std::vector<FieldError> take() { return std::move(errors_); }

  void add(std::string field, std::string zh, std::string en) {
    errors_.push_back({std::move(field), {std::move(zh), std::move(en)}});
  }

  // Trims `value`; then checks UTF-8, control characters and the length in characters.
  bool text(const std::string& field, std::string& value, Label label, std::size_t max,
            bool required, bool multiline = false) {
    if (!utf8::valid(value)) {
      add(field, std::string(label.zh) + "包含无效字符",
          std::string(label.en) + " contains invalid characters");
      return false;
    }
    value = utf8::trim(value);
    if (required && value.empty()) {
      add(field, std::string(label.zh) + "不能为空", std::string(label.en) + " is required");
      return false;
    }
    const bool bad_control = multiline ? utf8::has_control(value)
                                       : (utf8::has_control(value) ||
                                          value.find_first_of("\r\n\t") != std::string::npos);
    if (bad_control) {
      add(field, std::string(label.zh) + "包含不允许的控制字符",
          std::string(label.en) + " contains control characters");
      return false;
    }
    if (utf8::length(value) > max) {
      add(field, std::string(label.zh) + "不能超过" + std::to_string(max) + "个字",
          std::string(label.en) + " must be at most " + std::to_string(max) + " characters");
      return false;
    }
    return true;
  }

  bool range(const std::string& field, std::int64_t value, Label label, std::int64_t min,
             std::int64_t max) {
    if (value < min || value > max) {
      add(field,
          std::string(label.zh) + "必须在" + std::to_string(min) + "到" + std::to_string(max) +
              "之间",
          std::string(label.en) + " must be between " + std::to_string(min) + " and " +
              std::to_string(max));
      return false;
    }
    return true;
  }

  void region(const std::string& field, const std::string& code, Label label,
              const References& refs, bool required) {
    if (code.empty()) {
      if (required) {
        add(field, std::string(label.zh) + "不能为空", std::string(label.en) + " is required");
      }
      return;
    }
    const bool six_digits = code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) {
                              return c >= '0' && c <= '9';
                            });
    if (!six_digits || !refs.region_exists(code)) {
      add(field, std::string(label.zh) + "“" + code + "”不是有效的行政区划代码",
          "unknown " + std::string(label.en) + " \"" + code + "\"");
    }
  }

  void dictionary(const std::string& field, std::string& code, Label label, DictionaryKind kind,
                  const References& refs, bool required) {
    if (!text(field, code, label, 32, required)) return;
    if (!code.empty() && !refs.dictionary_has(kind, code)) {
      add(field, std::string(label.zh) + "“" + code + "”不在字典中",
          "unknown " + std::string(label.en) + " \"" + code + "\"");
    }
  }

  void industry(const std::string& field, std::string& code) {
    code = utf8::trim(code);
    if (!code.empty() && !is_industry_section(code)) {
      add(field, "行业必须是国民经济行业分类（GB/T 4754）门类字母 A–T",
          "industry must be a GB/T 4754 section letter A–T");
    }
  }

  void phone(const std::string& field, std::string& value) {
    if (!text(field, value, {"电话", "phone"}, 20, false) || value.empty()) return;
    const bool ok = value.size() >= 7 && std::all_of(value.begin(), value.end(), [](char ch) {
                      return (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == ' ';
                    });
    if (!ok) add(field, "电话号码格式不正确", "phone number is not valid");
  }

  void coordinates(const std::optional<double>& lat, const std::optional<double>& lon) {
    if (lat.has_value() != lon.has_value()) {
      add(lat ? "lon" : "lat", "经纬度必须同时填写", "latitude and longitude go together");
      return;
    }
    if (lat && (!std::isfinite(*lat) || *lat < -90 || *lat > 90)) {
      add("lat", "纬度必须在 -90 到 90 之间", "latitude must be between -90 and 90");
    }
    if (lon && (!std::isfinite(*lon) || *lon < -180 || *lon > 180)) {
      add("lon", "经度必须在 -180 到 180 之间", "longitude must be between -180 and 180");
    }
  }

 private:
  std::vector<FieldError> errors_;
};

std::string at(const char* list, std::size_t i, const char* field = nullptr) {
  std::string s = std::string(list) + "[" + std::to_string(i) + "]";
  if (field != nullptr) s += std::string(".") + field;
  return s;
}

}  // namespace

std::optional<Message> text_problem(std::string_view text) {
  if (!utf8::valid(text)) return Message{"包含无效字符（不是 UTF-8）", "is not valid UTF-8"};
  if (utf8::has_control(text)) {
    return Message{"包含不允许的控制字符（只允许换行和制表符）",
                   "contains control characters (only line breaks and tabs are allowed)"};
  }
  if (text.size() > kMaxTextCharacters && utf8::length(text) > kMaxTextCharacters) {
    return Message{"不能超过" + std::to_string(kMaxTextCharacters) + "个字",
                   "must be at most " + std::to_string(kMaxTextCharacters) + " characters"};
  }
  return std::nullopt;
}

std::string normalise_line_breaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else if (i + 1 >= text.size() || text[i + 1] != '\n') {
      out += '\n';
    }
  }
  return out;
}

bool is_industry_section(std::string_view code) {
  return code.size() == 1 && code[0] >= 'A' && code[0] <= 'T';
}

bool level_fits_under(OrganisationLevel child, OrganisationLevel parent) {
  using L = OrganisationLevel;
  switch (child) {
    case L::kProvince:
      return false;
    case L::kLeague:
      return parent == L::kProvince;
    case L::kCounty:
      return parent == L::kLeague;
    case L::kIndustry:
      return parent == L::kProvince || parent == L::kLeague || parent == L::kCounty;
    case L::kGrassroots:
      return true;  // 基层工会 sit under any level, 分工会 under a 基层工会
  }
  return false;
}

std::vector<FieldError> validate(Organisation& org, const References& refs) {
  Checker c;
  c.text("name", org.name, {"名称", "name"}, 100, true);
  c.region("region_code", org.region_code, {"行政区划", "region"}, refs, true);
  c.industry("industry", org.industry);
  c.text("address", org.address, {"地址", "address"}, 200, false);
  c.coordinates(org.lat, org.lon);
  return c.take();
}

std::vector<FieldError> validate(Lecturer& l, const References& refs) {
  Checker c;
  c.text("name", l.name, {"姓名", "name"}, 50, true);
  if (l.gender != "" && l.gender != "male" && l.gender != "female") {
    c.add("gender", "性别只能是男或女", "gender must be male or female");
  }
  c.text("ethnicity", l.ethnicity, {"民族", "ethnicity"}, 20, false);
  c.dictionary("category", l.category, {"宣讲员类别", "category"},
               DictionaryKind::kLecturerCategory, refs, true);
  if (l.honours.size() > 20) c.add("honours", "荣誉最多 20 项", "at most 20 honours");
  for (std::size_t i = 0; i < l.honours.size() && i < 20; ++i) {
    c.text(at("honours", i), l.honours[i], {"荣誉", "honour"}, 100, true);
  }
  c.text("employer", l.employer, {"工作单位", "employer"}, 100, false);
  c.region("region_code", l.region_code, {"所在地区", "home region"}, refs, false);
  if (l.topics.size() > 20) c.add("topics", "宣讲主题最多 20 项", "at most 20 topics");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < l.topics.size() && i < 20; ++i) {
    c.dictionary(at("topics", i), l.topics[i], {"宣讲主题", "topic"}, DictionaryKind::kTopic, refs,
                 true);
    if (!seen.insert(l.topics[i]).second) {
      c.add(at("topics", i), "宣讲主题重复", "duplicate topic");
    }
  }
  if (l.languages.empty()) {
    c.add("languages", "至少选择一种宣讲语言", "at least one language is required");
  }
  seen.clear();
  for (std::size_t i = 0; i < l.languages.size(); ++i) {
    if (l.languages[i] != "zh" && l.languages[i] != "mn") {
      c.add(at("languages", i), "宣讲语言只能是汉语（zh）或蒙古语（mn）",
            "language must be zh (Chinese) or mn (Mongolian)");
    } else if (!seen.insert(l.languages[i]).second) {
      c.add(at("languages", i), "宣讲语言重复", "duplicate language");
    }
  }
  c.phone("phone", l.phone);
  c.text("bio", l.bio, {"简介", "bio"}, 2000, false, true);
  if (l.unavailable.size() > 200) {
    c.add("unavailable", "不可用日期段最多 200 个", "at most 200 unavailable periods");
  }
  for (std::size_t i = 0; i < l.unavailable.size() && i < 200; ++i) {
    auto& u = l.unavailable[i];
    if (u.to < u.from) {
      c.add(at("unavailable", i, "to"), "结束日期不能早于开始日期",
            "end date must not be before start date");
    }
    c.text(at("unavailable", i, "reason"), u.reason, {"原因", "reason"}, 200, false);
  }
  return c.take();
}

std::vector<FieldError> validate(Campaign& campaign, const References& refs) {
  Checker c;
  c.text("title", campaign.title, {"活动名称", "title"}, 100, true);
  if (campaign.end_date < campaign.start_date) {
    c.add("end_date", "结束日期不能早于开始日期", "end date must not be before start date");
  }
  c.text("description", campaign.description, {"活动说明", "description"}, 5000, false, true);
  if (campaign.targets.size() > 500) c.add("targets", "目标最多 500 项", "at most 500 targets");
  for (std::size_t i = 0; i < campaign.targets.size() && i < 500; ++i) {
    auto& t = campaign.targets[i];
    c.region(at("targets", i, "region_code"), t.region_code, {"目标地区", "target region"}, refs,
             false);
    c.dictionary(at("targets", i, "audience_group"), t.audience_group,
                 {"受众群体", "audience group"}, DictionaryKind::kAudienceGroup, refs, false);
    c.range(at("targets", i, "sessions"), t.sessions, {"目标场次", "target sessions"}, 0, 1000000);
    c.range(at("targets", i, "audience"), t.audience, {"目标人数", "target audience"}, 0,
            1000000000);
    // One row per place and group: a second row would count the same reach twice.
    for (std::size_t j = 0; j < i; ++j) {
      const auto& earlier = campaign.targets[j];
      if (earlier.region_code == t.region_code && earlier.audience_group == t.audience_group) {
        c.add(at("targets", i, "region_code"),
              "第 " + std::to_string(i + 1) + " 行目标与第 " + std::to_string(j + 1) +
                  " 行的地区和受众群体相同",
              "target row " + std::to_string(i + 1) +
                  " repeats the region and audience group of row " + std::to_string(j + 1));
        break;
      }
    }
  }
  return c.take();
}

std::vector<FieldError> validate(Session& s, const References& refs) {
  Checker c;
  c.text("title", s.title, {"宣讲题目", "title"}, 100, true);
  if (s.start_time && s.end_time && *s.end_time <= *s.start_time) {
    c.add("end_time", "结束时间必须晚于开始时间", "end time must be after start time");
  }
  c.text("venue", s.venue, {"宣讲地点", "venue"}, 200, true);
  if (s.host_organisation_id <= 0) {
    c.add("host_organisation_id", "承办单位不能为空", "host organisation is required");
  }
  c.region("region_code", s.region_code, {"所在地区", "region"}, refs, true);
  c.industry("industry", s.industry);
  c.dictionary("audience_group", s.audience_group, {"受众群体", "audience group"},
               DictionaryKind::kAudienceGroup, refs, true);
  c.range("audience_offline", s.audience_offline, {"现场人数", "audience at the venue"}, 0,
          1000000);
  c.range("online_viewers", s.online_viewers, {"线上观看人数", "online viewers"}, 0, 100000000);
  if (s.format == SessionFormat::kOffline && s.online_viewers != 0) {
    c.add("online_viewers", "线下宣讲没有线上观看人数", "an offline session has no online viewers");
  }
  c.text("summary", s.summary, {"宣讲概要", "summary"}, 5000, false, true);
  if (s.source == SessionSource::kOrdered && !s.order_id) {
    c.add("order_id", "点单宣讲必须关联需求单", "an ordered session needs its order");
  }
  if (s.lecturer_ids.empty()) {
    c.add("lecturer_ids", "至少选择一位宣讲员", "at least one lecturer is required");
  } else if (s.lecturer_ids.size() > 10) {
    c.add("lecturer_ids", "宣讲员最多 10 位", "at most 10 lecturers");
  } else {
    std::set<Id> ids(s.lecturer_ids.begin(), s.lecturer_ids.end());
    if (ids.size() != s.lecturer_ids.size()) {
      c.add("lecturer_ids", "宣讲员重复", "duplicate lecturer");
    }
  }
  if (s.format == SessionFormat::kHybrid && s.branches.empty()) {
    c.add("branches", "主会场+分会场形式至少需要一个分会场",
          "a main venue + branch venues session needs at least one branch venue");
  }
  if (s.format != SessionFormat::kHybrid && !s.branches.empty()) {
    c.add("branches", "只有主会场+分会场形式才有分会场",
          "only a main venue + branch venues session has branch venues");
  }
  if (s.branches.size() > 200) c.add("branches", "分会场最多 200 个", "at most 200 branch venues");
  for (std::size_t i = 0; i < s.branches.size() && i < 200; ++i) {
    auto& b = s.branches[i];
    if (b.host_organisation_id <= 0) {
      c.add(at("branches", i, "host_organisation_id"), "分会场承办单位不能为空",
            "branch host organisation is required");
    }
    c.text(at("branches", i, "venue"), b.venue, {"分会场地点", "branch venue"}, 200, true);
    c.region(at("branches", i, "region_code"), b.region_code, {"分会场地区", "branch region"}, refs,
             true);
    c.dictionary(at("branches", i, "audience_group"), b.audience_group,
                 {"分会场受众群体", "branch audience group"}, DictionaryKind::kAudienceGroup, refs,
                 true);
    c.range(at("branches", i, "headcount"), b.headcount, {"分会场人数", "branch headcount"}, 0,
            1000000);
  }
  return c.take();
}

std::vector<FieldError> validate(Order& o, const References& refs) {
  Checker c;
  if (o.organisation_id <= 0) {
    c.add("organisation_id", "点单单位不能为空", "ordering organisation is required");
  }
  if (o.campaign_id <= 0) c.add("campaign_id", "宣讲活动不能为空", "campaign is required");
  if (o.window_to < o.window_from) {
    c.add("window_to", "最晚日期不能早于最早日期", "the window must not end before it starts");
  } else if (o.window_to.days() - o.window_from.days() > 366) {
    c.add("window_to", "可选日期范围不能超过一年", "the date window must not exceed a year");
  }
  c.region("region_code", o.region_code, {"宣讲地区", "region"}, refs, true);
  c.text("address", o.address, {"宣讲地址", "address"}, 200, true);
  c.dictionary("audience_group", o.audience_group, {"受众群体", "audience group"},
               DictionaryKind::kAudienceGroup, refs, true);
  c.range("expected_audience", o.expected_audience, {"预计人数", "expected audience"}, 1, 1000000);
  c.dictionary("topic", o.topic, {"宣讲主题", "topic"}, DictionaryKind::kTopic, refs, false);
  if (o.language != "" && o.language != "zh" && o.language != "mn") {
    c.add("language", "宣讲语言只能是汉语（zh）或蒙古语（mn）",
          "language must be zh (Chinese) or mn (Mongolian)");
  }
  c.dictionary("preferred_category", o.preferred_category, {"宣讲员类别", "lecturer category"},
               DictionaryKind::kLecturerCategory, refs, false);
  c.range("priority", o.priority, {"优先级", "priority"}, 1, 5);
  c.text("contact_name", o.contact_name, {"联系人", "contact name"}, 50, false);
  c.phone("contact_phone", o.contact_phone);
  c.text("note", o.note, {"备注", "note"}, 2000, false, true);
  if (o.start_time && o.end_time && *o.end_time <= *o.start_time) {
    c.add("end_time", "结束时间必须晚于开始时间", "end time must be after start time");
  }
  return c.take();
}

std::vector<FieldError> validate(DictionaryEntry& e) {
  Checker c;
  if (c.text("code", e.code, {"编码", "code"}, 32, true)) {
    const bool ok = std::all_of(e.code.begin(), e.code.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
    if (!ok) {
      c.add("code", "编码只能由小写字母、数字和下划线组成",
            "code may hold only lower-case letters, digits and underscores");
    }
  }
  c.text("name", e.name, {"名称", "name"}, 50, true);
  c.text("name_en", e.name_en, {"英文名称", "English name"}, 100, false);
  c.range("sort_order", e.sort_order, {"排序", "sort order"}, 0, 9999);
  return c.take();
}

std::vector<FieldError> validate(Account& a) {
  Checker c;
  if (c.text("username", a.username, {"用户名", "user name"}, 32, true)) {
    const bool ok =
        a.username.size() >= 3 && std::all_of(a.username.begin(), a.username.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '.' || ch == '-';
        });
    if (!ok) {
      c.add("username", "用户名为 3–32 位字母、数字、下划线、点或连字符",
            "user name must be 3–32 letters, digits, '_', '.' or '-'");
    }
  }
  c.text("display_name", a.display_name, {"显示名称", "display name"}, 50, true);
  if (a.organisation_id <= 0) {
    c.add("organisation_id", "所属组织不能为空", "organisation is required");
  }
  if (a.role == Role::kLecturer && !a.lecturer_id) {
    c.add("lecturer_id", "宣讲员账号必须关联一位宣讲员", "a lecturer account needs its lecturer");
  }
  if (a.role != Role::kLecturer && a.lecturer_id) {
    c.add("lecturer_id", "只有宣讲员账号可以关联宣讲员",
          "only a lecturer account is linked to a lecturer");
  }
  return c.take();
}

std::vector<FieldError> validate_text(std::string& value, const std::string& field,
                                      const Message& label, std::size_t max, bool required) {
  Checker c;
  c.text(field, value, {label.zh.c_str(), label.en.c_str()}, max, required, true);
  return c.take();
}

std::vector<FieldError> validate_password(std::string_view password) {
  Checker c;
  if (!utf8::valid(password)) {
    c.add("password", "密码包含无效字符", "password contains invalid characters");
    return c.take();
  }
  const std::size_t n = utf8::length(password);
  if (n < 10 || n > 128) {
    c.add("password", "密码长度必须为 10–128 个字符", "password must be 10–128 characters long");
    return c.take();
  }
  std::set<char> distinct(password.begin(), password.end());
  if (distinct.size() < 4) {
    c.add("password", "密码过于简单", "password is too simple");
  }
  return c.take();
}

namespace {
// GB/T 4754-2017 sections (门类), A to T.
constexpr std::array<std::string_view, 20> kIndustries = {
    "农、林、牧、渔业",
    "采矿业",
    "制造业",
    "电力、热力、燃气及水生产和供应业",
    "建筑业",
    "批发和零售业",
    "交通运输、仓储和邮政业",
    "住宿和餐饮业",
    "信息传输、软件和信息技术服务业",
    "金融业",
    "房地产业",
    "租赁和商务服务业",
    "科学研究和技术服务业",
    "水利、环境和公共设施管理业",
    "居民服务、修理和其他服务业",
    "教育",
    "卫生和社会工作",
    "文化、体育和娱乐业",
    "公共管理、社会保障和社会组织",
    "国际组织",
};

}  // namespace

std::string_view industry_section_name(std::string_view letter) {
  if (letter.size() == 1 && letter[0] >= 'A' && letter[0] <= 'T') {
    return kIndustries[static_cast<std::size_t>(letter[0] - 'A')];
  }
  return {};
}

}  // namespace xj::domain
