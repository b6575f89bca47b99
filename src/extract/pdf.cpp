// poppler-cpp reads from memory; its complaints about damaged files go nowhere (we answer with
// our own message instead of poppler's on stderr).
#include "extract/pdf.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <climits>
#include <memory>
#include <mutex>

namespace xj::extract {

namespace {

Error refuse(std::string zh, std::string en) {
  return Error::bad_request({std::move(zh), std::move(en)}, "file");
}

void quiet(const std::string& /*message*/, void* /*closure*/) {}

}  // namespace

bool looks_like_pdf(std::string_view bytes) { return bytes.starts_with("%PDF-"); }

Result<std::string> pdf_text(std::string_view bytes, const PdfLimits& limits) {
  static std::once_flag silenced;
  std::call_once(silenced, [] { poppler::set_debug_error_function(quiet, nullptr); });
  if (!looks_like_pdf(bytes) || bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return refuse("文件不是有效的 PDF", "the file is not a valid PDF");
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return refuse("PDF 文件已损坏，无法读取", "the PDF is damaged and cannot be read");
  if (doc->is_locked()) {
    return refuse("PDF 文件已加密，请先去掉密码再上传",
                  "the PDF is encrypted: remove its password and upload it again");
  }
  const int pages = doc->pages();
  if (pages <= 0) return refuse("PDF 文件没有页面", "the PDF has no pages");
  if (static_cast<std::size_t>(pages) > limits.max_pages) {
    return refuse("PDF 超过 " + std::to_string(limits.max_pages) + " 页，请拆分后上传",
                  "the PDF has more than " + std::to_string(limits.max_pages) +
                      " pages: split it and upload the parts");
  }
  std::string out;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    const poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
    if (!out.empty()) out += "\n\n";
    out.append(utf8.begin(), utf8.end());
    if (out.size() > limits.max_text_bytes) {
      return refuse("PDF 中的文字太多（超过 4 MB）", "the PDF holds too much text (over 4 MB)");
    }
  }
  bool any = false;
  for (const char c : out) any = any || (c != ' ' && c != '\n' && c != '\r' && c != '\f');
  if (!any) {
    return refuse("PDF 中没有可读取的文字（可能是扫描件）",
                  "the PDF holds no text that can be read (a scanned page?)");
  }
  return out;
}

}  // namespace xj::extract
