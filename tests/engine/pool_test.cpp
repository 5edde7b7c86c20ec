// Pool discipline (QueuePool / StaticPool) through Engine, with a fake driver
// connection supplied by EngineOptions::creator (SQLAlchemy's `creator`).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "strata/core/error.hpp"
#include "strata/engine/engine.hpp"

using namespace std::chrono_literals;
using strata::engine::create_engine;
using strata::engine::EngineOptions;

namespace {

/// Counts opens / closes; ping() fails once `*dead` is set.
struct Counters {
  std::atomic<int> opened{0}, closed{0}, pings{0};
  std::atomic<bool> dead{false};
  std::atomic<int> statements{0};
};

class FakeCursor final : public strata::dialect::Cursor {
 public:
  bool next() override { return false; }
  int column_count() const override { return 0; }
  std::string_view column_name(int) const override { return {}; }
  std::int64_t rows_affected() const override { return 0; }
  bool do_is_null(int) const override { return true; }
  std::int64_t do_get_int64(int) const override { return 0; }
  double do_get_double(int) const override { return 0; }
  std::string_view do_get_text(int) const override { return {}; }
  std::span<const std::byte> do_get_bytes(int) const override { return {}; }
  strata::Value do_get_value(int) const override { return {}; }
};

class FakeConnection final : public strata::dialect::DriverConnection {
 public:
  explicit FakeConnection(std::shared_ptr<Counters> c) : c_(std::move(c)), dead_at_open_(c_->dead.load()) {
    ++c_->opened;
  }
  ~FakeConnection() override { ++c_->closed; }
  std::unique_ptr<strata::dialect::Cursor> execute(std::string_view, std::span<const strata::Value>) override {
    ++c_->statements;
    return std::make_unique<FakeCursor>();
  }
  std::int64_t execute_update(std::string_view, std::span<const strata::Value>) override {
    ++c_->statements;
    return 0;
  }
  void execute_script(std::string_view) override {}
  bool ping() noexcept override {
    ++c_->pings;
    return !c_->dead.load() || dead_at_open_;  // connections opened before the "restart" are dead
  }
  std::size_t cached_statements() const noexcept override { return 0; }

 private:
  std::shared_ptr<Counters> c_;
  bool dead_at_open_;
};

EngineOptions fake_options(const std::shared_ptr<Counters>& c, std::size_t size, std::size_t overflow,
                           std::chrono::milliseconds timeout = 50ms, bool pre_ping = false) {
  EngineOptions o;
  o.pool.pool_size = size;
  o.pool.max_overflow = overflow;
  o.pool.timeout = timeout;
  o.pool.pre_ping = pre_ping;
  o.creator = [c](const strata::dialect::ConnectParams&) { return std::make_unique<FakeConnection>(c); };
  return o;
}

}  // namespace

TEST(Pool, OpensLazilyAndReusesIdleConnection) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 2, 0));
  EXPECT_EQ(c->opened, 0);
  {
    auto conn = engine.connect();
    EXPECT_EQ(c->opened, 1);
    auto st = engine.pool_status();
    EXPECT_EQ(st.size, 2u);
    EXPECT_EQ(st.checked_out, 1u);
    EXPECT_EQ(st.idle, 0u);
  }
  auto st = engine.pool_status();
  EXPECT_EQ(st.checked_out, 0u);
  EXPECT_EQ(st.idle, 1u);
  { auto conn = engine.connect(); }
  EXPECT_EQ(c->opened, 1);  // reused
  EXPECT_EQ(c->closed, 0);
}

TEST(Pool, OverflowConnectionsAreClosedOnReturn) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 2, 2));
  {
    auto a = engine.connect();
    auto b = engine.connect();
    auto d = engine.connect();
    auto e = engine.connect();
    auto st = engine.pool_status();
    EXPECT_EQ(st.checked_out, 4u);
    EXPECT_EQ(st.overflow, 2u);
    EXPECT_EQ(c->opened, 4);
  }
  auto st = engine.pool_status();
  EXPECT_EQ(st.checked_out, 0u);
  EXPECT_EQ(st.idle, 2u);  // pool_size kept
  EXPECT_EQ(st.overflow, 0u);
  EXPECT_EQ(c->closed, 2);
}

TEST(Pool, TimeoutWhenAllCheckedOut) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 1, 1, 50ms));
  auto a = engine.connect();
  auto b = engine.connect();
  const auto t0 = std::chrono::steady_clock::now();
  try {
    auto x = engine.connect();
    FAIL() << "expected TimeoutError";
  } catch (const strata::TimeoutError& e) {
    EXPECT_NE(std::string(e.what()).find("size 1 overflow 1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("50 ms"), std::string::npos) << e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 45ms);
  EXPECT_EQ(engine.pool_status().checked_out, 2u);
}

TEST(Pool, WaiterGetsConnectionReturnedByAnotherThread) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 1, 0, 5000ms));
  auto a = std::make_unique<strata::Connection>(engine.connect());
  std::thread t([&] {
    std::this_thread::sleep_for(30ms);
    a.reset();
  });
  auto b = engine.connect();  // waits for `a`
  t.join();
  EXPECT_EQ(c->opened, 1);
  EXPECT_EQ(engine.pool_status().checked_out, 1u);
}

