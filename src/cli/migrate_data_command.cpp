#include <iostream>

#include "cli/commands.hpp"
#include "store/store.hpp"

namespace xj::cli {

void add_migrate_data_command(CLI::App& app) {
  struct Options {
    std::string from;
    std::string to;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "migrate-data",
      "Copy a whole database to another engine (e.g. SQLite to PostgreSQL), verified per table");
  cmd->add_option("--from", opt->from, "Source: sqlite:PATH, a file, or postgresql://…")
      ->required();
  cmd->add_option("--to", opt->to, "Destination, created and migrated if empty")->required();
  cmd->callback([opt] {
    auto from = store::Store::open(opt->from);
    auto to = store::Store::open(opt->to);
    auto report = store::copy_database(*from, *to);
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
