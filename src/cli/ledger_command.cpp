// xuanjiang ledger verify: recompute the care programmes' ledger and judge it (issue 16).
#include <iostream>

#include "cli/commands.hpp"
#include "service/care.hpp"
#include "service/vouchers.hpp"
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

// xuanjiang vouchers expire: the sweep that returns expired batches' unredeemed value (a redeem
// attempt on an expired voucher does the same for its own batch). Safe to run at any time, from
// cron, beside running servers: each batch expires once, in its own transaction.
void add_vouchers_command(CLI::App& app) {
  struct Options {
    std::string db = default_db();
  };
  auto opt = std::make_shared<Options>();
  auto* vouchers = app.add_subcommand("vouchers", "Electronic consumption vouchers (电子消费券)");
  vouchers->require_subcommand(1);
  auto* expire = vouchers->add_subcommand(
      "expire",
      "Expire every batch whose last valid day is past, returning its unredeemed value to the "
      "issuing organisation's holding.");
  expire->add_option("--db", opt->db, "SQLite file or postgresql://… (or $XJ_DB)")
      ->capture_default_str();
  expire->callback([opt] {
    auto store = store::Store::open(opt->db);
    // Expiring reads no code and seals nothing: a key of its own is enough.
    const auto vault = service::Vault::ephemeral();
    service::Vouchers service(*store, vault);
    const auto n = service.expire_due(shanghai_date(now_utc()));
    std::cout << "Expired " << n << " voucher batches.\n";
  });
}

}  // namespace xj::cli
