#include "domain/image.hpp"

#include <array>
#include <cstddef>
#include <string>

namespace xj::domain {

namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::size_t kJpegPadding = 64;  // zero bytes tolerated after a JPEG's EOI

unsigned byte_at(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }

std::uint32_t be16(std::string_view b, std::size_t i) {
  return (byte_at(b, i) << 8) | byte_at(b, i + 1);
}

std::uint32_t be32(std::string_view b, std::size_t i) {
  return (std::uint32_t{byte_at(b, i)} << 24) | (std::uint32_t{byte_at(b, i + 1)} << 16) |
         (std::uint32_t{byte_at(b, i + 2)} << 8) | std::uint32_t{byte_at(b, i + 3)};
}

// CRC-32 (ISO 3309, as PNG uses it), table-driven. Written here rather than taken from zlib:
// the domain depends on the standard library alone.
constexpr std::array<std::uint32_t, 256> kCrcTable = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}();

std::uint32_t crc32(std::string_view data) {
  std::uint32_t c = 0xffffffffu;
  for (const char ch : data) c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xffu] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

// "只能上传完整的 JPEG 或 PNG 照片：<why>": the general refusal, then what this file lacks.
Error not_a_whole_picture(const std::string& zh, const std::string& en) {
  return Error::invalid({{"photo",
                          {"只能上传完整的 JPEG 或 PNG 照片：" + zh,
                           "only a whole JPEG or PNG picture can be uploaded: " + en}}});
}

Error truncated(std::string_view kind, std::size_t at) {
  const std::string k(kind);
  return not_a_whole_picture(k + " 在第 " + std::to_string(at) + " 字节处被截断",
                             "the " + k + " is cut off at byte " + std::to_string(at));
}

Result<ImageInfo> checked_size(ImageInfo info) {
  const auto pixels = std::uint64_t{info.width} * info.height;
  if (pixels > kMaxImagePixels) {
    const std::string size = std::to_string(info.width) + "×" + std::to_string(info.height);
    return Error::invalid(
        {{"photo",
          {"照片不能超过 5000 万像素（这张为 " + size + "）",
           "a photo may have at most 50 megapixels (this one is " + size + ")"}}});
  }
  return info;
}

