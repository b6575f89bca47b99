// API tokens (bearer tokens for scripts and integrations): created from the command line, listed
// and revoked by their owner, by the admins whose scope holds the owner's account, and from the
// command line. Only a token's BLAKE2b hash is stored; no list ever shows the token or its hash.
// A password change and disabling an account end all its tokens (see Records).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "store/store.hpp"

namespace xj::service {

class Tokens {
 public:
  explicit Tokens(store::Store& store) : store_(store) {}

  // The command line's: a token for `username`, valid `valid_days` or until revoked; returns
  // the token, which is shown this once.
  Result<std::string> create(const std::string& username, const std::string& name,
                             std::optional<int> valid_days);

  // The tokens of account `account_id`, newest first. Anyone may list and revoke their own; an
  // admin also those of accounts in scope. Others' tokens: forbidden without the permission,
  // not found outside the scope (as if the account did not exist); a token of another
  // account than `account_id`: not found.
  Result<std::vector<store::ApiToken>> list(const domain::Principal& who, Id account_id);
  Result<void> revoke(const domain::Principal& who, Id account_id, Id token_id);

  // The command line's, for any account: the tokens of `username`; revoking one by its id.
  Result<std::vector<store::ApiToken>> list(const std::string& username);
  Result<store::ApiToken> revoke(Id token_id);

 private:
  store::Store& store_;
};

}  // namespace xj::service
