// The JSON of 报道导入 (issue 18): the proposals of POST /api/v1/imports/reports (and of
// `xuanjiang import report --json`), the reviewed proposals of .../accept and its answer.
#pragma once

#include "http/codec.hpp"
#include "service/report_imports.hpp"

namespace xj::http {

// {"proposals": [...], "statements": [...]}. `full` (the API) adds what the review page needs:
// the matched ids, duplicate_of, the sentence's offsets into `text`, the audience qualifier,
// a new lecturer's honours, employer and category, and the normalised text itself. Without it
// (the CLI's --json) each proposal holds exactly date, date_to, lecturer_name, venue,
// host_organisation, region_code, audience_group, format, title, audience_count, sentence and
// confidence.
json::object report_preview_json(const service::ReportPreview& preview, bool full);

// {report_source_id, created, duplicates: [{index, session_id}], sessions: [...],
//  new_lecturers: [...]}
json::object accept_result_json(const service::AcceptResult& result);

// A stored text: {id, organisation_id, organisation_name, file_name, year, campaign_id,
// created_by, created_by_name, created_at, sessions} (the list's item); the detail adds `text`
// and the sessions accepted from it (`links`). to_json so that the list pages like the others.
json::value to_json(const store::ReportSource& source);
json::object report_source_json(const service::ReportImports::SourceDetail& detail);
json::object session_source_json(const service::ReportImports::SessionSource& source);

// The body of POST /imports/reports as JSON: {text, year, campaign_id?}. Strict like every
// decoder: unknown fields and wrong types are a bad_request naming the field.
struct ProposeBody {
  std::string text;
  std::int64_t year = 0;
  std::optional<Id> campaign_id;
};
Status from_json(const json::object& o, ProposeBody& body);

// The body of POST /imports/reports/accept. A proposal may carry back every key the proposals
// came with (the page returns them as edited); only the ones that make a session are read.
Status from_json(const json::object& o, service::AcceptRequest& request);

}  // namespace xj::http
