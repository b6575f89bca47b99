#include "http/static_files.hpp"

#include <sys/stat.h>

#include <boost/url/pct_string_view.hpp>
#include <cctype>
#include <charconv>
#include <optional>
#include <system_error>

namespace xj::http {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls f(item) for each comma-separated, trimmed, non-empty item of a header value.
template <class F>
void for_each_item(std::string_view list, F&& f) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = trim(list.substr(0, comma));
    if (!item.empty()) f(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// The decoded segments of a request path, or nothing if any segment could reach outside the
// served tree or is not a plain name. Empty segments ("//", a trailing "/") are skipped.
std::optional<std::vector<std::string>> safe_segments(std::string_view encoded_path) {
  if (encoded_path.empty() || encoded_path.front() != '/') return std::nullopt;
  std::vector<std::string> out;
  while (!encoded_path.empty()) {
    encoded_path.remove_prefix(1);  // the '/'
    const auto slash = encoded_path.find('/');
    const auto raw = encoded_path.substr(0, slash);
    encoded_path =
        slash == std::string_view::npos ? std::string_view() : encoded_path.substr(slash);
    if (raw.empty()) continue;
    const auto pct = boost::urls::make_pct_string_view(raw);
    if (!pct) return std::nullopt;  // a malformed escape
    std::string segment = pct->decode();
    if (segment.front() == '.') return std::nullopt;  // ".", "..", dot files and folders
    for (const char c : segment) {
      if (c == '/' || c == '\\' || c == '\0') return std::nullopt;  // %2F, %5C, %00
    }
    out.push_back(std::move(segment));
  }
  return out;
}

// Whether the canonical `real` lies strictly inside the canonical `root`, and not in or at a dot
// entry there (a symlink inside root may point into root/.git).
bool inside(const fs::path& root, const fs::path& real) {
  const fs::path rel = real.lexically_relative(root);
  if (rel.empty() || rel.is_absolute()) return false;
  for (const auto& part : rel) {
    const auto& s = part.native();
    if (s.empty() || s.front() == '.') return false;  // "..", ".", dot names
  }
  return true;
}

std::string hex(std::uint64_t v) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 15]);
    v >>= 4;
  } while (v != 0);
  return out;
}

// An entry found under root: where it really is, and what stat says about it.
struct Entry {
  fs::path real;
  struct stat st {};
  bool is_directory() const { return S_ISDIR(st.st_mode); }
  bool is_file() const { return S_ISREG(st.st_mode); }
};

// Looks up root/segments... (segments already checked by safe_segments). Walks down with
// lstat, so the common case costs one system call per segment; only when it meets a symlink
// does it resolve the whole path, which must then still lie inside root.
std::optional<Entry> look_up(const fs::path& root, const std::vector<std::string>& segments) {
  Entry e;
  e.real = root;
  if (::stat(e.real.c_str(), &e.st) != 0) return std::nullopt;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!e.is_directory()) return std::nullopt;
    e.real /= segments[i];
    if (::lstat(e.real.c_str(), &e.st) != 0) return std::nullopt;
    if (S_ISLNK(e.st.st_mode)) {
      for (std::size_t j = i + 1; j < segments.size(); ++j) e.real /= segments[j];
      std::error_code ec;
      e.real = fs::canonical(e.real, ec);
      if (ec || !inside(root, e.real) || ::stat(e.real.c_str(), &e.st) != 0) return std::nullopt;
      return e;
    }
  }
  return e;
}

std::string etag_of(const Entry& e, std::string_view suffix) {
  const auto mtime_ns = static_cast<std::uint64_t>(e.st.st_mtim.tv_sec) * 1'000'000'000u +
                        static_cast<std::uint64_t>(e.st.st_mtim.tv_nsec);
  return "\"" + hex(static_cast<std::uint64_t>(e.st.st_size)) + "-" + hex(mtime_ns) +
         std::string(suffix) + "\"";
}

}  // namespace

std::string_view content_type_of(const fs::path& file) {
  const std::string ext = lower(file.extension().native());
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".gif") return "image/gif";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".pdf") return "application/pdf";
  if (ext == ".gz") return "application/gzip";
  return "application/octet-stream";
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  const auto opaque = [](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  bool match = false;
  for_each_item(if_none_match, [&](std::string_view item) {
    if (item == "*" || opaque(item) == opaque(etag)) match = true;
  });
  return match;
}

bool accepts_gzip(std::string_view accept_encoding) {
  // The q of an explicit "gzip" (or "x-gzip") decides; else that of "*"; else gzip is not taken.
  std::optional<double> gzip;
  std::optional<double> any;
  for_each_item(accept_encoding, [&](std::string_view item) {
    const auto semi = item.find(';');
    const std::string coding = lower(trim(item.substr(0, semi)));
    double q = 1;
    for (auto params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
         !params.empty();) {
      const auto next = params.find(';');
      const auto param = trim(params.substr(0, next));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        const auto value = param.substr(2);
        if (std::from_chars(value.data(), value.data() + value.size(), q).ec != std::errc()) q = 0;
      }
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
    }
    if (coding == "gzip" || coding == "x-gzip") gzip = q;
    if (coding == "*") any = q;
  });
  return gzip.value_or(any.value_or(0)) > 0;
}

StaticFile resolve_static(const fs::path& root, std::string_view encoded_path,
                          std::string_view if_none_match, std::string_view accept_encoding) {
  StaticFile answer;
  auto segments = safe_segments(encoded_path);
  if (!segments) return answer;

  // Only a file asked for by its own name under /assets/ is one of Vite's hashed files.
  bool immutable = !segments->empty() && segments->front() == "assets";
  auto entry = look_up(root, *segments);
  if (entry && entry->is_directory()) {
    immutable = false;
    segments->push_back("index.html");
    entry = look_up(root, *segments);
  }
  if (!entry) {
    // A path naming nothing, with no extension, is one of the front end's own routes.
    const bool has_extension =
        !segments->empty() && segments->back().find('.') != std::string::npos;
    if (has_extension) return answer;
    immutable = false;
    segments->assign({"index.html"});
    entry = look_up(root, *segments);
  }
  if (!entry || !entry->is_file()) return answer;

  const std::string_view type = content_type_of(entry->real);
  answer.headers.emplace_back("Content-Type", std::string(type));
  answer.headers.emplace_back("Cache-Control",
                              immutable ? "public, max-age=31536000, immutable" : "no-cache");
  answer.headers.emplace_back("Vary", "Accept-Encoding");
  answer.headers.emplace_back("Content-Security-Policy", std::string(kWebAppContentSecurityPolicy));

  std::optional<Entry> gz;
  if (accepts_gzip(accept_encoding) && !segments->back().ends_with(".gz")) {
    segments->back() += ".gz";
    gz = look_up(root, *segments);
    if (gz && !gz->is_file()) gz.reset();
  }
  const Entry& sent = gz ? *gz : *entry;
  const std::string etag = etag_of(sent, gz ? "-gz" : "");
  answer.headers.emplace_back("ETag", etag);
  if (!if_none_match.empty() && etag_matches(if_none_match, etag)) {
    answer.status = 304;
    return answer;
  }
  if (gz) answer.headers.emplace_back("Content-Encoding", "gzip");
  answer.status = 200;
  answer.file = sent.real;
  answer.size = static_cast<std::uint64_t>(sent.st.st_size);
  return answer;
}

}  // namespace xj::http
