// The .xlsx reader: a zip (minizip, reading from memory) of XML parts (expat, streamed).
// Only what a sheet of values needs is read: the workbook (which sheet is first, the 1904 flag),
// its relationships, the shared strings, the number formats of the cell styles and the sheet.
#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "core/time.hpp"
#include "core/utf8.hpp"
#include "sheet/table.hpp"

namespace xj::sheet {

namespace {

Error refuse(std::string zh, std::string en) {
  return Error::bad_request({std::move(zh), std::move(en)}, "file");
}

Error not_a_workbook() {
  return refuse("文件不是有效的 Excel（.xlsx）工作簿",
                "the file is not a valid Excel (.xlsx) workbook");
}

std::string where_zh(std::size_t row, std::size_t col) {
  return "第 " + std::to_string(row) + " 行第 " + column_name(col) + " 列";
}
std::string where_en(std::size_t row, std::size_t col) {
  return "row " + std::to_string(row) + ", column " + column_name(col);
}

// --- The zip, read from memory through minizip's I/O hooks ----------------------------------

struct Memory {
  std::string_view bytes;
  std::uint64_t at = 0;
};

voidpf ZCALLBACK mem_open(voidpf opaque, const void* /*name*/, int /*mode*/) { return opaque; }
uLong ZCALLBACK mem_read(voidpf /*opaque*/, voidpf stream, void* buf, uLong size) {
  auto* m = static_cast<Memory*>(stream);
  const std::uint64_t left = m->bytes.size() - std::min<std::uint64_t>(m->at, m->bytes.size());
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size, left));
  if (n > 0) std::memcpy(buf, m->bytes.data() + m->at, n);
  m->at += n;
  return static_cast<uLong>(n);
}
uLong ZCALLBACK mem_write(voidpf, voidpf, const void*, uLong) { return 0; }
ZPOS64_T ZCALLBACK mem_tell(voidpf /*opaque*/, voidpf stream) {
  return static_cast<Memory*>(stream)->at;
}
long ZCALLBACK mem_seek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin) {
  auto* m = static_cast<Memory*>(stream);
  std::uint64_t base = 0;
  if (origin == ZLIB_FILEFUNC_SEEK_CUR)
    base = m->at;
  else if (origin == ZLIB_FILEFUNC_SEEK_END)
    base = m->bytes.size();
  else if (origin != ZLIB_FILEFUNC_SEEK_SET)
    return -1;
  if (offset > m->bytes.size() || base + offset > m->bytes.size()) return -1;
  m->at = base + offset;
  return 0;
}
int ZCALLBACK mem_close(voidpf, voidpf) { return 0; }
int ZCALLBACK mem_error(voidpf, voidpf) { return 0; }

// --- XML parts, streamed through expat ------------------------------------------------------

// A part's reader: element starts and ends by local name (namespaces stripped) and text.
class Part {
 public:
  virtual ~Part() = default;
  virtual void start(std::string_view name, const char** attributes) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view /*text*/) {}
  // Set by a reader that refuses what it read; parsing stops.
  std::optional<Error> failure;
};

std::string_view local_name(const char* name) {
  std::string_view n(name);
  const auto bar = n.rfind('|');
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

// The attribute's value by local name, or nullptr.
const char* attribute(const char** attributes, std::string_view name) {
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    if (local_name(attributes[i]) == name) return attributes[i + 1];
  }
  return nullptr;
}

struct Parser {
  XML_Parser parser;
  Part* part;
  bool doctype = false;
};

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto* p = static_cast<Parser*>(data);
  p->part->start(local_name(name), attributes);
  if (p->part->failure) XML_StopParser(p->parser, XML_FALSE);
}
void XMLCALL on_end(void* data, const XML_Char* name) {
  auto* p = static_cast<Parser*>(data);
  p->part->end(local_name(name));
  if (p->part->failure) XML_StopParser(p->parser, XML_FALSE);
}
void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto* p = static_cast<Parser*>(data);
  p->part->text(std::string_view(text, static_cast<std::size_t>(length)));
  if (p->part->failure) XML_StopParser(p->parser, XML_FALSE);
}
// Office never writes a DTD; one in an upload is there for entity tricks.
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* p = static_cast<Parser*>(data);
  p->doctype = true;
  XML_StopParser(p->parser, XML_FALSE);
}

