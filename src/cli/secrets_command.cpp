// xuanjiang secrets rotate: new keys for the personal data (issue 16). Every sealed value is
// re-sealed and re-hashed in one transaction; the key files change around it so that at every
// moment one of them opens the database:
//   FILE.new  the new keys, written whole and fsynced before the database is touched;
//   FILE.old  a copy of the old keys (0600), kept until the transaction has committed;
//   FILE      renamed over by FILE.new once committed (atomic), then FILE.old is removed.
// Stop every server first: a server still running holds the old keys in memory.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "service/secrets.hpp"
#include "service/vault.hpp"
#include "store/store.hpp"

namespace xj::cli {

namespace {

// Writes `text` to a new file `path` (0600, refused when it exists) and fsyncs it.
void write_new_file(const std::filesystem::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw CommandFailed("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw CommandFailed("cannot write " + path.string());
  }
}

void sync_folder(const std::filesystem::path& file) {
  const auto folder = std::filesystem::absolute(file).parent_path();
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw CommandFailed("cannot read " + path.string());
  return text.str();
}

}  // namespace

void add_secrets_command(CLI::App& app) {
  struct Options {
    std::string db = default_db();
    std::string secrets;
  };
  auto opt = std::make_shared<Options>();
  auto* secrets =
      app.add_subcommand("secrets", "The keys that encrypt personal data (ID numbers, phones)");
  secrets->require_subcommand(1);
  auto* rotate = secrets->add_subcommand(
      "rotate",
      "New keys: every ID number, phone and voucher code re-encrypted and re-hashed in one "
      "transaction, then the new key file put in place of the old one. Stop the servers first; "
      "exits 1 and changes nothing when the key file does not open the database.");
  rotate->add_option("--db", opt->db, "SQLite file or postgresql://… (or $XJ_DB)")
      ->capture_default_str();
  rotate->add_option("--secrets", opt->secrets,
                     "The key file (default: xuanjiang.secrets beside the SQLite file, or "
                     "./xuanjiang.secrets)");
  rotate->callback([opt] {
    const auto file = secrets_path(opt->db, opt->secrets);
    if (!std::filesystem::exists(file)) {
      throw CommandFailed("no secrets file " + file.string() + ": nothing was changed");
    }
    const std::filesystem::path fresh_file = file.string() + ".new";
    const std::filesystem::path old_file = file.string() + ".old";
    for (const auto& left : {fresh_file, old_file}) {
      if (std::filesystem::exists(left)) {
        throw CommandFailed(left.string() +
                            " exists: an earlier rotation did not finish. See "
                            "docs/operations.md; nothing was changed");
      }
    }
    auto old = service::Vault::open(file, false);
    if (!old) throw CommandFailed(old.error().message.en + ": nothing was changed");
    const auto fresh = old->rotated();
    auto store = store::Store::open(opt->db);

    write_new_file(old_file, read_whole(file));
    write_new_file(fresh_file, fresh.file_text());
    sync_folder(file);
    // Before the commit, any failure (a refusal, a lost connection) leaves the database under
    // the old keys: the two new files go, FILE stays as it was.
    auto drop_new_files = [&] {
      std::error_code ignored;
      std::filesystem::remove(fresh_file, ignored);
      std::filesystem::remove(old_file, ignored);
    };
    std::optional<Result<service::Resealed>> done;
    try {
      done.emplace(service::reseal_all(*store, *old, fresh));
    } catch (...) {
      drop_new_files();
      throw;
    }
    if (!*done) {
      drop_new_files();
      throw CommandFailed(done->error().message.en);
    }
    // Committed: the database is sealed under the new keys only.
    std::filesystem::rename(fresh_file, file);
    sync_folder(file);
    std::filesystem::remove(old_file);
    sync_folder(file);
    std::cout << "Rotated the keys: " << (*done)->beneficiaries << " beneficiaries and "
              << (*done)->vouchers << " vouchers re-encrypted; the new keys are in "
              << file.string() << ".\n";
  });
}

}  // namespace xj::cli
