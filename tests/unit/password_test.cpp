// The password hash's cost setting ($XJ_PASSWORD_MEMORY_MIB) and the hashes it makes.
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cstring>
#include <string>

#include "service/auth.hpp"

namespace xj::service {
namespace {

TEST(PasswordMemory, UnsetOrEmptyIsSixtyFourMiB) {
  EXPECT_EQ(*parse_password_memory(nullptr), 64U);
  EXPECT_EQ(*parse_password_memory(""), 64U);
}

TEST(PasswordMemory, TakesWholeMiBFromTheFloorToTheCeiling) {
  EXPECT_EQ(*parse_password_memory("12"), 12U);
  EXPECT_EQ(*parse_password_memory("256"), 256U);
  EXPECT_EQ(*parse_password_memory("1024"), 1024U);
}

TEST(PasswordMemory, RefusesAnythingElseNamingTheVariable) {
  for (const char* bad :
       {"11", "0", "1025", "-64", "64MiB", " 64", "6.4", "abc", "99999999999999999999999"}) {
    const auto r = parse_password_memory(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.en.find("XJ_PASSWORD_MEMORY_MIB"), std::string::npos) << bad;
    EXPECT_NE(r.error().message.zh.find("XJ_PASSWORD_MEMORY_MIB"), std::string::npos) << bad;
  }
}

// A hash records its own cost: it verifies whatever the setting of the process is.
TEST(PasswordHash, RecordsItsCostAndVerifies) {
  const std::string hash = hash_password("正确的密码 correct horse");
  const std::string cost = "m=" + std::to_string(password_memory_mib() * 1024) + ",t=3,p=1";
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$" + cost + "$")) << hash;
  EXPECT_TRUE(verify_password("正确的密码 correct horse", hash));
  EXPECT_FALSE(verify_password("正确的密码 correct hors", hash));
  // Made at 12 MiB, as under another setting: verifies here all the same.
  std::array<char, crypto_pwhash_STRBYTES> other{};
  ASSERT_EQ(crypto_pwhash_str_alg(other.data(), "密码", std::strlen("密码"), 3, 12ULL << 20,
                                  crypto_pwhash_ALG_ARGON2ID13),
            0);
  EXPECT_TRUE(std::string(other.data()).starts_with("$argon2id$v=19$m=12288,t=3,p=1$"));
  EXPECT_TRUE(verify_password("密码", other.data()));
  EXPECT_FALSE(verify_password("密 码", other.data()));
}

}  // namespace
}  // namespace xj::service
