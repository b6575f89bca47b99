#include "service/vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace xj::service {
namespace {

constexpr std::size_t kKeyBytes = 32;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kKeyBytes);
static_assert(crypto_generichash_KEYBYTES_MAX >= kKeyBytes);

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string base64(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(n);
  return out;
}

std::string random_key() {
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

Error file_error(const std::filesystem::path& file, const std::string& zh, const std::string& en) {
  return Error{
      ErrorCode::kInternal,
      {"密钥文件 " + file.string() + " " + zh, "secrets file " + file.string() + ": " + en},
      {},
      {}};
}

}  // namespace

Vault Vault::ephemeral() {
  init_sodium();
  Vault v;
  v.encryption_keys_[1] = random_key();
  v.hash_key_ = random_key();
  return v;
}

Result<Vault> Vault::open(const std::filesystem::path& file, bool create) {
  init_sodium();
  if (create && !std::filesystem::exists(file)) {
    // Written whole under a temporary name, then linked into place: link() refuses to replace
    // a file, so of two processes making one at once, one wins and the other reads its file,
    // never half of it.
    std::string tmp = file.string() + ".new-";
    for (int i = 0; i < 8; ++i) tmp += static_cast<char>('a' + randombytes_uniform(26));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      return file_error(file, "无法创建：" + std::string(std::strerror(errno)),
                        "cannot be created: " + std::string(std::strerror(errno)));
    }
    const std::string enc = random_key();
    const std::string hash = random_key();
    const std::string text =
        "xj-secrets 1\n"
        "enc 1 " +
        base64(reinterpret_cast<const unsigned char*>(enc.data()), enc.size()) +
        "\n"
        "hash " +
        base64(reinterpret_cast<const unsigned char*>(hash.data()), hash.size()) + "\n";
    const bool written =
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    const bool linked = written && (::link(tmp.c_str(), file.c_str()) == 0 || errno == EEXIST);
    std::filesystem::remove(tmp);
    if (!linked) return file_error(file, "写入失败", "could not be written");
  }
  std::ifstream in(file);
  if (!in) return file_error(file, "无法读取", "cannot be read");
  Vault v;
  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind == "xj-secrets") {
      header = true;
    } else if (kind == "enc") {
      int number = 0;
      std::string key;
      words >> number >> key;
      auto raw = unbase64(key);
      if (number <= 0 || !raw || raw->size() != kKeyBytes) {
        return file_error(file, "中的加密密钥格式错误", "has a malformed enc line");
      }
      v.encryption_keys_[number] = std::move(*raw);
    } else if (kind == "hash") {
      std::string key;
      words >> key;
      auto raw = unbase64(key);
      if (!raw || raw->size() != kKeyBytes) {
        return file_error(file, "中的哈希密钥格式错误", "has a malformed hash line");
      }
      v.hash_key_ = std::move(*raw);
    } else {
      return file_error(file, "中有无法识别的行", "has a line it does not know");
    }
  }
  if (!header || v.encryption_keys_.empty() || v.hash_key_.empty()) {
    return file_error(file, "不完整（须有 xj-secrets、enc 和 hash 行）",
                      "is incomplete (needs the xj-secrets, enc and hash lines)");
  }
  return v;
}

Vault Vault::rotated() const {
  Vault v;
  v.encryption_keys_[current_key() + 1] = random_key();
  v.hash_key_ = random_key();
  return v;
}

std::string Vault::file_text() const {
  auto b64 = [](const std::string& key) {
    return base64(reinterpret_cast<const unsigned char*>(key.data()), key.size());
  };
  std::string text = "xj-secrets 1\n";
  for (const auto& [number, key] : encryption_keys_) {
    text += "enc " + std::to_string(number) + " " + b64(key) + "\n";
  }
  text += "hash " + b64(hash_key_) + "\n";
  return text;
}

std::string Vault::encrypt(std::string_view plain, std::string_view context) const {
  const auto& [number, key] = *encryption_keys_.rbegin();
  std::vector<unsigned char> out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
                                 crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned char* nonce = out.data();
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long sealed = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &sealed,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, nonce,
      reinterpret_cast<const unsigned char*>(key.data()));
  return std::to_string(number) + ":" +
         base64(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + sealed);
}

std::optional<std::string> Vault::decrypt(std::string_view sealed, std::string_view context) const {
  const auto colon = sealed.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  int number = 0;
  try {
    number = std::stoi(std::string(sealed.substr(0, colon)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const auto key = encryption_keys_.find(number);
  if (key == encryption_keys_.end()) return std::nullopt;
  auto raw = unbase64(sealed.substr(colon + 1));
  constexpr std::size_t kOverhead =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!raw || raw->size() < kOverhead) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw->data());
  std::string plain(raw->size() - kOverhead, '\0');
  unsigned long long n = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &n, nullptr,
          bytes + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          raw->size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          reinterpret_cast<const unsigned char*>(context.data()), context.size(), bytes,
          reinterpret_cast<const unsigned char*>(key->second.data())) != 0) {
    return std::nullopt;
  }
  plain.resize(n);
  return plain;
}

std::string Vault::keyed_hash(std::string_view value) const {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(value.data()),
                     value.size(), reinterpret_cast<const unsigned char*>(hash_key_.data()),
                     hash_key_.size());
  std::string hex(out.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  hex.pop_back();
  return hex;
}

}  // namespace xj::service
