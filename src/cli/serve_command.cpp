#include <spdlog/spdlog.h>

#include <malloc.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "cli/app_services.hpp"
#include "cli/commands.hpp"
#include "http/server.hpp"
#include "version.hpp"

namespace xj::cli {

void add_serve_command(CLI::App& app) {
  struct Options {
    std::string db = default_db();
    std::string bind = "127.0.0.1";
    unsigned short port = 8080;
    std::string web;
    std::string port_file;
    unsigned threads = 4;
    unsigned hash_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
    unsigned hash_queue = 8;
    unsigned hash_per_address = 4;
    unsigned stop_after = 0;
    bool secure_cookies = false;
    std::string public_url;
    bool trust_proxy = false;
    double road_speed_kmh = 60;
    double road_factor = 1.3;
    int remind_after_days = 3;
    int escalate_after_hours = 48;
    unsigned reminder_interval = 300;
    unsigned fold_interval_ms = 2000;
    std::string photos;
    std::string secrets;
    std::string extract_rules;
    int login_audit_limit = 200;
    unsigned page_cache_mb = 32;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("serve", "Serve the web app and the API");
  cmd->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  cmd->add_option("--bind", opt->bind, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", opt->port, "Port (0 picks a free one)")->capture_default_str();
  cmd->add_option("--web", opt->web, "Folder of the built front end (web/dist)");
  cmd->add_option("--extract-rules", opt->extract_rules,
                  "Folder of rule files added to the report extractor's (data/extract/README.md; "
                  "or $XJ_EXTRACT_RULES)");
  cmd->add_option("--port-file", opt->port_file, "Write the port here once listening");
  cmd->add_option("--threads", opt->threads, "Worker threads for requests")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--hash-threads", opt->hash_threads,
                  "Threads hashing passwords (logins), apart from the request workers")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--hash-queue", opt->hash_queue,
                  "Logins hashing or waiting to; more are refused at once with 429")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--hash-per-address", opt->hash_per_address,
                  "Of those, at most this many from one client address")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--stop-after", opt->stop_after,
                  "Stop by itself after this many seconds (tests and benchmarks)");
  cmd->add_flag("--secure-cookies", opt->secure_cookies, "Mark cookies Secure (behind HTTPS)");
  cmd->add_option("--public-url", opt->public_url,
                  "Address people reach the app at, for calendar and QR links "
                  "(default: the request's Host)")
      ->check([](const std::string& url) -> std::string {
        const bool scheme = url.starts_with("https://") || url.starts_with("http://");
        const bool clean = url.find_first_of(" \t\r\n\"<>?#") == std::string::npos;
        return scheme && clean && !url.ends_with("/") ? ""
                                                      : "an http(s) address without a trailing /";
      });
  cmd->add_flag("--trust-proxy", opt->trust_proxy,
                "Take the client address from X-Forwarded-For (behind nginx)");
  cmd->add_option("--road-speed", opt->road_speed_kmh,
                  "Average road speed in km/h for dispatch travel checks")
      ->check(CLI::Range(5.0, 200.0))
      ->capture_default_str();
  cmd->add_option("--road-factor", opt->road_factor,
                  "Road distance over great-circle distance for travel checks")
      ->check(CLI::Range(1.0, 3.0))
      ->capture_default_str();
  cmd->add_option("--remind-after-days", opt->remind_after_days,
                  "Remind organisers of orders not dispatched after this many days")
      ->check(CLI::Range(0, 365))
      ->capture_default_str();
  cmd->add_option("--escalate-after-hours", opt->escalate_after_hours,
                  "Tell the dispatcher when a lecturer has not accepted after this many hours")
      ->check(CLI::Range(0, 24 * 365))
      ->capture_default_str();
  cmd->add_option("--reminder-interval", opt->reminder_interval,
                  "Seconds between two rounds of reminders")
      ->check(CLI::Range(1u, 86400u))
      ->capture_default_str();
  cmd->add_option("--fold-interval", opt->fold_interval_ms,
                  "Milliseconds between two folds of the recorded sessions into the statistics' "
                  "kept sums (a reader folds what is left)")
      ->check(CLI::Range(10u, 3'600'000u))
      ->capture_default_str();
  cmd->add_option("--login-audit-limit", opt->login_audit_limit,
                  "Failed logins of unknown user names recorded in the audit log per 15 minutes, "
                  "from all addresses together")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("--page-cache-mb", opt->page_cache_mb,
                  "MiB of list pages kept for readers until the next write (0: none; "
                  "benchmarks of the queries)")
      ->check(CLI::Range(0u, 4096u))
      ->capture_default_str();
  cmd->add_option(
      "--photos", opt->photos,
      "Folder for session photos (default: photos/ beside the SQLite file, or ./photos)");
  cmd->add_option("--secrets", opt->secrets,
                  "File of the keys that encrypt personal data (default: xuanjiang.secrets beside "
                  "the SQLite file, or ./xuanjiang.secrets); made when missing while no personal "
                  "data is stored");
  cmd->callback([opt] {
    if (!opt->web.empty() && !std::filesystem::exists(opt->web + "/index.html")) {
      throw CommandFailed("no index.html in " + opt->web + ": build the front end first");
    }
    // Signals go to one waiting thread, never to the server's threads.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A list page's body and its JSON tree are a few hundred KiB, allocated and freed on every
    // request. With glibc's defaults each such block is a fresh mmap (then munmap), or a worker
    // arena trimmed back to the kernel after the request: page faults and TLB shootdowns that
    // cost a third of a cheap request (perf, docs/benchmarks.md "Cheap pages"). A long-running
    // server keeps that memory for the next request instead.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);

    auto store = store::Store::open(opt->db, opt->threads + 2);
    AppSettings settings;
    settings.auth.unknown_name_audits = opt->login_audit_limit;
    settings.workflow.travel.speed_kmh = opt->road_speed_kmh;
    settings.workflow.travel.road_factor = opt->road_factor;
    settings.workflow.remind_after_days = opt->remind_after_days;
    settings.workflow.escalate_after_hours = opt->escalate_after_hours;
    settings.photos = photo_root(opt->db, opt->photos);
    settings.extract_rules = extract_rules(opt->extract_rules);
    settings.hashes = {opt->hash_threads, opt->hash_queue, opt->hash_per_address, 10};
    const auto secrets = secrets_path(opt->db, opt->secrets);
    bool may_create = false;
    if (!std::filesystem::exists(secrets)) {
      // A new key for a database that already holds sealed data would lock that data away.
      may_create = store->read().count("care_beneficiaries") == 0 &&
                   store->read().count("care_vouchers") == 0;
      if (!may_create) {
        throw CommandFailed("the secrets file " + secrets.string() +
                            " is missing, and the database holds encrypted personal data: "
                            "restore the file (see docs/operations.md)");
      }
    }
    auto vault = service::Vault::open(secrets, may_create);
    if (!vault) throw CommandFailed(vault.error().message.en);
    // Before the server, so destroyed after it; its hash pool stopped as soon as the server has.
    AppServices services(*store, *vault, std::move(settings));
    service::HashPool& hashes = services.hashes();
    service::Workflow& workflow = services.workflow();
    http::ServerOptions so;
    so.bind = opt->bind;
    so.port = opt->port;
    so.static_root = opt->web;
    so.worker_threads = opt->threads;
    so.trust_proxy = opt->trust_proxy;
    so.body_limit_for = http::body_limit_for;
    http::Server server(
        so, http::make_api(services.api(), {kVersion, opt->secure_cookies, opt->public_url,
                                            std::size_t{opt->page_cache_mb} << 20}));
    if (!opt->port_file.empty()) {
      const std::string tmp = opt->port_file + ".tmp";
      std::ofstream(tmp) << server.port() << "\n";
      std::filesystem::rename(tmp, opt->port_file);  // readers never see half a file
    }
    spdlog::info("xuanjiang {} serving http://{}:{}/ (database {}, engine {})", kVersion, opt->bind,
                 server.port(), opt->db, store->engine());

    std::thread waiter([&server, signals, stop_after = opt->stop_after] {
      if (stop_after > 0) {
        timespec timeout{static_cast<time_t>(stop_after), 0};
        sigtimedwait(&signals, nullptr, &timeout);
      } else {
        int sig = 0;
        sigwait(&signals, &sig);
      }
      spdlog::info("stopping");
      server.stop();
    });
    // Reminders run beside the requests; with several server processes each sends them, and
    // the store marks every order reminded in the same transaction, so each goes out once.
    // The kept sums' queue is folded beside them too (Store::fold_tallies), so that the next
    // reader of a statistic finds little to fold; folds of several processes take turns.
    std::mutex stop_mutex;
    std::condition_variable stop_signal;
    bool stopping = false;
    auto every = [&](std::chrono::milliseconds interval, const char* what, auto task) {
      return std::thread([&, interval, what, task] {
        std::unique_lock lock(stop_mutex);
        while (!stopping) {
          lock.unlock();
          try {
            task();
          } catch (const std::exception& e) {
            spdlog::error("{} failed: {}", what, e.what());
          }
          lock.lock();
          stop_signal.wait_for(lock, interval, [&] { return stopping; });
        }
      });
    };
    std::thread reminders = every(std::chrono::seconds(opt->reminder_interval), "reminders", [&] {
      if (const auto sent = workflow.send_reminders(now_utc()); sent > 0) {
        spdlog::info("sent {} reminders", sent);
      }
    });
    std::thread folds = every(std::chrono::milliseconds(opt->fold_interval_ms),
                              "folding the kept sums", [&] { store->fold_tallies(); });
    server.run();
    // What it still holds are requests the server no longer answers (their Replies must go
    // while the server exists).
    hashes.stop();
    {
      const std::lock_guard lock(stop_mutex);
      stopping = true;
    }
    stop_signal.notify_all();
    reminders.join();
    folds.join();
    // run() may also return on its own (a fatal error): release the waiter. SIGTERM is blocked
    // in every thread and taken by the waiter's sigwait, so this wakes it and stops nothing.
    pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
    waiter.join();
  });
}

}  // namespace xj::cli