class Zip {
 public:
  Zip(std::string_view bytes, const Limits& limits) : memory_{bytes, 0}, limits_(limits) {
    zlib_filefunc64_def io{};
    io.zopen64_file = mem_open;
    io.zread_file = mem_read;
    io.zwrite_file = mem_write;
    io.ztell64_file = mem_tell;
    io.zseek64_file = mem_seek;
    io.zclose_file = mem_close;
    io.zerror_file = mem_error;
    io.opaque = &memory_;
    zip_ = unzOpen2_64("upload.xlsx", &io);
  }
  ~Zip() {
    if (zip_ != nullptr) unzClose(zip_);
  }
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;

  Status open() {
    if (zip_ == nullptr) return not_a_workbook();
    unz_global_info64 info{};
    if (unzGetGlobalInfo64(zip_, &info) != UNZ_OK) return not_a_workbook();
    if (info.number_entry > limits_.max_zip_entries) {
      return refuse("工作簿包含的文件过多，已拒绝", "the workbook holds too many parts: refused");
    }
    return {};
  }

  bool has(const std::string& name) { return unzLocateFile(zip_, name.c_str(), 1) == UNZ_OK; }

  // Streams the part through `part`. A missing part is an error only when `required`.
  Status parse(const std::string& name, Part& part, bool required) {
    if (unzLocateFile(zip_, name.c_str(), 1) != UNZ_OK) {
      return required ? Status(not_a_workbook()) : Status();
    }
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      return not_a_workbook();
    }
    if ((info.flag & 1u) != 0) {
      return refuse("工作簿已加密，请先取消密码保护再导入",
                    "the workbook is encrypted: remove its password before importing");
    }
    if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
      return not_a_workbook();
    }
    if (unzOpenCurrentFile(zip_) != UNZ_OK) return not_a_workbook();
    const std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> xml(
        XML_ParserCreateNS(nullptr, '|'), XML_ParserFree);
    Parser p{xml.get(), &part};
    XML_SetUserData(xml.get(), &p);
    XML_SetElementHandler(xml.get(), on_start, on_end);
    XML_SetCharacterDataHandler(xml.get(), on_text);
    XML_SetStartDoctypeDeclHandler(xml.get(), on_doctype);
    std::vector<char> buffer(std::size_t{64} * 1024);
    Status result;
    while (true) {
      const int n = unzReadCurrentFile(zip_, buffer.data(), static_cast<unsigned>(buffer.size()));
      if (n < 0) {
        result = not_a_workbook();
        break;
      }
      unzipped_ += static_cast<std::uint64_t>(n);
      if (unzipped_ > limits_.max_unzipped_bytes) {
        result =
            refuse("工作簿解压后过大，已拒绝", "the workbook is too large once unzipped: refused");
        break;
      }
      const bool last = n == 0;
      if (XML_Parse(xml.get(), buffer.data(), n, last ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
        if (part.failure) {
          result = *part.failure;
        } else {
          result = refuse("工作簿中的 XML 已损坏（" + name + "）",
                          "the workbook's XML is damaged (" + name + ")");
        }
        break;
      }
      if (last) break;
    }
    // Closing checks the CRC, but only of a part read to its end.
    const int closed = unzCloseCurrentFile(zip_);
    if (result && closed != UNZ_OK) result = not_a_workbook();
    (void)p.doctype;
    return result;
  }

 private:
  Memory memory_;
  const Limits& limits_;
  unzFile zip_ = nullptr;
  std::uint64_t unzipped_ = 0;
};

