// The corpus of tests/data/reports read for the accuracy test and the benchmark: each report's
// text (a .txt, or the text poppler reads out of a .pdf) with the sessions and statements a
// careful reader records (NAME.expected.json), the roster (roster.json) and the regions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extract/extract.hpp"

namespace xj::extract::corpus {

struct ExpectedSession {
  std::string date, date_to, lecturer_name, venue, host_organisation, region_code, audience_group,
      format, title;
  std::optional<std::int64_t> audience_count;
  std::string branches;  // a hybrid session's branch venues, 、-joined ("" none)
};
struct ExpectedStatement {
  std::string kind;
  std::string key;  // count, fen or the quotation's text
};
struct Report {
  std::string name;  // file name
  std::string text;
  int year = 0;
  std::vector<ExpectedSession> sessions;
  std::vector<ExpectedStatement> statements;
};

// Throws std::runtime_error on a missing or malformed file.
std::vector<Report> load_reports(const std::string& folder);
Gazetteer load_gazetteer(const std::string& folder, const std::string& regions_csv);

}  // namespace xj::extract::corpus
