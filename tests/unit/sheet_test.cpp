// The spreadsheet readers (src/sheet): CSV in UTF-8 and GBK, .xlsx made here by libxlsxwriter
// (as Excel would write it) or by hand with minizip (what Excel would never write).
#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "sheet/table.hpp"

namespace xj::sheet {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("xj-sheet-" + std::to_string(::getpid()) + "-" + name);
}

// A workbook written by libxlsxwriter; `fill` writes the first sheet.
template <class Fill>
std::string workbook(Fill fill, bool constant_memory = false) {
  const auto path = temp_file("book.xlsx");
  lxw_workbook_options options{};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* book = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* sheet = workbook_add_worksheet(book, nullptr);
  fill(book, sheet);
  EXPECT_EQ(workbook_close(book), LXW_NO_ERROR);
  std::string bytes = slurp(path);
  std::filesystem::remove(path);
  return bytes;
}

// A zip of the given parts, written by minizip: the .xlsx files Excel would never write.
std::string zip_of(const std::map<std::string, std::string>& parts) {
  const auto path = temp_file("hand.zip");
  zipFile z = zipOpen(path.c_str(), APPEND_STATUS_CREATE);
  for (const auto& [name, content] : parts) {
    zip_fileinfo info{};
    zipOpenNewFileInZip(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                        Z_DEFAULT_COMPRESSION);
    zipWriteInFileInZip(z, content.data(), static_cast<unsigned>(content.size()));
    zipCloseFileInZip(z);
  }
  zipClose(z, nullptr);
  std::string bytes = slurp(path);
  std::filesystem::remove(path);
  return bytes;
}

const std::string kWorkbookXml =
    R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>)"
    R"(<sheet name="S" sheetId="1"/></sheets></workbook>)";

std::string sheet_xml(const std::string& data) {
  return R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
         "<sheetData>" +
         data + "</sheetData></worksheet>";
}

std::string message_of(const Result<Table>& r) { return r ? "" : r.error().message.zh; }

TEST(SheetCsv, ReadsQuotedFieldsLineBreaksAndBothLineEndings) {
  const auto t = read_csv("名称,说明\r\n\"甲,乙\",\"他说\"\"好\"\"\n第二行\"\n丙,\n");
  ASSERT_TRUE(t) << message_of(t);
  EXPECT_EQ(t->rows, (Rows{{"名称", "说明"}, {"甲,乙", "他说\"好\"\n第二行"}, {"丙"}}));
}

TEST(SheetCsv, StripsTheByteOrderMarkAndKeepsBlankRowsInPlace) {
  const auto t = read_csv(
      "\xEF\xBB\xBF"
      "a,b\n\n1,2\n\n\n");
  ASSERT_TRUE(t) << message_of(t);
  EXPECT_EQ(t->rows, (Rows{{"a", "b"}, {}, {"1", "2"}}));
}

TEST(SheetCsv, ReadsGbkAsExcelOnChineseWindowsWritesIt) {
  const std::string gbk = utf8_to_gb18030("姓名,工作单位\n乌兰,包钢集团\n");
  ASSERT_FALSE(gbk.empty());
  ASSERT_NE(gbk, "姓名,工作单位\n乌兰,包钢集团\n");  // really another encoding
  const auto t = read_csv(gbk);
  ASSERT_TRUE(t) << message_of(t);
  EXPECT_EQ(t->rows, (Rows{{"姓名", "工作单位"}, {"乌兰", "包钢集团"}}));
}

TEST(SheetCsv, RefusesEmptyBinaryUnclosedAndTooWide) {
  EXPECT_NE(message_of(read_csv("")).find("空"), std::string::npos);
  EXPECT_NE(message_of(read_csv("\xEF\xBB\xBF \r\n")).find("空"), std::string::npos);
  EXPECT_NE(message_of(read_csv(std::string("GIF89a\0\0\x01", 9))).find("不是"), std::string::npos);
  EXPECT_NE(message_of(read_csv("a,\"b\n1,2\n")).find("引号"), std::string::npos);
  Limits narrow;
  narrow.max_columns = 3;
  EXPECT_NE(message_of(read_csv("a,b,c,d\n", narrow)).find("列数"), std::string::npos);
  Limits short_sheet;
  short_sheet.max_rows = 2;
  EXPECT_NE(message_of(read_csv("a\n1\n2\n", short_sheet)).find("行数"), std::string::npos);
}