bool is_ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// The bit depths PNG allows for each colour type (PNG spec, table 11.1).
bool png_depth_allowed(unsigned colour_type, unsigned depth) {
  switch (colour_type) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

Result<ImageInfo> inspect_png(std::string_view b) {
  constexpr std::uint32_t kMaxLength = 0x7fffffffu;  // PNG: lengths and sizes fit in 31 bits
  ImageInfo info{ImageType::kPng, 0, 0};
  unsigned colour_type = 0;
  bool seen_plte = false;
  enum class Idat { kNone, kInRun, kAfterRun } idat = Idat::kNone;
  std::size_t at = kPngSignature.size();
  for (bool first = true;; first = false) {
    if (b.size() - at < 12) return truncated("PNG", b.size());
    const std::uint32_t length = be32(b, at);
    const std::string_view type = b.substr(at + 4, 4);
    const std::string name(type);
    for (const char c : type) {
      if (!is_ascii_letter(c)) {
        return not_a_whole_picture("第 " + std::to_string(at) + " 字节处不是 PNG 数据块",
                                   "there is no PNG chunk at byte " + std::to_string(at));
      }
    }
    if (length > kMaxLength || b.size() - at - 12 < length) return truncated("PNG", b.size());
    const std::string_view data = b.substr(at + 8, length);
    if (crc32(b.substr(at + 4, 4 + std::size_t{length})) != be32(b, at + 8 + length)) {
      return not_a_whole_picture("PNG 数据块 " + name + " 的校验码（CRC）不符",
                                 "the CRC of PNG chunk " + name + " does not match");
    }
    at += 12 + std::size_t{length};
    const auto misplaced = [&] {
      return not_a_whole_picture("PNG 数据块 " + name + " 的位置或长度不对",
                                 "PNG chunk " + name + " is misplaced or has a wrong length");
    };
    if (first != (type == "IHDR")) {
      if (first) {
        return not_a_whole_picture("PNG 的第一个数据块不是 IHDR",
                                   "the PNG does not start with its IHDR chunk");
      }
      return misplaced();
    }
    if (idat == Idat::kInRun && type != "IDAT") idat = Idat::kAfterRun;
    if (type == "IHDR") {
      if (length != 13) return misplaced();
      info.width = be32(data, 0);
      info.height = be32(data, 4);
      const unsigned depth = byte_at(data, 8);
      colour_type = byte_at(data, 9);
      if (info.width == 0 || info.height == 0 || info.width > kMaxLength ||
          info.height > kMaxLength || !png_depth_allowed(colour_type, depth) ||
          byte_at(data, 10) != 0 || byte_at(data, 11) != 0 || byte_at(data, 12) > 1) {
        return not_a_whole_picture(
            "PNG 的文件头（IHDR）无效：宽度、高度、位深或颜色类型不对",
            "the PNG's header (IHDR) is invalid: width, height, bit depth or colour type");
      }
      // Refused here, before the rest is read: the size alone decides.
      if (auto sized = checked_size(info); !sized) return sized;
    } else if (type == "PLTE") {
      if (seen_plte || idat != Idat::kNone || colour_type == 0 || colour_type == 4 || length == 0 ||
          length % 3 != 0 || length > 3 * 256) {
        return misplaced();
      }
      seen_plte = true;
    } else if (type == "IDAT") {
      if (idat == Idat::kAfterRun) return misplaced();
      if (colour_type == 3 && !seen_plte) {
        return not_a_whole_picture("调色板 PNG 缺少调色板（PLTE）",
                                   "an indexed-colour PNG has no palette (PLTE)");
      }
      idat = Idat::kInRun;
    } else if (type == "IEND") {
      if (length != 0) return misplaced();
      if (idat == Idat::kNone) {
        return not_a_whole_picture("PNG 没有图像数据（IDAT）", "the PNG has no image data (IDAT)");
      }
      if (at != b.size()) {
        return not_a_whole_picture("PNG 的结束块（IEND）之后还有数据",
                                   "the PNG has data after its end (IEND)");
      }
      return info;
    } else if (is_upper(type[0]) || !is_upper(type[2])) {
      // A critical chunk no decoder knows, or the reserved bit set: no viewer could show it.
      return not_a_whole_picture("PNG 含有无法识别的关键或保留数据块 " + name,
                                 "the PNG has an unknown critical or reserved chunk: " + name);
    }
  }
}

std::string hex_byte(unsigned b) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  return {'0', 'x', kHex[(b >> 4) & 15], kHex[b & 15]};
}

