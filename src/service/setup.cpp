#include <array>
#include <charconv>
#include <vector>

#include "domain/validation.hpp"
#include "service/auth.hpp"
#include "service/setup.hpp"

namespace xj::service {
namespace {

std::vector<std::string> split(std::string_view line, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = line.find(sep, start);
    out.emplace_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::optional<double> parse_double(const std::string& s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

struct StandardEntry {
  domain::DictionaryKind kind;
  const char* code;
  const char* name;
  const char* name_en;
};

// The lists every federation starts with; administrators edit them afterwards.
constexpr auto kStandardDictionary = std::to_array<StandardEntry>({
    {domain::DictionaryKind::kLecturerCategory, "congress_delegate", "党代表",
     "Party congress delegate"},
    {domain::DictionaryKind::kLecturerCategory, "model_worker", "劳动模范", "Model worker"},
    {domain::DictionaryKind::kLecturerCategory, "craftsman", "工匠", "Craftsman"},
    {domain::DictionaryKind::kLecturerCategory, "union_official", "工会干部", "Union official"},
    {domain::DictionaryKind::kLecturerCategory, "scholar", "专家学者", "Scholar"},
    {domain::DictionaryKind::kLecturerCategory, "advanced_worker", "先进工作者", "Advanced worker"},
    {domain::DictionaryKind::kAudienceGroup, "frontline_workers", "一线职工", "Front-line workers"},
    {domain::DictionaryKind::kAudienceGroup, "new_forms", "新就业形态劳动者",
     "Gig and platform workers"},
    {domain::DictionaryKind::kAudienceGroup, "farmers_herders", "农牧民", "Farmers and herders"},
    {domain::DictionaryKind::kAudienceGroup, "medical_staff", "医护人员", "Medical staff"},
    {domain::DictionaryKind::kAudienceGroup, "officials", "机关干部", "Public officials"},
    {domain::DictionaryKind::kAudienceGroup, "teachers", "教职工", "Teachers and school staff"},
    {domain::DictionaryKind::kAudienceGroup, "miners", "矿山职工", "Miners"},
    {domain::DictionaryKind::kAudienceGroup, "young_workers", "青年职工", "Young workers"},
    {domain::DictionaryKind::kTopic, "twentieth_congress", "党的二十大精神",
     "Spirit of the 20th Party Congress"},
    {domain::DictionaryKind::kTopic, "model_worker_spirit", "劳模精神", "Spirit of model workers"},
    {domain::DictionaryKind::kTopic, "craftsmanship", "工匠精神", "Craftsmanship"},
    {domain::DictionaryKind::kTopic, "work_safety", "安全生产", "Work safety"},
    {domain::DictionaryKind::kTopic, "worker_rights", "职工权益保障", "Workers' rights"},
    {domain::DictionaryKind::kTopic, "ethnic_unity", "铸牢中华民族共同体意识", "Ethnic unity"},
    {domain::DictionaryKind::kTopic, "ecology", "生态文明建设", "Ecological civilisation"},
    {domain::DictionaryKind::kTopic, "rural_revitalisation", "乡村振兴", "Rural revitalisation"},
    {domain::DictionaryKind::kTopic, "innovation", "技术创新", "Technical innovation"},
    {domain::DictionaryKind::kTopic, "law", "法治宣传", "Rule of law"},
    {domain::DictionaryKind::kBeneficiaryCategory, "hardship_worker", "困难职工",
     "Workers in hardship"},
    {domain::DictionaryKind::kBeneficiaryCategory, "hardship_model_worker", "困难劳模",
     "Model workers in hardship"},
    {domain::DictionaryKind::kBeneficiaryCategory, "frontline_worker", "一线职工",
     "Front-line workers"},
    {domain::DictionaryKind::kBeneficiaryCategory, "new_forms_worker", "新就业形态劳动者",
     "Gig and platform workers"},
    {domain::DictionaryKind::kBeneficiaryCategory, "migrant_worker", "农民工", "Migrant workers"},
    {domain::DictionaryKind::kBeneficiaryCategory, "serious_illness", "大病职工",
     "Workers with serious illness"},
    {domain::DictionaryKind::kBeneficiaryCategory, "model_worker", "劳动模范", "Model workers"},
    {domain::DictionaryKind::kBeneficiaryCategory, "craftsman", "工匠", "Craftsmen"},
    {domain::DictionaryKind::kBeneficiaryCategory, "holiday_duty", "节日坚守岗位职工",
     "Workers on duty over the holidays"},
});

}  // namespace

Result<std::size_t> load_regions(store::Store& store, std::string_view csv) {
  store::Tx tx = store.write();
  std::size_t count = 0;
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start < csv.size()) {
    std::size_t end = csv.find('\n', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;  // header
    const auto f = split(line, ',');
    if (f.size() != 7 || f[0].size() != 6) {
      return Error::invalid({{"regions",
                              {"行政区划数据第 " + std::to_string(line_no) + " 行格式错误",
                               "bad region line " + std::to_string(line_no)}}});
    }
    tx.upsert_region({f[0], f[1], f[2], f[3], f[4], parse_double(f[5]), parse_double(f[6])});
    ++count;
  }
  tx.commit();
  return count;
}

Result<std::map<std::string, std::string>> initialise(store::Store& store,
                                                      const InitOptions& options) {
  {
    store::Tx tx = store.read();
    if (tx.count("organisations") > 0) {
      return Error::conflict({"数据库已经初始化", "the database is already initialised"});
    }
  }
  if (auto n = load_regions(store, shipped_regions()); !n) return std::move(n).error();
  const std::string password =
      options.admin_password.empty() ? random_token().substr(0, 16) : options.admin_password;
  if (auto errors = domain::validate_password(password); !errors.empty()) {
    return Error::invalid(std::move(errors));
  }
  const std::string hash = hash_password(password);

  store::Tx tx = store.write();
  if (!tx.region_exists(options.root_region)) {
    return Error::invalid({{"root_region",
                            {"行政区划代码不存在：" + options.root_region,
                             "unknown region code " + options.root_region}}});
  }
  int order = 0;
  for (const auto& e : kStandardDictionary) {
    auto id = tx.insert_dictionary_entry({0, e.kind, e.code, e.name, e.name_en, order += 10, true});
    if (!id) return std::move(id).error();
  }
  domain::Organisation root;
  root.name = options.root_name;
  root.level = domain::OrganisationLevel::kProvince;
  root.region_code = options.root_region;
  if (const auto r = tx.region(options.root_region)) {
    root.lat = r->lat;
    root.lon = r->lon;
  }
  const Id root_id = tx.insert_organisation(root);
  domain::Account admin;
  admin.username = options.admin_username;
  admin.display_name = "系统管理员";
  admin.role = domain::Role::kAdmin;
  admin.organisation_id = root_id;
  if (auto errors = domain::validate(admin); !errors.empty()) {
    return Error::invalid(std::move(errors));
  }
  auto admin_id = tx.insert_account(admin, hash);
  if (!admin_id) return std::move(admin_id).error();
  tx.append_audit({0, now_utc(), std::nullopt, "cli", "init", "organisation", root_id, "cli",
                   root.name, "/" + std::to_string(root_id) + "/"});
  tx.commit();
  return std::map<std::string, std::string>{{options.admin_username, password}};
}

}  // namespace xj::service
