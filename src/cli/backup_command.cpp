#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "cli/commands.hpp"
#include "store/postgres/postgres_connection.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX's name

namespace xj::cli {
namespace {

// A password file only this user can read (mkstemp creates it 0600), removed when done: how
// pg_dump gets the password without it showing on its command line.
class PassFile {
 public:
  explicit PassFile(const std::string& password) {
    path_ = (std::filesystem::temp_directory_path() / "xuanjiang-pgpass-XXXXXX").string();
    const int fd = mkstemp(path_.data());
    if (fd < 0) throw CommandFailed("cannot create a temporary password file");
    // Any host, port, database and user: the file serves this one run. ':' and '\' are escaped.
    std::string line = "*:*:*:*:";
    for (const char c : password) {
      if (c == ':' || c == '\\') line += '\\';
      line += c;
    }
    line += '\n';
    const bool written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    close(fd);
    if (!written) {
      std::filesystem::remove(path_);
      throw CommandFailed("cannot write the temporary password file");
    }
  }
  PassFile(const PassFile&) = delete;
  PassFile& operator=(const PassFile&) = delete;
  ~PassFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// PostgreSQL's own consistent dump (custom format, for pg_restore); no shell involved. The
// password goes through a private file named by PGPASSFILE, never on the command line, which
// `ps` shows to every user of the machine; the environment is no place for it either.
void dump_postgres(const std::string& url, const std::string& out) {
  store::postgres::ClientParameters params;
  try {
    params = store::postgres::client_parameters(url);
  } catch (const std::exception& e) {
    throw CommandFailed(e.what());
  }
  std::optional<PassFile> passfile;
  if (!params.password.empty()) passfile.emplace(params.password);

  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry = *e;
    // The URL's password wins over one the caller's environment may hold, as it did before.
    if (passfile && (entry.starts_with("PGPASSWORD=") || entry.starts_with("PGPASSFILE="))) {
      continue;
    }
    env.emplace_back(entry);
  }
  if (passfile) env.push_back("PGPASSFILE=" + passfile->path());
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args{"pg_dump", "--format=custom", "--file",
                                out,       "--dbname",        params.conninfo};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid == 0) {
    execvpe("pg_dump", argv.data(), envp.data());
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw CommandFailed("pg_dump failed (is the postgresql-client package installed?)");
  }
}

}  // namespace

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
      dump_postgres(opt->db, opt->out);
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
