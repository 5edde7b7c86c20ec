// A server restart under a pooled engine: with pre_ping the pool drops the
// connections the restart killed and opens fresh ones, leaking none; a dead
// connection fails every operation with OperationalError, and never hangs.
//
// The restart needs a server of its own (private_pg.sh next to this file
// starts one with scripts/lib/pg.sh): the shared test server serves other
// suites at the same time.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/core/error.hpp"
#include "strata/engine/engine.hpp"
#include "support/database.hpp"

using strata::Value;

namespace {

/// Runs a shell command; returns its stdout, or std::nullopt when it fails.
std::optional<std::string> run(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  if (::pclose(pipe) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string script() {
  return (std::filesystem::path(__FILE__).parent_path() / "private_pg.sh").string();
}

/// A throwaway server of this suite: started once, stopped at the end.
class PrivateServer {
 public:
  static std::unique_ptr<PrivateServer> start() {
    const auto out = run("'" + script() + "' start 2>/dev/null");
    if (!out) return nullptr;
    const auto space = out->find(' ');
    if (space == std::string::npos || !out->starts_with("postgres")) return nullptr;
    return std::unique_ptr<PrivateServer>(new PrivateServer(out->substr(0, space), out->substr(space + 1)));
  }
  ~PrivateServer() { run("'" + script() + "' stop '" + dir_ + "' >/dev/null 2>&1"); }
  PrivateServer(const PrivateServer&) = delete;
  PrivateServer& operator=(const PrivateServer&) = delete;

  /// pg_ctl restart -m fast: every open connection is terminated.
  bool restart() { return run("'" + script() + "' restart '" + dir_ + "' 2>&1").has_value(); }
  const std::string& url() const { return url_; }

 private:
  PrivateServer(std::string url, std::string dir) : url_(std::move(url)), dir_(std::move(dir)) {}
  std::string url_, dir_;
};

class PgRestart : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = PrivateServer::start().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_) return;
    if (strata::testing::running_in_ci()) GTEST_FAIL() << "CI=true but a private PostgreSQL server did not start";
    GTEST_SKIP() << "a private PostgreSQL server could not be started (" << script() << " start)";
  }
  static PrivateServer& server() { return *server_; }

  static strata::dialect::ConnectParams params() {
    const auto u = strata::engine::Url::parse(server_->url());
    strata::dialect::ConnectParams p;
    p.host = u.host;
    p.port = u.port.value_or(0);
    p.user = u.username;
    p.database = u.database;
    return p;
  }

  static PrivateServer* server_;
};

PrivateServer* PgRestart::server_ = nullptr;

Value backend_pid(strata::Connection& c) { return c.execute("SELECT pg_backend_pid()").scalar(); }

}  // namespace

TEST_F(PgRestart, PrePingReplacesConnectionsKilledByARestart) {
  strata::engine::EngineOptions opts;
  opts.pool.pre_ping = true;
  opts.pool.pool_size = 3;
  auto engine = strata::create_engine(server().url(), opts);
  std::vector<Value> pids_before;
  {
    auto a = engine.connect();
    auto b = engine.connect();
    pids_before = {backend_pid(a), backend_pid(b)};
    EXPECT_EQ(a.execute("SELECT $1::int + 1", {1}).scalar(), Value(2));  // a cached statement
  }
  ASSERT_EQ(engine.pool_status().idle, 2u);

  ASSERT_TRUE(server().restart());

  {
    auto a = engine.connect();
    auto b = engine.connect();
    // Fresh connections with fresh statement caches: the old ones died with their backends.
    EXPECT_EQ(a.execute("SELECT $1::int + 1", {1}).scalar(), Value(2));
    EXPECT_EQ(b.execute("SELECT 1").scalar(), Value(1));
    const std::vector<Value> pids_after{backend_pid(a), backend_pid(b)};
    for (const auto& pid : pids_after) {
      EXPECT_NE(pid, pids_before[0]);
      EXPECT_NE(pid, pids_before[1]);
    }
    const auto s = engine.pool_status();
    EXPECT_EQ(s.checked_out, 2u);
    EXPECT_EQ(s.idle, 0u);
    EXPECT_EQ(s.overflow, 0u);
  }
  const auto s = engine.pool_status();
  EXPECT_EQ(s.checked_out, 0u);
  EXPECT_EQ(s.idle, 2u);  // the two dead connections were closed, not kept
  EXPECT_EQ(s.overflow, 0u);
}

TEST_F(PgRestart, WithoutPrePingADeadConnectionIsDroppedAtCheckIn) {
  strata::engine::EngineOptions opts;  // pre_ping off (the default)
  opts.pool.pool_size = 2;
  auto engine = strata::create_engine(server().url(), opts);
  { EXPECT_EQ(engine.connect().execute("SELECT 1").scalar(), Value(1)); }
  ASSERT_EQ(engine.pool_status().idle, 1u);
  ASSERT_TRUE(server().restart());
  {
    auto c = engine.connect();  // the pooled, dead one: its first statement fails
    EXPECT_THROW(c.execute("SELECT 1").scalar(), strata::OperationalError);
  }
  // It was closed at check-in, not pooled again: the next checkout works.
  EXPECT_EQ(engine.pool_status().idle, 0u);
  EXPECT_EQ(engine.connect().execute("SELECT 2").scalar(), Value(2));
}

TEST_F(PgRestart, ADeadConnectionFailsEveryOperationWithOperationalError) {
  auto engine = strata::create_engine(server().url());
  auto driver = engine.dialect().connect(params());
  driver->execute_script("CREATE TABLE IF NOT EXISTS restart_t (id INT PRIMARY KEY, v TEXT)");
  EXPECT_EQ(driver->execute_update("INSERT INTO restart_t VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                   std::vector<Value>{1, "x"}),
            1);
  EXPECT_TRUE(driver->ping());

  ASSERT_TRUE(server().restart());

  EXPECT_FALSE(driver->ping());
  // Each path fails fast with OperationalError: the cached statement, a new
  // one (pipelined prepare), a batch (pipeline), COPY and a script.
  EXPECT_THROW(driver->execute_update("INSERT INTO restart_t VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                      std::vector<Value>{2, "y"}),
               strata::OperationalError);
  EXPECT_THROW(driver->execute("SELECT 'new statement'", {}), strata::OperationalError);
  EXPECT_THROW(driver->execute_many("INSERT INTO restart_t VALUES ($1, $2)", std::vector<Value>{3, "z", 4, "w"}, 2),
               strata::OperationalError);
  const std::vector<std::string> cols{"id", "v"};
  EXPECT_THROW(driver->copy_in("restart_t", cols, std::vector<Value>{5, "c"}), strata::OperationalError);
  EXPECT_THROW(driver->execute_script("SELECT 1; SELECT 2"), strata::OperationalError);
  EXPECT_FALSE(driver->ping());

  // A new connection works.
  auto fresh = engine.dialect().connect(params());
  EXPECT_TRUE(fresh->ping());
  EXPECT_EQ(fresh->execute_update("DELETE FROM restart_t", {}), 1);
}
