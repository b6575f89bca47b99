// The canonical Beast asynchronous server (after Boost.Beast's example/advanced/server): one
// strand per connection, read → handle → write → read, body limits and timeouts on the stream,
// with API handlers run on a worker pool and their answers posted back to the connection's strand.
#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <filesystem>
#include <limits>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "http/static_files.hpp"

namespace xj::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
// Every connection's socket, timer and handlers run on its own strand; naming the executor type
// (rather than the type-erased any_io_executor) also keeps this file quicker to compile.
using Strand = net::strand<net::io_context::executor_type>;
using Stream = beast::basic_stream<tcp, Strand>;
using Socket = Stream::socket_type;
using Clock = std::chrono::steady_clock;

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

namespace {

constexpr std::size_t kHeaderLimit =
    std::size_t{16} * 1024;  // request line and headers (cookies included)
// After an error answer that closes the connection, how long and how much of what the client
// is still sending we read and drop, so that it sees our answer rather than a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = std::size_t{8} << 20;
constexpr std::size_t kDrainChunk = std::size_t{16} * 1024;
constexpr auto kAcceptBackoff = std::chrono::milliseconds(100);

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string id(16, '0');
  std::uint64_t v = rng();
  for (auto& c : id) {
    c = kHex[v & 15];
    v >>= 4;
  }
  return id;
}

bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

bool prefers_english(std::string_view accept_language) {
  return accept_language.size() >= 2 && beast::iequals(accept_language.substr(0, 2), "en");
}

// An HTTP token (RFC 9110 5.6.2): what a header name may be.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool is_safe_value(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr std::string_view kHex = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 15];
          out += kHex[c & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// The API's error body (DESIGN.md, "API conventions").
std::string error_body(std::string_view code, std::string_view message) {
  std::string out = R"({"error":{"code":)";
  append_json_string(out, code);
  out += R"(,"message":)";
  append_json_string(out, message);
  out += R"(,"field":""}})";
  return out;
}

// The headers every answer carries (server.hpp, Server). A policy already set, the handler's or
// the web app's, is kept.
void set_security_headers(bhttp::fields& out) {
  out.set("X-Content-Type-Options", "nosniff");
  out.set("X-Frame-Options", "DENY");
  out.set("Referrer-Policy", "no-referrer");
  out.set("Cross-Origin-Opener-Policy", "same-origin");
  out.set("Permissions-Policy", kPermissionsPolicy);
  if (out.find("Content-Security-Policy") == out.end()) {
    out.set("Content-Security-Policy", kApiContentSecurityPolicy);
  }
}

std::string size_text(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}

std::string address_text(const net::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).to_string();
  }
  return a.to_string();
}

// The client address that our (single, trusted) proxy appended to X-Forwarded-For: the last
// entry. Earlier entries come from the client and may be forged. Empty if it is not an address.
std::string forwarded_client(std::string_view xff) {
  const auto comma = xff.rfind(',');
  std::string_view last = comma == std::string_view::npos ? xff : xff.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  boost::system::error_code ec;
  const auto address = net::ip::make_address(last, ec);
  return ec ? std::string() : address_text(address);
}

// Browsers send some characters raw that RFC 3986 wants escaped (| ^ [ ] { } ` in paths, more
// in queries; axios writes "ids[]=1"). Escaping them lets the strict URL parser accept what
// browsers send without changing what the target decodes to. A malformed escape ("%zz") stays
// malformed.
std::string escape_lenient(std::string_view target) {
  static constexpr std::string_view kKeep = "-._~!$&'()*+,;=:@/?%";
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(target.size());
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
        kKeep.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Response internal_error(const std::string& request_id, bool english) {
  Response r;
  r.status = 500;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = error_body("internal", english ? "internal error (request id " + request_id + ")"
                                          : "内部错误（请求编号 " + request_id + "）");
  return r;
}

class Session;

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, AsyncHandler h)
      : options(std::move(o)), api(std::move(h)), workers(std::max(1u, options.worker_threads)) {}

  void accept();
  void close_all();  // on `control`: stop accepting, ask every connection to finish
  std::vector<std::shared_ptr<Session>> open_sessions();

  ServerOptions options;
  AsyncHandler api;
  std::filesystem::path static_root;  // canonical; empty = no static files
  unsigned short bound_port = 0;
  std::atomic<bool> stopping{false};

  // Declared before the io_context: sessions still queued in it when it is destroyed
  // deregister themselves here.
  std::mutex sessions_mutex;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;

  std::mutex run_mutex;  // guards the two below, for run() waiting on stop() and its threads
  std::condition_variable run_cv;
  bool stop_requested = false;
  unsigned io_threads_done = 0;

  net::io_context ioc;
  Strand control{net::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  net::steady_timer accept_backoff{control};
  // Declared last, so destroyed (joined) first: its tasks hold sessions and work on `ioc`.
  net::thread_pool workers;
};

