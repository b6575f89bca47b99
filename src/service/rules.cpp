#include "service/rules.hpp"

#include <algorithm>

namespace xj::service::detail {

using domain::Role;

Status require(const Principal& who, Permission p) {
  if (!domain::allows(who.role, p)) return Error::forbidden();
  return {};
}

void audit(store::Tx& tx, const Principal& who, std::string action, std::string entity, Id id,
           std::string detail) {
  domain::AuditEntry e;
  e.at = now_utc();
  e.account_id = who.account_id;
  e.username = who.username;
  e.organisation_path = who.organisation_path;
  e.action = std::move(action);
  e.entity = std::move(entity);
  e.entity_id = id;
  e.address = who.address;
  e.detail = std::move(detail);
  tx.append_audit(e);
}

void add(std::vector<FieldError>& errors, std::string field, std::string zh, std::string en) {
  errors.push_back({std::move(field), {std::move(zh), std::move(en)}});
}

// An organisation the caller names in a field: it must exist and, unless `anywhere`, be in scope.
// Out of scope reads as "does not exist".
std::optional<domain::Organisation> referenced_organisation(store::Tx& tx, const Principal& who,
                                                            Id id, bool anywhere,
                                                            std::vector<FieldError>& errors,
                                                            const std::string& field) {
  auto org = id > 0 ? tx.organisation(id) : std::nullopt;
  if (!org || (!anywhere && !domain::in_scope(who, org->path))) {
    if (id > 0) add(errors, field, "组织不存在", "no such organisation");
    return std::nullopt;
  }
  return org;
}

bool campaign_visible(const Principal& who, const domain::Campaign& c) {
  return domain::in_scope(who, c.owner_path) || who.organisation_path.starts_with(c.owner_path);
}

bool lecturer_visible(const Principal& who, Id lecturer_id, const std::string& org_path) {
  if (who.role == Role::kLecturer) return who.lecturer_id == lecturer_id;
  return domain::has_subtree_scope(who.role) && domain::in_scope(who, org_path);
}

bool own_lecturer_record(const Principal& who, Id lecturer_id) {
  return who.role == Role::kLecturer && who.lecturer_id == lecturer_id;
}

bool session_visible(const Principal& who, const domain::Session& s) {
  if (who.role == Role::kLecturer) {
    return who.lecturer_id && std::find(s.lecturer_ids.begin(), s.lecturer_ids.end(),
                                        *who.lecturer_id) != s.lecturer_ids.end();
  }
  return domain::in_scope(who, s.host_path);
}

Status check_account_scope(store::Tx& tx, const Principal& who, const domain::Account& a) {
  const auto org = tx.organisation(a.organisation_id);
  if (!org || !domain::in_scope(who, org->path)) return Error::not_found();
  return {};
}

Error invalid_or(std::vector<FieldError> errors) { return Error::invalid(std::move(errors)); }

// Everything about a session that needs the database: who hosts it, who lectures, the campaign.
void check_session_references(store::Tx& tx, const Principal& who, const domain::Session& granted,
                              const domain::Session& s, std::vector<FieldError>& errors) {
  // For every role: a lecturer records lectures given where their own account's organisation
  // reaches; one given elsewhere is recorded there, or arrives through an order dispatched to
  // them (which grants its union and its lecturer).
  auto granted_host = [&](Id id) {
    if (id == granted.host_organisation_id) return true;
    return std::any_of(granted.branches.begin(), granted.branches.end(),
                       [id](const domain::BranchVenue& b) { return b.host_organisation_id == id; });
  };
  if (s.host_organisation_id > 0 && !granted_host(s.host_organisation_id)) {
    referenced_organisation(tx, who, s.host_organisation_id, false, errors, "host_organisation_id");
  }
  for (std::size_t i = 0; i < s.branches.size() && i < 200; ++i) {
    const Id host = s.branches[i].host_organisation_id;
    if (host > 0 && !granted_host(host)) {
      referenced_organisation(tx, who, host, false, errors,
                              "branches[" + std::to_string(i) + "].host_organisation_id");
    }
  }
  for (const Id lid : s.lecturer_ids) {
    const auto path = tx.lecturer_organisation_path(lid);
    const bool kept = std::find(granted.lecturer_ids.begin(), granted.lecturer_ids.end(), lid) !=
                      granted.lecturer_ids.end();
    const bool ok = path && (kept || who.lecturer_id == lid || domain::in_scope(who, *path));
    if (!ok) {
      add(errors, "lecturer_ids", "宣讲员 " + std::to_string(lid) + " 不存在",
          "no such lecturer: " + std::to_string(lid));
    }
  }
  if (who.role == Role::kLecturer &&
      (!who.lecturer_id || std::find(s.lecturer_ids.begin(), s.lecturer_ids.end(),
                                     *who.lecturer_id) == s.lecturer_ids.end())) {
    add(errors, "lecturer_ids", "宣讲员只能记录自己参与的宣讲",
        "a lecturer records only sessions they give");
  }
  if (s.campaign_id) {
    const auto c = tx.campaign(*s.campaign_id);
    // A closed campaign takes no new session, none moved into it and none moved within it; a
    // campaign that merely ended still takes sessions dated in its period (a lecture given on
    // its last day is recorded the day after) until the office closes it.
    const bool moved =
        granted.id == 0 || granted.campaign_id != s.campaign_id || granted.date != s.date;
    if (!c || !campaign_visible(who, *c)) {
      add(errors, "campaign_id", "宣讲活动不存在", "no such campaign");
    } else if (c->closed_at && moved) {
      add(errors, "campaign_id", "宣讲活动“" + c->title + "”已关闭，不能再记录场次",
          "the campaign \"" + c->title + "\" is closed and takes no new sessions");
    } else if (s.date < c->start_date || s.date > c->end_date) {
      add(errors, "date",
          "宣讲日期不在活动期间（" + c->start_date.iso() + " 至 " + c->end_date.iso() + "）内",
          "the date is outside the campaign's period (" + c->start_date.iso() + " to " +
              c->end_date.iso() + ")");
    }
  }
}
}  // namespace xj::service::detail
