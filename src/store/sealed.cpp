// Sealed personal data, row by row, for `secrets rotate` (service/secrets.cpp): read in pages
// by id inside the rotation's one transaction, written back re-sealed under the new keys.
#include "store/query.hpp"
#include "store/store.hpp"

namespace xj::store {

using sql::Row;

namespace {

std::vector<SealedRow> sealed_rows(const std::vector<Row>& rows, bool second) {
  std::vector<SealedRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back({r.integer(0), r.text(1), r.text(2), second ? r.text(3) : std::string()});
  }
  return out;
}

}  // namespace

std::vector<SealedRow> Tx::sealed_beneficiaries(Id after, int limit) {
  return sealed_rows(q("SELECT id, id_hash, id_cipher, phone_cipher FROM care_beneficiaries "
                       "WHERE id > ? ORDER BY id LIMIT ?",
                       {after, static_cast<std::int64_t>(limit)}),
                     true);
}

std::vector<SealedRow> Tx::sealed_vouchers(Id after, int limit) {
  return sealed_rows(q("SELECT id, code_hash, code_cipher FROM care_vouchers "
                       "WHERE id > ? ORDER BY id LIMIT ?",
                       {after, static_cast<std::int64_t>(limit)}),
                     false);
}

void Tx::reseal_beneficiary(const SealedRow& row) {
  x("UPDATE care_beneficiaries SET id_hash = ?, id_cipher = ?, phone_cipher = ? WHERE id = ?",
    {row.hash, row.cipher, row.second_cipher, row.id});
}

void Tx::reseal_voucher(const SealedRow& row) {
  x("UPDATE care_vouchers SET code_hash = ?, code_cipher = ? WHERE id = ?",
    {row.hash, row.cipher, row.id});
}

}  // namespace xj::store