namespace {

// What a Reply shares between its copies: the first answer is sent, and the last copy to go
// answers 500 if nobody answered.
class ReplyState {
 public:
  ReplyState(std::function<void(Response)> send, std::string request_id, bool english)
      : send_(std::move(send)), request_id_(std::move(request_id)), english_(english) {}
  ~ReplyState() {
    if (sent_.exchange(true)) return;
    try {
      spdlog::error("request {}: handed on and dropped without an answer", request_id_);
      send_(internal_error(request_id_, english_));
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
    }
  }
  ReplyState(const ReplyState&) = delete;
  ReplyState& operator=(const ReplyState&) = delete;

  void answer(Response res) {
    if (!sent_.exchange(true)) send_(std::move(res));
  }
  bool answered() const { return sent_; }

 private:
  std::function<void(Response)> send_;
  std::string request_id_;
  bool english_;
  std::atomic<bool> sent_{false};
};

// Runs the handler on a worker thread. Never throws.
void call_api(const Server::Impl& server, const Request& req,
              const std::shared_ptr<ReplyState>& state) {
  try {
    server.api(req, [state](Response res) { state->answer(std::move(res)); });
    return;
  } catch (const std::exception& e) {
    spdlog::error("request {} ({} {}) failed: {}", req.request_id, req.method, req.path, e.what());
  } catch (...) {
    spdlog::error("request {} ({} {}) failed: unknown exception", req.request_id, req.method,
                  req.path);
  }
  if (state->answered()) return;
  try {
    state->answer(internal_error(req.request_id,
                                 prefers_english(req.header("accept-language").value_or(""))));
  } catch (...) {
    state->answer(Response{500, {}, {}, {}});
  }
}

// One connection. Every member function runs on the connection's strand, except the handler
// call that handle_api() posts to the worker pool and the handler's Reply, which touch no
// member.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}

