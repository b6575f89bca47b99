// Logging in, login sessions, API tokens and the lockout of repeated failures. Everything is
// kept in the database so that any server process can serve any request.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "store/store.hpp"

namespace xj::service {

struct AuthOptions {
  UnixSeconds session_lifetime = UnixSeconds{12} * 3600;
  // Failures within `failure_window` seconds, per account and per client address; at
  // `lock_after` (account) or `lock_address_after` (address) the key is locked for
  // `lock_duration`. An address gets more room than an account: a whole office behind one NAT
  // address must not be locked out by a few typos, while spraying many accounts still is.
  // Each failure also waits a little longer before answering, slowing guessing before the lock.
  int lock_after = 5;
  int lock_address_after = 30;
  UnixSeconds failure_window = UnixSeconds{15} * 60;
  UnixSeconds lock_duration = UnixSeconds{15} * 60;
  int slowdown_ms_per_failure = 250;
  // Failed logins of names nobody has are recorded at most this many times per failure window,
  // from all addresses together, then once more to say that the rest were not.
  int unknown_name_audits = 200;
};

struct LoginResult {
  domain::Principal principal;
  std::string session_token;  // for the cookie; only its hash is stored
  std::string csrf_token;
  UnixSeconds expires_at = 0;
};

// What Auth::login answers.
struct LoginAttempt {
  Result<LoginResult> result;
  // How long to hold a failure's answer before sending it: longer with each failure, so that
  // guessing slows down before the lock. Nothing in Auth sleeps it: the caller holds the answer
  // without holding a thread.
  std::chrono::milliseconds hold{0};
};

// How a request presents itself: the session cookie or a bearer token.
struct Presented {
  std::optional<std::string> session_token;
  std::optional<std::string> bearer_token;
  std::optional<std::string> csrf_header;
  bool is_write = false;  // any method but GET/HEAD
  std::string address;
};

// The memory each new password hash spends (Argon2id, t=3, one lane), in MiB, from the value of
// $XJ_PASSWORD_MEMORY_MIB (`setting`; null or empty: 64). Accepted: a whole number from 12 (the
// OWASP floor for Argon2id at t=3) to 1024; anything else is an error naming the variable.
// Cheaper than 64 is for test runs and small machines: every hash records its own cost, so an
// existing password verifies at the cost it was hashed with, whatever the setting is now.
Result<std::size_t> parse_password_memory(const char* setting);
// The process's setting, read once. Throws std::invalid_argument for a bad value: `xuanjiang`
// reads it before any command runs and exits with a usage error.
std::size_t password_memory_mib();

// Argon2id (libsodium, t=3, m=password_memory_mib(); 64 MiB: about a third of a second). Call
// off the I/O threads.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& encoded);
// 256 random bits, hex.
std::string random_token();

class Auth {
 public:
  Auth(store::Store& store, AuthOptions options) : store_(store), options_(options) {}

  // The lockouts alone: kTooManyRequests when the user name or the address is locked. Cheap
  // (no hash): check before queueing a login, so that a locked-out client costs no hash.
  Status check_lockout(const std::string& username, const std::string& address);
  // Unknown user and wrong password answer alike, after the same hash. A locked key answers
  // kTooManyRequests. The hash takes a third of a second and 64 MiB: call it on the HashPool.
  LoginAttempt login(const std::string& username, const std::string& password,
                     const std::string& address);
  // Cookie sessions must carry the CSRF token on writes; bearer tokens need none.
  Result<domain::Principal> authenticate(const Presented& presented);
  // The CSRF token of a login session, for GET /auth/me.
  std::optional<std::string> csrf_of(const std::string& session_token);
  void logout(const std::string& session_token, const domain::Principal& who);

 private:
  void audit_failed_login(store::Tx& tx, const std::optional<store::Credentials>& creds,
                          const std::string& username, const std::string& address, UnixSeconds now);

  store::Store& store_;
  AuthOptions options_;
};

// BLAKE2b-256 of a token, hex: what the database stores instead of the token itself.
std::string token_hash(std::string_view token);

}  // namespace xj::service
