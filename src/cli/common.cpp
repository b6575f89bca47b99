#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"

namespace xj::cli {

std::string default_db() {
  const char* env = std::getenv("XJ_DB");
  return env != nullptr && *env != '\0' ? env : "xuanjiang.db";
}

std::string read_secret_line() {
  std::string line;
  if (!std::getline(std::cin, line)) throw CommandFailed("no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace xj::cli
