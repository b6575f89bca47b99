// Files kept by content: each under <root>/<first two hex digits>/<sha256><extension>, written
// to a temporary name, flushed and renamed, so that a crash never leaves half a file under a
// real name. The same content is stored once.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace xj::store {

class FileStore {
 public:
  explicit FileStore(std::filesystem::path root) : root_(std::move(root)) {}

  // Stores `bytes` under its hash (nothing written if already there). Throws
  // std::runtime_error when the disk refuses.
  void put(const std::string& sha256, std::string_view extension, std::string_view bytes);
  std::optional<std::string> get(const std::string& sha256, std::string_view extension) const;
  void remove(const std::string& sha256, std::string_view extension);
  bool exists(const std::string& sha256, std::string_view extension) const;

 private:
  std::filesystem::path path_of(const std::string& sha256, std::string_view extension) const;
  std::filesystem::path root_;
};

}  // namespace xj::store
