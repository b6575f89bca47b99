#include <iostream>

#include "cli/commands.hpp"
#include "domain/validation.hpp"
#include "service/auth.hpp"
#include "service/records.hpp"
#include "service/tokens.hpp"

namespace xj::cli {

void add_user_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("user", "Manage accounts from the command line");
  cmd->require_subcommand(1);

  struct Options {
    std::string db = default_db();
    std::string username;
    std::string display_name;
    std::string role = "viewer";
    Id organisation_id = 0;
    Id lecturer_id = 0;
    bool password_stdin = false;
  };
  auto opt = std::make_shared<Options>();

  auto* add = cmd->add_subcommand("add",
                                  "Create an account (prints a random password unless "
                                  "--password-stdin)");
  add->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  add->add_option("username", opt->username, "User name")->required();
  add->add_option("--display-name", opt->display_name, "Name shown in the app");
  add->add_option("--role", opt->role, "admin, organiser, lecturer, requester or viewer")
      ->capture_default_str();
  add->add_option("--organisation", opt->organisation_id, "Id of the account's organisation")
      ->required();
  add->add_option("--lecturer", opt->lecturer_id, "Id of the lecturer (role lecturer)");
  add->add_flag("--password-stdin", opt->password_stdin, "Read the password from standard input");
  add->callback([opt] {
    domain::Account a;
    a.username = opt->username;
    a.display_name = opt->display_name.empty() ? opt->username : opt->display_name;
    const auto role = domain::parse_role(opt->role);
    if (!role) throw CommandFailed("unknown role " + opt->role);
    a.role = *role;
    a.organisation_id = opt->organisation_id;
    if (opt->lecturer_id > 0) a.lecturer_id = opt->lecturer_id;
    const bool generated = !opt->password_stdin;
    const std::string password =
        generated ? service::random_token().substr(0, 16) : read_secret_line();
    auto errors = domain::validate(a);
    auto pw_errors = domain::validate_password(password);
    errors.insert(errors.end(), pw_errors.begin(), pw_errors.end());
    if (!errors.empty()) {
      throw CommandFailed(errors.front().field + ": " + errors.front().message.en);
    }
    auto store = store::Store::open(opt->db);
    const std::string hash = service::hash_password(password);
    store::Tx tx = store->write();
    if (!tx.organisation(a.organisation_id)) throw CommandFailed("no such organisation");
    if (a.lecturer_id && !tx.lecturer(*a.lecturer_id)) throw CommandFailed("no such lecturer");
    auto id = tx.insert_account(a, hash);
    if (!id) throw CommandFailed(id.error().message.en);
    tx.append_audit({0, now_utc(), std::nullopt, "cli", "create", "account", *id, "cli", a.username,
                     tx.organisation(a.organisation_id)->path});
    tx.commit();
    std::cout << "Created account " << a.username << " (id " << *id << ")";
    if (generated) std::cout << " with password " << password;
    std::cout << "\n";
  });

  auto* passwd = cmd->add_subcommand("passwd", "Set an account's password and sign it out");
  passwd->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  passwd->add_option("username", opt->username, "User name")->required();
  passwd->add_flag("--password-stdin", opt->password_stdin,
                   "Read the password from standard input (else a random one is printed)");
  passwd->callback([opt] {
    const bool generated = !opt->password_stdin;
    const std::string password =
        generated ? service::random_token().substr(0, 16) : read_secret_line();
    auto store = store::Store::open(opt->db);
    service::Records records(*store);
    auto done = records.set_password(std::nullopt, opt->username, password);
    if (!done) {
      const auto& e = done.error();
      throw CommandFailed(e.details.empty() ? e.message.en : e.details.front().message.en);
    }
    std::cout << "Password of " << opt->username << " changed";
    if (generated) std::cout << " to " << password;
    std::cout << "\n";
  });

  auto* list = cmd->add_subcommand("list", "List the accounts");
  list->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  list->callback([opt] {
    auto store = store::Store::open(opt->db);
    store::Tx tx = store->read();
    store::AccountFilter f;
    f.page.page_size = 1000000;
    for (const auto& a : tx.accounts(f).items) {
      std::cout << a.id << "\t" << a.username << "\t" << domain::role_name(a.role) << "\t"
                << tx.organisation(a.organisation_id)->name << "\t" << a.display_name
                << (a.active ? "" : "\t(disabled)") << "\n";
    }
  });
}

void add_token_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("token", "API tokens for scripts and integrations");
  cmd->require_subcommand(1);
  struct Options {
    std::string db = default_db();
    std::string username;
    std::string name = "cli";
    int days = 0;
    Id id = 0;
  };
  auto opt = std::make_shared<Options>();
  auto* create = cmd->add_subcommand("create",
                                     "Create a bearer token for an account; it is "
                                     "printed once");
  create->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  create->add_option("username", opt->username, "User name")->required();
  create->add_option("--name", opt->name, "What the token is for")->capture_default_str();
  create->add_option("--days", opt->days, "Valid for this many days (0 = until revoked)")
      ->check(CLI::Range(0, 3650));
  create->callback([opt] {
    auto store = store::Store::open(opt->db);
    service::Tokens tokens(*store);
    auto token = tokens.create(opt->username, opt->name,
                               opt->days > 0 ? std::optional<int>(opt->days) : std::nullopt);
    if (!token) throw CommandFailed(token.error().message.en);
    std::cout << *token << "\n";
  });

  auto* list = cmd->add_subcommand("list",
                                   "List an account's tokens: id, name, created, expires, last "
                                   "used (never the token)");
  list->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  list->add_option("username", opt->username, "User name")->required();
  list->callback([opt] {
    auto store = store::Store::open(opt->db);
    service::Tokens tokens(*store);
    auto found = tokens.list(opt->username);
    if (!found) throw CommandFailed(found.error().message.en);
    auto when = [](const std::optional<UnixSeconds>& t, const char* none) {
      return t ? iso_instant(*t) : std::string(none);
    };
    std::cout << "id\tname\tcreated\texpires\tlast used\n";
    for (const auto& t : *found) {
      std::cout << t.id << "\t" << t.name << "\t" << iso_instant(t.created_at) << "\t"
                << when(t.expires_at, "never") << "\t" << when(t.last_used_at, "never") << "\n";
    }
  });

  auto* revoke = cmd->add_subcommand("revoke", "Revoke a token by its id (see token list)");
  revoke->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  revoke->add_option("id", opt->id, "The token's id")->required()->check(CLI::PositiveNumber);
  revoke->callback([opt] {
    auto store = store::Store::open(opt->db);
    service::Tokens tokens(*store);
    auto revoked = tokens.revoke(opt->id);
    if (!revoked) throw CommandFailed(revoked.error().message.en);
    std::cout << "Revoked token " << revoked->id << " (" << revoked->name << ")\n";
  });
}

}  // namespace xj::cli
