// The picture checker (domain/image.hpp). Pictures are written here with zlib's CRC and deflate,
// so that the test does not trust the checker's own CRC; the real files in the fuzz corpus were
// encoded by Chromium (tests/fuzz/corpus/image).
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "domain/image.hpp"

namespace xj::domain {
namespace {

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string be16(std::uint32_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }

std::string chunk(const std::string& type, const std::string& data) {
  const std::string body = type + data;
  const auto crc =
      crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  return be32(static_cast<std::uint32_t>(data.size())) + body +
         be32(static_cast<std::uint32_t>(crc));
}

std::string deflated(const std::string& raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(size, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
           static_cast<uLong>(raw.size()));
  out.resize(size);
  return out;
}

const std::string kSignature("\x89PNG\r\n\x1a\n", 8);

std::string ihdr(std::uint32_t width, std::uint32_t height, int depth = 8, int colour = 0,
                 int interlace = 0) {
  return chunk("IHDR", be32(width) + be32(height) + static_cast<char>(depth) +
                           static_cast<char>(colour) + '\0' + '\0' + static_cast<char>(interlace));
}

// A grey 8-bit PNG of width × height, every row filtered with "none".
std::string png(std::uint32_t width = 4, std::uint32_t height = 3) {
  std::string rows;
  for (std::uint32_t y = 0; y < height; ++y) rows += '\0' + std::string(width, '\x40');
  return kSignature + ihdr(width, height) + chunk("IDAT", deflated(rows)) + chunk("IEND", "");
}

std::string segment(unsigned marker, const std::string& body) {
  return std::string{'\xff', static_cast<char>(marker)} +
         be16(static_cast<std::uint32_t>(body.size() + 2)) + body;
}

std::string sof(unsigned marker, std::uint32_t width, std::uint32_t height, int precision = 8) {
  return segment(marker, static_cast<char>(precision) + be16(height) + be16(width) +
                             std::string("\x01\x01\x11\x00", 4));
}

const std::string kSoi("\xff\xd8", 2);
const std::string kEoi("\xff\xd9", 2);
const std::string kSos = segment(0xDA, std::string("\x01\x01\x00\x00\x3f\x00", 6));

// A baseline JPEG of one grey block (Chromium shows it): JFIF, DQT, SOF0, DHT for DC and AC,
// SOS, one byte of entropy-coded data, EOI.
std::string jpeg(std::uint32_t width = 3, std::uint32_t height = 2,
                 const std::string& scan = "\x3f") {
  const std::string one_code = std::string("\x01", 1) + std::string(15, '\0') + '\0';
  return kSoi + segment(0xE0, std::string("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14)) +
         segment(0xDB, '\0' + std::string(64, '\x01')) + sof(0xC0, width, height) +
         segment(0xC4, '\0' + one_code) + segment(0xC4, '\x10' + one_code) + kSos + scan + kEoi;
}

std::string corpus(const std::string& name) {
  std::ifstream f(std::string(XJ_SOURCE_DIR) + "/tests/fuzz/corpus/image/" + name,
                  std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The refusal's English message, which must say `why`; every refusal is on field "photo", in
// both languages.
::testing::AssertionResult refused_because(const std::string& bytes, const std::string& why) {
  const auto r = inspect_image(bytes);
  if (r) return ::testing::AssertionFailure() << "accepted";
  const Error& e = r.error();
  if (e.code != ErrorCode::kInvalid || e.field != "photo" || e.details.size() != 1 ||
      e.details[0].field != "photo" || e.details[0].message.zh.empty()) {
    return ::testing::AssertionFailure() << "not an invalid-photo error: " << e.message.en;
  }
  const std::string& en = e.details[0].message.en;
  if (en.find(why) == std::string::npos) {
    return ::testing::AssertionFailure() << "the message \"" << en << "\" does not say " << why;
  }
  return ::testing::AssertionSuccess();
}

TEST(Image, WholePicturesAreTakenWithTheirTypeAndSize) {
  const auto p = inspect_image(png(7, 5));
  ASSERT_TRUE(p) << p.error().details[0].message.en;
  EXPECT_EQ(p->type, ImageType::kPng);
  EXPECT_EQ(content_type_of(p->type), "image/png");
  EXPECT_EQ(p->width, 7u);
  EXPECT_EQ(p->height, 5u);
  const auto j = inspect_image(jpeg(640, 480));
  ASSERT_TRUE(j) << j.error().details[0].message.en;
  EXPECT_EQ(j->type, ImageType::kJpeg);
  EXPECT_EQ(content_type_of(j->type), "image/jpeg");
  EXPECT_EQ(j->width, 640u);
  EXPECT_EQ(j->height, 480u);
}

TEST(Image, FilesEncodedByABrowserAreTaken) {
  for (const char* name : {"chromium.png", "chromium.jpg", "palette.png", "grey.jpg"}) {
    const std::string bytes = corpus(name);
    ASSERT_FALSE(bytes.empty()) << name;
    const auto r = inspect_image(bytes);
    ASSERT_TRUE(r) << name << ": " << r.error().details[0].message.en;
    if (std::string(name).starts_with("chromium")) {
      EXPECT_EQ(r->width, 40u) << name;
      EXPECT_EQ(r->height, 30u) << name;
    }
  }
}

TEST(Image, APolyglotWithHtmlBetweenSignatureAndEndIsRefused) {
  // Issue 13, finding 8: the PNG signature, IHDR, a page, IEND: the old check took it.
  const std::string html = "<html><script>alert(document.cookie)</script></html>";
  EXPECT_TRUE(refused_because(png().substr(0, 33) + html + chunk("IEND", ""), "no PNG chunk"));
  EXPECT_TRUE(refused_because(kSignature + html + chunk("IEND", ""), "no PNG chunk"));
  EXPECT_TRUE(refused_because(png() + html, "after its end"));
  EXPECT_TRUE(refused_because(kSoi + html + kEoi, "no marker"));
  EXPECT_TRUE(refused_because(html, "only a whole JPEG or PNG"));
  // The same page in an ancillary chunk with a right CRC is a PNG (and served inert, see the
  // API test); the parser cannot and need not know what text means.
  const std::string p = png();
  EXPECT_TRUE(inspect_image(p.substr(0, 33) +
                            chunk("tEXt", "Comment" + std::string(1, '\0') + html) + p.substr(33)));
}

TEST(Image, MoreThanFiftyMegapixelsIsRefusedFromTheHeaderAlone) {
  const std::string rest = png().substr(33);  // IDAT and IEND of a small picture
  EXPECT_TRUE(refused_because(kSignature + ihdr(100000, 100000) + rest,
                              "at most 50 megapixels (this one is 100000×100000)"));
  EXPECT_TRUE(refused_because(kSignature + ihdr(10000, 5001) + rest, "at most 50 megapixels"));
  EXPECT_TRUE(inspect_image(kSignature + ihdr(10000, 5000) + rest));  // exactly 50 000 000
  EXPECT_TRUE(refused_because(jpeg(65535, 65535), "at most 50 megapixels"));
  EXPECT_TRUE(refused_because(jpeg(8001, 6250), "at most 50 megapixels"));
  EXPECT_TRUE(inspect_image(jpeg(8000, 6250)));
  // Sizes a 32-bit product would wrap around.
  EXPECT_TRUE(refused_because(kSignature + ihdr(65536, 65536) + rest, "at most 50 megapixels"));
  EXPECT_TRUE(refused_because(kSignature + ihdr(0x7fffffff, 0x7fffffff) + rest, "megapixels"));
}

TEST(Image, EveryBrokenCrcIsRefused) {
  const std::string p = png();
  // IHDR's, IDAT's and IEND's CRC, and a bit inside each chunk's data.
  for (const std::size_t at :
       {std::size_t{29}, p.size() - 16, p.size() - 1, std::size_t{20}, std::size_t{42}}) {
    for (const int bit : {0, 7}) {
      std::string broken = p;
      broken[at] = static_cast<char>(broken[at] ^ (1 << bit));
      EXPECT_TRUE(refused_because(broken, "CRC")) << "byte " << at;
    }
  }
}

TEST(Image, EveryTruncationIsRefused) {
  for (const std::string& whole : {png(), jpeg(), corpus("chromium.png"), corpus("chromium.jpg")}) {
    ASSERT_TRUE(inspect_image(whole));
    for (std::size_t n = 0; n < whole.size(); ++n) {
      EXPECT_FALSE(inspect_image(whole.substr(0, n))) << "the first " << n << " bytes";
    }
  }
  EXPECT_TRUE(refused_because(png().substr(0, 40), "cut off"));
  EXPECT_TRUE(refused_because(jpeg().substr(0, jpeg().size() - 2), "no end marker (EOI)"));
}

TEST(Image, AFourByteJpegIsRefused) {
  EXPECT_TRUE(refused_because(kSoi + kEoi, "no frame header"));
  EXPECT_TRUE(refused_because(kSoi, "no end marker"));
  EXPECT_TRUE(refused_because(kSoi + sof(0xC0, 3, 2) + kEoi, "no image data (SOS)"));
}

TEST(Image, AJpegMayEndInZeroPaddingButNothingElse) {
  EXPECT_TRUE(inspect_image(jpeg() + std::string(64, '\0')));
  EXPECT_TRUE(refused_because(jpeg() + std::string(65, '\0'), "after its end marker"));
  EXPECT_TRUE(refused_because(jpeg() + "<html>", "after its end marker"));
}

TEST(Image, AJpegsSegmentsAreWalkedToTheEnd) {
  // Stuffed bytes, restart markers and fill bytes inside the scan; a second scan after a DHT
  // (progressive JPEGs have several).
  EXPECT_TRUE(inspect_image(jpeg(3, 2,
                                 std::string("\x3f\xff\x00\xff\xd0\x12\xff\xff", 8) +
                                     segment(0xC4, std::string(18, '\0')) + kSos + "\x3f")));
  // A segment whose length runs past the end, in the header and after the scan.
  EXPECT_TRUE(
      refused_because(kSoi + std::string("\xff\xe1\x40\x00", 4) + "Exif" + kEoi, "cut off"));
  EXPECT_TRUE(refused_because(jpeg(3, 2, std::string("\x3f\xff\xc4\x7f\x00", 5)), "cut off"));
  EXPECT_TRUE(refused_because(kSoi + kSos + "\x3f" + kEoi, "before its frame header"));
  EXPECT_TRUE(
      refused_because(jpeg(3, 2, "\x3f" + sof(0xC2, 3, 2) + kSos + "\x3f"), "more than one frame"));
  EXPECT_TRUE(refused_because(jpeg(0, 2), "frame header (SOF) is invalid"));
  EXPECT_TRUE(refused_because(jpeg(3, 0), "frame header (SOF) is invalid"));
  EXPECT_TRUE(
      refused_because(kSoi + segment(0xC0, std::string("\x08\x00\x02\x00\x03", 5)) + kSos + kEoi,
                      "frame header (SOF) is invalid"));
  EXPECT_TRUE(refused_because(kSoi + std::string("\xff\xd8", 2) + jpeg().substr(2), "unexpected"));
  // Progressive (SOF2), 12-bit and lossless frames are JPEGs too.
  EXPECT_TRUE(inspect_image(kSoi + sof(0xC2, 5, 5) + kSos + "\x01" + kEoi));
  EXPECT_TRUE(inspect_image(kSoi + sof(0xC1, 5, 5, 12) + kSos + "\x01" + kEoi));
  EXPECT_TRUE(inspect_image(kSoi + sof(0xC3, 5, 5, 16) + kSos + "\x01" + kEoi));
  EXPECT_TRUE(refused_because(kSoi + sof(0xC0, 5, 5, 16) + kSos + "\x01" + kEoi, "SOF"));
}

TEST(Image, APngsChunksMustBeInTheirPlaces) {
  const std::string p = png();
  const std::string idat_iend = p.substr(33);
  const std::string iend = chunk("IEND", "");
  const std::string idat = idat_iend.substr(0, idat_iend.size() - iend.size());
  EXPECT_TRUE(refused_because(kSignature + idat_iend, "does not start with its IHDR"));
  EXPECT_TRUE(
      refused_because(kSignature + ihdr(4, 3) + ihdr(4, 3) + idat_iend, "IHDR is misplaced"));
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3) + iend, "no image data (IDAT)"));
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3) + idat, "cut off"));  // no IEND
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3) + idat + chunk("tEXt", "a") + idat + iend,
                              "IDAT is misplaced"));
  EXPECT_TRUE(
      refused_because(kSignature + ihdr(4, 3) + idat + chunk("IEND", "x"), "IEND is misplaced"));
  EXPECT_TRUE(
      refused_because(kSignature + ihdr(4, 3) + chunk("QUUX", "") + idat_iend, "unknown critical"));
  EXPECT_TRUE(
      refused_because(kSignature + ihdr(4, 3) + chunk("quux", "") + idat_iend, "unknown critical"));
  EXPECT_TRUE(inspect_image(kSignature + ihdr(4, 3) + chunk("quUx", "") + idat_iend));
  // Palettes: needed by indexed colour, forbidden for grey, at most 256 entries.
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3, 8, 3) + idat_iend, "no palette"));
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3) + chunk("PLTE", "abc") + idat_iend,
                              "PLTE is misplaced"));
  EXPECT_TRUE(refused_because(
      kSignature + ihdr(4, 3, 8, 3) + chunk("PLTE", std::string(3 * 257, 'a')) + idat_iend,
      "PLTE is misplaced"));
  EXPECT_TRUE(inspect_image(kSignature + ihdr(4, 3, 8, 3) + chunk("PLTE", "abc") + idat_iend));
  // A declared length beyond the file, and beyond 2^31 - 1.
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3) + be32(1000) + "IDAT", "cut off"));
  EXPECT_TRUE(
      refused_because(kSignature + ihdr(4, 3) + be32(0xffffffffu) + "IDAT" + idat_iend, "cut off"));
}

