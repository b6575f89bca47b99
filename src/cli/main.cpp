// xuanjiang: the one binary. Exit codes: 0 ok, 1 runtime error, 2 usage error.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.hpp"
#include "service/auth.hpp"
#include "store/sql.hpp"
#include "version.hpp"
#ifdef XJ_HAVE_SCHEDULE
#include "cli/schedule_command.hpp"
#endif

int main(int argc, char** argv) {
  CLI::App app{
      "Xuanjiang (宣讲): the lecture corps and care programmes of a trade-union federation"};
  app.set_version_flag("--version", std::string("xuanjiang ") + xj::kVersion);
  app.require_subcommand(1);
  xj::cli::add_init_command(app);
  xj::cli::add_serve_command(app);
  xj::cli::add_user_command(app);
  xj::cli::add_token_command(app);
  xj::cli::add_backup_command(app);
  xj::cli::add_migrate_data_command(app);
  xj::cli::add_export_command(app);
  xj::cli::add_import_command(app);
  xj::cli::add_tallies_command(app);
  xj::cli::add_report_command(app);
  xj::cli::add_ledger_command(app);
  xj::cli::add_vouchers_command(app);
  xj::cli::add_secrets_command(app);
#ifdef XJ_HAVE_SCHEDULE
  add_schedule_command(app);
#endif
  try {
    (void)xj::service::password_memory_mib();  // a bad $XJ_PASSWORD_MEMORY_MIB stops every command
  } catch (const std::invalid_argument& e) {
    std::cerr << "xuanjiang: " << e.what() << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const xj::cli::CommandFailed& e) {
    std::cerr << "xuanjiang: " << e.what() << "\n";
    return 1;
  } catch (const xj::store::sql::DatabaseError& e) {
    std::cerr << "xuanjiang: database error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "xuanjiang: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
