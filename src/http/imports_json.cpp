#include "http/imports_json.hpp"

namespace xj::http {

json::object import_report_json(const service::ImportReport& report, Lang lang) {
  json::array header;
  for (const auto& h : report.header) header.emplace_back(h);
  json::array problems;
  problems.reserve(report.problems.size());
  for (const auto& p : report.problems) {
    problems.push_back(json::object{{"row", p.row},
                                    {"column", p.column},
                                    {"header", p.header},
                                    {"message", text_in(p.message, lang)}});
  }
  json::array rows;
  rows.reserve(report.preview.size());
  for (const auto& r : report.preview) {
    json::array cells;
    for (const auto& c : r.cells) cells.emplace_back(c);
    rows.push_back(json::object{{"row", r.row},
                                {"status", service::import_row_status_name(r.status)},
                                {"id", r.id ? json::value(*r.id) : json::value(nullptr)},
                                {"cells", std::move(cells)}});
  }
  return {{"kind", service::import_kind_name(report.kind)},
          {"dry_run", report.dry_run},
          {"committed", report.committed},
          {"header", std::move(header)},
          {"counts",
           {{"rows", report.rows},
            {"created", report.created},
            {"unchanged", report.unchanged},
            {"errors", report.error_rows},
            {"problems", report.problem_count}}},
          {"problems", std::move(problems)},
          {"rows", std::move(rows)}};
}

}  // namespace xj::http
