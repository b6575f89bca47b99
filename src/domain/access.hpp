// Roles, permissions and organisation scope: the one place that says who may do what, where.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

namespace xj::domain {

// Ordered by power: a role may grant only roles at or below its own rank (see can_grant).
// kMerchant (商户) is a shop's till: it redeems vouchers at its own merchant and sees nothing else.
enum class Role { kMerchant, kViewer, kRequester, kLecturer, kOrganiser, kAdmin };

std::string_view role_name(Role role);  // "admin", "organiser", ...
std::optional<Role> parse_role(std::string_view name);

enum class Permission {
  kLecturersRead,
  kLecturersWrite,
  kSessionsRead,
  kSessionsWrite,
  kOrganisationsRead,
  kOrganisationsWrite,
  kCampaignsRead,
  kCampaignsWrite,
  kDictionariesRead,
  kDictionariesWrite,
  kAccountsRead,
  kAccountsWrite,
  kAuditRead,
  kRegionsRead,
  kOrdersRead,
  kOrdersWrite,     // create and edit orders, cancel them (点单)
  kOrdersDispatch,  // dispatch and plan dispatch (派单)
  kTokensManage,    // list and revoke the API tokens of other accounts in scope (own: everyone)
  kCareRead,        // care programmes, allocations, disbursements, the ledger (masked)
  kCareWrite,       // create and open programmes, allocate, disburse (送温暖)
  kCareReveal,      // read one full resident ID number or phone (audited): admins only
  kVoucherRedeem,   // look up and redeem a voucher at the account's own merchant (核销)
};

std::string_view permission_name(Permission p);  // "lecturers.read", ...
bool allows(Role role, Permission p);
std::vector<Permission> permissions_of(Role role);

// Who is asking. Built by the service from a login session or an API token.
struct Principal {
  Id account_id = 0;
  std::string username;
  Role role = Role::kViewer;
  Id organisation_id = 0;
  std::string organisation_path;  // materialised path of the account's organisation, "/1/3/"
  std::optional<Id> lecturer_id;  // set for accounts linked to a lecturer
  std::string address;            // client address, for the audit log
};

// An organisation path `path` is in scope when it is the principal's own organisation or
// below it. Paths are "/id/id/.../" from the root, so the subtree is a prefix.
bool in_scope(const Principal& who, std::string_view path);

// Lecturers and requesters see only what concerns them, whatever their organisation holds.
// True for roles whose scope is the whole organisation subtree (admin, organiser, viewer).
bool has_subtree_scope(Role role);

// Whether `who` may give an account the role `role`: never above the granter's own rank.
bool can_grant(const Principal& who, Role role);

}  // namespace xj::domain
