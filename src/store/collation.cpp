// Pinyin order for names, via ICU's Chinese collation.
#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace xj::store {

std::string sort_key(std::string_view name) {
  // One collator per thread: ICU collators are not safe to share across threads.
  thread_local std::unique_ptr<icu::Collator> collator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c(icu::Collator::createInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status)) c.reset();
    return c;
  }();
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  std::vector<uint8_t> key(64);
  if (collator) {
    int32_t n = collator->getSortKey(text, key.data(), static_cast<int32_t>(key.size()));
    if (n > static_cast<int32_t>(key.size())) {
      key.resize(static_cast<std::size_t>(n));
      n = collator->getSortKey(text, key.data(), n);
    }
    key.resize(n > 0 ? static_cast<std::size_t>(n - 1) : 0);  // drop the terminating 0
  } else {
    key.assign(name.begin(), name.end());
  }
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(key.size() * 2);
  for (const uint8_t b : key) {
    hex += kHex[static_cast<std::size_t>(b) >> 4];
    hex += kHex[static_cast<std::size_t>(b) & 15];
  }
  return hex;
}

}  // namespace xj::store