bool is_sof(unsigned marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

bool is_rst(unsigned marker) { return marker >= 0xD0 && marker <= 0xD7; }

Result<ImageInfo> inspect_jpeg(std::string_view b) {
  ImageInfo info{ImageType::kJpeg, 0, 0};
  bool seen_sof = false;
  bool in_scan = false;  // after the first SOS: entropy-coded data between segments
  std::size_t at = 2;
  while (true) {
    if (in_scan) {
      // Entropy-coded data: an 0xFF in it is followed by 0x00 (a stuffed byte) or by a restart
      // marker; any other 0xFF starts the next marker (after fill bytes).
      const auto data_continues = [&](std::size_t i) {
        return i + 1 < b.size() && (byte_at(b, i + 1) == 0x00 || is_rst(byte_at(b, i + 1)));
      };
      while (at < b.size() && (byte_at(b, at) != 0xFF || data_continues(at))) {
        at += byte_at(b, at) == 0xFF ? 2 : 1;
      }
    }
    if (at >= b.size()) {
      return not_a_whole_picture("JPEG 没有结束标记（EOI）", "the JPEG has no end marker (EOI)");
    }
    if (byte_at(b, at) != 0xFF) {
      return not_a_whole_picture(
          "JPEG 第 " + std::to_string(at) + " 字节处应为标记",
          "the JPEG has no marker where one is due at byte " + std::to_string(at));
    }
    while (at < b.size() && byte_at(b, at) == 0xFF) ++at;  // fill bytes
    if (at >= b.size()) return truncated("JPEG", b.size());
    const unsigned marker = byte_at(b, at);
    const std::size_t marker_at = at - 1;
    ++at;
    if (marker == 0xD9) {  // EOI
      if (!seen_sof) {
        return not_a_whole_picture("JPEG 缺少帧头（SOF），没有宽度和高度",
                                   "the JPEG has no frame header (SOF) giving its size");
      }
      if (!in_scan) {
        return not_a_whole_picture("JPEG 没有图像数据（SOS）", "the JPEG has no image data (SOS)");
      }
      for (std::size_t i = at; i < b.size(); ++i) {
        if (b[i] != '\0' || i - at >= kJpegPadding) {
          return not_a_whole_picture("JPEG 的结束标记（EOI）之后还有数据",
                                     "the JPEG has data after its end marker (EOI)");
        }
      }
      return info;
    }
    if (marker == 0x01) continue;  // TEM: no length
    if (marker == 0x00 || marker == 0xD8 || is_rst(marker)) {
      return not_a_whole_picture(
          "JPEG 第 " + std::to_string(marker_at) + " 字节处的标记 " + hex_byte(marker) +
              " 不该出现",
          "unexpected JPEG marker " + hex_byte(marker) + " at byte " + std::to_string(marker_at));
    }
    if (b.size() - at < 2) return truncated("JPEG", b.size());
    const std::uint32_t length = be16(b, at);
    if (length < 2 || b.size() - at < length) return truncated("JPEG", b.size());
    const std::string_view segment = b.substr(at + 2, length - 2);
    at += length;
    if (is_sof(marker)) {
      if (seen_sof) {
        return not_a_whole_picture("JPEG 有不止一个帧头（SOF）",
                                   "the JPEG has more than one frame header (SOF)");
      }
      const bool lossless = marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF;
      const unsigned components = segment.size() >= 6 ? byte_at(segment, 5) : 0;
      const unsigned precision = segment.empty() ? 0 : byte_at(segment, 0);
      if (segment.size() < 6 || components < 1 || components > 4 ||
          segment.size() != 6 + 3 * std::size_t{components} ||
          (lossless ? precision < 2 || precision > 16 : precision != 8 && precision != 12) ||
          be16(segment, 1) == 0 || be16(segment, 3) == 0) {
        return not_a_whole_picture("JPEG 的帧头（SOF）无效：精度、宽度、高度或分量数不对",
                                   "the JPEG's frame header (SOF) is invalid: precision, width, "
                                   "height or number of components");
      }
      info.height = be16(segment, 1);
      info.width = be16(segment, 3);
      seen_sof = true;
      if (auto sized = checked_size(info); !sized) return sized;
    } else if (marker == 0xDA) {  // SOS
      if (!seen_sof) {
        return not_a_whole_picture("JPEG 的图像数据（SOS）出现在帧头（SOF）之前",
                                   "the JPEG's image data (SOS) comes before its frame header");
      }
      const unsigned components = segment.empty() ? 0 : byte_at(segment, 0);
      if (components < 1 || components > 4 || segment.size() != 4 + 2 * std::size_t{components}) {
        return not_a_whole_picture("JPEG 的扫描头（SOS）无效",
                                   "the JPEG's scan header (SOS) is invalid");
      }
      in_scan = true;
    }
  }
}

}  // namespace

std::string_view content_type_of(ImageType type) {
  return type == ImageType::kPng ? "image/png" : "image/jpeg";
}

Result<ImageInfo> inspect_image(std::string_view bytes) {
  if (bytes.starts_with(kPngSignature)) return inspect_png(bytes);
  if (bytes.size() >= 2 && byte_at(bytes, 0) == 0xFF && byte_at(bytes, 1) == 0xD8) {
    return inspect_jpeg(bytes);
  }
  return Error::invalid({{"photo",
                          {"只能上传完整的 JPEG 或 PNG 照片",
                           "only a whole JPEG or PNG picture "
                           "can be uploaded"}}});
}

}  // namespace xj::domain
