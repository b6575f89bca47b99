// xuanjiang report: the printed campaign report (宣讲工作简报, the web app's /report page) saved
// as a PDF by Debian's headless Chromium, for scheduled use. It serves the web app itself on a
// free 127.0.0.1 port (or uses a running server, --url), signs the browser in with an API token
// made for the run (revoked at the end), drives Chromium over its DevTools pipe (fds 3 and 4):
// opens the page, waits until the page says it is ready, prints it (A4, the page's own header
// and page numbers) and writes the file. Every wait has a deadline.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/app_services.hpp"
#include "cli/commands.hpp"
#include "http/server.hpp"
#include "version.hpp"

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX names it

namespace xj::cli {

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string db = default_db();
  std::string web = "web/dist";
  std::string photos;
  std::string as;
  Id campaign_id = 0;
  std::string from;
  std::string to;
  std::vector<Id> campaign_ids;
  Id organisation_id = 0;
  std::string lang = "zh";
  std::string pdf;
  std::string chromium = "/usr/bin/chromium";
  unsigned timeout = 120;
  std::string url;
  std::string token;
};

std::optional<Date> date_option(const std::string& name, const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = Date::parse(text);
  if (!d) throw CommandFailed(name + " must be a date YYYY-MM-DD");
  return d;
}

// The report page's address for the selection (what the page reads back, report.ts).
std::string report_path(const Options& o) {
  std::string query;
  auto add = [&](const std::string& key, const std::string& value) {
    query += (query.empty() ? "?" : "&") + key + "=" + value;
  };
  if (o.campaign_id > 0) add("campaign_id", std::to_string(o.campaign_id));
  if (!o.campaign_ids.empty()) {
    std::string ids;
    for (const Id id : o.campaign_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    add("campaign_ids", ids);
  }
  if (!o.from.empty()) add("from", o.from);
  if (!o.to.empty()) add("to", o.to);
  if (o.organisation_id > 0) add("organisation_id", std::to_string(o.organisation_id));
  return "/report" + query;
}

std::string base64_decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(in.size() / 4 * 3);
  unsigned bits = 0;
  int count = 0;
  for (const char c : in) {
    const int v = value(c);
    if (v < 0) continue;  // padding and line breaks
    bits = (bits << 6U) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> static_cast<unsigned>(count)) & 0xFFU));
    }
  }
  return out;
}

