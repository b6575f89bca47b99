// The JSON of the lecturer scorecard (GET /api/v1/lecturers/{id}/scorecard) and of the ranking
// (GET /api/v1/lecturers/scorecards), the formula in the request's language. The ranking's shape
// is documented in docs/openapi.yaml (LecturerRanking): the campaign report reads it too.
#pragma once

#include "http/codec.hpp"
#include "service/scorecard.hpp"

namespace xj::http {

json::object scorecard_json(const service::Scorecard& card, Lang lang);
json::object ranking_json(const service::Ranking& ranking, Lang lang);

}  // namespace xj::http
