#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.hpp"

namespace xj::cli {

extract::Rules extract_rules(const std::string& folder) {
  std::string dir = folder;
  if (dir.empty()) {
    const char* env = std::getenv("XJ_EXTRACT_RULES");
    if (env != nullptr) dir = env;
  }
  std::map<std::string, std::string> extra;
  if (!dir.empty()) {
    if (!std::filesystem::is_directory(dir)) {
      throw CommandFailed("the extract rules folder " + dir + " does not exist");
    }
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() != ".txt") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      extra[e.path().filename().string()] = text.str();
    }
  }
  auto rules = extract::parse_rules(extra);
  if (!rules) throw CommandFailed(rules.error().message.en);
  return std::move(*rules);
}

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