  ~Session() {
    std::lock_guard lock(server_.sessions_mutex);
    server_.sessions.erase(this);
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    {
      std::lock_guard lock(server_.sessions_mutex);
      server_.sessions.emplace(this, weak_from_this());
    }
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    const auto peer = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? std::string("?") : address_text(peer.address());
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

  // The server gave up waiting: close the socket at once. REQUIRES: no thread runs the
  // io_context (the strand is idle for good).
  void abort() {
    beast::error_code ec;
    stream_.socket().close(ec);
  }

  // The server is stopping: an idle connection closes now, a busy one after its answer.
  // Safe from any thread.
  void shutdown() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::kReading) self->stream_.cancel();
    });
  }

 private:
  enum class State { kReading, kBusy, kClosing };

  // What the access log says about the current request, and how its answer ends.
  struct Exchange {
    Clock::time_point started = Clock::now();
    std::string method = "-";
    std::string path = "-";  // as sent (percent-encoded), without the query
    std::string request_id;
    std::string remote;
    unsigned version = 11;
    bool head = false;
    bool english = false;
    bool keep_alive = false;
    bool linger = false;  // close after answering, draining what the client still sends
    unsigned status = 0;
    std::size_t bytes = 0;
    std::size_t body_limit = 0;  // the limit this request's body was read under
  };

  void do_read() {
    state_ = State::kReading;
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // With limits per route, Beast must not judge the announced length against the default one
    // while it reads the header: on_header judges it against the route's.
    parser_->body_limit(server_.options.body_limit_for ? std::numeric_limits<std::uint64_t>::max()
                                                       : server_.options.body_limit);
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    ex_ = Exchange{};
    ex_.remote = peer_;
    ex_.body_limit = server_.options.body_limit;
    if (ec) return on_read_error(ec);
    const auto& h = parser_->get();
    if (server_.options.body_limit_for) {
      // Uploads may be larger than JSON bodies: the route's own limit, known from the header.
      const std::string_view target = h.target();
      ex_.body_limit =
          server_.options.body_limit_for(h.method_string(), target.substr(0, target.find('?')));
      if (const auto length = parser_->content_length(); length && *length > ex_.body_limit) {
        return on_read_error(bhttp::error::body_limit);
      }
      parser_->body_limit(ex_.body_limit);  // a chunked body is counted as it comes
    }
    if (!parser_->is_done() && beast::iequals(h[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = shared_from_this()](beast::error_code wec, std::size_t) {
                                if (wec) return self->close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return on_read({}, 0);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    state_ = State::kBusy;
    handle(parser_->release());
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) {
      // The client left, timed out, or the server is stopping: nobody to answer.
      return close();
    }
    state_ = State::kBusy;
    const auto& h = parser_->get();
    ex_.english = prefers_english(h[bhttp::field::accept_language]);
    // Whatever of the request line was parsed (Beast stores it only once it is valid).
    if (!h.method_string().empty()) ex_.method = std::string(h.method_string());
    if (const std::string_view target = h.target(); !target.empty()) {
      ex_.path = std::string(target.substr(0, target.find('?')));
    }
    ex_.request_id = new_request_id();
    ex_.linger = true;
    if (ec == bhttp::error::body_limit) {
      const std::string limit =
          size_text(ex_.body_limit != 0 ? ex_.body_limit : server_.options.body_limit);
      return send_error(
          413, "payload_too_large",
          ex_.english ? "the request body is larger than " + limit : "请求内容超过上限 " + limit);
    }
    if (ec == bhttp::error::header_limit) {
      return send_error(431, "bad_request",
                        ex_.english ? "the request headers are too large" : "请求头过大");
    }
    send_error(400, "bad_request", ex_.english ? "malformed HTTP request" : "HTTP 请求格式错误");
  }

  void handle(bhttp::request<bhttp::string_body>&& msg) {
    ex_.method = std::string(msg.method_string());
    ex_.version = msg.version();
    ex_.head = msg.method() == bhttp::verb::head;
    ex_.keep_alive = msg.keep_alive();
    ex_.english = prefers_english(msg[bhttp::field::accept_language]);
    const std::string_view target = msg.target();
    ex_.path = std::string(target.substr(0, target.find('?')));
    const std::string_view client_id = msg["x-request-id"];
    ex_.request_id = acceptable_request_id(client_id) ? std::string(client_id) : new_request_id();
    if (server_.options.trust_proxy) {
      if (std::string client = forwarded_client(msg["x-forwarded-for"]); !client.empty()) {
        ex_.remote = std::move(client);
      }
    }

    // origin-form ("/path?query"), or absolute-form ("http://host/path"), which HTTP/1.1
    // servers must accept too.
    const std::string escaped = escape_lenient(target);
    auto url = target.starts_with('/') ? boost::urls::parse_origin_form(escaped)
                                       : boost::urls::parse_absolute_uri(escaped);
    std::string path = url ? url->path() : std::string();
    if (path.empty() && url && !target.starts_with('/')) path = "/";
    if (!url || !path.starts_with('/') || path.find('\0') != std::string::npos) {
      ex_.linger = true;
      return send_error(400, "bad_request",
                        ex_.english ? "malformed request target" : "请求地址格式错误");
    }
    if (path == "/api" || path.starts_with("/api/")) {
      return handle_api(std::move(msg), std::move(path), *url);
    }
    std::string_view encoded_path = url->encoded_path();
    if (encoded_path.empty()) encoded_path = "/";
    serve_static(msg, encoded_path);
  }

  void handle_api(bhttp::request<bhttp::string_body>&& msg, std::string path,
                  const boost::urls::url_view& url) {
    Request req;
    req.method = ex_.method;
    req.target = std::string(msg.target());
    req.path = std::move(path);
    for (const auto& param : url.params()) req.query.emplace_back(param.key, param.value);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req.body = std::move(msg.body());
    req.remote_address = ex_.remote;
    req.request_id = ex_.request_id;

    // The handler may block (database): it runs on the worker pool, and its answer, whenever
    // and from wherever it comes, is posted back to this connection's strand. The tracked
    // executor keeps run() from returning while an answer is still to come.
    auto home = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    auto state = std::make_shared<ReplyState>(
        [self = shared_from_this(), home = std::move(home)](Response res) {
          net::post(home,
                    [self, res = std::move(res)]() mutable { self->send_api(std::move(res)); });
        },
        req.request_id, ex_.english);
    net::post(server_.workers, [server = &server_, state = std::move(state), req = std::move(req)] {
      call_api(*server, req, state);
    });
  }

  void send_api(Response res) {
    if (res.delay.count() > 0) {
      // Held on the strand's timer, not on a thread.
      const auto delay = res.delay;
      res.delay = {};
      delay_.expires_after(delay);
      return delay_.async_wait([self = shared_from_this(), res = std::move(res)](
                                   beast::error_code) mutable { self->send_api(std::move(res)); });
    }
    if (res.status < 200 || res.status > 599) {
      spdlog::error("request {}: the handler answered status {}", ex_.request_id, res.status);
      res = internal_error(ex_.request_id, ex_.english);
    }
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), ex_.version};
    bool has_cache_control = false;
    bool has_content_type = false;
    for (const auto& [name, value] : res.headers) {
      if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
          beast::iequals(name, "connection")) {
        continue;
      }
      if (!is_token(name) || !is_safe_value(value)) {
        spdlog::error("request {}: dropped a malformed response header", ex_.request_id);
        continue;
      }
      has_cache_control = has_cache_control || beast::iequals(name, "cache-control");
      has_content_type = has_content_type || beast::iequals(name, "content-type");
      out.insert(name, value);
    }
    if (!has_cache_control) out.set(bhttp::field::cache_control, "no-store");
    if (!res.temporary_file.empty()) return send_temporary_file(out, res.temporary_file);
    if (!has_content_type && !res.body.empty()) {
      out.set(bhttp::field::content_type, "application/json; charset=utf-8");
    }
    send_string(std::move(out), std::move(res.body));
  }

  // Streams a file the handler built, removed from its directory once open (see Response).
  void send_temporary_file(const bhttp::response<bhttp::string_body>& head,
                           const std::string& path) {
    bhttp::file_body::value_type body;
    beast::error_code ec;
    body.open(path.c_str(), beast::file_mode::scan, ec);
    std::error_code removed;
    std::filesystem::remove(path, removed);
    if (ec) {
      spdlog::error("request {}: cannot open {}: {}", ex_.request_id, path, ec.message());
      return send_api(internal_error(ex_.request_id, ex_.english));
    }
    if (ex_.head) {
      bhttp::response<bhttp::empty_body> headers_only{head.result(), ex_.version};
      for (const auto& field : head) headers_only.insert(field.name_string(), field.value());
      headers_only.content_length(body.size());
      return send(std::move(headers_only));
    }
    bhttp::response<bhttp::file_body> out{head.result(), ex_.version};
    for (const auto& field : head) out.insert(field.name_string(), field.value());
    out.body() = std::move(body);
    out.prepare_payload();
    send(std::move(out));
  }

  void serve_static(const bhttp::request<bhttp::string_body>& msg, std::string_view encoded_path) {
    if (msg.method() != bhttp::verb::get && !ex_.head) {
      bhttp::response<bhttp::string_body> out{bhttp::status::method_not_allowed, ex_.version};
      out.set(bhttp::field::allow, "GET, HEAD");
      out.set(bhttp::field::content_type, "application/json; charset=utf-8");
      out.set(bhttp::field::cache_control, "no-store");
      return send_string(std::move(out),
                         error_body("method_not_allowed",
                                    ex_.english ? "method not allowed" : "不支持该请求方法"));
    }
    StaticFile file;
    if (!server_.static_root.empty()) {
      file = resolve_static(server_.static_root, encoded_path, msg[bhttp::field::if_none_match],
                            msg[bhttp::field::accept_encoding]);
    }
    if (file.status == 404) {
      return send_error(404, "not_found", ex_.english ? "not found" : "找不到该文件");
    }
    if (file.status == 200 && !ex_.head) {
      bhttp::file_body::value_type body;
      beast::error_code ec;
      body.open(file.file.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        spdlog::warn("request {}: cannot open {}: {}", ex_.request_id, file.file.string(),
                     ec.message());
        return send_error(404, "not_found", ex_.english ? "not found" : "找不到该文件");
      }
      bhttp::response<bhttp::file_body> out{bhttp::status::ok, ex_.version};
      for (const auto& [name, value] : file.headers) out.set(name, value);
      out.body() = std::move(body);
      out.prepare_payload();
      return send(std::move(out));
    }
    // 304, or HEAD: the headers alone (HEAD with the Content-Length a GET would have).
    bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(file.status), ex_.version};
    for (const auto& [name, value] : file.headers) out.set(name, value);
    if (file.status == 200) out.content_length(file.size);
    send(std::move(out));
  }

  void send_error(unsigned status, std::string_view code, const std::string& message) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(status), ex_.version};
    out.set(bhttp::field::content_type, "application/json; charset=utf-8");
    out.set(bhttp::field::cache_control, "no-store");
    send_string(std::move(out), error_body(code, message));
  }

  // Sends `body` (only its length, for HEAD).
  void send_string(bhttp::response<bhttp::string_body>&& out, std::string body) {
    const unsigned status = out.result_int();
    if (status == 204 || status == 304) {
      // No body, by definition.
    } else if (ex_.head) {
      out.content_length(body.size());
    } else {
      out.body() = std::move(body);
      out.prepare_payload();
    }
    send(std::move(out));
  }

  template <class Body>
  void send(bhttp::response<Body>&& out) {
    out.set("X-Request-Id", ex_.request_id);
    set_security_headers(out);
    ex_.keep_alive = ex_.keep_alive && !ex_.linger && !server_.stopping;
    out.keep_alive(ex_.keep_alive);
    ex_.status = out.result_int();
    out_.emplace(std::move(out));
    write_some();
  }

  // Writes the answer a piece at a time, each piece with its own deadline: a large file to a
  // slow client is fine, a client that stops reading is not.
  void write_some() {
    beast::error_code ec;
    const auto buffers = out_->prepare(ec);
    if (ec) {
      spdlog::warn("request {}: cannot send the answer: {}", ex_.request_id, ec.message());
      return close();
    }
    stream_.expires_after(server_.options.read_timeout);
    net::async_write(stream_, buffers,
                     beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes) {
    ex_.bytes += bytes;
    if (ec) {
      log_exchange("(not sent: " + ec.message() + ")");
      return close();
    }
    out_->consume(bytes);
    if (!out_->is_done()) return write_some();
    out_.reset();
    log_exchange("");
    if (ex_.linger) return linger();
    if (!ex_.keep_alive) return close();
    do_read();
  }

  void log_exchange(const std::string& note) {
    const auto ms = std::chrono::duration<double, std::milli>(Clock::now() - ex_.started).count();
    spdlog::info("{} {} {} {}B {:.1f}ms id={} from={}{}", ex_.method, ex_.path, ex_.status,
                 ex_.bytes, ms, ex_.request_id, ex_.remote, note);
  }

  // Closes after an error answer without making the client lose it: stop sending, then read and
  // drop what it still sends for a little while, then close.
  void linger() {
    state_ = State::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(kLingerTime);
    drain(0);
  }

  void drain(std::size_t drained) {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kDrainChunk), [self = shared_from_this(), drained](
                                                              beast::error_code ec, std::size_t n) {
      if (ec || drained + n > kLingerBytes) return self->close();
      self->drain(drained + n);
    });
  }

  void close() {
    state_ = State::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  Stream stream_;
  net::steady_timer delay_{stream_.get_executor()};  // holds an answer with a delay
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::message_generator> out_;
  State state_ = State::kReading;
  std::string peer_;
  Exchange ex_;
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, Socket socket) {
    if (stopping || ec == net::error::operation_aborted) return;
    if (!ec) {
      std::make_shared<Session>(std::move(socket), *this)->start();
    } else if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
               ec == net::error::no_memory) {
      // Out of file descriptors or memory: retrying at once would spin.
      spdlog::warn("accept failed: {}; retrying shortly", ec.message());
      accept_backoff.expires_after(kAcceptBackoff);
      accept_backoff.async_wait([this](beast::error_code wec) {
        if (!wec && !stopping) accept();
      });
      return;
    } else {
      spdlog::debug("accept failed: {}", ec.message());
    }
    accept();
  });
}

