// Which file answers a request for the front end, and with which headers. Pure decisions over the
// file system (no sockets, no Beast): the server sends what this picks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xj::http {

// The Content-Security-Policy of the web app, sent with every static file: scripts from our
// origin only (no inline script, no eval), inline styles (Element Plus positions its popups with
// them), pictures from us and as data: or blob: URLs (the QR card), requests to us alone; never
// framed, no <base> elsewhere, forms post to us, no plugins.
inline constexpr std::string_view kWebAppContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

struct StaticFile {
  unsigned status = 404;  // 200, 304 or 404
  // For 200: the file to send (the `.gz` sibling when that was chosen) and its size.
  std::filesystem::path file;
  std::uint64_t size = 0;
  // For 200 and 304: Content-Type, Cache-Control, ETag, Vary, Content-Security-Policy (the web
  // app's), and Content-Encoding when gzip.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Picks the answer to GET `encoded_path` (the request target's path, still percent-encoded, no
// query) from the folder `root`.
// REQUIRES: root is canonical (std::filesystem::canonical).
// Promises:
//  - never a file outside root: a segment that starts with "." (so "..", ".", ".env", ".git"),
//    an escape that decodes to "/", "\" or NUL, a malformed escape, or a path whose real location
//    (symlinks resolved) is outside root or inside a dot folder, answers 404;
//  - "/" and folders answer their index.html; a path naming no file whose last segment has no
//    extension answers root/index.html (the front end's router takes it from there); a missing
//    file with an extension answers 404;
//  - files under /assets/ (Vite's content-hashed names) are `public, max-age=31536000,
//    immutable`; everything else, index.html included, is `no-cache`;
//  - the ETag is strong, from the size and modification time of the file sent; an If-None-Match
//    that matches it (or is "*") answers 304;
//  - when the client accepts gzip and `<file>.gz` exists inside root, that sibling is sent with
//    Content-Encoding: gzip; every answer says Vary: Accept-Encoding.
StaticFile resolve_static(const std::filesystem::path& root, std::string_view encoded_path,
                          std::string_view if_none_match, std::string_view accept_encoding);

// The Content-Type of a file by its extension (case-insensitive); application/octet-stream for
// unknown ones.
std::string_view content_type_of(const std::filesystem::path& file);

// Whether an If-None-Match header value matches `etag` (weak comparison, RFC 9110 13.1.2).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// Whether an Accept-Encoding header value accepts gzip (by name or "*", with q > 0).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace xj::http
