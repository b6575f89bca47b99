// The structure of an uploaded picture, judged from its bytes alone: a whole PNG or a whole JPEG
// of at most 50 megapixels, or an error saying what is wrong with it. Pure: no I/O, no image
// library; pixels are never decoded, only the container is walked, so a file that merely starts
// and ends like a picture (a signature and an end marker around HTML) is refused.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace xj::domain {

// More pixels than this is refused: a decoder would need gigabytes for what a phone never takes.
constexpr std::uint64_t kMaxImagePixels = 50'000'000;

enum class ImageType { kPng, kJpeg };

// "image/png" or "image/jpeg".
std::string_view content_type_of(ImageType type);

struct ImageInfo {
  ImageType type = ImageType::kPng;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

// What the picture is and its size in pixels. Promises, for an accepted picture:
//  - PNG: the signature; then chunks, each with a length that fits in the file, a type of four
//    ASCII letters and a CRC-32 that matches; IHDR first (13 bytes, width and height 1..2^31-1,
//    a bit depth allowed for its colour type, compression 0, filter 0, interlace 0 or 1); a PLTE
//    where the colour type needs one (and none where it forbids one); one run of IDAT chunks;
//    no unknown critical chunk; IEND (empty) last, with nothing after it;
//  - JPEG: SOI; then marker segments, each with a length that fits, up to one frame header
//    (SOF0–SOF15 but DHT/JPG/DAC) with a precision, width and height of at least 1 and 1–4
//    components; a scan header (SOS) after it; the entropy-coded data and any later segments
//    walked to EOI, followed by at most 64 zero bytes (padding some cameras add) and nothing else;
//  - width × height ≤ kMaxImagePixels.
// Anything else is ErrorCode::kInvalid on field "photo", with a bilingual message that says what
// is wrong (and where), never echoing the file's contents.
Result<ImageInfo> inspect_image(std::string_view bytes);

}  // namespace xj::domain
