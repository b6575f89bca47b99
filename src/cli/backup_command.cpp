#include <sys/wait.h>
#include <unistd.h>

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
      "backup",
      "Write an online, consistent copy of the database while the server runs (SQLite: the "
      "backup API; PostgreSQL: pg_dump custom format)");
  cmd->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  cmd->add_option("--out", opt->out, "The copy to write (must not exist)")->required();
  cmd->callback([opt] {
    if (std::filesystem::exists(opt->out)) throw CommandFailed(opt->out + " already exists");
    if (store::is_postgres_url(opt->db)) {
      // PostgreSQL's own consistent dump (custom format, for pg_restore); no shell involved.
      const pid_t pid = fork();
      if (pid == 0) {
        execlp("pg_dump", "pg_dump", "--format=custom", "--file", opt->out.c_str(), "--dbname",
               opt->db.c_str(), static_cast<char*>(nullptr));
        _exit(127);
      }
      int status = 0;
      if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
          WEXITSTATUS(status) != 0) {
        throw CommandFailed("pg_dump failed (is the postgresql-client package installed?)");
      }
      std::cout << "Backed up the PostgreSQL database to " << opt->out
                << " (restore with pg_restore)\n";
      return;
    }
    std::string from = opt->db.starts_with("sqlite:") ? opt->db.substr(7) : opt->db;
    if (!std::filesystem::exists(from)) throw CommandFailed("no database at " + from);
    store::sqlite::backup(from, opt->out);
    std::cout << "Backed up " << from << " to " << opt->out << "\n";
  });
}

}  // namespace xj::cli
