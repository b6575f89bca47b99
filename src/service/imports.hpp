// 导入: lecturers, organisations and past sessions from a spreadsheet (CSV or .xlsx).
//
// Every row goes through the same checks as the create routes (rules.hpp check_new_*), inside
// one write transaction: nothing is written unless every row is good, and a dry run (the
// preview) rolls back what the real run would write. A row whose natural key is already in the
// database is reported as unchanged and left as it is, so the same file imported twice creates
// nothing the second time:
//   organisation  parent + name
//   lecturer      name + employer (工作单位), among the lecturers in the importer's scope
//   session       date + host organisation + venue + first lecturer
// Cells name things as people write them: organisations, lecturers and campaigns by name (or
// id), dictionary entries and regions by their Chinese name (or code), industries by GB/T 4754
// section name (or letter). Names resolve only within the importer's scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "store/store.hpp"

namespace xj::service {

enum class ImportKind { kLecturers, kOrganisations, kSessions };
std::string_view import_kind_name(ImportKind kind);  // "lecturers", ...
std::optional<ImportKind> parse_import_kind(std::string_view name);

// The largest file an import takes (the HTTP body limit of the import routes, too).
inline constexpr std::size_t kMaxImportBytes = std::size_t{20} << 20;
// Rows shown whole in a report; rows with errors are always shown.
inline constexpr std::size_t kMaxPreviewRows = 200;
// Problems listed in a report; the count says how many there were in all.
inline constexpr std::size_t kMaxListedProblems = 2000;

struct ImportProblem {
  std::size_t row = 0;  // 1-based row of the sheet (the header is row 1)
  std::string column;   // "C"; "" for the row as a whole
  std::string header;   // the column's header as the file has it
  Message message;      // the reason, naming the column
};

struct ImportRow {
  std::size_t row = 0;  // 1-based row of the sheet
  enum class Status { kCreate, kUnchanged, kError } status = Status::kCreate;
  std::optional<Id> id;  // the record created (not on a dry run) or already there
  std::vector<std::string> cells;
};
std::string_view import_row_status_name(ImportRow::Status s);  // create, unchanged, error

struct ImportReport {
  ImportKind kind = ImportKind::kLecturers;
  bool dry_run = false;
  bool committed = false;  // written: not a dry run, and no row had an error
  std::vector<std::string> header;
  std::int64_t rows = 0;  // data rows read (blank and note rows not counted)
  std::int64_t created = 0;
  std::int64_t unchanged = 0;
  std::int64_t error_rows = 0;
  std::int64_t problem_count = 0;  // problems in all; `problems` lists the first ones
  std::vector<ImportProblem> problems;
  std::vector<ImportRow> preview;  // the first kMaxPreviewRows rows, and every row with an error
};

enum class TemplateFormat { kCsv, kXlsx };

class Imports {
 public:
  explicit Imports(store::Store& store) : store_(store) {}

  // Reads `file` and imports its rows as `who`. A file that cannot be read as a table of this
  // kind (not CSV or .xlsx, empty, formulas, a header that is not this kind's) is a bad_request
  // and changes nothing; row errors come back in the report (committed = false).
  Result<ImportReport> run(const domain::Principal& who, ImportKind kind, std::string_view file,
                           bool dry_run);

  // The template people fill in: the header in Chinese and a note row saying what each column
  // takes (the importer skips it). CSV in UTF-8 with a byte order mark, for Excel.
  Result<std::string> template_file(const domain::Principal& who, ImportKind kind,
                                    TemplateFormat format);

 private:
  store::Store& store_;
};

}  // namespace xj::service
