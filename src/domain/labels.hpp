// The words the office reads for the domain's codes, in both languages: GB/T 4754 industry
// sections, session formats and sources, order states, lecture languages. Exports and the audit
// log's wording use these; the web app keeps the same words in its locale files.
#pragma once

#include <string_view>

#include "domain/entities.hpp"
#include "domain/order.hpp"

namespace xj::domain {

struct Label {
  std::string_view zh;
  std::string_view en;
  std::string_view in(bool english) const { return english ? en : zh; }
};

// GB/T 4754-2017 section (门类) A–T; {"", ""} for anything else (the caller shows the code).
Label industry_label(std::string_view letter);
Label format_label(SessionFormat format);
Label source_label(SessionSource source);
Label order_state_label(OrderState state);
// zh → 汉语, mn → 蒙古语; {"", ""} for anything else.
Label language_label(std::string_view code);

}  // namespace xj::domain
