// The JSON of coverage gaps (GET /api/v1/statistics/coverage) and of what could fill one
// (GET /api/v1/statistics/coverage/fill); the shapes are described in docs/openapi.yaml
// (Coverage, CoverageFill), for the coverage page and the printed campaign report.
#pragma once

#include "http/codec.hpp"
#include "service/statistics.hpp"

namespace xj::http {

// {from, to, today, campaign_ids, organisation_id, grain, level, by_period, by_group, targets,
//  elsewhere}; a matrix is {columns: [{key, name, name_en, first, last, total}],
//  rows: [{code, name, parent, level, cells, total}], total}; a cell is {sessions, audience,
//  expected_sessions, expected_audience, targeted, mark}.
json::value to_json(const service::Coverage& c);

// {region_code, region_name, audience_group, from, to, orders: [Order], lecturers, available}.
json::value to_json(const service::CoverageFill& f);

}  // namespace xj::http
