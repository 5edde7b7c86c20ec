// Engine and pool on a real SQLite file: several connections, WAL visibility,
// busy handling.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "live/sqlite/live_util.hpp"
#include "strata/core/error.hpp"
#include "strata/engine/engine.hpp"

using namespace std::chrono_literals;
using strata::Value;
using strata::engine::create_engine;
using strata::engine::EngineOptions;

namespace {
class SqliteEngine : public strata_live::TempDirTest {};
}  // namespace

TEST_F(SqliteEngine, TwoConnectionsSeeEachOthersCommittedData) {
  auto engine = create_engine(url());
  auto a = engine.connect();
  auto b = engine.connect();
  EXPECT_NE(&a.driver(), &b.driver());
  a.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  a.begin();
  a.execute_update("INSERT INTO t (v) VALUES ('one')", {});
  EXPECT_EQ(b.execute("SELECT count(*) FROM t").scalar(), Value(0));  // not committed yet
  a.commit();
  EXPECT_EQ(b.execute("SELECT v FROM t").scalar(), Value("one"));
  b.execute_update("INSERT INTO t (v) VALUES ('two')", {});
  EXPECT_EQ(a.execute("SELECT count(*) FROM t").scalar(), Value(2));
}

TEST_F(SqliteEngine, TwoEnginesOnOneFile) {
  auto e1 = create_engine(url());
  auto e2 = create_engine(url());
  e1.connect().execute_script("CREATE TABLE t (x); INSERT INTO t VALUES (7)");
  EXPECT_EQ(e2.connect().execute("SELECT x FROM t").scalar(), Value(7));
}

TEST_F(SqliteEngine, RelativePathUrlIsRelativeToWorkingDirectory) {
  const auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  {
    auto engine = create_engine("sqlite:///rel.db");
    engine.connect().execute_script("CREATE TABLE t (x)");
  }
  std::filesystem::current_path(old);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "rel.db"));
}

TEST_F(SqliteEngine, BusyIsRetryableOperationalError) {
  EngineOptions o;
  o.busy_timeout = 50ms;
  auto engine = create_engine(url(), o);
  auto a = engine.connect();
  auto b = engine.connect();
  a.execute_script("CREATE TABLE t (x)");
  a.begin_immediate();  // a holds the write lock
  a.execute_update("INSERT INTO t VALUES (1)", {});
  const auto t0 = std::chrono::steady_clock::now();
  try {
    b.begin_immediate();
    FAIL() << "expected OperationalError";
  } catch (const strata::OperationalError& e) {
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.native_code() & 0xff, 5);  // SQLITE_BUSY
    EXPECT_EQ(e.sqlstate(), "55P03");
  }
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 40ms);  // the busy handler waited
  EXPECT_FALSE(b.in_transaction());
  EXPECT_THROW(b.execute_update("INSERT INTO t VALUES (2)", {}), strata::OperationalError);
  // Readers are not blocked in WAL mode.
  EXPECT_EQ(b.execute("SELECT count(*) FROM t").scalar(), Value(0));
  a.commit();
  b.execute_update("INSERT INTO t VALUES (2)", {});
  EXPECT_EQ(b.execute("SELECT count(*) FROM t").scalar(), Value(2));
}

TEST_F(SqliteEngine, BusyTimeoutWaitsForTheLock) {
  EngineOptions o;
  o.busy_timeout = 5000ms;
  auto engine = create_engine(url(), o);
  auto a = engine.connect();
  a.execute_script("CREATE TABLE t (x)");
  a.begin_immediate();
  std::thread releaser([&] {
    std::this_thread::sleep_for(50ms);
    a.commit();
  });
  auto b = engine.connect();
  b.execute_update("INSERT INTO t VALUES (1)", {});  // waits for `a`, then succeeds
  releaser.join();
  EXPECT_EQ(b.execute("SELECT count(*) FROM t").scalar(), Value(1));
}

TEST_F(SqliteEngine, PooledConnectionIsResetOnReturn) {
  EngineOptions o;
  o.pool.pool_size = 1;
  o.pool.max_overflow = 0;
  auto engine = create_engine(url(), o);
  engine.connect().execute_script("CREATE TABLE t (x)");
  {
    auto c = engine.connect();
    c.begin();
    c.execute_update("INSERT INTO t VALUES (1)", {});
  }  // rolled back on return
  auto c = engine.connect();
  EXPECT_FALSE(c.in_transaction());
  EXPECT_EQ(c.execute("SELECT count(*) FROM t").scalar(), Value(0));
  auto st = engine.pool_status();
  EXPECT_EQ(st.checked_out, 1u);
  EXPECT_EQ(st.idle, 0u);
}

TEST_F(SqliteEngine, PrePingOnRealConnections) {
  EngineOptions o;
  o.pool.pre_ping = true;
  auto engine = create_engine(url(), o);
  { engine.connect().execute_script("CREATE TABLE t (x)"); }
  auto c = engine.connect();
  EXPECT_EQ(c.execute("SELECT count(*) FROM t").scalar(), Value(0));
}

TEST_F(SqliteEngine, ManyThreadsInsertThroughThePool) {
  EngineOptions o;
  o.pool.pool_size = 2;
  o.pool.max_overflow = 2;
  o.busy_timeout = 10000ms;
  auto engine = create_engine(url(), o);
  engine.connect().execute_script("CREATE TABLE t (x INTEGER)");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto c = engine.connect();
        std::vector<Value> p{t * 100 + i};
        c.execute_update("INSERT INTO t VALUES (?)", p);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(engine.connect().execute("SELECT count(*) FROM t").scalar(), Value(100));
  EXPECT_LE(engine.pool_status().idle, 2u);
}
