// Personal data at rest (issue 16): resident ID numbers and phones are stored encrypted with
// XChaCha20-Poly1305 (libsodium) under a key kept in a file outside the database, and ID numbers
// also as a keyed BLAKE2b hash (crypto_generichash with its own key) so that the same person is
// found again without decrypting anything. A copied database file alone reveals nothing.
//
// The secrets file is text, one key a line, readable by its owner only (0600):
//   xj-secrets 1
//   enc 1 <32 bytes, base64>     encryption keys; the highest number encrypts, any decrypts
//   hash <32 bytes, base64>      the de-duplication hash key
// A ciphertext is "<key number>:<base64 of nonce and sealed text>"; the column it belongs to is
// bound as associated data, so a value moved to another column does not decrypt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xj::service {

// The associated data of each sealed column (the services seal with the same words).
inline constexpr std::string_view kIdNumberContext = "care_beneficiaries.id_number";
inline constexpr std::string_view kPhoneNumberContext = "care_beneficiaries.phone";
inline constexpr std::string_view kVoucherCodeContext = "care_vouchers.code";
// The keyed hash of a voucher code is taken over this prefix and the code's symbols.
inline constexpr std::string_view kVoucherHashPrefix = "voucher:";

class Vault {
 public:
  // Reads the secrets file; with `create`, first makes one with fresh keys when there is none
  // (mode 0600, created exclusively, so two processes starting at once share one file).
  // Errors: a malformed or unreadable file (kInternal, naming the path).
  static Result<Vault> open(const std::filesystem::path& file, bool create);
  // Fresh random keys held in memory only (tests, and commands that never decrypt).
  static Vault ephemeral();

  // `context` names the column ("care_beneficiaries.id_number").
  std::string encrypt(std::string_view plain, std::string_view context) const;
  // nullopt when the key is unknown or the text was altered.
  std::optional<std::string> decrypt(std::string_view sealed, std::string_view context) const;
  // 64 hex characters; the same input always gives the same hash under the same hash key.
  std::string keyed_hash(std::string_view value) const;

  int current_key() const { return encryption_keys_.rbegin()->first; }

  // Fresh keys for `secrets rotate`: one encryption key numbered current_key() + 1 (so every
  // ciphertext names the key that sealed it) and a new hash key. The old keys are not kept.
  Vault rotated() const;
  // The secrets file's text for these keys (the format above).
  std::string file_text() const;

 private:
  Vault() = default;
  std::map<int, std::string> encryption_keys_;  // raw 32-byte keys by number
  std::string hash_key_;
};

}  // namespace xj::service
