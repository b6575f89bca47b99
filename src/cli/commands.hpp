// The subcommands of `xuanjiang`. Each add_* registers one subcommand on the app; its callback
// throws CommandFailed (exit code 1) on a runtime error.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "extract/extract.hpp"

namespace xj::cli {

// A runtime failure of a command: printed, and the process exits with code 1.
class CommandFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database to use: --db, else $XJ_DB, else ./xuanjiang.db.
std::string default_db();
// The photo folder: --photos, else photos/ beside the SQLite file, else ./photos.
std::filesystem::path photo_root(const std::string& db, const std::string& photos);
// The secrets file (keys of the personal data, issue 16): --secrets, else xuanjiang.secrets
// beside the SQLite file, else ./xuanjiang.secrets.
std::filesystem::path secrets_path(const std::string& db, const std::string& secrets);
// The report extractor's rules (issue 18): the shipped data/extract files plus, from `folder`
// (--extract-rules, else $XJ_EXTRACT_RULES, else none), every *.txt of the same name, whose
// lines are added. Throws CommandFailed naming the file and line of a bad rule.
extract::Rules extract_rules(const std::string& folder);

// One line from standard input, without its line break (for --password-stdin).
std::string read_secret_line();

// One line on standard error that a long command rewrites as it goes ("sessions 120,000 of
// 1,000,000, 85,000 rows/s"), one per phase, ended with the phase's wall and CPU time (of this
// process) when the next begins: shown when standard error is a terminal, or when `forced`
// (--progress), else silent. An update with `done` and `total` 0 names a phase without rows.
class ProgressLine {
 public:
  explicit ProgressLine(bool forced);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine();
  // `total` 0: not known. The rate counts from the first update of `what`.
  void update(std::string_view what, std::int64_t done, std::int64_t total);
  // Ends the line (the next output starts on a line of its own).
  void finish();

 private:
  bool shown_;
  bool open_ = false;
  std::string what_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_;
  double cpu_started_ = 0;  // seconds of CPU of this process when the phase began
  std::int64_t done_ = 0;
  std::int64_t total_ = 0;
  void draw(std::string_view tail);
};

void add_init_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_user_command(CLI::App& app);
void add_token_command(CLI::App& app);
void add_backup_command(CLI::App& app);
void add_migrate_data_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_import_command(CLI::App& app);
void add_tallies_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_ledger_command(CLI::App& app);
void add_vouchers_command(CLI::App& app);
void add_secrets_command(CLI::App& app);

}  // namespace xj::cli