// --- The parts ------------------------------------------------------------------------------

struct Workbook final : Part {
  bool date1904 = false;
  std::string first_sheet_rel;
  bool seen_sheet = false;
  void start(std::string_view name, const char** a) override {
    if (name == "workbookPr") {
      const char* v = attribute(a, "date1904");
      date1904 = v != nullptr && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    } else if (name == "sheet" && !seen_sheet) {
      seen_sheet = true;
      if (const char* id = attribute(a, "id")) first_sheet_rel = id;
    }
  }
  void end(std::string_view) override {}
};

struct Relationships final : Part {
  std::string wanted;
  std::string target;
  void start(std::string_view name, const char** a) override {
    if (name != "Relationship") return;
    const char* id = attribute(a, "Id");
    const char* t = attribute(a, "Target");
    if (id != nullptr && t != nullptr && wanted == id) target = t;
  }
  void end(std::string_view) override {}
};

// Text of <t> elements, leaving out phonetic runs (<rPh>), appended to `out` within a bound.
struct TextCollector {
  bool in_t = false;
  int phonetic = 0;
  std::string out;
  bool too_long = false;
  void start(std::string_view name) {
    if (name == "rPh") ++phonetic;
    if (name == "t") in_t = true;
  }
  void end(std::string_view name) {
    if (name == "rPh" && phonetic > 0) --phonetic;
    if (name == "t") in_t = false;
  }
  void text(std::string_view t, std::size_t max) {
    if (!in_t || phonetic > 0) return;
    if (out.size() + t.size() > max) {
      too_long = true;
      return;
    }
    out.append(t);
  }
};

constexpr std::size_t kMaxSharedStrings = 2000000;

struct SharedStrings final : Part {
  explicit SharedStrings(const Limits& l) : limits(l) {}
  const Limits& limits;
  std::vector<std::string> strings;
  bool in_si = false;
  TextCollector collector;
  void start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si = true;
      collector = TextCollector{};
    } else if (in_si) {
      collector.start(name);
    }
  }
  void end(std::string_view name) override {
    if (name == "si" && in_si) {
      in_si = false;
      if (strings.size() >= kMaxSharedStrings) {
        failure =
            refuse("工作簿中的文本过多，已拒绝", "the workbook holds too many texts: refused");
        return;
      }
      strings.push_back(std::move(collector.out));
    } else if (in_si) {
      collector.end(name);
    }
  }
  void text(std::string_view t) override {
    if (in_si) collector.text(t, limits.max_cell_bytes);
  }
};

// Whether a number format shows a date or time: a built-in date format, or a format code with
// y, m, d, h or s outside quoted text, escapes and [colour]/[condition] brackets.
bool date_format_code(std::string_view code) {
  bool quoted = false;
  int bracket = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      if (c == '"') quoted = false;
      continue;
    }
    if (c == '"')
      quoted = true;
    else if (c == '\\' || c == '_' || c == '*')
      ++i;
    else if (c == '[')
      ++bracket;
    else if (c == ']' && bracket > 0)
      --bracket;
    else if (bracket == 0 && std::strchr("yYmMdDhHsS", c) != nullptr && c != '\0')
      return true;
  }
  return false;
}

