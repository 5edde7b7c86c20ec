// Test support: a fresh SQLite database file in a temporary folder, removed
// (with its -wal and -shm files) when the object goes away.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace strata::testing {

class TempDb {
 public:
  TempDb() = default;
  explicit TempDb(const std::string& stem) {
    static std::atomic<int> counter{0};
    const char* base = std::getenv("STRATA_TEST_TMP");
    std::filesystem::path dir = base ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
    std::filesystem::create_directories(dir);
    path_ = std::filesystem::absolute(dir / (stem + "_" + std::to_string(::getpid()) + "_" +
                                             std::to_string(counter++) + ".db"));
    remove();
  }
  TempDb(TempDb&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDb& operator=(TempDb&& o) noexcept {
    if (this != &o) {
      remove();
      path_ = std::move(o.path_);
      o.path_.clear();
    }
    return *this;
  }
  ~TempDb() { remove(); }

  const std::filesystem::path& path() const { return path_; }
  /// sqlite:////absolute/path.db
  std::string url() const { return "sqlite:///" + path_.string(); }

 private:
  void remove() {
    if (path_.empty()) return;
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_.string() + s, ec);
  }
  std::filesystem::path path_;
};

}  // namespace strata::testing