TEST(Pool, ResultKeepsConnectionOutUntilDestroyed) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 1, 0));
  auto conn = engine.connect();
  auto r = conn.execute("SELECT 1");
  conn.close();
  EXPECT_TRUE(conn.closed());
  EXPECT_EQ(engine.pool_status().checked_out, 1u);
  r.close();
  EXPECT_EQ(engine.pool_status().checked_out, 1u);  // the lease is released with the Result
  { auto gone = std::move(r); }
  EXPECT_EQ(engine.pool_status().checked_out, 0u);
  EXPECT_THROW(conn.execute_update("SELECT 1", {}), strata::InvalidRequestError);
}

TEST(Pool, PrePingDiscardsBrokenConnection) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 2, 0, 50ms, /*pre_ping=*/true));
  { auto a = engine.connect(); }
  EXPECT_EQ(c->pings, 0);  // a fresh connection is not pinged
  c->dead = true;          // "the server restarted": existing connections fail ping()
  { auto b = engine.connect(); }
  EXPECT_EQ(c->pings, 1);
  EXPECT_EQ(c->closed, 1);  // the dead one was discarded
  EXPECT_EQ(c->opened, 2);  // and replaced
  auto st = engine.pool_status();
  EXPECT_EQ(st.idle, 1u);
  EXPECT_EQ(st.overflow, 0u);
}

TEST(Pool, WithoutPrePingBrokenConnectionIsHandedOut) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 2, 0));
  { auto a = engine.connect(); }
  c->dead = true;
  { auto b = engine.connect(); }
  EXPECT_EQ(c->pings, 0);
  EXPECT_EQ(c->opened, 1);
}

TEST(Pool, InvalidatedConnectionIsClosedOnReturn) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 2, 0));
  {
    auto a = engine.connect();
    a.invalidate();
  }
  EXPECT_EQ(c->closed, 1);
  EXPECT_EQ(engine.pool_status().idle, 0u);
  { auto b = engine.connect(); }
  EXPECT_EQ(c->opened, 2);
}

TEST(Pool, CreatorFailureReleasesThePlace) {
  int calls = 0;
  EngineOptions o;
  o.pool.pool_size = 1;
  o.pool.max_overflow = 0;
  o.pool.timeout = 20ms;
  o.creator = [&](const strata::dialect::ConnectParams&) -> std::unique_ptr<strata::dialect::DriverConnection> {
    ++calls;
    throw strata::OperationalError(strata::DatabaseErrorInfo{"cannot open", "", "08001", 14, "", ""});
  };
  auto engine = create_engine("sqlite:///unused.db", o);
  EXPECT_THROW(engine.connect(), strata::OperationalError);
  EXPECT_THROW(engine.connect(), strata::OperationalError);  // not TimeoutError: the place was given back
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(engine.pool_status().checked_out, 0u);
}

TEST(Pool, DisposeClosesIdleConnections) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 3, 0));
  {
    auto a = engine.connect();
    auto b = engine.connect();
  }
  EXPECT_EQ(engine.pool_status().idle, 2u);
  engine.dispose();
  EXPECT_EQ(engine.pool_status().idle, 0u);
  EXPECT_EQ(c->closed, 2);
  { auto a = engine.connect(); }
  EXPECT_EQ(c->opened, 3);
}

TEST(Pool, ConcurrentCheckoutsNeverExceedLimit) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite:///unused.db", fake_options(c, 2, 1, 5000ms));
  std::atomic<int> out{0}, max_out{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto conn = engine.connect();
        int now = ++out;
        int prev = max_out.load();
        while (now > prev && !max_out.compare_exchange_weak(prev, now)) {
        }
        conn.execute_update("SELECT 1", {});
        --out;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(max_out.load(), 3);
  EXPECT_LE(c->opened.load() - c->closed.load(), 3);
  EXPECT_EQ(engine.pool_status().checked_out, 0u);
}

TEST(Pool, MemoryEngineSharesOneConnection) {
  auto c = std::make_shared<Counters>();
  auto engine = create_engine("sqlite://", fake_options(c, 1, 0, 20ms));
  auto a = engine.connect();
  auto b = engine.connect();  // no TimeoutError: the single pool has no limit
  EXPECT_EQ(&a.driver(), &b.driver());
  EXPECT_EQ(c->opened, 1);
  auto st = engine.pool_status();
  EXPECT_EQ(st.size, 1u);
  EXPECT_EQ(st.checked_out, 2u);
  EXPECT_EQ(st.idle, 0u);
}
