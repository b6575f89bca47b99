#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace xj::cli {

void add_backup_command(CLI::App& app) {
  struct Options {
    std::string db = default_db();
    std::string out;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "backup", "Write an online, consistent copy of the SQLite database (the server may run)");
  cmd->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  cmd->add_option("--out", opt->out, "The copy to write (must not exist)")->required();
  cmd->callback([opt] {
    if (store::is_postgres_url(opt->db)) {
      throw CommandFailed(
          "backup copies SQLite files; back up PostgreSQL with pg_dump (docs/operations.md)");
    }
    std::string from = opt->db.starts_with("sqlite:") ? opt->db.substr(7) : opt->db;
    if (!std::filesystem::exists(from)) throw CommandFailed("no database at " + from);
    if (std::filesystem::exists(opt->out)) throw CommandFailed(opt->out + " already exists");
    store::sqlite::backup(from, opt->out);
    std::cout << "Backed up " << from << " to " << opt->out << "\n";
  });
}

}  // namespace xj::cli
