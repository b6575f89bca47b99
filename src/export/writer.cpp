#include "export/writer.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>

namespace xj::exports {

namespace {

constexpr std::int64_t kShanghaiOffset = std::int64_t{8} * 3600;
// Rows whose widths count: enough to size a column, few enough to cost nothing.
constexpr std::int64_t kRowsMeasured = 1000;
constexpr int kWidestColumn = 60;
// Excel's limits: rows per sheet, characters per cell (cut at a byte count that stays under it).
constexpr std::int64_t kMaxRows = 1048576;
constexpr std::size_t kMaxCellBytes = 32000;

Error write_failed(const std::string& what) {
  return Error{ErrorCode::kInternal,
               {"导出文件写入失败：" + what, "could not write the export file: " + what},
               {},
               {}};
}

struct LocalTime {
  Date date;
  int hour = 0;
  int minute = 0;
};

LocalTime shanghai(UnixSeconds at) {
  const std::int64_t local = at + kShanghaiOffset;
  std::int64_t days = local / 86400;
  std::int64_t seconds = local % 86400;
  if (seconds < 0) {
    seconds += 86400;
    --days;
  }
  return {Date::from_days(static_cast<std::int32_t>(days)), static_cast<int>(seconds / 3600),
          static_cast<int>(seconds % 3600 / 60)};
}

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// A cell as text (CSV, and widths): dates ISO, instants "YYYY-MM-DD HH:MM" Beijing time.
std::string text_of(const Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&cell)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&cell)) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.2f", *d);
    return buf.data();
  }
  if (const auto* date = std::get_if<Date>(&cell)) return date->iso();
  if (const auto* at = std::get_if<Instant>(&cell)) return beijing_time(at->at);
  return {};
}

class CsvWriter final : public Writer {
 public:
  explicit CsvWriter(const std::filesystem::path& path)
      : out_(path, std::ios::binary | std::ios::trunc) {
    out_ << "\xEF\xBB\xBF";  // the BOM: Excel on Chinese Windows reads UTF-8 by it
  }

  Status begin(const Table& table) override {
    if (tables_++ > 0) out_ << "\r\n";
    line({table.title});
    for (const auto& note : table.notes) line({note});
    out_ << "\r\n";
    std::vector<std::string> headers;
    headers.reserve(table.columns.size());
    for (const auto& c : table.columns) headers.push_back(c.header);
    line(headers);
    return check();
  }

  Status row(const std::vector<Cell>& cells) override {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ << ',';
      // Only text is guarded against formulas: a negative number stays a number.
      if (const auto* text = std::get_if<std::string>(&cells[i])) {
        out_ << csv_field(*text);
      } else {
        out_ << text_of(cells[i]);
      }
    }
    out_ << "\r\n";
    return check();
  }

  Status finish() override {
    out_.flush();
    if (auto s = check(); !s) return s;
    out_.close();
    return check();
  }

 private:
  void line(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out_ << ',';
      out_ << csv_field(fields[i]);
    }
    out_ << "\r\n";
  }
  Status check() {
    if (!out_) return write_failed("CSV");
    return {};
  }

  std::ofstream out_;
  int tables_ = 0;
};