std::vector<std::shared_ptr<Session>> Server::Impl::open_sessions() {
  std::vector<std::weak_ptr<Session>> weak;
  {
    std::lock_guard lock(sessions_mutex);
    weak.reserve(sessions.size());
    for (const auto& entry : sessions) weak.push_back(entry.second);
  }
  // Locked outside the mutex: the caller may end up the last owner of a session, and its
  // destructor takes the mutex.
  std::vector<std::shared_ptr<Session>> open;
  for (const auto& w : weak) {
    if (auto session = w.lock()) open.push_back(std::move(session));
  }
  return open;
}

void Server::Impl::close_all() {
  beast::error_code ec;
  acceptor.close(ec);
  accept_backoff.cancel();
  for (const auto& session : open_sessions()) session->shutdown();
}

Server::Server(ServerOptions options, Handler api)
    : Server(std::move(options),
             AsyncHandler([api = std::move(api)](const Request& req, const Reply& reply) {
               reply(api(req));
             })) {}

Server::Server(ServerOptions options, AsyncHandler api)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(api))) {
  Impl& s = *impl_;
  if (!s.options.static_root.empty())
    s.static_root = std::filesystem::canonical(s.options.static_root);

  boost::system::error_code ec;
  const auto address = net::ip::make_address(s.options.bind, ec);
  if (ec) {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "not an IP address: " + s.options.bind);
  }
  const tcp::endpoint endpoint{address, s.options.port};
  const auto fail = [&](const char* what) {
    throw std::system_error(std::error_code(ec), std::string(what) + " " + s.options.bind + ":" +
                                                     std::to_string(s.options.port));
  };
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) fail("cannot open a socket for");
  s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail("cannot set SO_REUSEADDR for");
  s.acceptor.bind(endpoint, ec);
  if (ec) fail("cannot bind");
  s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail("cannot listen on");
  s.bound_port = s.acceptor.local_endpoint(ec).port();
  if (ec) fail("cannot find the port bound for");
  s.accept();
}