bool builtin_date_format(long id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

constexpr std::size_t kMaxStyles = 100000;

struct Styles final : Part {
  std::set<long> date_formats;   // custom ids with a date code
  std::vector<long> xf_formats;  // cellXfs, in order
  bool in_cell_xfs = false;
  void start(std::string_view name, const char** a) override {
    if (name == "numFmt") {
      const char* id = attribute(a, "numFmtId");
      const char* code = attribute(a, "formatCode");
      if (id != nullptr && code != nullptr && date_format_code(code)) {
        date_formats.insert(std::strtol(id, nullptr, 10));
      }
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      if (xf_formats.size() >= kMaxStyles) {
        failure = not_a_workbook();
        return;
      }
      const char* id = attribute(a, "numFmtId");
      xf_formats.push_back(id != nullptr ? std::strtol(id, nullptr, 10) : 0);
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
  bool is_date(std::size_t style) const {
    if (style >= xf_formats.size()) return false;
    const long id = xf_formats[style];
    return builtin_date_format(id) || date_formats.contains(id);
  }
};

// "B12" → (12, 2); nullopt when malformed.
std::optional<std::pair<std::size_t, std::size_t>> parse_reference(std::string_view ref) {
  std::size_t col = 0;
  std::size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    col = col * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
    if (col > 16384) return std::nullopt;
    ++i;
  }
  if (i == 0 || i == ref.size()) return std::nullopt;
  std::size_t row = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return std::nullopt;
    row = row * 10 + static_cast<std::size_t>(ref[i] - '0');
    if (row > 1048576) return std::nullopt;
  }
  if (row == 0) return std::nullopt;
  return std::make_pair(row, col);
}

std::string two(unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// A number as text: integers without a decimal point, others in their shortest form.
std::string number_text(std::string_view v) {
  double x = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x)) {
    return std::string(v);
  }
  std::array<char, 64> buf{};
  char* const first = buf.data();
  char* const last = buf.data() + buf.size();
  if (x == std::floor(x) && std::fabs(x) < 1e15) {
    const auto r = std::to_chars(first, last, static_cast<long long>(x));
    return {first, r.ptr};
  }
  const auto r = std::to_chars(first, last, x);
  return {first, r.ptr};
}

// A serial day number of a date-formatted cell as "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "HH:MM".
std::string date_text(std::string_view v, bool date1904) {
  double x = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x) || x < 0 ||
      x >= 2958466) {
    return number_text(v);
  }
  const double whole = std::floor(x);
  const auto minutes = static_cast<unsigned>(std::llround((x - whole) * 24 * 60));
  std::string time;
  if (minutes > 0 && minutes < 24 * 60) time = two(minutes / 60) + ":" + two(minutes % 60);
  if (whole == 0 && !date1904) return time.empty() ? number_text(v) : time;
  auto days = static_cast<std::int32_t>(whole);
  Date d;
  if (date1904) {
    d = Date::from_ymd(1904, 1, 1).plus_days(days);
  } else {
    // Excel counts 1900-02-29, a day that never was (serial 60): before it, one day less.
    d = Date::from_ymd(1899, 12, days < 60 ? 31 : 30).plus_days(days);
  }
  return time.empty() ? d.iso() : d.iso() + " " + time;
}

struct Sheet final : Part {
  Sheet(const Limits& l, const SharedStrings& s, const Styles& st, bool d1904)
      : limits(l), shared(s), styles(st), date1904(d1904) {}
  const Limits& limits;
  const SharedStrings& shared;
  const Styles& styles;
  bool date1904;
  Table table;
  std::size_t cells = 0;  // places taken in the table, empty ones included
  std::size_t bytes = 0;  // text in the table

  bool in_data = false;
  std::size_t row = 0;  // 1-based, of the row being read
  std::size_t col = 0;  // 1-based, of the cell being read
  bool in_cell = false;
  std::string type;
  std::size_t style = 0;
  bool in_v = false;
  std::string value;
  bool inline_string = false;
  TextCollector inline_text;

  void fail(std::string zh, std::string en) { failure = refuse(std::move(zh), std::move(en)); }

