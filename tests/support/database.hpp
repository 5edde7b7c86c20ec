// Test support: a fresh, empty database per test on each backend.
//
//   SQLite      a file in a temporary folder ($STRATA_TEST_TMP), removed after;
//   PostgreSQL  a database created on the server scripts/test started
//               (STRATA_TEST_PG_URL, else DATABASE_URL when it is a
//               postgresql:// URL), dropped after (DROP DATABASE ... WITH (FORCE)).
//
// Parametrized suites run once per backend:
//
//   class SeedsTest : public strata::testing::BackendTest {};
//   TEST_P(SeedsTest, Works) { auto engine = strata::create_engine(url()); ... }
//   STRATA_INSTANTIATE_BACKENDS(SeedsTest);
//
// Without a server URL the PostgreSQL cases are skipped, except under CI=true
// where a missing server is a failure (the rules of the house).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/engine/engine.hpp"
#include "strata/sql/text.hpp"
#include "support/temp_db.hpp"

namespace strata::testing {

enum class Backend { sqlite, postgresql };

inline std::string backend_name(Backend b) { return b == Backend::sqlite ? "sqlite" : "postgresql"; }

/// The URL of the test server's maintenance database, or std::nullopt.
inline std::optional<std::string> postgresql_server_url() {
  for (const char* name : {"STRATA_TEST_PG_URL", "DATABASE_URL"}) {
    const char* u = std::getenv(name);
    if (u && std::string_view(u).starts_with("postgres")) return std::string(u);
  }
  return std::nullopt;
}

inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string_view(ci) == "true";
}

/// Every backend this test program can reach (PostgreSQL when linked in).
inline std::vector<Backend> backends() {
  std::vector<Backend> out{Backend::sqlite};
  if (dialect::find_dialect("postgresql")) out.push_back(Backend::postgresql);
  return out;
}

/// A fresh database; dropped (PostgreSQL) or deleted (SQLite) on destruction.
class TestDatabase {
 public:
  TestDatabase() = default;
  /// `stem`: a short name for the database (letters, digits, '_').
  /// Pre (PostgreSQL): postgresql_server_url() is set.
  TestDatabase(Backend b, const std::string& stem) : backend_(b) {
    if (b == Backend::sqlite) {
      file_ = TempDb(stem);
      return;
    }
    static std::atomic<int> counter{0};
    name_ = "t_" + stem.substr(0, 30) + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    for (auto& ch : name_) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    admin().connect().execute_script("CREATE DATABASE \"" + name_ + "\"");
    auto u = engine::Url::parse(*postgresql_server_url());
    u.database = name_;
    url_ = u.str(false);
  }
  TestDatabase(TestDatabase&& o) noexcept { *this = std::move(o); }
  TestDatabase& operator=(TestDatabase&& o) noexcept {
    if (this != &o) {
      drop();
      backend_ = o.backend_;
      file_ = std::move(o.file_);
      name_ = std::move(o.name_);
      url_ = std::move(o.url_);
      o.name_.clear();
    }
    return *this;
  }
  ~TestDatabase() { drop(); }

  Backend backend() const { return backend_; }
  /// sqlite:////abs/file.db or postgresql://user@host:port/t_<stem>_<pid>_<n>
  std::string url() const { return backend_ == Backend::sqlite ? file_.url() : url_; }
  /// The PostgreSQL database name (empty for SQLite).
  const std::string& name() const { return name_; }

  /// An engine on the maintenance database (shared by all TestDatabases).
  static Engine& admin() {
    static Engine e = create_engine(*postgresql_server_url());
    return e;
  }

 private:
  void drop() noexcept {
    if (name_.empty()) return;
    try {
      admin().connect().execute_script("DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
    } catch (...) {
    }
    name_.clear();
  }
  Backend backend_ = Backend::sqlite;
  TempDb file_;
  std::string name_, url_;
};

/// `text` with each '?' bind marker (sql::bind_markers) turned into $1,
/// $2... when `dollar`.
inline std::string positional(std::string_view text, bool dollar) {
  if (!dollar) return std::string(text);
  std::string out;
  std::size_t from = 0;
  for (const auto& m : sql::bind_markers(text)) {
    if (m.numbered) continue;
    out.append(text.substr(from, m.pos - from));
    out += "$" + std::to_string(m.index + 1);
    from = m.pos + 1;
  }
  out.append(text.substr(from));
  return out;
}

/// Fixture of a suite parametrized over backends(): db() is a fresh database.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql && !postgresql_server_url()) {
      if (running_in_ci()) GTEST_FAIL() << "CI=true but no PostgreSQL server: STRATA_TEST_PG_URL is not set";
      GTEST_SKIP() << "no PostgreSQL server (STRATA_TEST_PG_URL is not set; scripts/test starts one)";
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string stem = info->name();
    for (auto& ch : stem)
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    db_ = TestDatabase(GetParam(), stem);
  }
  Backend backend() const { return GetParam(); }
  bool is_postgresql() const { return GetParam() == Backend::postgresql; }
  std::string url() const { return db_.url(); }
  TestDatabase& db() { return db_; }
  /// An engine on url() that counts the statements it sends into `count`
  /// (EngineOptions::before_execute), and keeps the last one's SQL in `last`
  /// and all of them in `log` when given. The counters must outlive the engine.
  strata::Engine counting_engine(int& count, std::string* last = nullptr,
                                 std::vector<std::string>* log = nullptr) const {
    strata::engine::EngineOptions o;
    o.before_execute = [&count, last, log](std::string_view sql) {
      ++count;
      if (last) *last = std::string(sql);
      if (log) log->emplace_back(sql);
    };
    return strata::create_engine(strata::engine::Url::parse(url()), o);
  }
  /// `sqlite_value` on SQLite, `pg_value` on PostgreSQL (where the databases differ by design,
  /// e.g. the constraint a UniqueViolation names).
  template <class T>
  T pick(T sqlite_value, T pg_value) const { return is_postgresql() ? pg_value : sqlite_value; }
  std::string pick(const char* sqlite_value, const char* pg_value) const {
    return is_postgresql() ? pg_value : sqlite_value;
  }
  /// Raw SQL written with '?' markers, in this backend's spelling ($1, $2...
  /// on PostgreSQL). Markers inside quotes are left alone.
  std::string sql(std::string_view text) const { return positional(text, is_postgresql()); }

 private:
  TestDatabase db_;
};

}  // namespace strata::testing

/// Instantiates a BackendTest suite once per backend (names "sqlite", "postgresql").
#define STRATA_INSTANTIATE_BACKENDS(Suite)                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(::strata::testing::backends()), \
                           [](const ::testing::TestParamInfo<::strata::testing::Backend>& i) {  \
                             return ::strata::testing::backend_name(i.param);                  \
                           })
