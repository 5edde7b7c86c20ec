// Helpers of the live SQLite tests: a fresh directory per test under
// $STRATA_TEST_TMP (set by ctest) or the system temp directory.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace strata_live {

inline std::filesystem::path test_root() {
  if (const char* env = std::getenv("STRATA_TEST_TMP"); env && *env) return env;
  return std::filesystem::temp_directory_path() / "strata_tests";
}

/// A directory that exists for the lifetime of the fixture and is removed after.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = test_root() / (std::string("live_sqlite_") + info->test_suite_name() + "_" + info->name() + "_" +
                          std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  /// "sqlite:////abs/dir/<name>"
  std::string url(const std::string& name = "test.db") const { return "sqlite:///" + (dir_ / name).string(); }
  std::string path(const std::string& name = "test.db") const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

}  // namespace strata_live