  void start(std::string_view name, const char** a) override {
    if (name == "sheetData") {
      in_data = true;
      return;
    }
    if (!in_data) return;
    if (name == "row") {
      std::size_t r = row + 1;
      if (const char* n = attribute(a, "r")) {
        std::size_t parsed = 0;
        const std::string_view s(n);
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
        if (ec != std::errc() || ptr != s.data() + s.size() || parsed <= row) {
          failure = not_a_workbook();
          return;
        }
        r = parsed;
      }
      if (r > limits.max_rows) {
        const std::string n = std::to_string(limits.max_rows - 1);
        fail("文件行数过多：一次最多导入 " + n + " 行",
             "too many rows: at most " + n + " rows per import");
        return;
      }
      row = r;
      col = 0;
    } else if (name == "c") {
      if (row == 0) {
        failure = not_a_workbook();
        return;
      }
      std::size_t c = col + 1;
      if (const char* ref = attribute(a, "r")) {
        const auto at = parse_reference(ref);
        if (!at || at->first != row || at->second <= col) {
          failure = not_a_workbook();
          return;
        }
        c = at->second;
      }
      if (c > limits.max_columns) {
        fail(where_zh(row, c) + "超出了可导入的列数（最多 " + std::to_string(limits.max_columns) +
                 " 列）",
             where_en(row, c) + " lies beyond the columns an import reads (at most " +
                 std::to_string(limits.max_columns) + ")");
        return;
      }
      col = c;
      in_cell = true;
      const char* t = attribute(a, "t");
      type = t != nullptr ? t : "n";
      const char* s = attribute(a, "s");
      style = s != nullptr ? static_cast<std::size_t>(std::strtoul(s, nullptr, 10)) : 0;
      value.clear();
      inline_string = false;
      return;
    }
    if (!in_cell) return;
    if (name == "f") {
      fail(where_zh(row, col) + "是公式：请把公式转换为数值后再导入",
           where_en(row, col) + " holds a formula: turn formulas into values before importing");
    } else if (name == "v") {
      in_v = true;
    } else if (name == "is") {
      inline_string = true;
      inline_text = TextCollector{};
    } else if (inline_string) {
      inline_text.start(name);
    }
  }

  void end(std::string_view name) override {
    if (name == "sheetData") {
      in_data = false;
    } else if (name == "v") {
      in_v = false;
    } else if (inline_string && name != "is" && name != "c") {
      inline_text.end(name);
    } else if (name == "c" && in_cell) {
      in_cell = false;
      finish_cell();
    }
  }

  void text(std::string_view t) override {
    if (in_v) {
      if (value.size() + t.size() > limits.max_cell_bytes) {
        fail(where_zh(row, col) + "的内容过长",
             "the cell in " + where_en(row, col) + " is too long");
        return;
      }
      value.append(t);
    } else if (inline_string) {
      inline_text.text(t, limits.max_cell_bytes);
    }
  }

  void finish_cell() {
    std::string text;
    if (type == "s") {
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
      if (ec != std::errc() || ptr != value.data() + value.size() ||
          index >= shared.strings.size()) {
        failure = not_a_workbook();
        return;
      }
      text = shared.strings[index];
    } else if (type == "inlineStr") {
      if (inline_text.too_long) {
        fail(where_zh(row, col) + "的内容过长",
             "the cell in " + where_en(row, col) + " is too long");
        return;
      }
      text = std::move(inline_text.out);
    } else if (type == "b") {
      text = value == "1" ? "TRUE" : value.empty() ? "" : "FALSE";
    } else if (type == "n") {
      if (!value.empty()) {
        text = styles.is_date(style) ? date_text(value, date1904) : number_text(value);
      }
    } else {
      text = std::move(value);  // str, e (an error value such as #N/A), d (ISO text)
    }
    if (text.empty()) return;
    if (!utf8::valid(text)) {
      failure = not_a_workbook();
      return;
    }
    // Places in the table: the rows before this one and the cells to its left count too.
    auto& rows = table.rows;
    const std::size_t new_rows = row > rows.size() ? row - rows.size() : 0;
    const std::size_t width = rows.size() >= row ? rows[row - 1].size() : 0;
    const std::size_t new_cells = new_rows + (col > width ? col - width : 0);
    if (cells + new_cells > limits.max_rows * 16) {
      fail("工作簿的单元格过多，已拒绝", "the workbook holds too many cells: refused");
      return;
    }
    if (text.size() > limits.max_table_bytes - std::min(bytes, limits.max_table_bytes)) {
      fail("工作簿的内容过多，已拒绝", "the workbook holds too much text: refused");
      return;
    }
    bytes += text.size();
    cells += new_cells;
    if (rows.size() < row) rows.resize(row);
    auto& r = rows[row - 1];
    if (r.size() < col) r.resize(col);
    r[col - 1] = std::move(text);
  }
};

}  // namespace