TEST(SheetXlsx, ReadsSharedStringsNumbersDatesAndBooleans) {
  const auto bytes = workbook([](lxw_workbook* book, lxw_worksheet* sheet) {
    lxw_format* date = workbook_add_format(book);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format* chinese_date = workbook_add_format(book);
    format_set_num_format(chinese_date, "yyyy\"年\"m\"月\"d\"日\"");
    lxw_format* time = workbook_add_format(book);
    format_set_num_format(time, "hh:mm");
    worksheet_write_string(sheet, 0, 0, "日期", nullptr);
    worksheet_write_string(sheet, 0, 1, "人数", nullptr);
    worksheet_write_string(sheet, 0, 3, "备注", nullptr);  // column C left empty
    lxw_datetime d{2024, 3, 15, 0, 0, 0};
    worksheet_write_datetime(sheet, 1, 0, &d, date);
    worksheet_write_number(sheet, 1, 1, 120, nullptr);
    worksheet_write_number(sheet, 1, 2, 3.5, nullptr);
    worksheet_write_number(sheet, 1, 3, 13800138000.0, nullptr);
    lxw_datetime d2{1999, 12, 31, 0, 0, 0};
    worksheet_write_datetime(sheet, 2, 0, &d2, chinese_date);
    worksheet_write_boolean(sheet, 2, 1, 1, nullptr);
    lxw_datetime t{0, 0, 0, 9, 30, 0};
    worksheet_write_datetime(sheet, 2, 2, &t, time);
  });
  const auto t = read_xlsx(bytes);
  ASSERT_TRUE(t) << message_of(t);
  EXPECT_EQ(t->rows, (Rows{{"日期", "人数", "", "备注"},
                           {"2024-03-15", "120", "3.5", "13800138000"},
                           {"1999-12-31", "TRUE", "09:30"}}));
  EXPECT_EQ(sniff(bytes), Format::kXlsx);
  const auto same = read_table(bytes);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->rows, t->rows);
}

TEST(SheetXlsx, ReadsInlineStringsOfAConstantMemoryWorkbook) {
  const auto bytes = workbook(
      [](lxw_workbook*, lxw_worksheet* sheet) {
        worksheet_write_string(sheet, 0, 0, "姓名", nullptr);
        worksheet_write_string(sheet, 1, 0, "其其格", nullptr);
        worksheet_write_string(sheet, 3, 1, "隔一行", nullptr);
      },
      true);
  ASSERT_NE(bytes.find("sheet1.xml"), std::string::npos);
  const auto t = read_xlsx(bytes);
  ASSERT_TRUE(t) << message_of(t);
  EXPECT_EQ(t->rows, (Rows{{"姓名"}, {"其其格"}, {}, {"", "隔一行"}}));
}

TEST(SheetXlsx, RefusesAFormulaNamingItsRowAndColumn) {
  const auto bytes = workbook([](lxw_workbook*, lxw_worksheet* sheet) {
    worksheet_write_string(sheet, 0, 0, "人数", nullptr);
    worksheet_write_number(sheet, 1, 0, 1, nullptr);
    worksheet_write_formula(sheet, 2, 1, "=A2*2", nullptr);
  });
  const auto t = read_xlsx(bytes);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(t.error().message.zh.find("第 3 行第 B 列是公式"), std::string::npos)
      << t.error().message.zh;
  EXPECT_NE(t.error().message.en.find("row 3, column B"), std::string::npos);
}

