// Readers of the spreadsheets people upload (CSV and .xlsx) into one plain table of text cells.
// They judge only the file's form: what the cells mean is the importer's business (service).
// Every reader is fed hostile bytes: it never crashes, bounds the memory it takes by Limits and
// refuses with a bad_request naming what is wrong (and where: row and column, 1-based) in both
// languages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace xj::sheet {

// A sheet as text: rows[0] is the header row. Numbers are written as the shortest decimal
// ("42", "3.5"); cells of a date format as "YYYY-MM-DD" (with " HH:MM" when the day has a time).
// Rows keep their place: an empty row in the file is an empty row here; trailing empty cells and
// trailing empty rows are dropped.
struct Table {
  std::vector<std::vector<std::string>> rows;
};

struct Limits {
  std::size_t max_rows = 200000;       // data rows and header
  std::size_t max_columns = 100;       // a cell further right is refused
  std::size_t max_cell_bytes = 32767;  // Excel's own limit, in characters; here in bytes
  // .xlsx: a zip bomb stops here, whatever the archive claims.
  std::size_t max_zip_entries = 10000;
  std::uint64_t max_unzipped_bytes = 256ull << 20;  // of all parts read together
  // .xlsx: the text of all cells together; one long shared string named by every cell of a
  // sheet would otherwise make a small file fill the memory.
  std::size_t max_table_bytes = std::size_t{64} << 20;
};

enum class Format { kCsv, kXlsx };

// What the bytes are: an .xlsx starts with a zip's local header ("PK\3\4"); anything else is
// read as CSV.
Format sniff(std::string_view bytes);

// CSV (RFC 4180: commas, double quotes, CRLF or LF) in UTF-8, with or without a byte order mark,
// or else GB18030 (GBK is a subset), what Excel writes on Chinese Windows. Refuses an empty file,
// a file with NUL bytes (not text) and text in neither encoding.
Result<Table> read_csv(std::string_view bytes, const Limits& limits = {});

// The first worksheet of an .xlsx (Office Open XML) workbook: shared and inline strings, numbers,
// booleans, dates (numbers in a date-formatted cell; the 1904 system too). A cell holding a
// formula is refused, naming its row and column: the importer wants values, not formulas.
Result<Table> read_xlsx(std::string_view bytes, const Limits& limits = {});

// sniff, then the reader for that format.
Result<Table> read_table(std::string_view bytes, const Limits& limits = {});

// The text of a Word (.docx) document's body: a line per paragraph. Refuses what is no .docx or
// is damaged, and a body of more text than limits.max_table_bytes, in both languages (field
// "file"). Reuses the zip reading and limits of read_xlsx.
Result<std::string> read_docx_text(std::string_view bytes, const Limits& limits = {});

// "A" for 1, "Z" for 26, "AA" for 27: the column's name as spreadsheets show it.
std::string column_name(std::size_t column);

// Bytes of GB18030 turned into UTF-8; nullopt where they are not GB18030.
std::optional<std::string> gb18030_to_utf8(std::string_view bytes);
// UTF-8 turned into GB18030 (tests and the CSV template for old Excel). REQUIRES: valid UTF-8.
std::string utf8_to_gb18030(std::string_view text);

}  // namespace xj::sheet
