// The service's shared rules: permission checks, scope of each kind of record, references that
// must exist and be in scope, and the audit trail. Internal to the service library.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/entities.hpp"
#include "domain/validation.hpp"
#include "store/store.hpp"

namespace xj::service::detail {

using domain::Permission;
using domain::Principal;

// Validation's window on the database, answered inside the caller's transaction.
class TxReferences final : public domain::References {
 public:
  explicit TxReferences(store::Tx& tx) : tx_(tx) {}
  bool region_exists(std::string_view code) const override { return tx_.region_exists(code); }
  bool dictionary_has(domain::DictionaryKind kind, std::string_view code) const override {
    return tx_.dictionary_has(kind, code);
  }

 private:
  store::Tx& tx_;
};

// Forbidden unless the caller's role holds the permission.
Status require(const Principal& who, Permission p);

// Appends to the audit log in the caller's transaction.
void audit(store::Tx& tx, const Principal& who, std::string action, std::string entity, Id id,
           std::string detail);

void add(std::vector<FieldError>& errors, std::string field, std::string zh, std::string en);
Error invalid_or(std::vector<FieldError> errors);

// An organisation the caller names in a field: it must exist and, unless `anywhere`, be in
// scope. Out of scope reads as "does not exist".
std::optional<domain::Organisation> referenced_organisation(store::Tx& tx, const Principal& who,
                                                            Id id, bool anywhere,
                                                            std::vector<FieldError>& errors,
                                                            const std::string& field);

// Campaigns of the caller's subtree and of its ancestors (read-only) are visible.
bool campaign_visible(const Principal& who, const domain::Campaign& c);
bool lecturer_visible(const Principal& who, Id lecturer_id, const std::string& org_path);
// A lecturer acting on their own record: they keep their availability and portrait (DESIGN.md:
// "own availability") without the right to edit lecturers.
bool own_lecturer_record(const Principal& who, Id lecturer_id);
bool session_visible(const Principal& who, const domain::Session& s);
Status check_account_scope(store::Tx& tx, const Principal& who, const domain::Account& a);

// Everything about a session that needs the database: who hosts it, who lectures, the campaign.
// Hosts, branch hosts and co-lecturers must lie in the caller's scope, except those `granted`
// already names: the record as it was (an update may keep what an order brought), the order's
// union and lecturer (a delivery), or an empty Session (a new record: nothing is granted).
void check_session_references(store::Tx& tx, const Principal& who, const domain::Session& granted,
                              const domain::Session& s, std::vector<FieldError>& errors);

// Everything a new record must pass before it is inserted, its own validation (in place) and
// what needs the database: the create routes and the importer ask these, one copy of the rules.
std::vector<FieldError> check_new_organisation(store::Tx& tx, const Principal& who,
                                               domain::Organisation& org,
                                               const domain::References& refs);
std::vector<FieldError> check_new_lecturer(store::Tx& tx, const Principal& who,
                                           domain::Lecturer& lecturer,
                                           const domain::References& refs);
std::vector<FieldError> check_new_session(store::Tx& tx, const Principal& who, domain::Session& s,
                                          const domain::References& refs);

}  // namespace xj::service::detail
