// Fuzz target: the picture checker (src/domain/image.hpp), the parser of every uploaded photo and
// portrait. Beyond "never crashes, never reads outside the input", it checks what the service
// relies on: an accepted picture has a size of 1..50 megapixels and the container it claims
// (PNG: signature first, IEND last; JPEG: SOI first), a whole PNG less its last byte is refused,
// and every refusal is an invalid "photo" field with a message in both languages.
//
// Random bytes seldom get past a PNG's CRCs, so each PNG-looking input is also tried with every
// chunk's CRC recomputed: the mutations then reach IHDR, the chunk order and the end.
//
// libFuzzer without configuring the whole project with clang, the first command on one line:
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc
//     tests/fuzz/image_fuzz.cpp src/domain/image.cpp src/core/result.cpp -o /tmp/fuzz_image
//   /tmp/fuzz_image -max_len=4096 NEW_CORPUS_DIR tests/fuzz/corpus/image
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/image.hpp"

namespace {

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "image fuzz: %s (input of %zu bytes)\n", what, input.size());
  std::abort();
}

const std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

// CRC-32 bit by bit: slow and plain, and not the checker's table.
std::uint32_t crc32_bitwise(std::string_view data) {
  std::uint32_t c = 0xffffffffu;
  for (const char ch : data) {
    c ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::uint32_t be32(std::string_view b, std::size_t i) {
  return (std::uint32_t{static_cast<unsigned char>(b[i])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(b[i + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(b[i + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(b[i + 3])};
}

// The input with the CRC of every whole chunk rewritten to match.
std::string with_crcs_repaired(std::string b) {
  std::size_t at = kPngSignature.size();
  while (b.size() - at >= 12) {
    const std::uint32_t length = be32(b, at);
    if (b.size() - at - 12 < length) break;
    const std::uint32_t crc = crc32_bitwise(std::string_view(b).substr(at + 4, 4 + length));
    for (int k = 0; k < 4; ++k) {
      b[at + 8 + length + static_cast<std::size_t>(k)] = static_cast<char>(crc >> (24 - 8 * k));
    }
    at += 12 + std::size_t{length};
  }
  return b;
}

void check(std::string_view bytes) {
  namespace xd = xj::domain;
  const auto r = xd::inspect_image(bytes);
  if (!r) {
    const xj::Error& e = r.error();
    if (e.code != xj::ErrorCode::kInvalid || e.field != "photo" || e.details.size() != 1 ||
        e.details[0].message.zh.empty() || e.details[0].message.en.empty()) {
      fail("a refusal that is not one invalid \"photo\" field in both languages", bytes);
    }
    return;
  }
  const std::uint64_t pixels = std::uint64_t{r->width} * r->height;
  if (pixels == 0 || pixels > xd::kMaxImagePixels) fail("an accepted size out of bounds", bytes);
  if (r->type == xd::ImageType::kPng) {
    if (!bytes.starts_with(kPngSignature) ||
        !bytes.ends_with(std::string_view("IEND\xae\x42\x60\x82", 8))) {
      fail("an accepted PNG without its signature or IEND", bytes);
    }
    if (xd::inspect_image(bytes.substr(0, bytes.size() - 1))) fail("a cut PNG accepted", bytes);
  } else if (bytes.size() < 4 || static_cast<unsigned char>(bytes[0]) != 0xFF ||
             static_cast<unsigned char>(bytes[1]) != 0xD8) {
    fail("an accepted JPEG without its SOI", bytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(bytes);
  if (bytes.starts_with(kPngSignature)) check(with_crcs_repaired(std::string(bytes)));
  return 0;
}
