#include "service/secrets.hpp"

#include <string>

namespace xj::service {

namespace {

constexpr int kPage = 2000;

Error unopened(bool voucher, Id id) {
  const std::string n = std::to_string(id);
  return Error::conflict(
      {"密钥文件解不开数据库里的" + std::string(voucher ? "消费券 " : "帮扶对象 ") + n +
           "：密钥不对，或者这个数据库不是用这份密钥加密的。数据没有任何改动。",
       "the secrets file does not open " + std::string(voucher ? "voucher " : "beneficiary ") + n +
           " in the database: a wrong key, or a database sealed under another one. Nothing "
           "was changed."});
}

}  // namespace

Result<Resealed> reseal_all(store::Store& store, const Vault& old, const Vault& fresh) {
  Resealed done;
  store::Tx tx = store.write();
  for (Id after = 0;;) {
    auto rows = tx.sealed_beneficiaries(after, kPage);
    if (rows.empty()) break;
    for (auto& row : rows) {
      after = row.id;
      const auto id_number = old.decrypt(row.cipher, kIdNumberContext);
      if (!id_number || old.keyed_hash(*id_number) != row.hash) {
        return unopened(false, row.id);
      }
      std::optional<std::string> phone;
      if (!row.second_cipher.empty()) {
        phone = old.decrypt(row.second_cipher, kPhoneNumberContext);
        if (!phone) return unopened(false, row.id);
      }
      row.hash = fresh.keyed_hash(*id_number);
      row.cipher = fresh.encrypt(*id_number, kIdNumberContext);
      row.second_cipher = phone ? fresh.encrypt(*phone, kPhoneNumberContext) : std::string();
      tx.reseal_beneficiary(row);
      ++done.beneficiaries;
    }
  }
  for (Id after = 0;;) {
    auto rows = tx.sealed_vouchers(after, kPage);
    if (rows.empty()) break;
    for (auto& row : rows) {
      after = row.id;
      const auto code = old.decrypt(row.cipher, kVoucherCodeContext);
      if (!code || old.keyed_hash(std::string(kVoucherHashPrefix) + *code) != row.hash) {
        return unopened(true, row.id);
      }
      row.hash = fresh.keyed_hash(std::string(kVoucherHashPrefix) + *code);
      row.cipher = fresh.encrypt(*code, kVoucherCodeContext);
      tx.reseal_voucher(row);
      ++done.vouchers;
    }
  }
  tx.commit();
  return done;
}

}  // namespace xj::service
