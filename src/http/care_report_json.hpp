// The JSON of a care programme's report (GET /api/v1/programmes/{id}/report), documented in
// docs/openapi.yaml (CareReport). Names in the request's language; amounts integer fen.
#pragma once

#include "http/codec.hpp"
#include "service/care_reports.hpp"

namespace xj::http {

json::object care_report_json(const service::CareReport& report, Lang lang);

}  // namespace xj::http
