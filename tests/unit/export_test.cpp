#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "export/writer.hpp"
#include "http/api.hpp"

namespace xj::exports {
namespace {

TEST(CsvField, PlainTextStaysAsItIs) {
  EXPECT_EQ(csv_field("包头市总工会"), "包头市总工会");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("2022-12-01"), "2022-12-01");
}

TEST(CsvField, QuotesCommasQuotesAndLineBreaksAsRfc4180Says) {
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("他说\"好\""), "\"他说\"\"好\"\"\"");
  EXPECT_EQ(csv_field("第一行\n第二行"), "\"第一行\n第二行\"");
  EXPECT_EQ(csv_field("a\r\nb"), "\"a\r\nb\"");
}

TEST(CsvField, ATextThatAFormulaCouldStartWithGetsALeadingApostrophe) {
  EXPECT_EQ(csv_field("=1+1"), "'=1+1");
  EXPECT_EQ(csv_field("+86 123"), "'+86 123");
  EXPECT_EQ(csv_field("-2"), "'-2");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  // Guarded and quoted together: the apostrophe goes inside the quotes.
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  // Only the first character counts.
  EXPECT_EQ(csv_field("a=b"), "a=b");
}

TEST(DisplayWidth, ChineseCountsTwiceAsLatin) {
  EXPECT_EQ(display_width("abc"), 3);
  EXPECT_EQ(display_width("宣讲"), 4);
  EXPECT_EQ(display_width("P1 最高"), 7);
}

TEST(CsvWriter, WritesABomTheTitleTheNotesTheHeaderAndNumbersAsNumbers) {
  const auto path = std::filesystem::temp_directory_path() / "xj-export-unit-test.csv";
  {
    auto w = make_writer(Format::kCsv, path);
    ASSERT_TRUE(w->begin({"表",
                          "宣讲场次台账",
                          {"筛选条件：无（全部）"},
                          {{"日期", ColumnType::kDate},
                           {"标题", ColumnType::kText},
                           {"人数", ColumnType::kInteger},
                           {"时间", ColumnType::kInstant}}}));
    ASSERT_TRUE(w->row({Date::from_ymd(2022, 12, 1), std::string("=危险"), std::int64_t{-3},
                        Instant{1669852800}}));  // 2022-12-01T00:00Z: 08:00 in Beijing
    ASSERT_TRUE(w->finish());
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(path);
  EXPECT_EQ(text.str(),
            "\xEF\xBB\xBF宣讲场次台账\r\n筛选条件：无（全部）\r\n\r\n日期,标题,人数,时间\r\n"
            "2022-12-01,'=危险,-3,2022-12-01 08:00\r\n");
}

TEST(ParseFormat, KnowsXlsxAndCsvOnly) {
  EXPECT_EQ(parse_format("xlsx"), Format::kXlsx);
  EXPECT_EQ(parse_format("csv"), Format::kCsv);
  EXPECT_FALSE(parse_format("xls"));
  EXPECT_FALSE(parse_format(""));
}

TEST(ContentDisposition, CarriesTheChineseNameInRfc5987AndAnAsciiFallback) {
  EXPECT_EQ(http::content_disposition("sessions_20261203.xlsx", "宣讲_20261203.xlsx"),
            "attachment; filename=\"sessions_20261203.xlsx\"; "
            "filename*=UTF-8''%E5%AE%A3%E8%AE%B2_20261203.xlsx");
  EXPECT_EQ(http::content_disposition("a\"b\r.csv", "a b.csv"),
            "attachment; filename=\"a_b_.csv\"; filename*=UTF-8''a%20b.csv");
}

}  // namespace
}  // namespace xj::exports
