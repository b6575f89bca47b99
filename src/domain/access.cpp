#include "domain/access.hpp"

#include <array>
#include <utility>

namespace xj::domain {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames{{
    {Role::kAdmin, "admin"},
    {Role::kOrganiser, "organiser"},
    {Role::kLecturer, "lecturer"},
    {Role::kRequester, "requester"},
    {Role::kViewer, "viewer"},
    {Role::kMerchant, "merchant"},
}};

constexpr std::array<std::pair<Permission, std::string_view>, 22> kPermissionNames{{
    {Permission::kLecturersRead, "lecturers.read"},
    {Permission::kLecturersWrite, "lecturers.write"},
    {Permission::kSessionsRead, "sessions.read"},
    {Permission::kSessionsWrite, "sessions.write"},
    {Permission::kOrganisationsRead, "organisations.read"},
    {Permission::kOrganisationsWrite, "organisations.write"},
    {Permission::kCampaignsRead, "campaigns.read"},
    {Permission::kCampaignsWrite, "campaigns.write"},
    {Permission::kDictionariesRead, "dictionaries.read"},
    {Permission::kDictionariesWrite, "dictionaries.write"},
    {Permission::kAccountsRead, "accounts.read"},
    {Permission::kAccountsWrite, "accounts.write"},
    {Permission::kAuditRead, "audit.read"},
    {Permission::kRegionsRead, "regions.read"},
    {Permission::kOrdersRead, "orders.read"},
    {Permission::kOrdersWrite, "orders.write"},
    {Permission::kOrdersDispatch, "orders.dispatch"},
    {Permission::kTokensManage, "tokens.manage"},
    {Permission::kCareRead, "care.read"},
    {Permission::kCareWrite, "care.write"},
    {Permission::kCareReveal, "care.reveal"},
    {Permission::kVoucherRedeem, "voucher.redeem"},
}};

}  // namespace

std::string_view role_name(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

std::string_view permission_name(Permission p) {
  for (const auto& [q, name] : kPermissionNames) {
    if (q == p) return name;
  }
  return "";
}

// The permission table of DESIGN.md's roles. Organisers manage accounts in their subtree
// (a league federation onboards its grassroots liaisons) but not dictionaries, the audit log or
// others' API tokens.
bool allows(Role role, Permission p) {
  using P = Permission;
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kOrganiser:
      return p != P::kDictionariesWrite && p != P::kAuditRead && p != P::kTokensManage &&
             p != P::kCareReveal && p != P::kVoucherRedeem;
    case Role::kViewer:
      return p == P::kLecturersRead || p == P::kSessionsRead || p == P::kOrganisationsRead ||
             p == P::kCampaignsRead || p == P::kDictionariesRead || p == P::kRegionsRead ||
             p == P::kOrdersRead || p == P::kCareRead;
    case Role::kLecturer:
      return p == P::kLecturersRead || p == P::kSessionsRead || p == P::kSessionsWrite ||
             p == P::kCampaignsRead || p == P::kOrganisationsRead || p == P::kDictionariesRead ||
             p == P::kRegionsRead || p == P::kOrdersRead;
    case Role::kRequester:
      return p == P::kSessionsRead || p == P::kCampaignsRead || p == P::kOrganisationsRead ||
             p == P::kDictionariesRead || p == P::kRegionsRead || p == P::kOrdersRead ||
             p == P::kOrdersWrite;
    case Role::kMerchant:
      return p == P::kVoucherRedeem;
  }
  return false;
}

std::vector<Permission> permissions_of(Role role) {
  std::vector<Permission> out;
  for (const auto& [p, name] : kPermissionNames) {
    if (allows(role, p)) out.push_back(p);
  }
  return out;
}

bool in_scope(const Principal& who, std::string_view path) {
  return !who.organisation_path.empty() && path.starts_with(who.organisation_path);
}

bool has_subtree_scope(Role role) {
  return role == Role::kAdmin || role == Role::kOrganiser || role == Role::kViewer;
}

bool can_grant(const Principal& who, Role role) {
  return allows(who.role, Permission::kAccountsWrite) &&
         static_cast<int>(role) <= static_cast<int>(who.role);
}

}  // namespace xj::domain
