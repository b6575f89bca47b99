// 导出: the session ledger (台账), lecturers, orders, a session's feedback, the statistics (of
// a campaign or a period), the coverage matrices and the lecturer ranking as spreadsheets, for the
// same filters as their lists and only what the caller may see there: every row comes from the
// list's own use case (Records, Workflow, Feedback, Statistics), walked page by page, and goes to
// the writer as it comes. Codes are written as their names; personal data goes no further than the
// list shows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "export/writer.hpp"
#include "service/feedback.hpp"
#include "service/orders.hpp"
#include "service/records.hpp"
#include "service/scorecard.hpp"
#include "service/statistics.hpp"
#include "store/store.hpp"

namespace xj::service {

enum class ExportKind {
  kSessions,
  kLecturers,
  kOrders,
  kFeedback,
  kStatistics,
  kCoverage,
  kRanking,
  kCareDisbursements,
  kCareReport,
};
// sessions | lecturers | orders | feedback | statistics | coverage | ranking |
// care_disbursements | care_report; nullopt otherwise.
std::optional<ExportKind> parse_export_kind(std::string_view name);

struct ExportQuery {
  ExportKind kind = ExportKind::kSessions;
  bool english = false;  // headers, names and notes in English rather than Chinese
  // The filters of the kind's list. organisation_id narrows sessions, orders and statistics;
  // region_code is the filter as given (the store filters carry its prefix), for the notes.
  std::optional<Id> organisation_id;
  std::string region_code;
  store::SessionFilter sessions;
  store::OrderFilter orders;
  store::LecturerFilter lecturers;
  std::optional<Id> session_id;   // feedback: whose answers (required)
  bool quotes_only = false;       // feedback: the quotes only
  std::optional<Id> campaign_id;  // statistics: which campaign
  // statistics over a period and a set of campaigns (GET /statistics) when no campaign_id;
  // one of the two is required.
  // coverage and ranking take it too, and default it as their routes do.
  std::optional<PeriodQuery> period;
  domain::CoverageGrain grain = domain::CoverageGrain::kWeek;  // coverage
  std::string level;                                           // coverage: league | county | ""
  RankingSort sort = RankingSort::kScore;                      // ranking
  Date today;                      // Asia/Shanghai: the period's default
  std::optional<Id> programme_id;  // care_disbursements, care_report: which programme (required)
};

class Exports {
 public:
  Exports(store::Store& store, Records& records, Workflow& workflow, Feedback& feedback,
          Statistics& statistics, Scorecards& scorecards)
      : store_(store),
        records_(records),
        workflow_(workflow),
        feedback_(feedback),
        statistics_(statistics),
        scorecards_(scorecards) {}

  // Writes the export of `query` to `out` and finishes it. Errors are the list's own (not
  // found, forbidden, a missing session_id or campaign_id as a bad request); `out` is then
  // unfinished and its file should be dropped. `now` is the time of export written above the
  // table.
  Status write(const Principal& who, const ExportQuery& query, exports::Writer& out,
               UnixSeconds now);

  // The file name without its extension: "宣讲场次台账_20261203" ("sessions_20261203").
  static std::string file_stem(ExportKind kind, bool english, UnixSeconds now);

 private:
  class Run;

  store::Store& store_;
  Records& records_;
  Workflow& workflow_;
  Feedback& feedback_;
  Statistics& statistics_;
  Scorecards& scorecards_;
};

}  // namespace xj::service
