// The HTTP transport: the only place that knows Boost.Beast (server.cpp is its only translation
// unit). It parses HTTP/1.1, hands every request under /api/ to a Handler on a worker pool
// (handlers may block on the database), serves the built front end's static files, and writes
// the answers. A handler may also hand a request on (an AsyncHandler) and answer it later from
// another thread, so that slow work (Argon2) waits elsewhere without holding a worker. Nothing
// here knows the domain, and nothing in this header is Beast.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xj::http {

struct Request {
  std::string method;  // "GET", "POST", ... as sent (HTTP methods are case-sensitive: upper case)
  std::string target;  // the raw request target, e.g. "/api/v1/x?q=%E5%AE%A3"
  std::string path;    // percent-decoded path without the query ("+" stays "+"); never has NUL
  std::vector<std::pair<std::string, std::string>> query;    // decoded ("+" is a space), in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  // The peer's IP address ("127.0.0.1", "::1"; IPv4-mapped IPv6 shown as IPv4). With
  // ServerOptions::trust_proxy, the last address of X-Forwarded-For instead: the one our own
  // proxy appended, which the client cannot forge.
  std::string remote_address;
  // The client's X-Request-Id when it is 1–64 characters of [A-Za-z0-9._-], else 16 random hex
  // digits. Echoed in the X-Request-Id response header and in the access log.
  std::string request_id;

  // The first header of that name. REQUIRES: lower_name is lower case.
  std::optional<std::string_view> header(std::string_view lower_name) const;
  // The first query parameter of that (decoded) name.
  std::optional<std::string_view> query_param(std::string_view name) const;
};

struct Response {
  unsigned status = 200;  // 200–599; anything else is answered as 500 and logged
  // Any headers, in order; Set-Cookie may repeat. Content-Length, Transfer-Encoding and
  // Connection are the server's own and ignored here; a header whose name is not an HTTP token
  // or whose value holds CR, LF or NUL is dropped (and logged). Without Content-Type, a
  // non-empty body is sent as application/json; charset=utf-8.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is this file instead (a download built for the request, e.g. an export):
  // the server opens it, removes it from its directory at once, and streams it from the open
  // descriptor, so it never sits whole in memory and never outlives the answer.
  std::string temporary_file;
  // Hold the answer this long before sending it (slowing down password guessing), on a timer:
  // no thread waits meanwhile.
  std::chrono::milliseconds delay{0};
};

// Answers one request under /api/. Runs on a worker thread and may block. Exceptions become a
// 500 `{"error":{"code":"internal",...}}` carrying only the request id; what() is logged.
// Every answer gets Cache-Control: no-store unless the handler set a Cache-Control of its own,
// the headers every answer gets (see Server), and the Content-Security-Policy the handler set
// or else kApiContentSecurityPolicy.
using Handler = std::function<Response(const Request&)>;

// Sends the answer to one request, from any thread. The first call counts, later ones are
// ignored. If every copy is destroyed without a call, the request is answered 500 (and logged):
// a request handed on and then dropped is never left waiting.
using Reply = std::function<void(Response)>;

// Like Handler, but may answer after returning: it calls `reply` now or later, from any thread.
// It starts on a worker thread; whatever it hands on must not block that worker waiting for it.
// An exception before `reply` was called is answered as Handler's are.
using AsyncHandler = std::function<void(const Request&, Reply reply)>;

struct ServerOptions {
  std::string bind = "127.0.0.1";    // an IP address (v4 or v6), not a host name
  unsigned short port = 8080;        // 0 = any free port; see Server::port()
  std::size_t body_limit = 1 << 20;  // larger bodies: 413 JSON error, then the connection closes
  // When set: the body limit of a request, from its method and path (uploads), instead of
  // body_limit.
  std::function<std::size_t(std::string_view method, std::string_view path)> body_limit_for;
  unsigned io_threads = 1;      // threads running the network I/O (0 counts as 1)
  unsigned worker_threads = 4;  // threads running the Handler (0 counts as 1)
  // The longest a client may take to send a request, and (per chunk) to take an answer.
  std::chrono::seconds read_timeout{30};
  // How long stop() lets in-flight requests finish before run() returns anyway.
  std::chrono::seconds shutdown_grace{10};
  std::string static_root;  // the built front end (web/dist); empty = API only
  // Behind one reverse proxy (nginx): the client address comes from X-Forwarded-For.
  bool trust_proxy = false;
};

// The policy of every answer that is not the web app's (API answers, errors): data, never a
// page, so nothing may load, frame it, or be posted from it.
inline constexpr std::string_view kApiContentSecurityPolicy =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// What no page of ours uses: denied to every origin, including ours.
inline constexpr std::string_view kPermissionsPolicy =
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()";

// Routing: a path equal to /api or under /api/ goes to the Handler, whatever the method.
// Anything else is a static file from ServerOptions::static_root (GET and HEAD only, else 405),
// see static_files.hpp for how a path picks a file and its caching headers.
// Every answer, whatever produced it (handler, static file, error), gets X-Request-Id and the
// security headers: X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Referrer-Policy:
// no-referrer (the public feedback link carries its token in its path), Cross-Origin-Opener-
// Policy: same-origin, Permissions-Policy: kPermissionsPolicy, and a Content-Security-Policy:
// the one already set (the handler's, or the web app's for static files), else
// kApiContentSecurityPolicy.
class Server {
 public:
  // Binds and listens. Throws std::system_error if the address is not an IP address or cannot be
  // bound, and std::filesystem::filesystem_error if static_root is set but does not exist.
  Server(ServerOptions options, Handler api);
  Server(ServerOptions options, AsyncHandler api);
  // Stops if still running and waits for handlers still running on the worker pool.
  // REQUIRES: no Reply of this server outlives it (stop and destroy what holds them first).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (the chosen one after binding port 0).
  unsigned short port() const;

  // Serves until stop(), then returns once every connection has closed: in-flight requests are
  // answered (with Connection: close) and idle keep-alive connections are closed. If that takes
  // longer than shutdown_grace, the remaining connections are dropped and run() returns anyway.
  // REQUIRES: called at most once per Server.
  void run();

  // Stops accepting and makes run() return as described there. Safe from any thread, any number
  // of times, before or during run(). Not async-signal-safe: call it from a thread that waits for
  // signals (sigwait) or from an asio::signal_set handler, not from a raw signal handler.
  void stop();

  struct Impl;  // the Beast state, defined in server.cpp only

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace xj::http
