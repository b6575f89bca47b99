#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.hpp"

namespace xj::cli {

extract::Rules extract_rules(const std::string& folder) {
  std::string dir = folder;
  if (dir.empty()) {
    const char* env = std::getenv("XJ_EXTRACT_RULES");
    if (env != nullptr) dir = env;
  }
  std::map<std::string, std::string> extra;
  if (!dir.empty()) {
    if (!std::filesystem::is_directory(dir)) {
      throw CommandFailed("the extract rules folder " + dir + " does not exist");
    }
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() != ".txt") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      extra[e.path().filename().string()] = text.str();
    }
  }
  auto rules = extract::parse_rules(extra);
  if (!rules) throw CommandFailed(rules.error().message.en);
  return std::move(*rules);
}

std::string default_db() {
  const char* env = std::getenv("XJ_DB");
  return env != nullptr && *env != '\0' ? env : "xuanjiang.db";
}

std::filesystem::path photo_root(const std::string& db, const std::string& photos) {
  if (!photos.empty()) return photos;
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) {
    return std::filesystem::current_path() / "photos";
  }
  const std::string file = db.starts_with("sqlite:") ? db.substr(7) : db;
  return std::filesystem::absolute(file).parent_path() / "photos";
}

std::filesystem::path secrets_path(const std::string& db, const std::string& secrets) {
  if (!secrets.empty()) return secrets;
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) {
    return std::filesystem::current_path() / "xuanjiang.secrets";
  }
  const std::string file = db.starts_with("sqlite:") ? db.substr(7) : db;
  return std::filesystem::absolute(file).parent_path() / "xuanjiang.secrets";
}

std::string read_secret_line() {
  std::string line;
  if (!std::getline(std::cin, line)) throw CommandFailed("no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

namespace {

// 1234567 → "1,234,567".
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace

ProgressLine::ProgressLine(bool forced) : shown_(forced || isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() { finish(); }

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

void ProgressLine::update(std::string_view what, std::int64_t done, std::int64_t total) {
  if (!shown_) return;
  const auto now = std::chrono::steady_clock::now();
  if (what != what_) {
    finish();  // the last phase's line, with its own counts
    what_ = what;
    started_ = now;
    cpu_started_ = cpu_seconds();
  } else if (now - last_ < std::chrono::milliseconds(200) && done != total) {
    done_ = done;  // drawn at the next update, or by finish()
    total_ = total;
    return;  // a terminal need not be redrawn more than five times a second
  }
  done_ = done;
  total_ = total;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  std::string rate;
  if (seconds > 0.05 && done > 0) {
    rate =
        ", " + grouped(static_cast<std::int64_t>(static_cast<double>(done) / seconds)) + " rows/s";
  }
  draw(rate);
}

void ProgressLine::draw(std::string_view tail) {
  std::string line = "\r" + what_;
  if (done_ > 0 || total_ > 0) line += " " + grouped(done_);
  if (total_ > 0) line += " of " + grouped(total_);
  line += tail;
  line += "\x1b[K";  // clear what a longer line left behind
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  open_ = true;
}

void ProgressLine::finish() {
  if (!open_) return;
  // Where the time of a long command went, phase by phase (the CPU time is this process's own:
  // a database server's is not in it).
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::array<char, 96> times{};
  std::snprintf(times.data(), times.size(), ": %.1f s, %.1f s CPU", wall,
                cpu_seconds() - cpu_started_);
  draw(times.data());
  std::fputs("\n", stderr);
  std::fflush(stderr);
  open_ = false;
}

}  // namespace xj::cli
