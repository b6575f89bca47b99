#include "service/records.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "domain/session_changes.hpp"
#include "domain/validation.hpp"
#include "service/auth.hpp"
#include "service/rules.hpp"

namespace xj::service {

using domain::Permission;
using domain::Role;
using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

store::PageRequest clamp(store::PageRequest page) {
  page.page = std::clamp<std::int64_t>(page.page, 1, 1000000);
  page.page_size = std::clamp<std::int64_t>(page.page_size, 1, 200);
  return page;
}

std::int64_t Records::data_version() {
  store::Tx tx = store_.read();
  return tx.data_version();
}

Health Records::health() {
  Health h;
  h.engine = store_.engine();
  try {
    h.schema_version = store_.schema_version();
    h.database_ok = true;
  } catch (const std::exception&) {
    h.database_ok = false;
  }
  return h;
}

Result<Records::Profile> Records::profile(const Principal& who) {
  store::Tx tx = store_.read();
  auto account = tx.account(who.account_id);
  auto org = tx.organisation(who.organisation_id);
  if (!account || !org) return Error::unauthenticated();
  return Profile{*account, *org};
}

std::vector<domain::Region> Records::regions(const std::string& parent, const std::string& level) {
  store::Tx tx = store_.read();
  return tx.regions(parent, level);
}

// --- Dictionaries ---------------------------------------------------------------------------

Result<std::vector<domain::DictionaryEntry>> Records::list_dictionary(
    const Principal& who, std::optional<domain::DictionaryKind> kind, bool include_inactive) {
  if (auto s = require(who, Permission::kDictionariesRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  return tx.dictionary(kind, include_inactive);
}

Result<domain::DictionaryEntry> Records::create_dictionary_entry(const Principal& who,
                                                                 domain::DictionaryEntry entry) {
  if (auto s = require(who, Permission::kDictionariesWrite); !s) return std::move(s).error();
  if (auto errors = domain::validate(entry); !errors.empty()) return invalid_or(std::move(errors));
  store::Tx tx = store_.write();
  auto id = tx.insert_dictionary_entry(entry);
  if (!id) return std::move(id).error();
  entry.id = *id;
  audit(tx, who, "create", "dictionary_entry", entry.id,
        std::string(domain::dictionary_kind_name(entry.kind)) + ":" + entry.code);
  tx.commit();
  return entry;
}

Result<domain::DictionaryEntry> Records::update_dictionary_entry(
    const Principal& who, Id id, const Patch<domain::DictionaryEntry>& patch) {
  if (auto s = require(who, Permission::kDictionariesWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto entry = tx.dictionary_entry(id);
  if (!entry) return Error::not_found();
  const auto before = *entry;
  if (auto s = patch(*entry); !s) return std::move(s).error();
  std::vector<FieldError> errors = domain::validate(*entry);
  if (entry->code != before.code || entry->kind != before.kind) {
    add(errors, "code", "字典编码和类型创建后不能修改", "a dictionary code and kind never change");
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  entry->id = id;
  tx.update_dictionary_entry(*entry);
  audit(tx, who, "update", "dictionary_entry", id, entry->code);
  tx.commit();
  return *entry;
}

// --- Organisations --------------------------------------------------------------------------

Result<Page<domain::Organisation>> Records::list_organisations(const Principal& who,
                                                               store::OrganisationFilter filter) {
  if (auto s = require(who, Permission::kOrganisationsRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  return tx.organisations(filter);
}

Result<domain::Organisation> Records::get_organisation(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kOrganisationsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto org = tx.organisation(id);
  if (!org || !domain::in_scope(who, org->path)) return Error::not_found();
  return *org;
}

namespace {
// Checks where an organisation sits: its parent in scope, not inside itself, levels that fit.
void check_placement(store::Tx& tx, const Principal& who, const domain::Organisation& org,
                     std::vector<FieldError>& errors) {
  if (!org.parent_id) {
    add(errors, "parent_id", "上级组织不能为空", "parent organisation is required");
    return;
  }
  auto parent = referenced_organisation(tx, who, *org.parent_id, false, errors, "parent_id");
  if (!parent) return;
  if (org.id != 0 && parent->path.starts_with(org.path)) {
    add(errors, "parent_id", "不能把组织移到它自己或它的下级之下",
        "an organisation cannot move under itself or its own subtree");
    return;
  }
  if (!domain::level_fits_under(org.level, parent->level)) {
    add(errors, "level", "该级别的组织不能隶属于所选上级组织",
        "an organisation of this level cannot sit under the chosen parent");
  }
}
}  // namespace

std::vector<FieldError> detail::check_new_organisation(store::Tx& tx, const Principal& who,
                                                       domain::Organisation& org,
                                                       const domain::References& refs) {
  org.id = 0;
  org.path.clear();
  auto errors = domain::validate(org, refs);
  check_placement(tx, who, org, errors);
  return errors;
}

Result<domain::Organisation> Records::create_organisation(const Principal& who,
                                                          domain::Organisation org) {
  if (auto s = require(who, Permission::kOrganisationsWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  TxReferences refs(tx);
  auto errors = check_new_organisation(tx, who, org, refs);
  if (!errors.empty()) return invalid_or(std::move(errors));
  const Id id = tx.insert_organisation(org);
  audit(tx, who, "create", "organisation", id, org.name);
  auto saved = tx.organisation(id);
  tx.commit();
  return *saved;
}

Result<domain::Organisation> Records::update_organisation(
    const Principal& who, Id id, const Patch<domain::Organisation>& patch) {
  if (auto s = require(who, Permission::kOrganisationsWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto org = tx.organisation(id);
  if (!org || !domain::in_scope(who, org->path)) return Error::not_found();
  const auto before = *org;
  if (auto s = patch(*org); !s) return std::move(s).error();
  org->id = id;
  org->path = before.path;
  TxReferences refs(tx);
  auto errors = domain::validate(*org, refs);
  const bool moved = org->parent_id != before.parent_id || org->level != before.level;
  if (moved) {
    if (id == who.organisation_id) {
      add(errors, "parent_id", "不能移动或改变自己所在组织的级别",
          "you cannot move or re-level your own organisation");
    } else {
      check_placement(tx, who, *org, errors);
    }
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  tx.update_organisation(*org);
  audit(tx, who, "update", "organisation", id, org->name);
  auto saved = tx.organisation(id);
  tx.commit();
  return *saved;
}

// --- Lecturers ------------------------------------------------------------------------------

Result<Page<domain::Lecturer>> Records::list_lecturers(const Principal& who,
                                                       store::LecturerFilter filter) {
  if (auto s = require(who, Permission::kLecturersRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  filter.only_id.reset();
  if (who.role == Role::kLecturer) filter.only_id = who.lecturer_id.value_or(-1);
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  return tx.lecturers(filter);
}

Result<domain::Lecturer> Records::get_lecturer(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kLecturersRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  const auto path = tx.lecturer_organisation_path(id);
  if (!path || !lecturer_visible(who, id, *path)) return Error::not_found();
  return *tx.lecturer(id);
}

std::vector<FieldError> detail::check_new_lecturer(store::Tx& tx, const Principal& who,
                                                   domain::Lecturer& lecturer,
                                                   const domain::References& refs) {
  auto errors = domain::validate(lecturer, refs);
  if (lecturer.organisation_id <= 0) {
    add(errors, "organisation_id", "所属组织不能为空", "organisation is required");
  } else {
    referenced_organisation(tx, who, lecturer.organisation_id, false, errors, "organisation_id");
  }
  return errors;
}

Result<domain::Lecturer> Records::create_lecturer(const Principal& who, domain::Lecturer lecturer) {
  if (auto s = require(who, Permission::kLecturersWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  TxReferences refs(tx);
  auto errors = check_new_lecturer(tx, who, lecturer, refs);
  if (!errors.empty()) return invalid_or(std::move(errors));
  const Id id = tx.insert_lecturer(lecturer);
  audit(tx, who, "create", "lecturer", id, lecturer.name);
  auto saved = tx.lecturer(id);
  tx.commit();
  return *saved;
}

Result<domain::Lecturer> Records::update_lecturer(const Principal& who, Id id,
                                                  const Patch<domain::Lecturer>& patch) {
  // A lecturer keeps their own availability (不可用日期): their change may touch nothing else.
  const bool own_availability =
      !domain::allows(who.role, Permission::kLecturersWrite) && own_lecturer_record(who, id);
  if (!own_availability) {
    if (auto s = require(who, Permission::kLecturersWrite); !s) return std::move(s).error();
  }
  store::Tx tx = store_.write();
  const auto path = tx.lecturer_organisation_path(id);
  if (!path || !lecturer_visible(who, id, *path)) return Error::not_found();
  auto lecturer = tx.lecturer(id);
  const domain::Lecturer before = *lecturer;
  if (auto s = patch(*lecturer); !s) return std::move(s).error();
  lecturer->id = id;
  if (own_availability) {
    domain::Lecturer rest = *lecturer;
    rest.unavailable = before.unavailable;
    if (!(rest == before)) {
      return Error::forbidden({"宣讲员只能修改自己的不可用日期，其他信息请联系组织者",
                               "a lecturer may change only their own availability: ask an "
                               "organiser for the rest"});
    }
  }
  TxReferences refs(tx);
  auto errors = domain::validate(*lecturer, refs);
  referenced_organisation(tx, who, lecturer->organisation_id, false, errors, "organisation_id");
  if (!errors.empty()) return invalid_or(std::move(errors));
  tx.update_lecturer(*lecturer);
  audit(tx, who, "update", "lecturer", id, lecturer->name);
  auto saved = tx.lecturer(id);
  tx.commit();
  return *saved;
}

// --- Campaigns ------------------------------------------------------------------------------

namespace {

Error stale(const domain::Campaign& c) {
  const std::string v = std::to_string(c.version);
  return Error::conflict(
      {"宣讲活动已被他人修改（当前版本 " + v + "），请刷新后重试",
       "the campaign was changed meanwhile (now version " + v + "): reload it and try again"},
      "version");
}

// The region prefix an organisation's area covers ("15" for a province, "1502" for a league,
// the six digits for a county); "" when its region cannot say.
std::string area_prefix(const std::string& region_code) {
  if (region_code.size() != 6) return "";
  return store::region_prefix(region_code);
}

// What the targets need from the database: each region is a league/city or a banner/county and
// lies within the owner organisation's area (where the owner's region says what that is).
void check_campaign_targets(store::Tx& tx, const domain::Campaign& c,
                            std::vector<FieldError>& errors) {
  const auto owner = tx.organisation(c.owner_organisation_id);
  const std::string area = owner ? area_prefix(owner->region_code) : "";
  bool outside = false;
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const std::string& code = c.targets[i].region_code;
    if (code.empty()) continue;
    const auto region = tx.region(code);
    if (!region) continue;  // validation already named an unknown code
    const std::string field = "targets[" + std::to_string(i) + "].region_code";
    if (region->level != "city" && region->level != "county") {
      add(errors, field, "目标地区须为盟市或旗县区（“" + region->name + "”不是）",
          "a target region is a league/city or a banner/county (\"" + region->name + "\" is not)");
    } else if (!area.empty() && !code.starts_with(area)) {
      add(errors, field, "目标地区“" + region->name + "”不在主办组织的辖区内",
          "the target region \"" + region->name + "\" lies outside the owner organisation's area");
      outside = true;
    }
  }
  // The owner and the targets disagree: either may be the one to change, so both are named.
  if (outside) {
    add(errors, "owner_organisation_id", "“" + owner->name + "”的辖区不含所列的全部目标地区",
        "the targets lie partly outside \"" + owner->name + "\"'s area");
  }
}

}  // namespace

Result<Page<domain::Campaign>> Records::list_campaigns(const Principal& who,
                                                       store::CampaignFilter filter) {
  if (auto s = require(who, Permission::kCampaignsRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  filter.today = shanghai_date(now_utc());
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  return tx.campaigns(filter);
}

Result<domain::Campaign> Records::get_campaign(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kCampaignsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto c = tx.campaign(id);
  if (!c || !campaign_visible(who, *c)) return Error::not_found();
  return *c;
}

Result<domain::Campaign> Records::create_campaign(const Principal& who, domain::Campaign campaign) {
  if (auto s = require(who, Permission::kCampaignsWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  TxReferences refs(tx);
  auto errors = domain::validate(campaign, refs);
  if (campaign.owner_organisation_id <= 0) {
    add(errors, "owner_organisation_id", "主办组织不能为空", "owner organisation is required");
  } else if (referenced_organisation(tx, who, campaign.owner_organisation_id, false, errors,
                                     "owner_organisation_id")) {
    check_campaign_targets(tx, campaign, errors);
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  const Id id = tx.insert_campaign(campaign);
  audit(tx, who, "create", "campaign", id, campaign.title);
  auto saved = tx.campaign(id);
  tx.commit();
  return *saved;
}

Result<domain::Campaign> Records::update_campaign(const Principal& who, Id id,
                                                  std::optional<std::int64_t> version,
                                                  const Patch<domain::Campaign>& patch) {
  if (auto s = require(who, Permission::kCampaignsWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto c = tx.campaign(id);
  // Visible but owned above the caller: readable, not writable; say so plainly.
  if (!c || !campaign_visible(who, *c)) return Error::not_found();
  if (!domain::in_scope(who, c->owner_path)) return Error::forbidden();
  if (version && *version != c->version) return stale(*c);
  if (c->closed_at) {
    return Error::conflict({"宣讲活动已关闭，请先重新开启再修改",
                            "the campaign is closed: reopen it before editing it"},
                           "state");
  }
  const domain::Campaign before = *c;
  if (auto s = patch(*c); !s) return std::move(s).error();
  // Fields the request does not own stay as stored, whatever the patch said.
  c->id = id;
  c->version = before.version;
  c->closed_at = before.closed_at;
  c->closed_by = before.closed_by;
  TxReferences refs(tx);
  auto errors = domain::validate(*c, refs);
  if (referenced_organisation(tx, who, c->owner_organisation_id, false, errors,
                              "owner_organisation_id")) {
    check_campaign_targets(tx, *c, errors);
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  if (!tx.update_campaign(*c)) return stale(before);
  std::string detail = c->title;
  if (c->end_date != before.end_date) {  // an extension, said in the log
    detail += " (" + before.end_date.iso() + " → " + c->end_date.iso() + ")";
  }
  audit(tx, who, "update", "campaign", id, detail);
  auto saved = tx.campaign(id);
  tx.commit();
  return *saved;
}

namespace {
// Close (true) or reopen (false): one method for both transitions, each audited.
Result<domain::Campaign> set_closed(store::Store& store, const Principal& who, Id id,
                                    std::int64_t version, bool close) {
  if (auto s = require(who, Permission::kCampaignsWrite); !s) return std::move(s).error();
  store::Tx tx = store.write();
  auto c = tx.campaign(id);
  if (!c || !campaign_visible(who, *c)) return Error::not_found();
  if (!domain::in_scope(who, c->owner_path)) return Error::forbidden();
  if (close && c->closed_at) {
    return Error::conflict({"宣讲活动已经关闭", "the campaign is already closed"}, "state");
  }
  if (!close && !c->closed_at) {
    return Error::conflict({"宣讲活动没有关闭，无需重新开启", "the campaign is not closed"},
                           "state");
  }
  if (version != c->version) return stale(*c);
  std::optional<Id> by;
  if (close) by = who.account_id;
  if (!tx.set_campaign_closed(id, version, by)) return stale(*c);
  audit(tx, who, close ? "close" : "reopen", "campaign", id, c->title);
  auto saved = tx.campaign(id);
  tx.commit();
  return *saved;
}
}  // namespace

Result<domain::Campaign> Records::close_campaign(const Principal& who, Id id,
                                                 std::int64_t version) {
  return set_closed(store_, who, id, version, true);
}

Result<domain::Campaign> Records::reopen_campaign(const Principal& who, Id id,
                                                  std::int64_t version) {
  return set_closed(store_, who, id, version, false);
}

// --- Sessions -------------------------------------------------------------------------------

void Records::scope_sessions(const Principal& who, store::Tx& tx, store::SessionFilter& filter,
                             std::optional<Id> organisation_id) {
  filter.scope_path.clear();
  filter.only_lecturer.reset();
  if (who.role == Role::kLecturer) {
    filter.only_lecturer = who.lecturer_id.value_or(-1);
  } else {
    filter.scope_path = who.organisation_path;
  }
  if (organisation_id) {
    const auto org = tx.organisation(*organisation_id);
    // An organisation outside the scope filters to nothing rather than revealing it exists.
    filter.host_path = org && (who.role == Role::kLecturer || domain::in_scope(who, org->path))
                           ? org->path
                           : "/none/";
  }
}

Result<Page<domain::Session>> Records::list_sessions(const Principal& who,
                                                     store::SessionFilter filter,
                                                     std::optional<Id> organisation_id) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  filter.page = clamp(filter.page);
  filter.after.reset();
  store::Tx tx = store_.read();
  scope_sessions(who, tx, filter, organisation_id);
  return tx.sessions(filter);
}

Status Records::each_session(
    const Principal& who, store::SessionFilter filter, std::optional<Id> organisation_id,
    const std::function<Status(const std::vector<domain::Session>&)>& each) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return s;
  constexpr std::int64_t kBatch = 1000;
  store::Tx tx = store_.read();
  scope_sessions(who, tx, filter, organisation_id);
  filter.page = {1, kBatch};
  filter.after = store::SessionFilter::After{};
  filter.after->date = Date::from_ymd(2999, 12, 31);
  filter.after->id = std::numeric_limits<Id>::max();
  for (;;) {
    const auto batch = tx.sessions(filter);
    if (batch.items.empty()) return {};
    if (auto s = each(batch.items); !s) return s;
    if (static_cast<std::int64_t>(batch.items.size()) < kBatch) return {};
    filter.after = store::SessionFilter::After{batch.items.back().date, batch.items.back().id};
  }
}

Result<domain::Session> Records::get_session(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto s = tx.session(id);
  if (!s || !session_visible(who, *s)) return Error::not_found();
  return *s;
}

Result<domain::Session> Records::create_session(const Principal& who, domain::Session session) {
  auto created = create_sessions(who, {std::move(session)});
  if (!created) return std::move(created).error();
  return std::move(created->front());
}

std::vector<FieldError> detail::check_new_session(store::Tx& tx, const Principal& who,
                                                  domain::Session& s,
                                                  const domain::References& refs) {
  auto errors = domain::validate(s, refs);
  if (s.source == domain::SessionSource::kOrdered) {
    errors.push_back({"source",
                      {"点单宣讲由需求单流程生成，不能直接创建",
                       "ordered sessions come from the order workflow"}});
  }
  check_session_references(tx, who, domain::Session{}, s, errors);
  return errors;
}

Result<std::vector<domain::Session>> Records::create_sessions(
    const Principal& who, std::vector<domain::Session> sessions) {
  if (auto s = require(who, Permission::kSessionsWrite); !s) return std::move(s).error();
  if (sessions.empty() || sessions.size() > 20) {
    return Error::invalid(
        {{"sessions", {"一次可记录 1–20 场宣讲", "record 1–20 sessions at once"}}});
  }
  store::Tx tx = store_.write();
  TxReferences refs(tx);
  std::vector<FieldError> all;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    auto errors = check_new_session(tx, who, sessions[i], refs);
    for (auto& e : errors) {
      if (sessions.size() > 1) e.field = "sessions[" + std::to_string(i) + "]." + e.field;
      all.push_back(std::move(e));
    }
  }
  if (!all.empty()) return invalid_or(std::move(all));
  std::vector<domain::Session> saved;
  for (auto& s : sessions) {
    const Id id = tx.insert_session(s, who.account_id);
    audit(tx, who, "create", "session", id, s.title);
    saved.push_back(*tx.session(id));
  }
  tx.commit();
  return saved;
}

namespace {
Error stale(const domain::Session& s) {
  const std::string v = std::to_string(s.version);
  return Error::conflict(
      {"这场宣讲已被他人修改（当前版本 " + v + "），请刷新后重试",
       "the session was changed meanwhile (now version " + v + "): reload it and try again"},
      "version");
}

domain::ChangeNames change_names(store::Tx& tx) {
  domain::ChangeNames names;
  names.audience_group = [&tx](const std::string& code) -> std::string {
    for (const auto& e : tx.dictionary(domain::DictionaryKind::kAudienceGroup, true)) {
      if (e.code == code) return e.name;
    }
    return "";
  };
  names.campaign = [&tx](Id id) -> std::string {
    const auto c = tx.campaign(id);
    return c ? c->title : "";
  };
  return names;
}
}  // namespace

Result<domain::Session> Records::update_session(const Principal& who, Id id, std::int64_t version,
                                                const Patch<domain::Session>& patch) {
  if (auto s = require(who, Permission::kSessionsWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto s = tx.session(id);
  if (!s || !session_visible(who, *s)) return Error::not_found();
  if (version != s->version) return stale(*s);
  const auto before = *s;
  if (auto st = patch(*s); !st) return std::move(st).error();
  s->id = id;
  s->version = before.version;
  TxReferences refs(tx);
  auto errors = domain::validate(*s, refs);
  if (s->source != before.source || s->order_id != before.order_id) {
    add(errors, "source", "宣讲来源和需求单不能修改", "the source and the order never change");
  }
  check_session_references(tx, who, before, *s, errors);
  if (!errors.empty()) return invalid_or(std::move(errors));
  if (!tx.update_session(*s)) return stale(before);
  auto saved = tx.session(id);
  audit(tx, who, "update", "session", id,
        "《" + saved->title + "》" + domain::describe_changes(before, *saved, change_names(tx)));
  tx.commit();
  return *saved;
}

// --- Accounts -------------------------------------------------------------------------------

Result<Page<domain::Account>> Records::list_accounts(const Principal& who,
                                                     store::AccountFilter filter) {
  if (auto s = require(who, Permission::kAccountsRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  return tx.accounts(filter);
}

Result<domain::Account> Records::get_account(const Principal& who, Id id) {
  if (auto s = require(who, Permission::kAccountsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto a = tx.account(id);
  if (!a) return Error::not_found();
  if (auto s = check_account_scope(tx, who, *a); !s) return std::move(s).error();
  return *a;
}

namespace {
void check_account_references(store::Tx& tx, const Principal& who, const domain::Account& a,
                              std::vector<FieldError>& errors) {
  if (a.organisation_id > 0) {
    referenced_organisation(tx, who, a.organisation_id, false, errors, "organisation_id");
  }
  if (!domain::can_grant(who, a.role)) {
    add(errors, "role", "不能授予高于自己的角色", "you cannot grant a role above your own");
  }
  if (a.lecturer_id) {
    const auto path = tx.lecturer_organisation_path(*a.lecturer_id);
    if (!path || !domain::in_scope(who, *path)) {
      add(errors, "lecturer_id", "宣讲员不存在", "no such lecturer");
    }
  }
}
}  // namespace

Result<domain::Account> Records::create_account(const Principal& who, domain::Account account,
                                                const std::string& password) {
  if (auto s = require(who, Permission::kAccountsWrite); !s) return std::move(s).error();
  auto errors = domain::validate(account);
  auto password_errors = domain::validate_password(password);
  errors.insert(errors.end(), password_errors.begin(), password_errors.end());
  {
    store::Tx tx = store_.read();
    check_account_references(tx, who, account, errors);
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  // Hash before taking the write lock: it takes a third of a second.
  const std::string hash = hash_password(password);
  store::Tx tx = store_.write();
  check_account_references(tx, who, account, errors);  // again, under the lock
  if (!errors.empty()) return invalid_or(std::move(errors));
  auto id = tx.insert_account(account, hash);
  if (!id) return std::move(id).error();
  audit(tx, who, "create", "account", *id, account.username);
  auto saved = tx.account(*id);
  tx.commit();
  return *saved;
}

Result<domain::Account> Records::update_account(const Principal& who, Id id,
                                                const Patch<domain::Account>& patch) {
  if (auto s = require(who, Permission::kAccountsWrite); !s) return std::move(s).error();
  store::Tx tx = store_.write();
  auto a = tx.account(id);
  if (!a) return Error::not_found();
  if (auto s = check_account_scope(tx, who, *a); !s) return std::move(s).error();
  if (!domain::can_grant(who, a->role)) return Error::forbidden();
  const auto before = *a;
  if (auto s = patch(*a); !s) return std::move(s).error();
  a->id = id;
  auto errors = domain::validate(*a);
  if (a->username != before.username) {
    add(errors, "username", "用户名创建后不能修改", "a user name never changes");
  }
  check_account_references(tx, who, *a, errors);
  if (id == who.account_id && (a->role != before.role || !a->active)) {
    add(errors, "role", "不能修改自己的角色或停用自己",
        "you cannot change your own role or disable yourself");
  }
  if (!errors.empty()) return invalid_or(std::move(errors));
  if (auto s = tx.update_account(*a); !s) return std::move(s).error();
  if (!a->active) {
    // Ended, not suspended: reactivating the account must not bring them back.
    tx.delete_login_sessions_of(id);
    tx.delete_api_tokens_of(id);
  }
  audit(tx, who, "update", "account", id, a->username);
  auto saved = tx.account(id);
  tx.commit();
  return *saved;
}

Result<void> Records::set_password(const std::optional<Principal>& who, const std::string& username,
                                   const std::string& password) {
  if (auto errors = domain::validate_password(password); !errors.empty()) {
    return invalid_or(std::move(errors));
  }
  const std::string hash = hash_password(password);
  store::Tx tx = store_.write();
  const auto creds = tx.credentials(username);
  if (!creds) return Error::not_found({"没有这个用户", "no such user"});
  if (who) {
    const bool self = who->account_id == creds->account.id;
    if (!self) {
      if (auto s = require(*who, Permission::kAccountsWrite); !s) return std::move(s).error();
      if (auto s = check_account_scope(tx, *who, creds->account); !s) return std::move(s).error();
      if (!domain::can_grant(*who, creds->account.role)) return Error::forbidden();
    }
  }
  tx.set_password_hash(creds->account.id, hash);
  tx.delete_login_sessions_of(creds->account.id);
  tx.delete_api_tokens_of(creds->account.id);
  Principal actor = who.value_or(Principal{0, "cli", Role::kAdmin, 0, "", std::nullopt, "cli"});
  audit(tx, actor, "set_password", "account", creds->account.id, username);
  tx.commit();
  return {};
}

// --- Audit ----------------------------------------------------------------------------------

Result<Page<domain::AuditEntry>> Records::list_audit(const Principal& who,
                                                     store::AuditFilter filter) {
  if (auto s = require(who, Permission::kAuditRead); !s) return std::move(s).error();
  filter.scope_path = who.organisation_path;
  // "/7/" is an organisation at the top of the tree: nothing is above or beside it, so what
  // belongs to no organisation (failed logins of unknown names, the command line's work) is its.
  filter.include_unattributed =
      std::count(who.organisation_path.begin(), who.organisation_path.end(), '/') == 2;
  filter.page = clamp(filter.page);
  store::Tx tx = store_.read();
  return tx.audit(filter);
}

}  // namespace xj::service
