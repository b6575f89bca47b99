#include "service/auth.hpp"

#include <sodium.h>
#include <array>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "core/utf8.hpp"

namespace xj::service {
namespace {

void ensure_sodium() {
  static const int kReady = sodium_init();
  if (kReady < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string hex(const unsigned char* data, std::size_t n) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// A well-formed hash of a password nobody has, so an unknown user costs as much as a known one.
const std::string& dummy_hash() {
  static const std::string kHash = hash_password("no such user: equalise the time");
  return kHash;
}

}  // namespace

Result<std::size_t> parse_password_memory(const char* setting) {
  constexpr std::size_t kDefault = 64;
  constexpr std::size_t kLeast = 12;
  constexpr std::size_t kMost = 1024;
  if (setting == nullptr || *setting == '\0') return kDefault;
  const std::string_view text(setting);
  std::size_t mib = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mib);
  if (ec != std::errc{} || end != text.data() + text.size() || mib < kLeast || mib > kMost) {
    const std::string shown(text.substr(0, 40));
    return Error::bad_request(
        {"XJ_PASSWORD_MEMORY_MIB 应为 12 至 1024 之间的整数（MiB），而不是 \"" + shown + "\"",
         "XJ_PASSWORD_MEMORY_MIB must be a whole number of MiB from 12 to 1024, not \"" + shown +
             "\""});
  }
  return mib;
}

std::size_t password_memory_mib() {
  static const std::size_t kMib = [] {
    auto mib = parse_password_memory(std::getenv("XJ_PASSWORD_MEMORY_MIB"));
    if (!mib) throw std::invalid_argument(mib.error().message.en);
    return *mib;
  }();
  return kMib;
}

std::string hash_password(std::string_view password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), 3,
                            password_memory_mib() * 1024 * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out.data();
}

bool verify_password(std::string_view password, const std::string& encoded) {
  ensure_sodium();
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  ensure_sodium();
  std::array<unsigned char, 32> buf{};
  randombytes_buf(buf.data(), buf.size());
  return hex(buf.data(), buf.size());
}

std::string token_hash(std::string_view token) {
  ensure_sodium();
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return hex(out.data(), out.size());
}

Status Auth::check_lockout(const std::string& username, const std::string& address) {
  const UnixSeconds now = now_utc();
  store::Tx tx = store_.read();
  for (const auto& key : {"user:" + username, "addr:" + address}) {
    const auto f = tx.login_failures(key);
    if (f.locked_until > now) {
      const auto minutes = std::to_string((f.locked_until - now + 59) / 60);
      return Error{ErrorCode::kTooManyRequests,
                   {"登录失败次数过多，请 " + minutes + " 分钟后再试",
                    "too many failed logins; try again in " + minutes + " minutes"},
                   {},
                   {}};
    }
  }
  return {};
}

LoginAttempt Auth::login(const std::string& username, const std::string& password,
                         const std::string& address) {
  const UnixSeconds now = now_utc();
  const std::string user_key = "user:" + username;
  const std::string addr_key = "addr:" + address;
  if (auto locked = check_lockout(username, address); !locked) {
    return {std::move(locked).error()};
  }
  std::optional<store::Credentials> creds;
  {
    store::Tx tx = store_.read();
    creds = tx.credentials(username);
  }
  const bool ok = creds ? verify_password(password, creds->password_hash)
                        : (verify_password(password, dummy_hash()), false);
  if (!ok || !creds->account.active) {
    std::int64_t worst = 0;
    {
      store::Tx tx = store_.write();
      for (const auto& key : {user_key, addr_key}) {
        auto f = tx.login_failures(key);
        if (now - f.window_start > options_.failure_window) f = {0, now, 0};
        f.failures += 1;
        const int limit = key == user_key ? options_.lock_after : options_.lock_address_after;
        if (f.failures >= limit) f.locked_until = now + options_.lock_duration;
        if (key == user_key) worst = f.failures;
        tx.set_login_failures(key, f);
      }
      audit_failed_login(tx, creds, username, address, now);
      tx.commit();
    }
    return {Error::unauthenticated({"用户名或密码错误", "wrong user name or password"}),
            std::chrono::milliseconds(options_.slowdown_ms_per_failure *
                                      std::min<std::int64_t>(worst, 8))};
  }

  LoginResult result;
  result.session_token = random_token();
  result.csrf_token = random_token();
  result.expires_at = now + options_.session_lifetime;
  store::Tx tx = store_.write();
  auto principal = tx.principal(creds->account.id);
  if (!principal)
    return {Error::unauthenticated({"用户名或密码错误", "wrong user name or password"})};
  tx.clear_login_failures(user_key);
  tx.delete_expired_login_sessions(now);
  tx.insert_login_session(token_hash(result.session_token),
                          {creds->account.id, result.csrf_token, result.expires_at});
  principal->address = address;
  tx.append_audit({0, now, principal->account_id, principal->username, "login", "account",
                   principal->account_id, address, "", principal->organisation_path});
  tx.commit();
  result.principal = *principal;
  return {std::move(result)};
}

// An account's failed login is its organisation's, for the admins above it to see (also when the
// account is disabled). A name nobody has belongs to no organisation: it is recorded without an
// actor, the name tried as the detail, for the admins at the top of the tree. Each address is
// bounded by its own lock; all addresses together by `unknown_name_audits` per window, so that a
// spray of made-up names from many addresses cannot grow the log (or the counters) unboundedly.
void Auth::audit_failed_login(store::Tx& tx, const std::optional<store::Credentials>& creds,
                              const std::string& username, const std::string& address,
                              UnixSeconds now) {
  domain::AuditEntry e;
  e.at = now;
  e.action = "login_failed";
  e.entity = "account";
  e.address = address;
  if (creds) {
    e.account_id = creds->account.id;
    e.username = creds->account.username;
    if (auto org = tx.organisation(creds->account.organisation_id)) e.organisation_path = org->path;
    tx.append_audit(e);
    return;
  }
  const std::string key = "audit:unknown_names";
  auto recorded = tx.login_failures(key);
  if (now - recorded.window_start > options_.failure_window) {
    tx.delete_stale_login_failures(now - options_.failure_window, now);
    recorded = {0, now, 0};
  }
  recorded.failures += 1;
  tx.set_login_failures(key, recorded);
  if (recorded.failures <= options_.unknown_name_audits) {
    e.detail = utf8::printable(username, 32);  // no user name is longer
    tx.append_audit(e);
  } else if (recorded.failures == options_.unknown_name_audits + 1) {
    e.action = "login_failed_capped";
    e.detail = std::to_string(options_.unknown_name_audits) + "/" +
               std::to_string(options_.failure_window) + "s";
    tx.append_audit(e);
  }
}

Result<domain::Principal> Auth::authenticate(const Presented& p) {
  const UnixSeconds now = now_utc();
  // One statement, outside a transaction: every request begins here.
  store::Tx tx = store_.statement();
  std::optional<domain::Principal> principal;
  std::optional<Id> token_to_touch;
  if (p.bearer_token) {
    if (auto holder = tx.token_holder(token_hash(*p.bearer_token), now)) {
      principal = std::move(holder->principal);
      // "Last used" to within a minute is all its owner needs, and spares a write per request.
      if (!holder->last_used_at || now - *holder->last_used_at >= 60) {
        token_to_touch = holder->token_id;
      }
    }
  } else if (p.session_token) {
    if (auto holder = tx.session_holder(token_hash(*p.session_token), now)) {
      if (p.is_write && (!p.csrf_header || !same(*p.csrf_header, holder->csrf_token))) {
        return Error::forbidden({"缺少或错误的 CSRF 令牌，请刷新页面后重试",
                                 "missing or wrong CSRF token; reload the page and try again"});
      }
      principal = std::move(holder->principal);
    }
  }
  if (!principal) return Error::unauthenticated();
  principal->address = p.address;
  if (token_to_touch) {
    tx.commit();  // its connection goes back to the pool before the write takes one
    store::Tx write = store_.write();
    write.touch_api_token(*token_to_touch, now);
    write.commit();
  }
  return *principal;
}

std::optional<std::string> Auth::csrf_of(const std::string& session_token) {
  store::Tx tx = store_.read();
  const auto s = tx.login_session(token_hash(session_token), now_utc());
  if (!s) return std::nullopt;
  return s->csrf_token;
}

void Auth::logout(const std::string& session_token, const domain::Principal& who) {
  store::Tx tx = store_.write();
  tx.delete_login_session(token_hash(session_token));
  tx.append_audit({0, now_utc(), who.account_id, who.username, "logout", "account", who.account_id,
                   who.address, "", who.organisation_path});
  tx.commit();
}

}  // namespace xj::service