TEST(SheetXlsx, StopsAZipBombAtTheLimitWhateverTheArchiveClaims) {
  // 50 MB of one repeated cell compresses to a few hundred kilobytes.
  std::string rows;
  const std::string row =
      "<row><c t=\"inlineStr\"><is><t>" + std::string(1000, 'x') + "</t></is></c></row>";
  rows.reserve(row.size() * 50000);
  for (int i = 0; i < 50000; ++i) rows += row;
  const auto bytes =
      zip_of({{"xl/workbook.xml", kWorkbookXml}, {"xl/worksheets/sheet1.xml", sheet_xml(rows)}});
  ASSERT_LT(bytes.size(), 1u << 20);
  Limits limits;
  limits.max_unzipped_bytes = 8u << 20;
  const auto t = read_xlsx(bytes, limits);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.zh.find("解压后过大"), std::string::npos) << t.error().message.zh;

  Limits few;
  few.max_zip_entries = 1;
  EXPECT_NE(message_of(read_xlsx(bytes, few)).find("过多"), std::string::npos);
}

TEST(SheetXlsx, StopsOneLongSharedStringNamedByEveryCell) {
  std::string rows;
  for (int r = 1; r <= 2000; ++r) {
    rows += "<row>";
    for (int c = 0; c < 10; ++c) rows += "<c t=\"s\"><v>0</v></c>";
    rows += "</row>";
  }
  const auto bytes = zip_of(
      {{"xl/workbook.xml", kWorkbookXml},
       {"xl/sharedStrings.xml", "<sst><si><t>" + std::string(30000, 'x') + "</t></si></sst>"},
       {"xl/worksheets/sheet1.xml", sheet_xml(rows)}});
  ASSERT_LT(bytes.size(), 1u << 20);  // 600 MB of cells in a small file
  const auto t = read_xlsx(bytes);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.zh.find("内容过多"), std::string::npos) << t.error().message.zh;
}

TEST(SheetXlsx, RefusesADoctypeMalformedXmlAndDamagedZips) {
  const std::string bomb = R"(<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>)" +
                           sheet_xml(R"(<row><c t="inlineStr"><is><t>&a;</t></is></c></row>)");
  EXPECT_FALSE(
      read_xlsx(zip_of({{"xl/workbook.xml", kWorkbookXml}, {"xl/worksheets/sheet1.xml", bomb}})));
  const auto broken = zip_of({{"xl/workbook.xml", kWorkbookXml},
                              {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>"}});
  EXPECT_NE(message_of(read_xlsx(broken)).find("XML"), std::string::npos);
  // Cut anywhere, the archive is refused or read, never a crash.
  const auto good =
      zip_of({{"xl/workbook.xml", kWorkbookXml},
              {"xl/worksheets/sheet1.xml",
               sheet_xml(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>)")}});
  ASSERT_TRUE(read_xlsx(good)) << message_of(read_xlsx(good));
  for (std::size_t n = 0; n < good.size(); n += 7) (void)read_xlsx(good.substr(0, n));
  // A shared string index beyond the table, rows out of order, a cell in another row.
  for (const std::string data :
       {R"(<row><c t="s"><v>4</v></c></row>)", R"(<row r="2"/><row r="1"/>)",
        R"(<row r="1"><c r="A2"><v>1</v></c></row>)"}) {
    EXPECT_FALSE(read_xlsx(
        zip_of({{"xl/workbook.xml", kWorkbookXml}, {"xl/worksheets/sheet1.xml", sheet_xml(data)}})))
        << data;
  }
  EXPECT_FALSE(read_xlsx(zip_of({{"xl/worksheets/sheet1.xml", sheet_xml("")}})));  // no workbook
}

TEST(SheetXlsx, NamesColumnsAsSpreadsheetsDo) {
  EXPECT_EQ(column_name(1), "A");
  EXPECT_EQ(column_name(26), "Z");
  EXPECT_EQ(column_name(27), "AA");
  EXPECT_EQ(column_name(703), "AAA");
}

}  // namespace
}  // namespace xj::sheet
