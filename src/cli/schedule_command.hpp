// `xuanjiang schedule`: the dispatch optimiser from the command line (docs/schedule.md).
#pragma once

#include <CLI/CLI.hpp>

// Registers `schedule solve` and `schedule generate` on `app`. Failures throw
// std::runtime_error with a message for the user (main prints it and exits 1); usage errors are
// CLI11 parse errors (exit 2).
void add_schedule_command(CLI::App& app);
