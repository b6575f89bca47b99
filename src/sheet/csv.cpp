// CSV and the encodings Excel writes it in.
#include <iconv.h>

#include <cerrno>
#include <memory>

#include "core/utf8.hpp"
#include "sheet/table.hpp"

namespace xj::sheet {

namespace {

Error refuse(std::string zh, std::string en) {
  return Error::bad_request({std::move(zh), std::move(en)}, "file");
}

Error too_many_rows(const Limits& limits) {
  const std::string n = std::to_string(limits.max_rows - 1);
  return refuse("文件行数过多：一次最多导入 " + n + " 行",
                "too many rows: at most " + n + " rows per import");
}

// One conversion with iconv; nullopt when the input is not in `from`.
std::optional<std::string> convert(std::string_view bytes, const char* to, const char* from) {
  iconv_t cd = iconv_open(to, from);
  // iconv_open's failure value is (iconv_t)-1, by its POSIX definition.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  const std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  // iconv's interface takes char**, although it does not write through the input.
  char* in = const_cast<char*>(bytes.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (true) {
    char* dst = out.data() + used;
    std::size_t out_left = out.size() - used;
    const std::size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
    used = out.size() - out_left;
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno != E2BIG) return std::nullopt;  // EILSEQ or EINVAL (cut short): not this encoding
    out.resize(out.size() * 2);
  }
  out.resize(used);
  return out;
}

}  // namespace

std::optional<std::string> gb18030_to_utf8(std::string_view bytes) {
  return convert(bytes, "UTF-8", "GB18030");
}

std::string utf8_to_gb18030(std::string_view text) {
  return convert(text, "GB18030", "UTF-8").value_or(std::string());
}

std::string column_name(std::size_t column) {
  std::string name;
  while (column > 0) {
    const std::size_t rem = (column - 1) % 26;
    name.insert(name.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return name;
}

Format sniff(std::string_view bytes) {
  return bytes.starts_with(std::string_view("PK\x03\x04", 4)) ? Format::kXlsx : Format::kCsv;
}

Result<Table> read_csv(std::string_view bytes, const Limits& limits) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return refuse("文件是空的", "the file is empty");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return refuse("文件不是 CSV 或 Excel（.xlsx）表格",
                  "the file is neither CSV nor Excel (.xlsx)");
  }
  std::string converted;
  if (!utf8::valid(bytes)) {
    auto gb = gb18030_to_utf8(bytes);
    if (!gb || !utf8::valid(*gb)) {
      return refuse("无法识别文件的编码：请保存为 UTF-8 或 GBK 编码的 CSV",
                    "unknown text encoding: save the CSV as UTF-8 or GBK");
    }
    converted = std::move(*gb);
    bytes = converted;
  }

  Table table;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field began with a quote
  std::size_t line = 1;     // of the file, for messages
  std::size_t row_line = 1;
  auto end_cell = [&]() -> Status {
    if (row.size() >= limits.max_columns) {
      return refuse("第 " + std::to_string(row_line) + " 行的列数过多（最多 " +
                        std::to_string(limits.max_columns) + " 列）",
                    "row " + std::to_string(row_line) + " has too many columns (at most " +
                        std::to_string(limits.max_columns) + ")");
    }
    row.push_back(std::move(cell));
    cell.clear();
    was_quoted = false;
    return {};
  };
  auto end_row = [&]() -> Status {
    if (auto s = end_cell(); !s) return s;
    while (!row.empty() && row.back().empty()) row.pop_back();
    if (table.rows.size() >= limits.max_rows) return too_many_rows(limits);
    table.rows.push_back(std::move(row));
    row.clear();
    row_line = line;
    return {};
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < bytes.size() && bytes[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
    } else if (c == '"' && cell.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else if (c == ',') {
      if (auto s = end_cell(); !s) return std::move(s).error();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
      ++line;
      if (auto s = end_row(); !s) return std::move(s).error();
    } else {
      cell.push_back(c);
    }
    if (cell.size() > limits.max_cell_bytes) {
      return refuse("第 " + std::to_string(row_line) + " 行第 " + std::to_string(row.size() + 1) +
                        " 列的内容过长",
                    "the cell in row " + std::to_string(row_line) + ", column " +
                        std::to_string(row.size() + 1) + " is too long");
    }
  }
  if (quoted) {
    return refuse("第 " + std::to_string(row_line) + " 行有未闭合的引号",
                  "row " + std::to_string(row_line) + " has a quote that is never closed");
  }
  if (!cell.empty() || !row.empty() || was_quoted) {
    if (auto s = end_row(); !s) return std::move(s).error();
  }
  while (!table.rows.empty() && table.rows.back().empty()) table.rows.pop_back();
  return table;
}

Result<Table> read_table(std::string_view bytes, const Limits& limits) {
  return sniff(bytes) == Format::kXlsx ? read_xlsx(bytes, limits) : read_csv(bytes, limits);
}

}  // namespace xj::sheet