Server::~Server() {
  stop();
  impl_->workers.join();
  // The handler may still hold answers it was handed (a Reply keeps its connection's strand, and
  // so the io_context, in use): let them go while the io_context is still alive, not after it.
  impl_->api = nullptr;
}

unsigned short Server::port() const { return impl_->bound_port; }

void Server::run() {
  Impl& s = *impl_;
  const unsigned n = std::max(1u, s.options.io_threads);
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    threads.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();  // returns when stopped, or out of work: every connection closed
          break;
        } catch (const std::exception& e) {
          spdlog::critical("uncaught exception on an I/O thread: {}", e.what());
        }
      }
      std::lock_guard lock(s.run_mutex);
      ++s.io_threads_done;
      s.run_cv.notify_all();
    });
  }
  bool forced = false;
  {
    std::unique_lock lock(s.run_mutex);
    s.run_cv.wait(lock, [&] { return s.stop_requested || s.io_threads_done == n; });
    forced =
        !s.run_cv.wait_for(lock, s.options.shutdown_grace, [&] { return s.io_threads_done == n; });
  }
  if (forced) {
    spdlog::warn("connections still busy {} s after stop; dropping them",
                 s.options.shutdown_grace.count());
    s.ioc.stop();
  }
  for (auto& t : threads) t.join();
  // What is left waits for a handler still running (its answer will never be written).
  if (forced) {
    for (const auto& session : s.open_sessions()) session->abort();
  }
}

void Server::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  net::post(s.control, [&s] { s.close_all(); });
  {
    std::lock_guard lock(s.run_mutex);
    s.stop_requested = true;
  }
  s.run_cv.notify_all();
}

}  // namespace xj::http
