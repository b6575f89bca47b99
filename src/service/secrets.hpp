// `xuanjiang secrets rotate` (issue 16): every sealed personal value re-sealed under new keys in
// one transaction — ID numbers and phones of beneficiaries, voucher codes — and the keyed hashes
// (ID numbers, voucher codes) taken again under the new hash key, so de-duplication and the
// till's look-up keep finding the same person and voucher.
#pragma once

#include <cstdint>

#include "core/result.hpp"
#include "service/vault.hpp"
#include "store/store.hpp"

namespace xj::service {

struct Resealed {
  std::int64_t beneficiaries = 0;
  std::int64_t vouchers = 0;
};

// Opens every sealed value with `old` (and checks its hash under `old`), seals it with `fresh`,
// and commits once. Nothing is written when any value does not open or its hash does not match
// (a wrong or foreign secrets file): kConflict naming the first such row, in both languages.
Result<Resealed> reseal_all(store::Store& store, const Vault& old, const Vault& fresh);

}  // namespace xj::service
