#include <iostream>

#include "cli/commands.hpp"
#include "store/store.hpp"

namespace xj::cli {

void add_migrate_data_command(CLI::App& app) {
  struct Options {
    std::string from;
    std::string to;
    bool progress = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "migrate-data",
      "Copy a whole database to another engine (e.g. SQLite to PostgreSQL), verified per table");
  cmd->add_option("--from", opt->from, "Source: sqlite:PATH, a file, or postgresql://…")
      ->required();
  cmd->add_option("--to", opt->to, "Destination, created and migrated if empty")->required();
  cmd->add_flag("--progress", opt->progress,
                "Show progress on standard error even when it is not a terminal");
  cmd->callback([opt] {
    auto from = store::Store::open(opt->from);
    auto to = store::Store::open(opt->to);
    ProgressLine progress(opt->progress);
    auto report = store::copy_database(
        *from, *to, [&progress](std::string_view table, std::int64_t rows, std::int64_t total) {
          progress.update(table, rows, total);
        });
    progress.finish();
    if (!report) throw CommandFailed(report.error().message.en);
    bool all = true;
    std::cout << "table\trows\tchecksum\tverified\n";
    for (const auto& t : *report) {
      std::cout << t.table << "\t" << t.rows << "\t" << t.checksum << "\t"
                << (t.verified ? "yes" : "NO") << "\n";
      all = all && t.verified;
    }
    if (!all) throw CommandFailed("the copy differs from the source: see the table above");
    std::cout << "Copied and verified " << report->size() << " tables.\n";
  });
}

}  // namespace xj::cli
