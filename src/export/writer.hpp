// Spreadsheet writers for exports (导出): the same tables as .xlsx (libxlsxwriter, constant
// memory) or CSV (UTF-8 with a BOM, RFC 4180). A table is a title, a few lines of notes (the
// filters in words, the time of export), a header row and its rows, written one row at a time
// and never held whole: memory stays flat however many rows come. Nothing here knows the
// domain or the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace xj::exports {

enum class Format { kXlsx, kCsv };
// "xlsx" | "csv"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
std::string_view format_extension(Format format);     // "xlsx" | "csv"
std::string_view format_content_type(Format format);  // the media type of the file

// An instant (UTC), written as its date and time in Asia/Shanghai.
struct Instant {
  UnixSeconds at = 0;
};

// One cell: empty, text, a whole number, a decimal, a civil date, or an instant.
using Cell = std::variant<std::monostate, std::string, std::int64_t, double, Date, Instant>;

enum class ColumnType { kText, kInteger, kDecimal, kDate, kInstant };

struct Column {
  std::string header;
  ColumnType type = ColumnType::kText;
};

struct Table {
  std::string sheet;  // the worksheet's name (at most 31 characters, none of []:*?/\)
  std::string title;
  std::vector<std::string> notes;  // lines between the title and the header
  std::vector<Column> columns;
};

class Writer {
 public:
  virtual ~Writer() = default;
  // Starts a table: a new worksheet in .xlsx, a title line after a blank line in CSV.
  virtual Status begin(const Table& table) = 0;
  // REQUIRES: begin() was called; `cells` has no more cells than the table has columns.
  virtual Status row(const std::vector<Cell>& cells) = 0;
  // Completes the file. REQUIRES: called once, last.
  virtual Status finish() = 0;
};

// The writer of `format` into the file at `path` (created or truncated). A failure to create it
// shows at the first call.
std::unique_ptr<Writer> make_writer(Format format, const std::filesystem::path& path);

// One CSV field: quoted when it holds a comma, a quote, CR or LF (quotes doubled, RFC 4180), and
// a text starting with = + - @ (or a tab or CR) gets a leading ' so that no spreadsheet reads it
// as a formula.
std::string csv_field(std::string_view text);

// "2026-12-03 21:30": an instant as the date and time in Asia/Shanghai (how every cell and note
// of an export shows one).
std::string beijing_time(UnixSeconds at);

// How wide `text` shows in a spreadsheet column, in Excel's character units: CJK and other wide
// characters count two.
int display_width(std::string_view text);

}  // namespace xj::exports