TEST(Image, AnIhdrOutsideTheSpecificationIsRefused) {
  const std::string rest = png().substr(33);
  const std::vector<std::pair<int, int>> bad = {{3, 0}, {16, 3}, {4, 2}, {1, 6},
                                                {8, 5}, {8, 1},  {0, 0}, {32, 0}};
  for (const auto& [depth, colour] : bad) {
    EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3, depth, colour) + rest, "IHDR"))
        << depth << " bits, colour type " << colour;
  }
  EXPECT_TRUE(refused_because(kSignature + ihdr(0, 3) + rest, "IHDR"));
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 0) + rest, "IHDR"));
  EXPECT_TRUE(refused_because(kSignature + ihdr(4, 3, 8, 0, 2) + rest, "IHDR"));
  EXPECT_TRUE(inspect_image(kSignature + ihdr(4, 3, 8, 0, 1) + rest));  // Adam7 is allowed
  EXPECT_TRUE(refused_because(kSignature + chunk("IHDR", std::string(12, '\x01')) + rest,
                              "IHDR is misplaced or has a wrong length"));
}

TEST(Image, RefusalsAreInChineseFirstAndEnglish) {
  const auto r = inspect_image(kSignature + ihdr(100000, 100000) + png().substr(33));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details[0].message.zh, "照片不能超过 5000 万像素（这张为 100000×100000）");
  const auto t = inspect_image(kSoi + kEoi);
  ASSERT_FALSE(t);
  EXPECT_TRUE(t.error().details[0].message.zh.starts_with("只能上传完整的 JPEG 或 PNG 照片："));
}

}  // namespace
}  // namespace xj::domain
