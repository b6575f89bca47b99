// The JSON of an import's report (POST /api/v1/imports/{kind}), messages in the request's
// language.
#pragma once

#include "http/codec.hpp"
#include "service/imports.hpp"

namespace xj::http {

// {kind, dry_run, committed, header, counts: {rows, created, unchanged, errors, problems},
//  problems: [{row, column, header, message}], rows: [{row, status, id, cells}]}
json::object import_report_json(const service::ImportReport& report, Lang lang);

}  // namespace xj::http
