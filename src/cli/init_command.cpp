#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "service/demo_care.hpp"
#include "service/setup.hpp"
#include "service/vault.hpp"

namespace xj::cli {

void add_init_command(CLI::App& app) {
  struct Options {
    std::string db = default_db();
    bool demo = false;
    std::string credentials_out;
    service::InitOptions init;
    bool admin_password_stdin = false;
    int demo_sessions = 400;
    std::int64_t demo_disbursements = 0;
    std::int64_t demo_past_disbursements = 0;
    std::string demo_loading = "auto";
    bool progress = false;
    std::string photos;
    std::string secrets;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("init",
                                 "Create a database: regions, dictionaries, the root "
                                 "organisation and its administrator");
  cmd->add_option("--db", opt->db, "SQLite file (or $XJ_DB)")->capture_default_str();
  cmd->add_flag("--demo", opt->demo, "Add the demo campaign and one account per role");
  cmd->add_option("--demo-sessions", opt->demo_sessions,
                  "Sessions in the demo (benchmarks use more)")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  cmd->add_option("--demo-disbursements", opt->demo_disbursements,
                  "Generated care payments in this year's 困难职工常态化帮扶 programme, spread "
                  "over the organisation tree, written in bulk (benchmarks)")
      ->check(CLI::Range(std::int64_t{0}, service::kVolumePeople))
      ->capture_default_str();
  cmd->add_option("--demo-past-disbursements", opt->demo_past_disbursements,
                  "Generated care payments in last year's programme, closed (benchmarks: a "
                  "ledger with history)")
      ->check(CLI::Range(std::int64_t{0}, service::kVolumePeople))
      ->capture_default_str();
  cmd->add_option("--demo-loading", opt->demo_loading,
                  "How the generated sessions are written: bulk (COPY, batched INSERTs), "
                  "one-by-one (as user writes), or auto (bulk from 5,000 sessions)")
      ->check(CLI::IsMember({"auto", "bulk", "one-by-one"}))
      ->capture_default_str();
  cmd->add_flag("--progress", opt->progress,
                "Show progress on standard error even when it is not a terminal");
  cmd->add_option("--photos", opt->photos,
                  "Folder for the demo's photos (default: photos/ beside the SQLite file)");
  cmd->add_option("--secrets", opt->secrets,
                  "File of the keys that encrypt personal data, made (mode 0600) when missing "
                  "(default: xuanjiang.secrets beside the SQLite file, or ./xuanjiang.secrets)");
  cmd->add_option("--credentials-out", opt->credentials_out,
                  "Write the created accounts' passwords as JSON to this file (mode 0600)");
  cmd->add_option("--root-name", opt->init.root_name, "Name of the root organisation")
      ->capture_default_str();
  cmd->add_option("--root-region", opt->init.root_region, "GB/T 2260 code of the root")
      ->capture_default_str();
  cmd->add_option("--admin", opt->init.admin_username, "User name of the administrator")
      ->capture_default_str();
  cmd->add_flag("--admin-password-stdin", opt->admin_password_stdin,
                "Read the administrator's password from standard input");
  cmd->callback([opt] {
    if (opt->admin_password_stdin) opt->init.admin_password = read_secret_line();
    auto store = store::Store::open(opt->db);
    auto created = service::initialise(*store, opt->init);
    if (!created) throw CommandFailed(created.error().message.en);
    auto passwords = *created;
    auto vault = service::Vault::open(secrets_path(opt->db, opt->secrets), true);
    if (!vault) throw CommandFailed(vault.error().message.en);
    if (opt->demo) {
      service::DemoOptions demo_options;
      demo_options.sessions = opt->demo_sessions;
      demo_options.photos = photo_root(opt->db, opt->photos);
      demo_options.loading = opt->demo_loading == "bulk"         ? service::DemoLoading::kBulk
                             : opt->demo_loading == "one-by-one" ? service::DemoLoading::kOneByOne
                                                                 : service::DemoLoading::kAuto;
      ProgressLine progress(opt->progress);
      demo_options.progress = [&progress](std::string_view what, std::int64_t done,
                                          std::int64_t total) {
        progress.update(what, done, total);
      };
      auto demo = service::seed_demo(*store, demo_options);
      progress.finish();
      if (!demo) throw CommandFailed(demo.error().message.en);
      passwords.insert(demo->begin(), demo->end());
      service::seed_demo_care(*store, *vault, shanghai_date(now_utc()));
      if (opt->demo_disbursements > 0 || opt->demo_past_disbursements > 0) {
        if (opt->demo_disbursements + opt->demo_past_disbursements > service::kVolumePeople) {
          throw CommandFailed("--demo-disbursements and --demo-past-disbursements: at most " +
                              std::to_string(service::kVolumePeople) + " in all");
        }
        service::CareVolumeOptions volume;
        volume.disbursements = opt->demo_disbursements;
        volume.past_disbursements = opt->demo_past_disbursements;
        ProgressLine care_progress(opt->progress);
        volume.progress = [&care_progress](std::string_view what, std::int64_t done,
                                           std::int64_t total) {
          care_progress.update(what, done, total);
        };
        service::seed_care_volume(*store, *vault, shanghai_date(now_utc()), volume);
        care_progress.finish();
      }
      // The sessions the demo recorded one by one wait to be added to the kept sums: added now,
      // so that the database starts with an empty queue.
      store->fold_tallies();
    }
    std::cout << "Initialised " << opt->db << (opt->demo ? " with the demo campaign" : "")
              << ".\nAccounts (user name / password):\n";
    for (const auto& [user, pw] : passwords) std::cout << "  " << user << "  " << pw << "\n";
    if (!opt->credentials_out.empty()) {
      std::ofstream out(opt->credentials_out, std::ios::trunc);
      if (!out) throw CommandFailed("cannot write " + opt->credentials_out);
      out << "{";
      bool first = true;
      for (const auto& [user, pw] : passwords) {
        out << (first ? "" : ",") << "\"" << user << "\":\"" << pw << "\"";
        first = false;
      }
      out << "}\n";
      out.close();
      std::filesystem::permissions(opt->credentials_out, std::filesystem::perms::owner_read |
                                                             std::filesystem::perms::owner_write);
    }
  });
}

}  // namespace xj::cli
