// The HTTP transport over real sockets: a Server on 127.0.0.1, a recording handler, a temporary
// static root, and a deliberately small client (POSIX sockets, no Beast) so that this file
// compiles fast and checks the bytes the server really sends.
#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

namespace xj::http {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kClientTimeoutMs = 10'000;  // a broken server fails the test instead of hanging it
constexpr std::string_view kSecret = "TOP-SECRET-OUTSIDE-ROOT";

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct HttpResponse {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return "(none)";
  }
  int count(std::string_view name) const {
    int n = 0;
    for (const auto& h : headers) n += h.first == name ? 1 : 0;
    return n;
  }
};

// One client connection, speaking just enough HTTP/1.1 for these tests (our server always sends
// Content-Length, never chunks).
class Connection {
 public:
  explicit Connection(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect() failed");
    }
  }
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends bytes; false if the server closed the connection (reset or broken pipe).
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response. For the answer to HEAD, pass head = true (headers only).
  HttpResponse receive(bool head = false) {
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) throw std::runtime_error("connection closed before a full response head");
    }
    HttpResponse r;
    std::string_view head_text = std::string_view(pending_).substr(0, end);
    const auto first_eol = head_text.find("\r\n");
    const std::string status_line(head_text.substr(0, first_eol));
    if (!status_line.starts_with("HTTP/1.")) throw std::runtime_error("bad status line");
    r.status = static_cast<unsigned>(std::stoul(status_line.substr(9, 3)));
    head_text.remove_prefix(first_eol == std::string_view::npos ? head_text.size() : first_eol + 2);
    while (!head_text.empty()) {
      const auto eol = head_text.find("\r\n");
      const auto line = head_text.substr(0, eol);
      const auto colon = line.find(':');
      std::string value(line.substr(colon + 1));
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(lower(std::string(line.substr(0, colon))), value);
      head_text.remove_prefix(eol == std::string_view::npos ? head_text.size() : eol + 2);
    }
    pending_.erase(0, end + 4);
    const std::string length = r.header("content-length");
    const bool bodyless = head || r.status == 304 || r.status == 204 || r.status < 200;
    const std::size_t size = bodyless || length == "(none)" ? 0 : std::stoul(length);
    while (pending_.size() < size) {
      if (!fill()) throw std::runtime_error("connection closed in the middle of a body");
    }
    r.body = pending_.substr(0, size);
    pending_.erase(0, size);
    return r;
  }

  HttpResponse exchange(std::string_view request, bool head = false) {
    if (!send(request)) throw std::runtime_error("could not send the request");
    return receive(head);
  }

  // Whether the server closes the connection (within the client timeout) without sending more.
  bool closed_by_server() {
    while (pending_.empty()) {
      if (!fill()) return true;
    }
    return false;
  }

 private:
  bool fill() {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, kClientTimeoutMs);
    if (ready == 0) throw std::runtime_error("timed out waiting for the server");
    std::array<char, 16384> buf;
    const auto n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n <= 0) return false;
    pending_.append(buf.data(), static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  std::string pending_;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

void write_file(const fs::path& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// What the handler saw, and a gate that holds /api/slow until the test opens it.
struct Recorder {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<Request> seen;
  bool slow_entered = false;
  bool slow_released = false;

  void release_slow() {
    std::lock_guard lock(mutex);
    slow_released = true;
    cv.notify_all();
  }
  bool wait_slow_entered() {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, 10s, [&] { return slow_entered; });
  }
  Request last() {
    std::lock_guard lock(mutex);
    return seen.back();
  }
};

Handler recording_handler(std::shared_ptr<Recorder> rec) {
  return [rec](const Request& req) {
    {
      std::lock_guard lock(rec->mutex);
      rec->seen.push_back(req);
    }
    Response res;
    res.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    if (req.path == "/api/throw") throw std::runtime_error("db password hunter2 at /srv/x.db");
    if (req.path == "/api/slow") {
      std::unique_lock lock(rec->mutex);
      rec->slow_entered = true;
      rec->cv.notify_all();
      rec->cv.wait_for(lock, 10s, [&] { return rec->slow_released; });
      res.body = R"({"slow":true})";
      return res;
    }
    if (req.path == "/api/picture") {
      res.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
    }
    if (req.path == "/api/cookies") {
      res.headers.emplace_back("Set-Cookie", "a=1; HttpOnly");
      res.headers.emplace_back("Set-Cookie", "b=2; HttpOnly");
      res.headers.emplace_back("Cache-Control", "private, max-age=60");
      res.headers.emplace_back("Bad\r\nHeader", "x");
      res.headers.emplace_back("X-Injected", "a\r\nSet-Cookie: evil=1");
    }
    res.body = R"({"ok":true})";
    return res;
  };
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    base_ = fs::temp_directory_path() /
            ("xj-http-test-" + std::to_string(rd()) + "-" + std::to_string(::getpid()));
    root_ = base_ / "dist";
    write_file(root_ / "index.html", "<!doctype html><title>宣讲</title>");
    write_file(root_ / "favicon.ico", "ICO");
    write_file(root_ / "assets" / "index-4f2a9c.js", "console.log('app')");
    write_file(root_ / "assets" / "index-4f2a9c.js.gz", "GZIPPED-BYTES");
    write_file(root_ / "assets" / "index-77aa01.css", "body{}");
    write_file(root_ / "assets" / "logo.svg", "<svg/>");
    write_file(root_ / ".env", std::string(kSecret));
    write_file(base_ / "secret.txt", std::string(kSecret));
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    fs::create_directory_symlink(base_, root_ / "assets" / "up");
    write_file(root_ / ".git" / "config", std::string(kSecret));
    fs::create_symlink(root_ / ".git" / "config", root_ / "git-config.txt");
    fs::create_symlink(root_ / "assets" / "logo.svg", root_ / "logo-alias.svg");
  }

  void TearDown() override {
    stop_server();
    std::error_code ec;
    fs::remove_all(base_, ec);
  }

  ServerOptions options() const {
    ServerOptions o;
    o.port = 0;
    o.body_limit = 1024;
    o.worker_threads = 2;
    o.static_root = root_.string();
    return o;
  }

  void start(ServerOptions o) {
    server_ = std::make_unique<Server>(std::move(o), recording_handler(rec_));
    runner_ = std::thread([this] { server_->run(); });
  }
  void start() { start(options()); }
  void start(ServerOptions o, AsyncHandler api) {
    server_ = std::make_unique<Server>(std::move(o), std::move(api));
    runner_ = std::thread([this] { server_->run(); });
  }

  void stop_server() {
    if (!server_) return;
    server_->stop();
    if (runner_.joinable()) runner_.join();
    server_.reset();
  }

  unsigned short port() const { return server_->port(); }

  fs::path base_;
  fs::path root_;
  std::shared_ptr<Recorder> rec_ = std::make_shared<Recorder>();
  std::unique_ptr<Server> server_;
  std::thread runner_;
};

