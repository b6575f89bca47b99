// The text of a PDF (a report, a newspaper page), through poppler. Kept apart from the extractor
// so that only what reads uploaded files links poppler.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xj::extract {

struct PdfLimits {
  std::size_t max_pages = 200;
  std::size_t max_text_bytes = std::size_t{4} << 20;
};

// True when the bytes start as a PDF does ("%PDF-").
bool looks_like_pdf(std::string_view bytes);

// The text of every page in reading order, pages separated by a blank line. Refuses (bad_request,
// field "file", both languages) a damaged PDF, an encrypted one that needs a password, one with
// more pages or text than the limits, and one with no text at all (a scan).
Result<std::string> pdf_text(std::string_view bytes, const PdfLimits& limits = {});

}  // namespace xj::extract
