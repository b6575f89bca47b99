// Fuzz target: the spreadsheet readers of imports (src/sheet/table.hpp), fed whatever a user
// uploads. Beyond "never crashes, never reads outside the input", every refusal is a
// bad_request on field "file" in both languages, and an accepted table keeps within its limits.
//
// The first byte picks what the rest is:
//   'c'  a CSV file                          (read_csv)
//   'x'  an .xlsx file as uploaded            (read_table)
//   's'  the parts of a workbook, NUL-separated: sheet, shared strings, styles, workbook. They
//        are zipped here (stored, with their CRCs) so that mutations reach the XML readers,
//        which random bytes inside a deflated zip seldom would.
//
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc -I/usr/include/minizip
//     tests/fuzz/sheet_fuzz.cpp src/sheet/*.cpp src/core/*.cpp -lminizip -lexpat -lz
//     -o /tmp/fuzz_sheet
//   /tmp/fuzz_sheet -max_len=8192 NEW_CORPUS_DIR tests/fuzz/corpus/sheet
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sheet/table.hpp"

namespace {

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "sheet fuzz: %s (input of %zu bytes)\n", what, input.size());
  std::abort();
}

void put16(std::string& s, std::uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}

// A zip of stored (uncompressed) parts: local headers, then the central directory.
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  std::string out;
  std::string central;
  for (const auto& [name, data] : parts) {
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    const auto offset = static_cast<std::uint32_t>(out.size());
    const auto size = static_cast<std::uint32_t>(data.size());
    const auto name_size = static_cast<std::uint32_t>(name.size());
    put32(out, 0x04034b50);
    put16(out, 20);
    put16(out, 0);
    put16(out, 0);  // stored
    put32(out, 0);  // time, date
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, name_size);
    put16(out, 0);
    out += name;
    out += data;
    put32(central, 0x02014b50);
    put16(central, 20);
    put16(central, 20);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, name_size);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, offset);
    central += name;
  }
  const auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(parts.size()));
  put16(out, static_cast<std::uint32_t>(parts.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  return out;
}

void check(const xj::Result<xj::sheet::Table>& r, const xj::sheet::Limits& limits,
           std::string_view input) {
  if (!r) {
    const xj::Error& e = r.error();
    if (e.code != xj::ErrorCode::kBadRequest || e.field != "file" || e.message.zh.empty() ||
        e.message.en.empty()) {
      fail("a refusal that is not a bad_request on \"file\" in both languages", input);
    }
    return;
  }
  if (r->rows.size() > limits.max_rows) fail("more rows than the limit", input);
  for (const auto& row : r->rows) {
    if (row.size() > limits.max_columns) fail("more columns than the limit", input);
    for (const auto& cell : row) {
      if (cell.size() > limits.max_cell_bytes + 16) fail("a cell beyond the limit", input);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::string_view rest = all.substr(1);
  xj::sheet::Limits limits;
  limits.max_rows = 1000;
  limits.max_columns = 50;
  limits.max_cell_bytes = 4096;
  limits.max_unzipped_bytes = 1u << 20;
  switch (all[0]) {
    case 'c':
      check(xj::sheet::read_csv(rest, limits), limits, all);
      break;
    case 's': {
      std::vector<std::string> pieces;
      std::size_t start = 0;
      while (pieces.size() < 4) {
        const std::size_t end = rest.find('\0', start);
        pieces.emplace_back(rest.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
      }
      pieces.resize(4);
      if (pieces[3].empty()) {
        pieces[3] =
            "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            "<sheets><sheet name=\"S\" sheetId=\"1\"/></sheets></workbook>";
      }
      const std::string zip = stored_zip({{"xl/workbook.xml", pieces[3]},
                                          {"xl/worksheets/sheet1.xml", pieces[0]},
                                          {"xl/sharedStrings.xml", pieces[1]},
                                          {"xl/styles.xml", pieces[2]}});
      check(xj::sheet::read_table(zip, limits), limits, all);
      break;
    }
    default:
      check(xj::sheet::read_table(rest, limits), limits, all);
      break;
  }
  return 0;
}
