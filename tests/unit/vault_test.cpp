// The personal-data vault (service/vault.hpp): sealing, the column bound to each ciphertext,
// the keyed hash, the secrets file made 0600 and read back, rotation by an added key.
#include "service/vault.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace xj::service {
namespace {

std::filesystem::path temp_file(const char* name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("xj-vault-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir / "xuanjiang.secrets";
}

TEST(Vault, SealsAndOpensOnlyInItsOwnColumn) {
  const Vault v = Vault::ephemeral();
  const std::string sealed = v.encrypt("11010519491231002X", "a.id_number");
  EXPECT_EQ(sealed.find("11010519491231002X"), std::string::npos);
  EXPECT_NE(v.encrypt("11010519491231002X", "a.id_number"), sealed);  // a fresh nonce each time
  EXPECT_EQ(v.decrypt(sealed, "a.id_number"), "11010519491231002X");
  EXPECT_FALSE(v.decrypt(sealed, "a.phone"));
  std::string altered = sealed;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(v.decrypt(altered, "a.id_number"));
  EXPECT_FALSE(Vault::ephemeral().decrypt(sealed, "a.id_number"));  // another key
}

TEST(Vault, KeyedHashIsStableAndDependsOnTheKey) {
  const Vault v = Vault::ephemeral();
  EXPECT_EQ(v.keyed_hash("11010519491231002X"), v.keyed_hash("11010519491231002X"));
  EXPECT_EQ(v.keyed_hash("x").size(), 64u);
  EXPECT_NE(v.keyed_hash("11010519491231002X"), v.keyed_hash("110105194912310021"));
  EXPECT_NE(Vault::ephemeral().keyed_hash("11010519491231002X"),
            v.keyed_hash("11010519491231002X"));
}

TEST(Vault, FileIsMadeOwnerOnlyAndReadBackWithAnAddedKey) {
  const auto file = temp_file("file");
  EXPECT_FALSE(Vault::open(file, false));  // none yet, and not asked to make one
  auto made = Vault::open(file, true);
  ASSERT_TRUE(made);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string sealed = made->encrypt("13812345678", "p");
  auto again = Vault::open(file, true);  // exists: read, not replaced
  ASSERT_TRUE(again);
  EXPECT_EQ(again->decrypt(sealed, "p"), "13812345678");
  EXPECT_EQ(again->keyed_hash("x"), made->keyed_hash("x"));
  // Rotation: a second key encrypts from now on; the first still opens old data.
  std::ofstream(file, std::ios::app) << "enc 2 " << std::string(43, 'A') << "=\n";
  auto rotated = Vault::open(file, false);
  ASSERT_TRUE(rotated);
  EXPECT_EQ(rotated->current_key(), 2);
  EXPECT_EQ(rotated->decrypt(sealed, "p"), "13812345678");
  EXPECT_EQ(rotated->encrypt("y", "p").substr(0, 2), "2:");
  std::ofstream(file, std::ios::app) << "nonsense\n";
  EXPECT_FALSE(Vault::open(file, false));
  std::filesystem::remove_all(file.parent_path());
}

TEST(Vault, RotatedKeysAreNewAndWrittenInTheFileFormat) {
  const auto file = temp_file("rotated");
  auto old = Vault::open(file, true);
  ASSERT_TRUE(old);
  const std::string sealed = old->encrypt("150203198001010012", "c");
  const Vault fresh = old->rotated();
  EXPECT_EQ(fresh.current_key(), old->current_key() + 1);
  EXPECT_NE(fresh.keyed_hash("150203198001010012"), old->keyed_hash("150203198001010012"));
  // The new keys open none of the old data, and the old keys none of the new.
  EXPECT_FALSE(fresh.decrypt(sealed, "c"));
  EXPECT_FALSE(old->decrypt(fresh.encrypt("x", "c"), "c"));
  // Written out and read back: the same keys.
  std::filesystem::remove(file);
  std::ofstream(file) << fresh.file_text();
  auto back = Vault::open(file, false);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->current_key(), fresh.current_key());
  EXPECT_EQ(back->decrypt(fresh.encrypt("13812345678", "p"), "p"), "13812345678");
  EXPECT_EQ(back->keyed_hash("x"), fresh.keyed_hash("x"));
  std::filesystem::remove_all(file.parent_path());
}

}  // namespace
}  // namespace xj::service
