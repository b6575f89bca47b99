// xj_schedule_tool: `xuanjiang schedule ...` without the rest of the server, for benchmarks
// (bench/schedule/run.sh) and development. Same options, same output.
#include <iostream>
#include <stdexcept>

#include "cli/schedule_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"xj_schedule_tool: the dispatch optimiser alone (xuanjiang schedule ...)"};
  app.require_subcommand(1);
  add_schedule_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "xj_schedule_tool: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