TEST_F(HttpServerTest, ApiRequestsGoToHandlerOnOneKeepAliveConnection) {
  start();
  Connection c(port());
  const auto first = c.exchange(get("/api/v1/ping"));
  const auto second = c.exchange(get("/api/v1/ping?again=1"));
  EXPECT_EQ(first.status, 200u);
  EXPECT_EQ(first.body, R"({"ok":true})");
  EXPECT_EQ(second.status, 200u);
  EXPECT_EQ(first.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(first.header("cache-control"), "no-store");
  EXPECT_EQ(first.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(first.header("x-request-id").size(), 16u);
  EXPECT_NE(first.header("x-request-id"), second.header("x-request-id"));
  EXPECT_EQ(rec_->seen.size(), 2u);
}

TEST_F(HttpServerTest, HandlerSeesDecodedRequestFields) {
  start();
  Connection c(port());
  const std::string body = R"({"name":"乌兰"})";
  const std::string target =
      "/api/v1/%E5%AE%A3%E8%AE%B2/a%20b+c?q=%E5%86%85+%E8%92%99&flag&x=1&x=2";
  const auto res = c.exchange("POST " + target +
                              " HTTP/1.1\r\nHost: test\r\nX-Custom-Thing: Value One\r\n"
                              "Content-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_EQ(res.status, 200u);
  const Request req = rec_->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, target);
  EXPECT_EQ(req.path, "/api/v1/宣讲/a b+c");
  const std::vector<std::pair<std::string, std::string>> query{
      {"q", "内 蒙"}, {"flag", ""}, {"x", "1"}, {"x", "2"}};
  EXPECT_EQ(req.query, query);
  EXPECT_EQ(req.query_param("x"), "1");
  EXPECT_FALSE(req.query_param("missing"));
  EXPECT_EQ(req.header("x-custom-thing"), "Value One");
  EXPECT_EQ(req.header("content-type"), "application/json");
  EXPECT_EQ(req.body, body);
  EXPECT_EQ(req.remote_address, "127.0.0.1");
  EXPECT_EQ(req.request_id, res.header("x-request-id"));
}

TEST_F(HttpServerTest, BrowserStyleUnescapedCharactersAreAccepted) {
  // Browsers leave | ^ [ ] { } ` raw in paths and queries; axios writes ids[]=1.
  start();
  Connection c(port());
  ASSERT_EQ(c.exchange(get("/api/a|b^c[1]?ids[]=1&ids[]=2&f={x}|`y`")).status, 200u);
  const Request req = rec_->last();
  EXPECT_EQ(req.path, "/api/a|b^c[1]");
  const std::vector<std::pair<std::string, std::string>> query{
      {"ids[]", "1"}, {"ids[]", "2"}, {"f", "{x}|`y`"}};
  EXPECT_EQ(req.query, query);
  EXPECT_EQ(req.target, "/api/a|b^c[1]?ids[]=1&ids[]=2&f={x}|`y`");
}

TEST_F(HttpServerTest, WellFormedClientRequestIdIsKept) {
  start();
  Connection c(port());
  EXPECT_EQ(c.exchange(get("/api/x", "X-Request-Id: trace-42.a_b\r\n")).header("x-request-id"),
            "trace-42.a_b");
  const auto replaced = c.exchange(get("/api/x", "X-Request-Id: <script>\r\n"));
  EXPECT_NE(replaced.header("x-request-id"), "<script>");
  EXPECT_EQ(replaced.header("x-request-id").size(), 16u);
}

TEST_F(HttpServerTest, ForwardedForIgnoredUnlessProxyTrusted) {
  start();
  Connection c(port());
  c.exchange(get("/api/x", "X-Forwarded-For: 203.0.113.9\r\n"));
  EXPECT_EQ(rec_->last().remote_address, "127.0.0.1");
}

TEST_F(HttpServerTest, TrustedProxyGivesLastForwardedAddress) {
  auto o = options();
  o.trust_proxy = true;
  start(o);
  Connection c(port());
  // The client forged the first entry; our proxy appended the real one.
  c.exchange(get("/api/x", "X-Forwarded-For: 198.51.100.1, 203.0.113.9\r\n"));
  EXPECT_EQ(rec_->last().remote_address, "203.0.113.9");
  c.exchange(get("/api/x", "X-Forwarded-For: not-an-address\r\n"));
  EXPECT_EQ(rec_->last().remote_address, "127.0.0.1");
}

TEST_F(HttpServerTest, HandlerHeadersAreKeptAndMalformedOnesDropped) {
  start();
  Connection c(port());
  const auto res = c.exchange(get("/api/cookies"));
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.count("set-cookie"), 2);
  EXPECT_EQ(res.header("cache-control"), "private, max-age=60");
  EXPECT_EQ(res.count("x-injected"), 0);
  EXPECT_EQ(res.count("bad"), 0);
  EXPECT_EQ(res.count("header"), 0);
}

// The web app's policy (static_files.hpp): only our own scripts, inline styles for Element Plus,
// pictures from us, data: and blob: (the QR card), requests to us; never framed, no plugins.
constexpr std::string_view kWebAppPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

void expect_security_headers(const HttpResponse& res, std::string_view policy,
                             const std::string& what) {
  EXPECT_EQ(res.header("content-security-policy"), policy) << what;
  EXPECT_EQ(res.count("content-security-policy"), 1) << what;
  EXPECT_EQ(res.header("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(res.header("x-frame-options"), "DENY") << what;
  EXPECT_EQ(res.header("referrer-policy"), "no-referrer") << what;
  EXPECT_EQ(res.header("cross-origin-opener-policy"), "same-origin") << what;
  const std::string permissions = res.header("permissions-policy");
  for (const char* feature : {"camera=()", "microphone=()", "geolocation=()", "payment=()"}) {
    EXPECT_NE(permissions.find(feature), std::string::npos) << what << ": " << permissions;
  }
}

TEST_F(HttpServerTest, TheWebAppIsServedUnderItsContentSecurityPolicy) {
  start();
  Connection c(port());
  expect_security_headers(c.exchange(get("/")), kWebAppPolicy, "index");
  expect_security_headers(c.exchange(get("/orders/3")), kWebAppPolicy, "a route of the app");
  const auto js = c.exchange(get("/assets/index-4f2a9c.js"));
  expect_security_headers(js, kWebAppPolicy, "a script");
  expect_security_headers(
      c.exchange(get("/assets/index-4f2a9c.js", "If-None-Match: " + js.header("etag") + "\r\n")),
      kWebAppPolicy, "304");
  expect_security_headers(c.exchange("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n", true), kWebAppPolicy,
                          "HEAD");
}

TEST_F(HttpServerTest, EveryOtherAnswerAllowsNothing) {
  // API answers and errors are data, never a page: a policy that allows nothing at all.
  constexpr std::string_view kNothing =
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  start();
  {
    Connection c(port());
    expect_security_headers(c.exchange(get("/api/v1/ping")), kNothing, "an API answer");
    expect_security_headers(c.exchange(get("/assets/index-000000.js")), kNothing, "404");
    expect_security_headers(c.exchange("DELETE / HTTP/1.1\r\nHost: test\r\n\r\n"), kNothing, "405");
    // A handler's own policy is kept, once.
    expect_security_headers(c.exchange(get("/api/picture")), "default-src 'none'; sandbox",
                            "a picture");
  }
  Connection c(port());
  const std::string body(4096, 'x');
  expect_security_headers(c.exchange("POST /api/v1/x HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                                     std::to_string(body.size()) + "\r\n\r\n" + body),
                          kNothing, "413");
  Connection garbage(port());
  expect_security_headers(garbage.exchange("NOT HTTP AT ALL\r\n\r\n"), kNothing, "400");
}

TEST_F(HttpServerTest, OversizedBodyGets413AndConnectionCloses) {
  start();
  Connection c(port());
  const std::string body(4096, 'x');
  const auto res = c.exchange("POST /api/v1/import HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(res.status, 413u);
  EXPECT_EQ(res.header("content-type"), "application/json; charset=utf-8");
  EXPECT_NE(res.body.find(R"("code":"payload_too_large")"), std::string::npos);
  EXPECT_NE(res.body.find("请求内容超过上限 1 KiB"), std::string::npos);
  EXPECT_NE(res.body.find(R"("field":"")"), std::string::npos);
  EXPECT_EQ(res.header("connection"), "close");
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_TRUE(rec_->seen.empty());
}

TEST_F(HttpServerTest, OversizedBodyMessageIsEnglishWhenPreferred) {
  start();
  Connection c(port());
  // With Expect: 100-continue the client waits: the 413 comes before any of the body is sent.
  const auto res = c.exchange(
      "PUT /api/v1/import HTTP/1.1\r\nHost: test\r\nAccept-Language: en-US,en;q=0.9\r\n"
      "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");
  EXPECT_EQ(res.status, 413u);
  EXPECT_NE(res.body.find("the request body is larger than 1 KiB"), std::string::npos);
}

TEST_F(HttpServerTest, OversizedChunkedBodyGets413) {
  start();
  Connection c(port());
  const std::string chunk(2000, 'y');
  c.send("POST /api/v1/import HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
  c.send("7d0\r\n" + chunk + "\r\n");  // 0x7d0 = 2000 bytes
  c.send("0\r\n\r\n");
  EXPECT_EQ(c.receive().status, 413u);
  EXPECT_TRUE(rec_->seen.empty());
}

// An upload route takes more than the default limit, by its announced length as by its chunks;
// beyond its own limit it is refused like any other.
TEST_F(HttpServerTest, RouteLimitRaisesTheDefaultForItsRouteOnly) {
  ServerOptions o = options();
  o.body_limit_for = [](std::string_view method, std::string_view path) -> std::size_t {
    return method == "PUT" && path == "/api/v1/upload" ? 8192 : 1024;
  };
  start(std::move(o));
  Connection c(port());
  const std::string body(4096, 'x');
  auto res = c.exchange("PUT /api/v1/upload?v=1 HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(res.status, 200u);
  const std::string chunk(3000, 'y');
  c.send("PUT /api/v1/upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
  c.send("bb8\r\n" + chunk + "\r\n0\r\n\r\n");  // 0xbb8 = 3000 bytes
  EXPECT_EQ(c.receive().status, 200u);
  res = c.exchange("PUT /api/v1/upload HTTP/1.1\r\nHost: test\r\nContent-Length: 9000\r\n\r\n");
  EXPECT_EQ(res.status, 413u);
  EXPECT_NE(res.body.find("请求内容超过上限 8 KiB"), std::string::npos);
  Connection other(port());
  res = other.exchange("POST /api/v1/import HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(res.status, 413u);
}

TEST_F(HttpServerTest, ExpectContinueGetsTheBodyRead) {
  start();
  Connection c(port());
  c.send("POST /api/x HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(c.receive().status, 100u);
  c.send("hello");
  EXPECT_EQ(c.receive().status, 200u);
  EXPECT_EQ(rec_->last().body, "hello");
}

TEST_F(HttpServerTest, GarbageGets400AndConnectionCloses) {
  start();
  Connection c(port());
  const auto res = c.exchange("\x01\x02 this is not http\r\n\r\n");
  EXPECT_EQ(res.status, 400u);
  EXPECT_NE(res.body.find(R"("code":"bad_request")"), std::string::npos);
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServerTest, BadHeaderSyntaxGets400) {
  start();
  Connection c(port());
  EXPECT_EQ(c.exchange("GET /api/x HTTP/1.1\r\nHost test\r\n\r\n").status, 400u);
}

TEST_F(HttpServerTest, HandlerExceptionGets500WithoutInternals) {
  start();
  Connection c(port());
  const auto res = c.exchange(get("/api/throw"));
  EXPECT_EQ(res.status, 500u);
  const std::string id = res.header("x-request-id");
  EXPECT_EQ(res.body, R"({"error":{"code":"internal","message":"内部错误（请求编号 )" + id +
                          R"(）","field":""}})");
  EXPECT_EQ(res.body.find("hunter2"), std::string::npos);
  // The connection survives a failing handler.
  const auto en = c.exchange(get("/api/throw", "Accept-Language: en\r\n"));
  EXPECT_EQ(en.status, 500u);
  EXPECT_NE(en.body.find("internal error (request id " + en.header("x-request-id") + ")"),
            std::string::npos);
}

TEST_F(HttpServerTest, StaticAssetHasTypeAndImmutableCaching) {
  start();
  Connection c(port());
  const auto js = c.exchange(get("/assets/index-4f2a9c.js"));
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.body, "console.log('app')");
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(js.header("vary"), "Accept-Encoding");
  EXPECT_NE(js.header("etag"), "(none)");
  EXPECT_EQ(js.count("content-encoding"), 0);
  EXPECT_EQ(c.exchange(get("/assets/index-77aa01.css")).header("content-type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(c.exchange(get("/assets/logo.svg")).header("content-type"), "image/svg+xml");
}

TEST_F(HttpServerTest, IndexAndOtherFilesAreRevalidated) {
  start();
  Connection c(port());
  const auto index = c.exchange(get("/"));
  EXPECT_EQ(index.status, 200u);
  EXPECT_EQ(index.body, "<!doctype html><title>宣讲</title>");
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  const auto icon = c.exchange(get("/favicon.ico"));
  EXPECT_EQ(icon.header("content-type"), "image/x-icon");
  EXPECT_EQ(icon.header("cache-control"), "no-cache");
}

TEST_F(HttpServerTest, MatchingEtagGets304) {
  start();
  Connection c(port());
  const auto first = c.exchange(get("/assets/index-4f2a9c.js"));
  const std::string etag = first.header("etag");
  const auto again = c.exchange(get("/assets/index-4f2a9c.js", "If-None-Match: " + etag + "\r\n"));
  EXPECT_EQ(again.status, 304u);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.header("etag"), etag);
  const auto weak =
      c.exchange(get("/assets/index-4f2a9c.js", "If-None-Match: \"zzz\", W/" + etag + "\r\n"));
  EXPECT_EQ(weak.status, 304u);
  const auto other = c.exchange(get("/assets/index-4f2a9c.js", "If-None-Match: \"zzz\"\r\n"));
  EXPECT_EQ(other.status, 200u);
}

TEST_F(HttpServerTest, PrecompressedSiblingGoesToGzipClients) {
  start();
  Connection c(port());
  const auto gz = c.exchange(get("/assets/index-4f2a9c.js", "Accept-Encoding: gzip, br\r\n"));
  EXPECT_EQ(gz.status, 200u);
  EXPECT_EQ(gz.body, "GZIPPED-BYTES");
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gz.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(gz.header("vary"), "Accept-Encoding");
  const auto plain = c.exchange(get("/assets/index-4f2a9c.js", "Accept-Encoding: gzip;q=0\r\n"));
  EXPECT_EQ(plain.body, "console.log('app')");
  EXPECT_NE(plain.header("etag"), gz.header("etag"));
}

TEST_F(HttpServerTest, FrontEndRoutesFallBackToIndexHtml) {
  start();
  Connection c(port());
  const auto res = c.exchange(get("/lecturers/12/edit?tab=photo"));
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, "<!doctype html><title>宣讲</title>");
  EXPECT_EQ(res.header("cache-control"), "no-cache");
  EXPECT_EQ(res.header("content-type"), "text/html; charset=utf-8");
}

TEST_F(HttpServerTest, MissingAssetGets404) {
  start();
  Connection c(port());
  EXPECT_EQ(c.exchange(get("/assets/index-000000.js")).status, 404u);
  EXPECT_EQ(c.exchange(get("/robots.txt")).status, 404u);
}

TEST_F(HttpServerTest, TraversalNeverEscapesRoot) {
  start();
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets%2f..%2f..%2fsecret.txt",
        "/%2e%2e%5csecret.txt", "/..\\secret.txt", "/.env", "/%2eenv", "/./.env", "/leak.txt",
        "/assets/up/secret.txt", "/assets/up/dist/.env", "/%00/secret.txt", "/%zz/secret.txt",
        "//../secret.txt", "/.git/config", "/git-config.txt"}) {
    Connection c(port());
    const auto res = c.exchange(get(target));
    EXPECT_TRUE(res.status == 404 || res.status == 400) << target << " → " << res.status;
    EXPECT_EQ(res.body.find(kSecret), std::string::npos) << target;
  }
}

TEST_F(HttpServerTest, SymlinkInsideRootIsServed) {
  start();
  Connection c(port());
  const auto res = c.exchange(get("/logo-alias.svg"));
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, "<svg/>");
  EXPECT_EQ(res.header("content-type"), "image/svg+xml");
}

TEST_F(HttpServerTest, HeadSendsHeadersOnly) {
  start();
  Connection c(port());
  const auto res = c.exchange("HEAD /assets/index-4f2a9c.js HTTP/1.1\r\nHost: test\r\n\r\n", true);
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.header("content-length"), std::to_string(std::string("console.log('app')").size()));
  EXPECT_EQ(res.body, "");
  // Nothing but the headers came: the next answer on the connection parses cleanly.
  EXPECT_EQ(c.exchange(get("/favicon.ico")).body, "ICO");
}

TEST_F(HttpServerTest, OtherMethodsOnStaticFilesGet405) {
  start();
  Connection c(port());
  const auto res = c.exchange("DELETE /index.html HTTP/1.1\r\nHost: test\r\n\r\n");
  EXPECT_EQ(res.status, 405u);
  EXPECT_EQ(res.header("allow"), "GET, HEAD");
}

TEST_F(HttpServerTest, WithoutStaticRootOnlyApiAnswers) {
  auto o = options();
  o.static_root.clear();
  start(o);
  Connection c(port());
  EXPECT_EQ(c.exchange(get("/")).status, 404u);
  EXPECT_EQ(c.exchange(get("/api/x")).status, 200u);
}

TEST_F(HttpServerTest, LargeFileIsSentWhole) {
  std::string big(3 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  write_file(root_ / "assets" / "big-0123.bin", big);
  start();
  Connection c(port());
  const auto res = c.exchange(get("/assets/big-0123.bin"));
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.header("content-type"), "application/octet-stream");
  EXPECT_TRUE(res.body == big);
}

TEST_F(HttpServerTest, IdleConnectionClosesAfterReadTimeout) {
  auto o = options();
  o.read_timeout = std::chrono::seconds(1);
  start(o);
  Connection c(port());
  EXPECT_EQ(c.exchange(get("/api/x")).status, 200u);
  EXPECT_TRUE(c.closed_by_server());
  Connection silent(port());
  ASSERT_TRUE(silent.send("GET /api/x HTTP/1.1\r\nHost: te"));  // and never the rest
  EXPECT_TRUE(silent.closed_by_server());
}

TEST_F(HttpServerTest, ManyClientsOnSeveralIoThreads) {
  auto o = options();
  o.io_threads = 2;
  o.worker_threads = 3;
  start(o);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  clients.reserve(6);
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&, t] {
      try {
        Connection c(port());
        for (int i = 0; i < 25; ++i) {
          const bool api = (i + t) % 2 == 0;
          const auto res = c.exchange(get(api ? "/api/n?i=" + std::to_string(i) : "/favicon.ico"));
          if (res.status == 200 && res.body == (api ? R"({"ok":true})" : "ICO")) ++ok;
        }
      } catch (const std::exception&) {
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 6 * 25);
}

TEST_F(HttpServerTest, SlowHandlerDoesNotBlockAnotherConnection) {
  start();
  Connection slow(port());
  ASSERT_TRUE(slow.send(get("/api/slow")));
  ASSERT_TRUE(rec_->wait_slow_entered());
  Connection fast(port());
  EXPECT_EQ(fast.exchange(get("/api/fast")).status, 200u);
  EXPECT_EQ(fast.exchange(get("/index.html")).status, 200u);
  rec_->release_slow();
  EXPECT_EQ(slow.receive().body, R"({"slow":true})");
}

// An asynchronous handler that hands /api/later on (keeps its Reply, answers nothing yet),
// answers /api/now at once and then the request it kept, and drops /api/drop's Reply.
AsyncHandler handing_on_handler(std::shared_ptr<Reply> kept) {
  return [kept](const Request& req, Reply reply) {
    Response res;
    if (req.path == "/api/later") {
      *kept = std::move(reply);
      return;
    }
    if (req.path == "/api/drop") return;
    if (req.path == "/api/held") {
      res.body = R"({"held":true})";
      res.delay = 200ms;
      return reply(std::move(res));
    }
    res.body = R"({"now":true})";
    reply(std::move(res));
    if (*kept) {
      Response later;
      later.body = R"({"later":true})";
      (*kept)(std::move(later));
      (*kept)(Response{});  // a second answer is ignored
    }
  };
}

TEST_F(HttpServerTest, HandedOnRequestHoldsNoWorker) {
  // One worker: if the request handed on held it, the second request would never be handled.
  auto o = options();
  o.worker_threads = 1;
  start(o, handing_on_handler(std::make_shared<Reply>()));
  Connection waiting(port());
  ASSERT_TRUE(waiting.send(get("/api/later")));
  Connection other(port());
  EXPECT_EQ(other.exchange(get("/api/now")).body, R"({"now":true})");
  const auto res = waiting.receive();
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, R"({"later":true})");
  EXPECT_EQ(waiting.exchange(get("/api/now")).status, 200u);  // the connection carries on
}

TEST_F(HttpServerTest, ReplyDroppedUnansweredGets500) {
  start(options(), handing_on_handler(std::make_shared<Reply>()));
  Connection c(port());
  const auto res = c.exchange(get("/api/drop"));
  EXPECT_EQ(res.status, 500u);
  EXPECT_NE(res.body.find(R"("code":"internal")"), std::string::npos) << res.body;
}

TEST_F(HttpServerTest, DelayedAnswerHoldsNoWorker) {
  auto o = options();
  o.worker_threads = 1;
  start(o, handing_on_handler(std::make_shared<Reply>()));
  Connection held(port());
  ASSERT_TRUE(held.send(get("/api/held")));
  Connection other(port());
  EXPECT_EQ(other.exchange(get("/api/now")).status, 200u);
  EXPECT_EQ(held.receive().body, R"({"held":true})");
}

TEST_F(HttpServerTest, StopAnswersInFlightRequestsAndRunReturns) {
  start();
  Connection idle(port());
  EXPECT_EQ(idle.exchange(get("/api/x")).status, 200u);
  Connection busy(port());
  ASSERT_TRUE(busy.send(get("/api/slow")));
  ASSERT_TRUE(rec_->wait_slow_entered());

  server_->stop();
  EXPECT_TRUE(idle.closed_by_server());
  rec_->release_slow();
  const auto res = busy.receive();
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.header("connection"), "close");
  EXPECT_TRUE(busy.closed_by_server());
  runner_.join();                                        // run() has returned
  EXPECT_THROW(Connection{port()}, std::runtime_error);  // no longer listening
}

