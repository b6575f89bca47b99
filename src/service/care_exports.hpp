// The care programmes' exports (GET /exports/care_disbursements and /exports/care_report): a
// programme's disbursements, masked as the list shows them (never a full ID or phone number),
// and its report's tables. Service::Exports hands them its writer and its notes above each table.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "export/writer.hpp"
#include "store/store.hpp"

namespace xj::service {

struct CareExport {
  store::Store& store;
  const domain::Principal& who;
  std::optional<Id> programme_id;     // required (400 on programme_id without it)
  std::optional<Id> organisation_id;  // whose subtree (default as the report's)
  bool english = false;
  exports::Writer& out;
  // The lines above a table for these filters in words (the scope and time are added).
  std::function<std::vector<std::string>(const std::vector<std::string>&)> notes;
};

Status write_care_disbursements(const CareExport& e);
Status write_care_report(const CareExport& e);

}  // namespace xj::service
