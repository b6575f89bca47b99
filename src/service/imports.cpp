#include "service/imports.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <variant>

#include <unistd.h>

#include "core/utf8.hpp"
#include "domain/validation.hpp"
#include "service/rules.hpp"
#include "sheet/table.hpp"

namespace xj::service {

using domain::DictionaryKind;
using domain::Permission;
using domain::Principal;
using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

std::string_view import_kind_name(ImportKind kind) {
  switch (kind) {
    case ImportKind::kLecturers:
      return "lecturers";
    case ImportKind::kOrganisations:
      return "organisations";
    case ImportKind::kSessions:
      return "sessions";
  }
  return "lecturers";
}

std::optional<ImportKind> parse_import_kind(std::string_view name) {
  for (const auto k : {ImportKind::kLecturers, ImportKind::kOrganisations, ImportKind::kSessions}) {
    if (import_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view import_row_status_name(ImportRow::Status s) {
  switch (s) {
    case ImportRow::Status::kCreate:
      return "create";
    case ImportRow::Status::kUnchanged:
      return "unchanged";
    case ImportRow::Status::kError:
      return "error";
  }
  return "error";
}

namespace {

// One column of a kind's sheet. `key` is the API's field name of what it fills, so that the
// domain's field errors find their column.
struct Column {
  std::string_view key;
  std::string_view zh;  // the template's header
  std::string_view en;
  bool required;
  std::string_view note;  // the template's note row
};

constexpr std::array kOrganisationColumns{
    Column{"name", "名称", "name", true, "必填"},
    Column{"parent_id", "上级组织", "parent", true,
           "必填：上级组织的名称或编号，须在本单位管辖范围内"},
    Column{"level", "级别", "level", true, "必填：盟市、旗县区、产业或基层"},
    Column{"region_code", "行政区划", "region", true, "必填：地区名称（如包头市）或六位代码"},
    Column{"industry", "行业", "industry", false, "国民经济行业门类名称（如制造业）或字母"},
    Column{"address", "地址", "address", false, ""},
    Column{"lat", "纬度", "latitude", false, "与经度同时填写"},
    Column{"lon", "经度", "longitude", false, "与纬度同时填写"},
};

constexpr std::array kLecturerColumns{
    Column{"name", "姓名", "name", true, "必填"},
    Column{"organisation_id", "所属组织", "organisation", true,
           "必填：组织名称或编号，须在本单位管辖范围内"},
    Column{"gender", "性别", "gender", false, "男或女"},
    Column{"ethnicity", "民族", "ethnicity", false, ""},
    Column{"category", "宣讲员类别", "category", true, "必填：如劳动模范（字典名称或编码）"},
    Column{"honours", "荣誉", "honours", false, "多项用顿号“、”分隔"},
    Column{"employer", "工作单位", "employer", false, "与姓名一起识别同一位宣讲员"},
    Column{"region_code", "所在地区", "home region", false, "地区名称或六位代码"},
    Column{"topics", "宣讲主题", "topics", false, "多项用顿号“、”分隔（字典名称或编码）"},
    Column{"languages", "宣讲语言", "languages", true, "必填：汉语、蒙古语，可填多项"},
    Column{"phone", "手机号码", "phone", false, ""},
    Column{"bio", "简介", "bio", false, ""},
};

constexpr std::array kSessionColumns{
    Column{"date", "日期", "date", true, "必填：如 2024-03-15"},
    Column{"start_time", "开始时间", "start time", false, "如 09:30"},
    Column{"end_time", "结束时间", "end time", false, "如 11:00"},
    Column{"title", "宣讲题目", "title", true, "必填"},
    Column{"venue", "宣讲地点", "venue", true, "必填"},
    Column{"host_organisation_id", "承办单位", "host organisation", true,
           "必填：组织名称或编号，须在本单位管辖范围内"},
    Column{"region_code", "所在地区", "region", false,
           "地区名称或六位代码；不填取承办单位所在地区"},
    Column{"industry", "行业", "industry", false, "国民经济行业门类名称或字母"},
    Column{"format", "形式", "format", false, "线下或线上；不填为线下"},
    Column{"audience_group", "受众群体", "audience group", true,
           "必填：如一线职工（字典名称或编码）"},
    Column{"audience_offline", "现场人数", "audience at the venue", false, "整数"},
    Column{"online_viewers", "线上观看人数", "online viewers", false, "整数，线上宣讲填写"},
    Column{"lecturer_ids", "宣讲员", "lecturers", true,
           "必填：宣讲员姓名或编号，多位用顿号“、”分隔"},
    Column{"campaign_id", "宣讲活动", "campaign", false, "活动名称或编号"},
    Column{"summary", "宣讲概要", "summary", false, ""},
};

std::vector<Column> columns_of(ImportKind kind) {
  switch (kind) {
    case ImportKind::kOrganisations:
      return {kOrganisationColumns.begin(), kOrganisationColumns.end()};
    case ImportKind::kLecturers:
      return {kLecturerColumns.begin(), kLecturerColumns.end()};
    case ImportKind::kSessions:
      return {kSessionColumns.begin(), kSessionColumns.end()};
  }
  return {};
}

constexpr std::string_view kNoteMark = "【填写说明】";

Status require_import(const Principal& who, ImportKind kind) {
  switch (kind) {
    case ImportKind::kOrganisations:
      return require(who, Permission::kOrganisationsWrite);
    case ImportKind::kLecturers:
      return require(who, Permission::kLecturersWrite);
    case ImportKind::kSessions:
      // Organisers and admins: a lecturer records their own lectures one by one.
      if (auto s = require(who, Permission::kSessionsWrite); !s) return s;
      return require(who, Permission::kLecturersWrite);
  }
  return Error::forbidden();
}

std::string lower_ascii(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// "a、b，c;d" → {"a", "b", "c", "d"}: the separators people use in one cell.
std::vector<std::string> split_items(const std::string& text) {
  static const std::array<std::string_view, 8> kSeparators{"、", "，", ",",  "；",
                                                           ";",  "/",  "\n", "|"};
  std::vector<std::string> out;
  std::size_t start = 0;
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t sep = 0;
    if (i < text.size()) {
      for (const auto s : kSeparators) {
        if (std::string_view(text).substr(i).starts_with(s)) {
          sep = s.size();
          break;
        }
      }
    }
    if (i == text.size() || sep > 0) {
      std::string item = utf8::trim(std::string_view(text).substr(start, i - start));
      if (!item.empty()) out.push_back(std::move(item));
      if (i == text.size()) break;
      i += sep;
      start = i;
    } else {
      ++i;
    }
  }
  return out;
}

std::optional<Id> parse_id(std::string_view text) {
  Id id = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::optional<std::int64_t> parse_count(std::string_view text) {
  std::int64_t n = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return n;
}

// "2024-03-15", "2024/3/15", "2024.3.15", "2024年3月15日", with a time after it ignored.
std::optional<Date> parse_date(std::string text) {
  if (const auto space = text.find(' '); space != std::string::npos) text.resize(space);
  if (text.ends_with("日")) text.resize(text.size() - std::string_view("日").size());
  std::array<int, 3> parts{0, 0, 0};
  int part = 0;
  std::size_t digits = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (++digits > 4) return std::nullopt;
      auto& p = parts.at(static_cast<std::size_t>(part));
      p = p * 10 + (c - '0');
      ++i;
      continue;
    }
    std::size_t sep = 0;
    for (const std::string_view s : {"-", "/", ".", "年", "月"}) {
      if (std::string_view(text).substr(i).starts_with(s)) sep = s.size();
    }
    if (sep == 0 || digits == 0 || part == 2) return std::nullopt;
    ++part;
    digits = 0;
    i += sep;
  }
  if (part != 2 || digits == 0 || parts[0] < 1900 || parts[0] > 2999) return std::nullopt;
  std::array<char, 16> iso{};
  std::snprintf(iso.data(), iso.size(), "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  return Date::parse(iso.data());
}

// "9:30", "09:30", "09:30:00".
std::optional<TimeOfDay> parse_time(std::string text) {
  if (text.size() >= 7 && text[text.size() - 3] == ':') text.resize(text.size() - 3);
  if (text.size() == 4 && text[1] == ':') text = "0" + text;
  return TimeOfDay::parse(text);
}

// What the cells name, looked up once per import within the importer's scope; records the
// import creates are added as it goes, so that a later row may name an earlier one.
class Names {
 public:
  Names(store::Tx& tx, const Principal& who, ImportKind kind) {
    for (const auto& r : tx.regions("", "")) {
      region_codes_.insert(r.code);
      regions_[r.name].push_back(r.code);
    }
    for (const auto& e : tx.dictionary(std::nullopt, false)) {
      auto& m = dictionary_[e.kind];
      m[e.code] = e.code;
      m[e.name] = e.code;
      if (!e.name_en.empty()) m[lower_ascii(e.name_en)] = e.code;
    }
    store::OrganisationFilter of;
    of.scope_path = who.organisation_path;
    of.page = {1, 10000000};
    for (auto& o : tx.organisations(of).items) add_organisation(std::move(o));
    if (kind != ImportKind::kOrganisations) {
      store::LecturerFilter lf;
      lf.scope_path = who.organisation_path;
      lf.page = {1, 10000000};
      for (const auto& l : tx.lecturers(lf).items) add_lecturer(l);
    }
    if (kind == ImportKind::kSessions) {
      store::CampaignFilter cf;
      cf.scope_path = who.organisation_path;
      cf.page = {1, 10000000};
      for (const auto& c : tx.campaigns(cf).items) {
        if (campaign_visible(who, c)) campaigns_[c.title].push_back(c.id);
        campaign_ids_.insert(c.id);
      }
    }
  }

  void add_organisation(domain::Organisation o) {
    organisation_names_[o.name].push_back(o.id);
    if (o.parent_id) organisation_keys_[{*o.parent_id, o.name}] = o.id;
    organisations_[o.id] = std::move(o);
  }
  void add_lecturer(const domain::Lecturer& l) {
    lecturer_names_[l.name].push_back(l.id);
    lecturer_keys_[{l.name, l.employer}] = l.id;
  }

  const domain::Organisation* organisation(Id id) const {
    const auto it = organisations_.find(id);
    return it == organisations_.end() ? nullptr : &it->second;
  }
  std::optional<Id> organisation_with_key(Id parent, const std::string& name) const {
    const auto it = organisation_keys_.find({parent, name});
    if (it == organisation_keys_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Id> lecturer_with_key(const std::string& name, const std::string& employer) const {
    const auto it = lecturer_keys_.find({name, employer});
    if (it == lecturer_keys_.end()) return std::nullopt;
    return it->second;
  }

  // Each resolver answers the code or id, or a message saying why not.
  std::variant<std::string, Message> region(const std::string& text) const {
    if (region_codes_.contains(text)) return text;
    const auto it = regions_.find(text);
    if (it == regions_.end()) {
      return Message{"找不到地区“" + text + "”：请填写地区名称（如包头市）或六位代码",
                     "no region \"" + text + "\": write its name or its six-digit code"};
    }
    if (it->second.size() > 1) {
      return Message{"有多个地区名为“" + text + "”，请填写六位地区代码",
                     "several regions are called \"" + text + "\": write the six-digit code"};
    }
    return it->second.front();
  }

  std::variant<std::string, Message> dictionary(DictionaryKind kind,
                                                const std::string& text) const {
    const auto k = dictionary_.find(kind);
    if (k != dictionary_.end()) {
      if (auto it = k->second.find(text); it != k->second.end()) return it->second;
      if (auto it = k->second.find(lower_ascii(text)); it != k->second.end()) return it->second;
    }
    return Message{"“" + text + "”不在字典中", "\"" + text + "\" is not in the dictionary"};
  }

  std::variant<Id, Message> organisation_named(const std::string& text) const {
    if (const auto id = parse_id(text)) {
      if (organisations_.contains(*id)) return *id;
    }
    const auto it = organisation_names_.find(text);
    if (it == organisation_names_.end()) {
      return Message{"找不到组织“" + text + "”（或不在您的管辖范围内）",
                     "no organisation \"" + text + "\" within your scope"};
    }
    if (it->second.size() > 1) {
      return Message{"有多个组织名为“" + text + "”，请填写组织编号",
                     "several organisations are called \"" + text + "\": write its id"};
    }
    return it->second.front();
  }

  std::variant<Id, Message> lecturer_named(const std::string& text) const {
    const auto it = lecturer_names_.find(text);
    if (it == lecturer_names_.end()) {
      if (const auto id = parse_id(text)) return *id;  // checked in scope by the session rules
      return Message{"找不到宣讲员“" + text + "”（或不在您的管辖范围内）",
                     "no lecturer \"" + text + "\" within your scope"};
    }
    if (it->second.size() > 1) {
      return Message{"有多位宣讲员名为“" + text + "”，请填写宣讲员编号",
                     "several lecturers are called \"" + text + "\": write the lecturer's id"};
    }
    return it->second.front();
  }

  std::variant<Id, Message> campaign_named(const std::string& text) const {
    if (const auto id = parse_id(text); id && campaign_ids_.contains(*id)) return *id;
    const auto it = campaigns_.find(text);
    if (it == campaigns_.end()) {
      return Message{"找不到宣讲活动“" + text + "”", "no campaign \"" + text + "\""};
    }
    if (it->second.size() > 1) {
      return Message{"有多个宣讲活动名为“" + text + "”，请填写活动编号",
                     "several campaigns are called \"" + text + "\": write its id"};
    }
    return it->second.front();
  }

 private:
  std::set<std::string> region_codes_;
  std::map<std::string, std::vector<std::string>> regions_;
  std::map<DictionaryKind, std::map<std::string, std::string>> dictionary_;
  std::map<Id, domain::Organisation> organisations_;
  std::map<std::string, std::vector<Id>> organisation_names_;
  std::map<std::pair<Id, std::string>, Id> organisation_keys_;
  std::map<std::string, std::vector<Id>> lecturer_names_;
  std::map<std::pair<std::string, std::string>, Id> lecturer_keys_;
  std::map<std::string, std::vector<Id>> campaigns_;
  std::set<Id> campaign_ids_;
};

// One data row being read: its cells by column key, and its problems.
class RowReader {
 public:
  RowReader(std::size_t row, const std::vector<std::string>& cells,
            const std::map<std::string_view, std::size_t>& column_of,
            const std::vector<std::string>& header)
      : row_(row), cells_(cells), column_of_(column_of), header_(header) {}

  std::string cell(std::string_view key) const {
    const auto it = column_of_.find(key);
    if (it == column_of_.end() || it->second >= cells_.size()) return "";
    return utf8::trim(cells_[it->second]);
  }

  void problem(std::string_view key, Message message) {
    ImportProblem p;
    p.row = row_;
    if (const auto it = column_of_.find(key); it != column_of_.end()) {
      p.column = sheet::column_name(it->second + 1);
      p.header = header_[it->second];
    }
    p.message = std::move(message);
    problems_.push_back(std::move(p));
    failed_keys_.insert(std::string(key));
  }

  // The domain's field errors, on their columns ("topics[2]" → topics); none on a column that
  // already has a problem of this row (an unresolved name read as empty says nothing new).
  void field_errors(const std::vector<FieldError>& errors) {
    for (const auto& e : errors) {
      std::string key = e.field.substr(0, e.field.find_first_of("[."));
      if (failed_keys_.contains(key)) continue;
      problem(key, e.message);
      failed_keys_.insert(key);
    }
  }

  template <class T>
  std::optional<T> resolved(std::string_view key, std::variant<T, Message> r) {
    if (auto* m = std::get_if<Message>(&r)) {
      problem(key, std::move(*m));
      return std::nullopt;
    }
    return std::get<T>(std::move(r));
  }

  bool ok() const { return problems_.empty(); }
  std::vector<ImportProblem> take() { return std::move(problems_); }

 private:
  std::size_t row_;
  const std::vector<std::string>& cells_;
  const std::map<std::string_view, std::size_t>& column_of_;
  const std::vector<std::string>& header_;
  std::vector<ImportProblem> problems_;
  std::set<std::string> failed_keys_;
};

struct Outcome {
  ImportRow::Status status = ImportRow::Status::kError;
  std::optional<Id> id;
};

// The importer of one file, inside its transaction.
class Run {
 public:
  Run(store::Tx& tx, const Principal& who, ImportKind kind)
      : tx_(tx), who_(who), kind_(kind), names_(tx, who, kind), refs_(tx) {}

  Outcome row(RowReader& r, std::size_t row_number) {
    switch (kind_) {
      case ImportKind::kOrganisations:
        return organisation(r, row_number);
      case ImportKind::kLecturers:
        return lecturer(r, row_number);
      case ImportKind::kSessions:
        return session(r, row_number);
    }
    return {};
  }

 private:
  // A natural key seen on an earlier row of the same file is an error: one of the two is a slip.
  bool duplicate(RowReader& r, std::string_view key_column, const std::string& key,
                 std::size_t row_number) {
    const auto [it, fresh] = seen_.emplace(key, row_number);
    if (fresh) return false;
    const std::string other = std::to_string(it->second);
    r.problem(key_column, {"与第 " + other + " 行重复", "repeats row " + other});
    return true;
  }

  Outcome organisation(RowReader& r, std::size_t row_number) {
    domain::Organisation o;
    o.name = r.cell("name");
    if (const auto text = r.cell("parent_id"); !text.empty()) {
      o.parent_id = r.resolved("parent_id", names_.organisation_named(text));
    }
    const std::string level = r.cell("level");
    static const std::map<std::string, domain::OrganisationLevel, std::less<>> kLevels{
        {"盟市", domain::OrganisationLevel::kLeague},
        {"盟市总工会", domain::OrganisationLevel::kLeague},
        {"旗县区", domain::OrganisationLevel::kCounty},
        {"旗县区总工会", domain::OrganisationLevel::kCounty},
        {"产业", domain::OrganisationLevel::kIndustry},
        {"产业工会", domain::OrganisationLevel::kIndustry},
        {"基层", domain::OrganisationLevel::kGrassroots},
        {"基层工会", domain::OrganisationLevel::kGrassroots},
        {"省级", domain::OrganisationLevel::kProvince},
        {"自治区总工会", domain::OrganisationLevel::kProvince},
    };
    if (const auto it = kLevels.find(level); it != kLevels.end()) {
      o.level = it->second;
    } else if (const auto parsed = domain::parse_level(lower_ascii(level))) {
      o.level = *parsed;
    } else {
      r.problem("level",
                {level.empty() ? "级别不能为空"
                               : "级别“" + level + "”无法识别：请填写盟市、旗县区、产业或基层",
                 level.empty() ? "level is required"
                               : "unknown level \"" + level +
                                     "\": write league, county, industry or grassroots"});
    }
    if (const auto text = r.cell("region_code"); !text.empty()) {
      o.region_code = r.resolved("region_code", names_.region(text)).value_or("");
    }
    o.industry = industry(r, "industry");
    o.address = r.cell("address");
    o.lat = coordinate(r, "lat");
    o.lon = coordinate(r, "lon");
    r.field_errors(check_new_organisation(tx_, who_, o, refs_));
    if (!r.ok() || !o.parent_id) return {};
    if (duplicate(r, "name", std::to_string(*o.parent_id) + "\x1f" + o.name, row_number)) return {};
    if (const auto id = names_.organisation_with_key(*o.parent_id, o.name)) {
      return {ImportRow::Status::kUnchanged, id};
    }
    const Id id = tx_.insert_organisation(o);
    audit(tx_, who_, "create", "organisation", id, o.name);
    if (auto saved = tx_.organisation(id)) names_.add_organisation(std::move(*saved));
    return {ImportRow::Status::kCreate, id};
  }

  Outcome lecturer(RowReader& r, std::size_t row_number) {
    domain::Lecturer l;
    l.name = r.cell("name");
    if (const auto text = r.cell("organisation_id"); !text.empty()) {
      l.organisation_id =
          r.resolved("organisation_id", names_.organisation_named(text)).value_or(0);
    }
    const std::string gender = r.cell("gender");
    l.gender = gender == "男" ? "male" : gender == "女" ? "female" : lower_ascii(gender);
    l.ethnicity = r.cell("ethnicity");
    if (const auto text = r.cell("category"); !text.empty()) {
      l.category =
          r.resolved("category", names_.dictionary(DictionaryKind::kLecturerCategory, text))
              .value_or("");
    }
    l.honours = split_items(r.cell("honours"));
    l.employer = r.cell("employer");
    if (const auto text = r.cell("region_code"); !text.empty()) {
      l.region_code = r.resolved("region_code", names_.region(text)).value_or("");
    }
    for (const auto& t : split_items(r.cell("topics"))) {
      if (auto code = r.resolved("topics", names_.dictionary(DictionaryKind::kTopic, t))) {
        l.topics.push_back(std::move(*code));
      }
    }
    for (const auto& lang : split_items(r.cell("languages"))) {
      if (lang == "汉语" || lang == "中文" || lang == "汉" || lang == "普通话") {
        l.languages.emplace_back("zh");
      } else if (lang == "蒙古语" || lang == "蒙语" || lang == "蒙") {
        l.languages.emplace_back("mn");
      } else {
        l.languages.push_back(lower_ascii(lang));
      }
    }
    l.phone = r.cell("phone");
    l.bio = r.cell("bio");
    r.field_errors(check_new_lecturer(tx_, who_, l, refs_));
    if (!r.ok()) return {};
    if (duplicate(r, "name", l.name + "\x1f" + l.employer, row_number)) return {};
    if (const auto id = names_.lecturer_with_key(l.name, l.employer)) {
      return {ImportRow::Status::kUnchanged, id};
    }
    const Id id = tx_.insert_lecturer(l);
    audit(tx_, who_, "create", "lecturer", id, l.name);
    l.id = id;
    names_.add_lecturer(l);
    return {ImportRow::Status::kCreate, id};
  }

  Outcome session(RowReader& r, std::size_t row_number) {
    domain::Session s;
    s.source = domain::SessionSource::kImported;
    const std::string date = r.cell("date");
    if (const auto d = parse_date(date)) {
      s.date = *d;
    } else {
      r.problem("date",
                {date.empty() ? "日期不能为空" : "日期“" + date + "”无法识别：请写成 2024-03-15",
                 date.empty() ? "date is required"
                              : "cannot read the date \"" + date + "\": write 2024-03-15"});
    }
    for (const std::string_view key : {"start_time", "end_time"}) {
      const std::string text = r.cell(key);
      if (text.empty()) continue;
      const auto t = parse_time(text);
      if (!t) {
        r.problem(key, {"时间“" + text + "”无法识别：请写成 09:30",
                        "cannot read the time \"" + text + "\": write 09:30"});
      } else if (key == "start_time") {
        s.start_time = t;
      } else {
        s.end_time = t;
      }
    }
    s.title = r.cell("title");
    s.venue = r.cell("venue");
    if (const auto text = r.cell("host_organisation_id"); !text.empty()) {
      s.host_organisation_id =
          r.resolved("host_organisation_id", names_.organisation_named(text)).value_or(0);
    }
    if (const auto text = r.cell("region_code"); !text.empty()) {
      s.region_code = r.resolved("region_code", names_.region(text)).value_or("");
    } else if (const auto* host = names_.organisation(s.host_organisation_id)) {
      s.region_code = host->region_code;
    }
    s.industry = industry(r, "industry");
    const std::string format = r.cell("format");
    if (format.empty() || format == "线下") {
      s.format = domain::SessionFormat::kOffline;
    } else if (format == "线上") {
      s.format = domain::SessionFormat::kOnline;
    } else if (format == "线上线下" || format == "主会场+分会场") {
      s.format = domain::SessionFormat::kHybrid;
    } else if (const auto f = domain::parse_format(lower_ascii(format))) {
      s.format = *f;
    } else {
      r.problem("format", {"形式“" + format + "”无法识别：请填写线下或线上",
                           "unknown format \"" + format + "\": write offline or online"});
    }
    if (s.format == domain::SessionFormat::kHybrid) {
      r.problem("format",
                {"导入不支持带分会场的宣讲，请在系统中逐场记录",
                 "sessions with branch venues cannot be imported: record them one by one"});
    }
    if (const auto text = r.cell("audience_group"); !text.empty()) {
      s.audience_group =
          r.resolved("audience_group", names_.dictionary(DictionaryKind::kAudienceGroup, text))
              .value_or("");
    }
    s.audience_offline = count(r, "audience_offline", "现场人数", "audience at the venue");
    s.online_viewers = count(r, "online_viewers", "线上观看人数", "online viewers");
    for (const auto& name : split_items(r.cell("lecturer_ids"))) {
      if (const auto id = r.resolved("lecturer_ids", names_.lecturer_named(name))) {
        s.lecturer_ids.push_back(*id);
      }
    }
    if (const auto text = r.cell("campaign_id"); !text.empty()) {
      s.campaign_id = r.resolved("campaign_id", names_.campaign_named(text));
    }
    s.summary = r.cell("summary");
    r.field_errors(check_new_session(tx_, who_, s, refs_));
    if (!r.ok()) return {};
    const std::string key = s.date.iso() + "\x1f" + std::to_string(s.host_organisation_id) +
                            "\x1f" + s.venue + "\x1f" + std::to_string(s.lecturer_ids.front());
    if (duplicate(r, "venue", key, row_number)) return {};
    if (const auto id =
            tx_.session_by_key(s.date, s.host_organisation_id, s.venue, s.lecturer_ids.front())) {
      return {ImportRow::Status::kUnchanged, id};
    }
    const Id id = tx_.insert_session(s, who_.account_id);
    audit(tx_, who_, "create", "session", id, s.title);
    return {ImportRow::Status::kCreate, id};
  }

  std::string industry(RowReader& r, std::string_view key) {
    const std::string text = r.cell(key);
    if (text.empty()) return "";
    if (text.size() == 1) {
      const char c = text[0] >= 'a' && text[0] <= 'z' ? static_cast<char>(text[0] - 32) : text[0];
      return std::string(1, c);  // NOLINT(modernize-return-braced-init-list): {1, c} is two chars
    }
    for (char c = 'A'; c <= 'T'; ++c) {
      if (domain::industry_section_name(std::string(1, c)) == text)
        return std::string(1, c);  // NOLINT(modernize-return-braced-init-list): {1, c} is two chars
    }
    r.problem(key, {"行业“" + text + "”无法识别：请填写国民经济行业门类名称（如制造业）或字母",
                    "unknown industry \"" + text + "\": write a GB/T 4754 section or its letter"});
    return "";
  }

  static std::optional<double> coordinate(RowReader& r, std::string_view key) {
    const std::string text = r.cell(key);
    if (text.empty()) return std::nullopt;
    double v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) {
      r.problem(key, {"坐标须为数字", "a coordinate is a number"});
      return std::nullopt;
    }
    return v;
  }

  static std::int64_t count(RowReader& r, std::string_view key, std::string_view zh,
                            std::string_view en) {
    const std::string text = r.cell(key);
    if (text.empty()) return 0;
    const auto n = parse_count(text);
    if (!n) {
      r.problem(key, {std::string(zh) + "须为整数", std::string(en) + " must be a whole number"});
      return 0;
    }
    return *n;
  }

  store::Tx& tx_;
  const Principal& who_;
  ImportKind kind_;
  Names names_;
  TxReferences refs_;
  std::map<std::string, std::size_t> seen_;
};

// Maps the header row onto the kind's columns; a header this kind does not have, or one that
// lacks a required column, is refused as a whole.
Result<std::map<std::string_view, std::size_t>> read_header(
    ImportKind kind, const std::vector<std::string>& header) {
  const auto columns = columns_of(kind);
  std::map<std::string_view, std::size_t> column_of;
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = utf8::trim(header[i]);
    while (h.ends_with("*")) h.pop_back();
    if (h.ends_with("（必填）")) h.resize(h.size() - std::string_view("（必填）").size());
    if (h.empty()) continue;
    const auto it = std::find_if(columns.begin(), columns.end(), [&](const Column& c) {
      return c.zh == h || c.key == h || lower_ascii(h) == c.en;
    });
    if (it == columns.end()) {
      unknown.push_back(utf8::printable(h, 30));
      continue;
    }
    if (column_of.contains(it->key)) {
      return Error::bad_request({"表头中“" + std::string(it->zh) + "”出现了两次",
                                 "the header names \"" + std::string(it->en) + "\" twice"},
                                "file");
    }
    column_of[it->key] = i;
  }
  std::string missing_zh;
  std::string missing_en;
  for (const auto& c : columns) {
    if (c.required && !column_of.contains(c.key)) {
      missing_zh += (missing_zh.empty() ? "" : "、") + std::string(c.zh);
      missing_en += (missing_en.empty() ? "" : ", ") + std::string(c.en);
    }
  }
  if (!unknown.empty() || !missing_zh.empty()) {
    std::string zh = "表头与" +
                     std::string(kind == ImportKind::kLecturers       ? "宣讲员"
                                 : kind == ImportKind::kOrganisations ? "组织"
                                                                      : "宣讲场次") +
                     "导入模板不符：";
    std::string en =
        "the header is not the " + std::string(import_kind_name(kind)) + " template's: ";
    if (!unknown.empty()) {
      std::string list_zh;
      std::string list_en;
      for (const auto& u : unknown) {
        list_zh += (list_zh.empty() ? "“" : "、“") + u + "”";
        list_en += (list_en.empty() ? "\"" : ", \"") + u + "\"";
      }
      zh += "无法识别的列 " + list_zh + "；";
      en += "unknown columns " + list_en + "; ";
    }
    if (!missing_zh.empty()) {
      zh += "缺少必填列 " + missing_zh + "；";
      en += "missing columns " + missing_en + "; ";
    }
    zh += "请下载模板对照填写";
    en += "download the template and follow it";
    return Error::bad_request({std::move(zh), std::move(en)}, "file");
  }
  return column_of;
}

bool blank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(),
                     [](const std::string& c) { return utf8::trim(c).empty(); });
}

}  // namespace

Result<ImportReport> Imports::run(const Principal& who, ImportKind kind, std::string_view file,
                                  bool dry_run) {
  if (auto s = require_import(who, kind); !s) return std::move(s).error();
  if (file.size() > kMaxImportBytes) {
    return Error{ErrorCode::kPayloadTooLarge,
                 {"文件过大：导入文件最大 20 MB", "the file is too large: at most 20 MB"},
                 "file",
                 {}};
  }
  auto table = sheet::read_table(file);
  if (!table) return std::move(table).error();
  auto& rows = table->rows;
  if (rows.empty()) {
    return Error::bad_request({"文件是空的", "the file is empty"}, "file");
  }
  ImportReport report;
  report.kind = kind;
  report.dry_run = dry_run;
  report.header = rows.front();
  auto column_of = read_header(kind, report.header);
  if (!column_of) return std::move(column_of).error();

  store::Tx tx = store_.write();
  tx.defer_tallies();
  Run run(tx, who, kind);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& cells = rows[i];
    if (blank(cells) || utf8::trim(cells.front()).starts_with(kNoteMark)) continue;
    ++report.rows;
    const std::size_t row_number = i + 1;
    RowReader reader(row_number, cells, *column_of, report.header);
    const Outcome outcome = run.row(reader, row_number);
    auto problems = reader.take();
    ImportRow row;
    row.row = row_number;
    row.status = problems.empty() ? outcome.status : ImportRow::Status::kError;
    row.id = dry_run && row.status == ImportRow::Status::kCreate ? std::nullopt : outcome.id;
    switch (row.status) {
      case ImportRow::Status::kCreate:
        ++report.created;
        break;
      case ImportRow::Status::kUnchanged:
        ++report.unchanged;
        break;
      case ImportRow::Status::kError:
        ++report.error_rows;
        break;
    }
    report.problem_count += static_cast<std::int64_t>(problems.size());
    for (auto& p : problems) {
      if (report.problems.size() < kMaxListedProblems) report.problems.push_back(std::move(p));
    }
    if (report.preview.size() < kMaxPreviewRows || row.status == ImportRow::Status::kError) {
      if (report.preview.size() < kMaxPreviewRows + kMaxListedProblems) {
        row.cells = cells;
        row.cells.resize(std::max(cells.size(), report.header.size()));
        report.preview.push_back(std::move(row));
      }
    }
  }
  if (report.rows == 0) {
    return Error::bad_request({"文件中没有可导入的数据行", "the file has no rows to import"},
                              "file");
  }
  if (!dry_run && report.error_rows == 0) {
    tx.commit();
    report.committed = true;
  }
  return report;
}

namespace {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// libxlsxwriter writes to a file only: a private temporary one, read back and removed.
Result<std::string> xlsx_template(const std::vector<Column>& columns) {
  std::string path = (std::filesystem::temp_directory_path() / "xj-template-XXXXXX.xlsx").string();
  const int fd = mkstemps(path.data(), 5);
  if (fd < 0)
    return Error{ErrorCode::kInternal, {"无法生成模板", "cannot make the template"}, {}, {}};
  ::close(fd);
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "导入");
  lxw_format* head = workbook_add_format(workbook);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  lxw_format* note = workbook_add_format(workbook);
  format_set_italic(note);
  format_set_font_color(note, 0x7F7F7F);
  format_set_text_wrap(note);
  lxw_format* text = workbook_add_format(workbook);
  format_set_num_format(text, "@");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto col = static_cast<lxw_col_t>(i);
    const std::string h(columns[i].zh);
    const std::string n = i == 0 ? std::string(kNoteMark) + std::string(columns[i].note)
                                 : std::string(columns[i].note);
    worksheet_write_string(sheet, 0, col, h.c_str(), head);
    worksheet_write_string(sheet, 1, col, n.c_str(), note);
    // Text cells: a phone number or code typed in stays as typed.
    worksheet_set_column(sheet, col, col, 18, text);
  }
  worksheet_set_row(sheet, 1, 45, nullptr);
  worksheet_freeze_panes(sheet, 1, 0);
  const lxw_error closed = workbook_close(workbook);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  if (closed != LXW_NO_ERROR) {
    return Error{ErrorCode::kInternal, {"无法生成模板", "cannot make the template"}, {}, {}};
  }
  return bytes.str();
}

}  // namespace

Result<std::string> Imports::template_file(const Principal& who, ImportKind kind,
                                           TemplateFormat format) {
  if (auto s = require_import(who, kind); !s) return std::move(s).error();
  const auto columns = columns_of(kind);
  if (format == TemplateFormat::kXlsx) return xlsx_template(columns);
  std::string header = "\xEF\xBB\xBF";
  std::string notes;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    header += (i == 0 ? "" : ",") + csv_field(columns[i].zh);
    notes += (i == 0 ? csv_field(std::string(kNoteMark) + std::string(columns[i].note))
                     : "," + csv_field(columns[i].note));
  }
  return header + "\r\n" + notes + "\r\n";
}

}  // namespace xj::service
