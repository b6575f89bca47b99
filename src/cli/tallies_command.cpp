// `xuanjiang tallies verify`: recounts the kept sums behind the statistics (migration 0015)
// from the records on a live database and says where they differ; `--repair` keeps the recount.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "store/store.hpp"

namespace xj::cli {

void add_tallies_command(CLI::App& app) {
  auto* tallies = app.add_subcommand(
      "tallies", "Check the kept sums behind the statistics against the records");
  tallies->require_subcommand(1);
  struct Options {
    std::string db = default_db();
    bool repair = false;
  };
  auto opt = std::make_shared<Options>();
  auto* verify = tallies->add_subcommand(
      "verify",
      "Recount every kept sum from the sessions, answers and sign-ins and report the rows that "
      "differ (exit 1 when any does, unless --repair kept the recount)");
  verify->add_option("--db", opt->db, "SQLite file or postgresql:// URL (or $XJ_DB)");
  verify->add_flag("--repair", opt->repair, "Replace the kept sums by the recount");
  verify->callback([opt] {
    auto store = store::Store::open(opt->db);
    // Sessions queued for the kept sums are added first, and stay added without --repair: the
    // fold changes no figure.
    store->fold_tallies();
    store::Tx tx = store->write();
    const auto checks = tx.check_tallies();
    bool agrees = true;
    for (const auto& c : checks) {
      agrees = agrees && c.agrees();
      std::cout << c.table << ": " << c.kept_rows << " kept rows, " << c.recounted_rows
                << " recounted; " << c.wrong_rows << " wrong, " << c.missing_rows << " missing\n";
      for (const auto& e : c.examples) std::cout << "  " << e << '\n';
    }
    if (agrees) {
      std::cout << "The kept sums equal the recount.\n";
      return;
    }
    if (!opt->repair) {
      throw CommandFailed(
          "the kept sums differ from the recount; run again with --repair to replace them");
    }
    tx.commit();
    std::cout << "Repaired: the kept sums are now the recount.\n";
  });
}

}  // namespace xj::cli