// Chromium driven over --remote-debugging-pipe: commands written to its fd 3, answers and events
// read from its fd 4, each a JSON text ended by a NUL byte.
class Chromium {
 public:
  Chromium(const std::string& binary, const std::filesystem::path& profile,
           const std::filesystem::path& log) {
    std::array<int, 2> to_browser{};
    std::array<int, 2> from_browser{};
    if (pipe2(to_browser.data(), O_CLOEXEC) != 0 || pipe2(from_browser.data(), O_CLOEXEC) != 0) {
      throw CommandFailed("cannot make the pipes to Chromium");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_adddup2(&actions, to_browser[0], 3);
    posix_spawn_file_actions_adddup2(&actions, from_browser[1], 4);
    const std::string profile_flag = "--user-data-dir=" + profile.string();
    std::vector<std::string> args{binary,
                                  "--headless",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--disable-dev-shm-usage",
                                  "--disable-background-networking",
                                  "--disable-extensions",
                                  "--disable-sync",
                                  "--no-first-run",
                                  "--no-default-browser-check",
                                  "--hide-scrollbars",
                                  "--mute-audio",
                                  profile_flag,
                                  "--remote-debugging-pipe",
                                  "about:blank"};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int status = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(to_browser[0]);
    close(from_browser[1]);
    write_fd_ = to_browser[1];
    read_fd_ = from_browser[0];
    if (status != 0) {
      pid_ = -1;
      throw CommandFailed("cannot start " + binary + ": " + std::strerror(status));
    }
  }
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;
  ~Chromium() {
    if (write_fd_ >= 0) close(write_fd_);
    if (read_fd_ >= 0) close(read_fd_);
    if (pid_ > 0) {
      // Closing the pipe ends it; if it lingers, it is killed.
      for (int i = 0; i < 50; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Sends one command (to the page's session when `session` is given) and returns its result;
  // fails on an error answer, on the browser's end, and at the deadline.
  json::object call(const std::string& method, json::object params, Clock::time_point deadline,
                    const std::string& session = "") {
    const std::int64_t id = ++last_id_;
    json::object message{{"id", id}, {"method", method}, {"params", std::move(params)}};
    if (!session.empty()) message["sessionId"] = session;
    std::string text = json::serialize(message);
    text.push_back('\0');
    for (std::size_t at = 0; at < text.size();) {
      const ssize_t n = write(write_fd_, text.data() + at, text.size() - at);
      if (n <= 0) throw CommandFailed("Chromium closed its pipe (see its log)");
      at += static_cast<std::size_t>(n);
    }
    for (;;) {
      json::value answer = next(deadline, method);
      const auto* o = answer.if_object();
      if (o == nullptr) continue;
      const auto* answer_id = o->if_contains("id");
      if (answer_id == nullptr || !answer_id->is_int64() || answer_id->as_int64() != id) continue;
      if (const auto* error = o->if_contains("error")) {
        throw CommandFailed("Chromium refused " + method + ": " + json::serialize(*error));
      }
      const auto* result = o->if_contains("result");
      return result != nullptr && result->is_object() ? result->as_object() : json::object{};
    }
  }

 private:
  json::value next(Clock::time_point deadline, const std::string& waiting_for) {
    for (;;) {
      const std::size_t end = buffer_.find('\0');
      if (end != std::string::npos) {
        std::string text = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        boost::system::error_code ec;
        json::value v = json::parse(text, ec);
        if (!ec) return v;
        continue;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) throw CommandFailed("timed out waiting for Chromium (" + waiting_for + ")");
      pollfd p{read_fd_, POLLIN, 0};
      const int ready = poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left, 1000)));
      if (ready < 0 && errno != EINTR) throw CommandFailed("cannot read from Chromium");
      if (ready <= 0) continue;
      std::array<char, 65536> chunk{};
      const ssize_t n = read(read_fd_, chunk.data(), chunk.size());
      if (n <= 0) throw CommandFailed("Chromium ended before the report was printed (see its log)");
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int write_fd_ = -1;
  int read_fd_ = -1;
  std::int64_t last_id_ = 0;
  std::string buffer_;
};

// What the page says about itself: "ready" once its figures, charts, photos and fonts are in,
// "error: …" when it shows an error or was sent elsewhere (a refused login), else "wait".
constexpr const char* kReadyProbe = R"js((() => {
  if (location.pathname !== '/report') return 'error: the browser was sent to ' + location.pathname;
  const page = document.querySelector('[data-testid="report"]');
  if (!page) return 'wait';
  const failed = page.querySelector('.list-error, .el-alert--error, [data-testid="list-error"]');
  if (failed) return 'error: ' + failed.textContent.trim().slice(0, 300);
  if (page.dataset.reportReady !== '1') return 'wait';
  const charts = [...page.querySelectorAll('[data-rendered]')];
  if (!charts.every((c) => c.dataset.rendered === '1')) return 'wait';
  if (![...document.images].every((i) => i.complete)) return 'wait';
  return document.fonts.status === 'loaded' ? 'ready' : 'wait';
})())js";

// Prints `url` with `token` as the browser's bearer token; returns the PDF's bytes.
std::string print_page(const Options& o, const std::string& url, const std::string& token,
                       const std::filesystem::path& work) {
  const auto deadline = Clock::now() + std::chrono::seconds(o.timeout);
  // A browser that dies leaves a closed pipe: a write then fails instead of killing us.
  std::signal(SIGPIPE, SIG_IGN);
  Chromium browser(o.chromium, work / "profile", work / "chromium.log");
  try {
    const auto target = browser.call("Target.createTarget", {{"url", "about:blank"}}, deadline);
    const std::string target_id(target.at("targetId").as_string());
    const auto attached = browser.call("Target.attachToTarget",
                                       {{"targetId", target_id}, {"flatten", true}}, deadline);
    const std::string session(attached.at("sessionId").as_string());
    browser.call("Page.enable", {}, deadline, session);
    browser.call("Network.enable", {}, deadline, session);
    browser.call("Network.setExtraHTTPHeaders",
                 {{"headers", {{"Authorization", "Bearer " + token}}}}, deadline, session);
    // The app's remembered language, and its hint that this browser is signed in (the bearer
    // token is: without the hint the app would not ask who is).
    const std::string locale = o.lang == "en" ? "en" : "zh-CN";
    browser.call("Page.addScriptToEvaluateOnNewDocument",
                 {{"source", "try { localStorage.setItem('xj.locale', '" + locale +
                                 "'); localStorage.setItem('xj.signedIn', '1') } catch (e) {}"}},
                 deadline, session);
    browser.call("Page.navigate", {{"url", url}}, deadline, session);
    std::string state = "wait";
    while (state == "wait") {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      const auto r =
          browser.call("Runtime.evaluate", {{"expression", kReadyProbe}, {"returnByValue", true}},
                       deadline, session);
      const auto* value = r.if_contains("result");
      const auto* text = value != nullptr && value->is_object()
                             ? value->as_object().if_contains("value")
                             : nullptr;
      state = text != nullptr && text->is_string() ? std::string(text->as_string()) : "wait";
    }
    if (state != "ready") throw CommandFailed("the report page failed: " + state.substr(7));
    // A4 from the page's own @page rule; its margin boxes carry the running header and the
    // page numbers, so Chromium's own header and footer stay off.
    const auto pdf = browser.call("Page.printToPDF",
                                  {{"paperWidth", 8.27},
                                   {"paperHeight", 11.69},
                                   {"preferCSSPageSize", true},
                                   {"printBackground", true},
                                   {"displayHeaderFooter", false}},
                                  deadline, session);
    std::string bytes = base64_decode(pdf.at("data").as_string());
    try {
      browser.call("Browser.close", {}, Clock::now() + std::chrono::seconds(5));
    } catch (const CommandFailed&) {
      // It may end before it answers; the destructor makes sure it has.
    }
    return bytes;
  } catch (const std::exception& e) {
    std::string log;
    std::ifstream in(work / "chromium.log");
    std::getline(in, log, '\0');
    if (log.size() > 2000) log = log.substr(log.size() - 2000);
    throw CommandFailed(std::string(e.what()) + (log.empty() ? "" : "\nChromium said:\n" + log));
  }
}

// The account named by --as, or the first administrator at the root of the tree.
std::string account_of(store::Store& store, const std::string& login) {
  store::Tx tx = store.read();
  if (!login.empty()) {
    const auto credentials = tx.credentials(login);
    if (!credentials || !credentials->account.active) throw CommandFailed("no account " + login);
    return login;
  }
  store::AccountFilter admins;
  admins.role = domain::Role::kAdmin;
  admins.page.page_size = 200;
  for (const auto& a : tx.accounts(admins).items) {
    const auto who = tx.principal(a.id);
    if (a.active && who &&
        std::count(who->organisation_path.begin(), who->organisation_path.end(), '/') <= 2) {
      return a.username;
    }
  }
  throw CommandFailed("no administrator at the root of the tree: name an account with --as");
}

void run(const Options& o) {
  if (!std::filesystem::exists(o.chromium)) {
    throw CommandFailed("Chromium is not installed at " + o.chromium +
                        " (apt-get install chromium, or name it with --chromium)");
  }
  if (o.lang != "zh" && o.lang != "en") throw CommandFailed("--lang must be zh or en");
  if (o.campaign_id > 0 && !o.campaign_ids.empty()) {
    throw CommandFailed("--campaign-id and --campaign-ids exclude each other");
  }
  service::PeriodQuery query;
  query.from = date_option("--from", o.from);
  query.to = date_option("--to", o.to);
  if (o.campaign_id > 0) query.campaign_ids.push_back(o.campaign_id);
  for (const Id id : o.campaign_ids) query.campaign_ids.push_back(id);
  if (o.organisation_id > 0) query.organisation_id = o.organisation_id;

  const auto work = std::filesystem::temp_directory_path() /
                    ("xj-report-" + std::to_string(getpid()) + "-" +
                     std::to_string(Clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(work);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{work};

  std::string bytes;
  if (!o.url.empty()) {
    // A running server: the caller's token, and the server's own checks.
    if (o.token.empty()) throw CommandFailed("--url needs --token (xuanjiang token create)");
    bytes = print_page(o, o.url + report_path(o), o.token, work);
  } else {
    if (!std::filesystem::exists(o.web + "/index.html")) {
      throw CommandFailed("no index.html in " + o.web +
                          ": build the front end (or name it, --web)");
    }
    auto store = store::Store::open(o.db, 6);
    const std::string login = account_of(*store, o.as);
    // The selection is judged before any browser starts, with the server's own rules.
    {
      std::optional<domain::Principal> who;
      {
        store::Tx tx = store->read();
        const auto credentials = tx.credentials(login);
        if (credentials) who = tx.principal(credentials->account.id);
      }
      if (!who) throw CommandFailed("no account " + login);
      service::Statistics statistics(*store);
      auto figures = statistics.period(*who, query, shanghai_date(now_utc()));
      if (!figures) {
        const Error& e = figures.error();
        std::string what = "the selection";
        if (e.code == ErrorCode::kNotFound && !query.campaign_ids.empty()) {
          what = "campaign";
          for (const Id id : query.campaign_ids) what += " " + std::to_string(id);
        }
        std::string why = e.message.en;
        for (const auto& d : e.details) why += "; " + d.field + ": " + d.message.en;
        throw CommandFailed(what + " cannot be reported as " + login + ": " + why);
      }
    }
    service::Tokens tokens(*store);
    const std::string token_name = "xuanjiang report " + std::to_string(getpid());
    auto token = tokens.create(login, token_name, 1);
    if (!token) throw CommandFailed("cannot make a token: " + token.error().message.en);
    struct Revoke {
      service::Tokens& tokens;
      const std::string& login;
      const std::string& name;
      ~Revoke() {
        try {
          auto list = tokens.list(login);
          if (!list) return;
          for (const auto& t : *list) {
            if (t.name == name) (void)tokens.revoke(t.id);
          }
        } catch (const std::exception& e) {
          std::cerr << "the report's token could not be revoked: " << e.what() << "\n";
        }
      }
    } revoke{tokens, login, token_name};

    spdlog::set_level(spdlog::level::warn);  // the page's requests are no news here
    AppSettings settings;
    settings.photos = photo_root(o.db, o.photos);
    settings.extract_rules = extract_rules({});
    settings.hashes = {1, 4, 4, 10};
    // The printed page reads no personal data: a key of its own, never written, serves the
    // care routes the server answers (and nothing it could unseal).
    const auto vault = service::Vault::ephemeral();
    AppServices app(*store, vault, std::move(settings));
    service::HashPool& hashes = app.hashes();
    http::ServerOptions so;
    so.bind = "127.0.0.1";
    so.port = 0;
    so.static_root = o.web;
    so.worker_threads = 4;
    so.body_limit_for = http::body_limit_for;
    http::Server server(so, http::make_api(app.api(), {kVersion, false, ""}));
    std::thread serving([&server] { server.run(); });
    try {
      bytes = print_page(o, "http://127.0.0.1:" + std::to_string(server.port()) + report_path(o),
                         *token, work);
    } catch (...) {
      server.stop();
      serving.join();
      hashes.stop();
      throw;
    }
    server.stop();
    serving.join();
    hashes.stop();
  }
  if (!bytes.starts_with("%PDF-")) throw CommandFailed("Chromium did not answer with a PDF");
  const std::string partial = o.pdf + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw CommandFailed("cannot write " + partial);
  }
  std::filesystem::rename(partial, o.pdf);
  std::cout << "wrote " << o.pdf << " (" << bytes.size() << " bytes)\n";
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "report", "Print the campaign report (宣讲工作简报) to PDF with headless Chromium");
  cmd->add_option("--pdf", opt->pdf, "The PDF file to write")->required();
  cmd->add_option("--db", opt->db, "SQLite file or postgresql:// URL (or $XJ_DB)")
      ->capture_default_str();
  cmd->add_option("--web", opt->web, "Folder of the built front end")->capture_default_str();
  cmd->add_option("--photos", opt->photos,
                  "Folder of session photos (default: photos/ beside the SQLite file)");
  cmd->add_option("--as", opt->as,
                  "The account whose report it is (its scope); default: an administrator of the "
                  "whole tree");
  cmd->add_option("--campaign-id", opt->campaign_id, "One campaign, over its own period")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--campaign-ids", opt->campaign_ids, "Several campaigns (none: every one)")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  cmd->add_option("--from", opt->from, "First day, YYYY-MM-DD");
  cmd->add_option("--to", opt->to, "Last day, YYYY-MM-DD");
  cmd->add_option("--organisation-id", opt->organisation_id, "An organisation's subtree")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--lang", opt->lang, "zh or en")->capture_default_str();
  cmd->add_option("--chromium", opt->chromium, "The Chromium binary")->capture_default_str();
  cmd->add_option("--timeout", opt->timeout, "Seconds the whole printing may take")
      ->check(CLI::Range(5u, 3600u))
      ->capture_default_str();
  cmd->add_option("--url", opt->url,
                  "A running server's address (http://host:port) instead of serving one here");
  cmd->add_option("--token", opt->token, "With --url: an API token of the account to report as");
  cmd->callback([opt] { run(*opt); });
}

}  // namespace xj::cli