class XlsxWriter final : public Writer {
 public:
  explicit XlsxWriter(const std::filesystem::path& path) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;  // rows go to a temporary file as they come
    const std::string dir = path.parent_path().string();
    std::vector<char> tmpdir(dir.begin(), dir.end());
    tmpdir.push_back('\0');
    options.tmpdir = dir.empty() ? nullptr : tmpdir.data();
    book_ = workbook_new_opt(path.string().c_str(), &options);
    if (book_ == nullptr) return;
    title_ = workbook_add_format(book_);
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    note_ = workbook_add_format(book_);
    format_set_font_color(note_, 0x595959);
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xF2F2F2);
    format_set_border(header_, LXW_BORDER_THIN);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_CENTER);
    date_ = workbook_add_format(book_);
    format_set_num_format(date_, "yyyy-mm-dd");
    instant_ = workbook_add_format(book_);
    format_set_num_format(instant_, "yyyy-mm-dd hh:mm");
    decimal_ = workbook_add_format(book_);
    format_set_num_format(decimal_, "0.00");
  }

  ~XlsxWriter() override {
    // A workbook never finished (an error on the way) still releases its memory and files.
    if (book_ != nullptr) workbook_close(book_);
  }
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  Status begin(const Table& table) override {
    if (book_ == nullptr) return write_failed("xlsx");
    size_columns();
    sheet_ = workbook_add_worksheet(book_, table.sheet.c_str());
    if (sheet_ == nullptr) return write_failed("worksheet " + table.sheet);
    columns_ = table.columns;
    widths_.assign(columns_.size(), 0);
    row_ = 0;
    put_string(0, table.title, title_);
    worksheet_set_row(sheet_, 0, 22, nullptr);
    row_ = 1;
    for (const auto& note : table.notes) put_string(static_cast<lxw_col_t>(0), note, note_);
    ++row_;  // a blank line before the header
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      widths_[i] = std::max(widths_[i], display_width(columns_[i].header));
      worksheet_write_string(sheet_, static_cast<lxw_row_t>(row_), static_cast<lxw_col_t>(i),
                             columns_[i].header.c_str(), header_);
    }
    worksheet_freeze_panes(sheet_, static_cast<lxw_row_t>(row_ + 1), 0);
    header_row_ = row_;
    ++row_;
    return {};
  }

  Status row(const std::vector<Cell>& cells) override {
    if (sheet_ == nullptr) return write_failed("xlsx");
    if (row_ >= kMaxRows) {
      return Error::bad_request({"导出行数超过 Excel 上限（1048576 行），请缩小筛选范围",
                                 "more rows than Excel holds (1,048,576): narrow the filters"});
    }
    const bool measure = row_ - header_row_ <= kRowsMeasured;
    for (std::size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {
      const auto r = static_cast<lxw_row_t>(row_);
      const auto c = static_cast<lxw_col_t>(i);
      const Cell& cell = cells[i];
      lxw_error e = LXW_NO_ERROR;
      if (const auto* s = std::get_if<std::string>(&cell)) {
        if (s->empty()) continue;
        e = put_text(r, c, *s, nullptr);
      } else if (const auto* n = std::get_if<std::int64_t>(&cell)) {
        e = worksheet_write_number(sheet_, r, c, static_cast<double>(*n), nullptr);
      } else if (const auto* d = std::get_if<double>(&cell)) {
        e = worksheet_write_number(sheet_, r, c, *d, decimal_);
      } else if (const auto* date = std::get_if<Date>(&cell)) {
        lxw_datetime dt{
            date->year(), static_cast<int>(date->month()), static_cast<int>(date->day()), 0, 0, 0};
        e = worksheet_write_datetime(sheet_, r, c, &dt, date_);
      } else if (const auto* at = std::get_if<Instant>(&cell)) {
        const LocalTime t = shanghai(at->at);
        lxw_datetime dt{t.date.year(),
                        static_cast<int>(t.date.month()),
                        static_cast<int>(t.date.day()),
                        t.hour,
                        t.minute,
                        0};
        e = worksheet_write_datetime(sheet_, r, c, &dt, instant_);
      }
      if (e != LXW_NO_ERROR) return write_failed(lxw_strerror(e));
      if (measure) widths_[i] = std::max(widths_[i], display_width(text_of(cell)));
    }
    ++row_;
    return {};
  }

  Status finish() override {
    if (book_ == nullptr) return write_failed("xlsx");
    size_columns();
    const lxw_error e = workbook_close(book_);
    book_ = nullptr;
    if (e != LXW_NO_ERROR) return write_failed(lxw_strerror(e));
    return {};
  }

 private:
  lxw_error put_text(lxw_row_t r, lxw_col_t c, const std::string& text, lxw_format* format) {
    if (text.size() <= kMaxCellBytes) {
      return worksheet_write_string(sheet_, r, c, text.c_str(), format);
    }
    std::size_t cut = kMaxCellBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return worksheet_write_string(sheet_, r, c, text.substr(0, cut).c_str(), format);
  }
  void put_string(lxw_col_t col, const std::string& text, lxw_format* format) {
    put_text(static_cast<lxw_row_t>(row_), col, text, format);
    ++row_;
  }
  // Each column as wide as its widest header or measured cell, within bounds.
  void size_columns() {
    if (sheet_ == nullptr) return;
    for (std::size_t i = 0; i < widths_.size(); ++i) {
      int w = widths_[i] + 2;
      if (columns_[i].type == ColumnType::kDate) w = std::max(w, 12);
      if (columns_[i].type == ColumnType::kInstant) w = std::max(w, 17);
      w = std::clamp(w, 6, kWidestColumn);
      worksheet_set_column(sheet_, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i),
                           static_cast<double>(w), nullptr);
    }
    sheet_ = nullptr;
  }

  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* title_ = nullptr;
  lxw_format* note_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* date_ = nullptr;
  lxw_format* instant_ = nullptr;
  lxw_format* decimal_ = nullptr;
  std::vector<Column> columns_;
  std::vector<int> widths_;
  std::int64_t row_ = 0;
  std::int64_t header_row_ = 0;
};

}  // namespace

std::string beijing_time(UnixSeconds at) {
  const LocalTime t = shanghai(at);
  return t.date.iso() + " " + two(t.hour) + ":" + two(t.minute);
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "xlsx") return Format::kXlsx;
  if (name == "csv") return Format::kCsv;
  return std::nullopt;
}

std::string_view format_extension(Format format) {
  return format == Format::kXlsx ? "xlsx" : "csv";
}

std::string_view format_content_type(Format format) {
  return format == Format::kXlsx
             ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
             : "text/csv; charset=utf-8";
}

std::unique_ptr<Writer> make_writer(Format format, const std::filesystem::path& path) {
  if (format == Format::kXlsx) return std::make_unique<XlsxWriter>(path);
  return std::make_unique<CsvWriter>(path);
}

std::string csv_field(std::string_view text) {
  std::string value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    value = "'";
  }
  value += text;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

int display_width(std::string_view text) {
  int width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    std::uint32_t cp = lead;
    if (lead >= 0xF0) {
      len = 4;
      cp = lead & 0x07U;
    } else if (lead >= 0xE0) {
      len = 3;
      cp = lead & 0x0FU;
    } else if (lead >= 0xC0) {
      len = 2;
      cp = lead & 0x1FU;
    }
    for (std::size_t k = 1; k < len && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
    }
    width += cp >= 0x1100 ? 2 : 1;
    i += len;
  }
  return width;
}

}  // namespace xj::exports