TEST_F(HttpServerTest, StopGivesUpOnAStuckHandlerAfterTheGrace) {
  auto o = options();
  o.shutdown_grace = std::chrono::seconds(1);
  start(o);
  Connection busy(port());
  ASSERT_TRUE(busy.send(get("/api/slow")));
  ASSERT_TRUE(rec_->wait_slow_entered());
  server_->stop();
  runner_.join();  // returns after the grace, the handler still running
  EXPECT_TRUE(busy.closed_by_server());
  rec_->release_slow();
  server_.reset();  // waits for the handler; its answer goes nowhere
}

TEST_F(HttpServerTest, ClientLeavingDuringHandlerIsHarmless) {
  start();
  {
    Connection gone(port());
    ASSERT_TRUE(gone.send(get("/api/slow")));
    ASSERT_TRUE(rec_->wait_slow_entered());
  }
  rec_->release_slow();
  Connection c(port());
  EXPECT_EQ(c.exchange(get("/api/x")).status, 200u);
}

TEST_F(HttpServerTest, StopBeforeRunMakesRunReturn) {
  server_ = std::make_unique<Server>(options(), recording_handler(rec_));
  const unsigned short bound = port();
  // A client the kernel has already accepted into the listen queue, its request sent.
  Connection early(bound);
  ASSERT_TRUE(early.send(get("/api/early")));
  server_->stop();
  // run() on its own thread, so that a run() that never returns fails here instead of hanging.
  auto returned = std::make_shared<std::promise<void>>();
  std::future<void> done = returned->get_future();
  runner_ = std::thread([server = server_.get(), returned] {
    server->run();
    returned->set_value();
  });
  if (done.wait_for(5s) != std::future_status::ready) {
    ADD_FAILURE() << "run() did not return within 5 s of an earlier stop()";
    runner_.detach();  // still running: the process ends it
    static_cast<void>(server_.release());
    return;
  }
  runner_.join();
  EXPECT_TRUE(early.closed_by_server());                // never answered
  EXPECT_TRUE(rec_->seen.empty());                      // the handler saw nothing
  EXPECT_THROW(Connection{bound}, std::runtime_error);  // no longer listening
}

TEST_F(HttpServerTest, BindingATakenPortThrows) {
  start();
  auto o = options();
  o.port = port();
  EXPECT_THROW(Server(o, recording_handler(rec_)), std::system_error);
  o.bind = "localhost";  // a name, not an address
  o.port = 0;
  EXPECT_THROW(Server(o, recording_handler(rec_)), std::system_error);
}

}  // namespace
}  // namespace xj::http
