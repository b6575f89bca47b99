#include "store/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace xj::store {

namespace fs = std::filesystem;

fs::path FileStore::path_of(const std::string& sha256, std::string_view extension) const {
  return root_ / sha256.substr(0, 2) / (sha256 + std::string(extension));
}

bool FileStore::exists(const std::string& sha256, std::string_view extension) const {
  return fs::exists(path_of(sha256, extension));
}

void FileStore::put(const std::string& sha256, std::string_view extension, std::string_view bytes) {
  const fs::path target = path_of(sha256, extension);
  if (fs::exists(target)) return;
  fs::create_directories(target.parent_path());
  std::random_device rd;
  const fs::path tmp = target.string() + ".tmp" + std::to_string(rd());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) {
      ::close(fd);
      fs::remove(tmp);
      throw std::runtime_error("cannot write " + tmp.string());
    }
    written += static_cast<std::size_t>(n);
  }
  // Durable before it gets its real name: an acknowledged upload is never lost.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    fs::remove(tmp);
    throw std::runtime_error("cannot flush " + tmp.string());
  }
  fs::rename(tmp, target);
  const int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::optional<std::string> FileStore::get(const std::string& sha256,
                                          std::string_view extension) const {
  std::ifstream in(path_of(sha256, extension), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void FileStore::remove(const std::string& sha256, std::string_view extension) {
  std::error_code ec;
  fs::remove(path_of(sha256, extension), ec);
}

}  // namespace xj::store
