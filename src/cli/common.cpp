#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"

namespace xj::cli {

std::string default_db() {
  const char* env = std::getenv("XJ_DB");
  return env != nullptr && *env != '\0' ? env : "xuanjiang.db";
}

std::filesystem::path photo_root(const std::string& db, const std::string& photos) {
  if (!photos.empty()) return photos;
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) {
    return std::filesystem::current_path() / "photos";
  }
  const std::string file = db.starts_with("sqlite:") ? db.substr(7) : db;
  return std::filesystem::absolute(file).parent_path() / "photos";
}

std::filesystem::path secrets_path(const std::string& db, const std::string& secrets) {
  if (!secrets.empty()) return secrets;
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) {
    return std::filesystem::current_path() / "xuanjiang.secrets";
  }
  const std::string file = db.starts_with("sqlite:") ? db.substr(7) : db;
  return std::filesystem::absolute(file).parent_path() / "xuanjiang.secrets";
}

std::string read_secret_line() {
  std::string line;
  if (!std::getline(std::cin, line)) throw CommandFailed("no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace xj::cli
