#include "service/tokens.hpp"

#include "service/auth.hpp"
#include "service/rules.hpp"

namespace xj::service {

using domain::Permission;
using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {

// Whether `who` may see and revoke the tokens of `account_id`.
Status check_token_owner(store::Tx& tx, const domain::Principal& who, Id account_id) {
  if (account_id == who.account_id) return {};
  if (auto s = require(who, Permission::kTokensManage); !s) return s;
  const auto account = tx.account(account_id);
  if (!account) return Error::not_found();
  if (auto s = check_account_scope(tx, who, *account); !s) return s;
  if (!domain::can_grant(who, account->role)) return Error::forbidden();
  return {};
}

// The CLI acts without an account; its audit entries name it so.
domain::Principal command_line() {
  return {0, "cli", domain::Role::kAdmin, 0, "", std::nullopt, "cli"};
}

}  // namespace

Result<std::string> Tokens::create(const std::string& username, const std::string& name,
                                   std::optional<int> valid_days) {
  store::Tx tx = store_.write();
  const auto creds = tx.credentials(username);
  if (!creds) return Error::not_found({"没有这个用户", "no such user"});
  const std::string token = random_token();
  std::optional<UnixSeconds> expires;
  if (valid_days) expires = now_utc() + static_cast<UnixSeconds>(*valid_days) * 86400;
  const Id id = tx.insert_api_token(token_hash(token), creds->account.id, name, expires);
  auto p = tx.principal(creds->account.id);
  tx.append_audit({0, now_utc(), creds->account.id, username, "token_create", "api_token", id,
                   "cli", name, p ? p->organisation_path : ""});
  tx.commit();
  return token;
}

Result<std::vector<store::ApiToken>> Tokens::list(const domain::Principal& who, Id account_id) {
  store::Tx tx = store_.read();
  if (auto s = check_token_owner(tx, who, account_id); !s) return std::move(s).error();
  return tx.api_tokens(account_id);
}

Result<void> Tokens::revoke(const domain::Principal& who, Id account_id, Id token_id) {
  store::Tx tx = store_.write();
  if (auto s = check_token_owner(tx, who, account_id); !s) return std::move(s).error();
  const auto token = tx.api_token(token_id);
  if (!token || token->account_id != account_id) return Error::not_found();
  tx.delete_api_token(token_id);
  audit(tx, who, "token_revoke", "api_token", token_id, token->name);
  tx.commit();
  return {};
}

Result<std::vector<store::ApiToken>> Tokens::list(const std::string& username) {
  store::Tx tx = store_.read();
  const auto creds = tx.credentials(username);
  if (!creds) return Error::not_found({"没有这个用户", "no such user"});
  return tx.api_tokens(creds->account.id);
}

Result<store::ApiToken> Tokens::revoke(Id token_id) {
  store::Tx tx = store_.write();
  const auto token = tx.api_token(token_id);
  if (!token) return Error::not_found({"没有这个令牌", "no such token"});
  tx.delete_api_token(token_id);
  audit(tx, command_line(), "token_revoke", "api_token", token_id, token->name);
  tx.commit();
  return *token;
}

}  // namespace xj::service
