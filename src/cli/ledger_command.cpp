// xuanjiang ledger verify: recompute the care programmes' ledger and judge it (issue 16).
#include <iostream>

#include "cli/commands.hpp"
#include "service/care.hpp"
#include "store/store.hpp"

namespace xj::cli {

void add_ledger_command(CLI::App& app) {
  struct Options {
    std::string db = default_db();
  };
  auto opt = std::make_shared<Options>();
  auto* ledger = app.add_subcommand("ledger", "The care programmes' ledger");
  ledger->require_subcommand(1);
  auto* verify = ledger->add_subcommand(
      "verify",
      "Recompute every balance; check that every movement and programme sums to zero and every "
      "allocation leads back to its budget. Exits 1 naming the first discrepancy.");
  verify->add_option("--db", opt->db, "SQLite file or postgresql://… (or $XJ_DB)")
      ->capture_default_str();
  verify->callback([opt] {
    auto store = store::Store::open(opt->db);
    const auto verdict = service::verify_ledger(*store);
    if (!verdict.ok) throw CommandFailed("ledger verify: " + verdict.problem);
    std::cout << "The ledger verifies: " << verdict.programmes << " programmes, "
              << verdict.accounts << " accounts, " << verdict.movements
              << " movements, every balance recomputed.\n";
  });
}

}  // namespace xj::cli