Result<Table> read_xlsx(std::string_view bytes, const Limits& limits) {
  Zip zip(bytes, limits);
  if (auto s = zip.open(); !s) return std::move(s).error();
  Workbook workbook;
  if (auto s = zip.parse("xl/workbook.xml", workbook, true); !s) return std::move(s).error();
  std::string sheet_part = "xl/worksheets/sheet1.xml";
  if (!workbook.first_sheet_rel.empty()) {
    Relationships rels;
    rels.wanted = workbook.first_sheet_rel;
    if (auto s = zip.parse("xl/_rels/workbook.xml.rels", rels, false); !s) {
      return std::move(s).error();
    }
    if (!rels.target.empty()) {
      sheet_part = rels.target.starts_with('/') ? rels.target.substr(1) : "xl/" + rels.target;
    }
  }
  SharedStrings shared(limits);
  if (auto s = zip.parse("xl/sharedStrings.xml", shared, false); !s) return std::move(s).error();
  Styles styles;
  if (auto s = zip.parse("xl/styles.xml", styles, false); !s) return std::move(s).error();
  Sheet sheet(limits, shared, styles, workbook.date1904);
  if (auto s = zip.parse(sheet_part, sheet, true); !s) return std::move(s).error();
  auto& rows = sheet.table.rows;
  for (auto& r : rows) {
    while (!r.empty() && r.back().empty()) r.pop_back();
  }
  while (!rows.empty() && rows.back().empty()) rows.pop_back();
  if (rows.empty()) return refuse("文件是空的", "the file is empty");
  return std::move(sheet.table);
}

// --- .docx: the text of a Word document (issue 18's report import) ------------------------

namespace {

// word/document.xml: the text of every run (<w:t>), a line per paragraph (<w:p>), <w:br/> and
// <w:tab/> as a line break and a space.
struct DocumentBody final : Part {
  std::string out;
  std::size_t max = 0;
  bool in_text = false;
  void start(std::string_view name, const char** /*attributes*/) override {
    if (name == "t") in_text = true;
    if (name == "br" || name == "cr") out.push_back('\n');
    if (name == "tab") out.push_back(' ');
  }
  void end(std::string_view name) override {
    if (name == "t") in_text = false;
    if (name == "p") out.push_back('\n');
  }
  void text_of(std::string_view t) {
    if (!in_text) return;
    if (out.size() + t.size() > max) {
      failure = refuse("文档中的文字过多，已拒绝", "the document holds too much text: refused");
      return;
    }
    out.append(t);
  }
  void text(std::string_view t) override { text_of(t); }
};

}  // namespace

Result<std::string> read_docx_text(std::string_view bytes, const Limits& limits) {
  const auto not_a_document = [] {
    return refuse("文件不是有效的 Word（.docx）文档，或已损坏",
                  "the file is not a valid Word (.docx) document, or it is damaged");
  };
  Zip zip(bytes, limits);
  if (auto s = zip.open(); !s) return not_a_document();
  if (!zip.has("word/document.xml")) return not_a_document();
  DocumentBody body;
  body.max = limits.max_table_bytes;
  if (auto s = zip.parse("word/document.xml", body, true); !s) {
    if (body.failure) return *body.failure;
    return not_a_document();
  }
  return std::move(body.out);
}

}  // namespace xj::sheet
