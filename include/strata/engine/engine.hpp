// strata/engine/engine.hpp - Engine and create_engine(), as SQLAlchemy's.
//
// An Engine holds a URL, a dialect and a connection pool. It is a cheap
// copyable handle: copies share the pool. Thread-safe, except that an
// in-memory SQLite engine serves one thread at a time (see below).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "strata/dialect/dialect.hpp"
#include "strata/dialect/driver.hpp"
#include "strata/engine/connection.hpp"
#include "strata/engine/pool.hpp"
#include "strata/engine/result.hpp"
#include "strata/engine/url.hpp"

namespace strata::engine {

struct EngineOptions {
  PoolOptions pool;
  /// SQLite: how long a statement waits for a lock held by another connection
  /// before failing with OperationalError (retryable).
  std::chrono::milliseconds busy_timeout{5000};
  /// Print each statement (and its parameters) to stderr, as SQLAlchemy's echo=True.
  bool echo = false;
  /// Called with the SQL text of each statement before it is sent (a batch of
  /// rows counts once), as SQLAlchemy's "before_cursor_execute" event: for
  /// logging, metrics, or counting statements in tests. Must not throw.
  std::function<void(std::string_view sql)> before_execute;
  /// Opens the driver connections instead of dialect().connect() (SQLAlchemy's
  /// `creator`). For wrapping or instrumenting connections, e.g. in tests.
  std::function<std::unique_ptr<dialect::DriverConnection>(const dialect::ConnectParams&)> creator;
};

namespace detail {
struct EngineState;
}  // namespace detail

/// Pooling: a file or server database uses the queue pool (SQLAlchemy's
/// QueuePool, see pool.hpp). An in-memory SQLite database exists once per
/// connection, so every checkout gets the same single connection (SQLAlchemy's
/// StaticPool, which SQLModel's tests use for "sqlite://"): all Connections of
/// the engine see the same data, and nested checkouts share one transaction.
/// Such an engine is meant for one thread (tests, tools). A uniquely named
/// shared-cache URI was rejected: SQLite discourages shared cache, and its
/// table locks fail at once with SQLITE_LOCKED instead of waiting.
class Engine {
 public:
  const dialect::Dialect& dialect() const noexcept;
  const Url& url() const noexcept;
  const EngineOptions& options() const noexcept;

  /// Checks a connection out of the pool (opening one if needed).
  /// Throws: TimeoutError after options().pool.timeout when pool_size +
  /// max_overflow connections are all checked out; OperationalError naming the
  /// database when it cannot be opened (e.g. its directory does not exist).
  Connection connect();
  PoolStatus pool_status() const;
  /// Closes the idle connections (SQLAlchemy's Engine.dispose()); checked-out
  /// ones go on working and are pooled again when returned.
  void dispose();

 private:
  friend Engine create_engine(const Url& url, EngineOptions opts);
  explicit Engine(std::shared_ptr<detail::EngineState> state) noexcept;
  std::shared_ptr<detail::EngineState> state_;
};

/// Creates an engine; no connection is opened until connect().
/// Throws: ArgumentError for a malformed URL or a driver without a dialect in
/// this program (see register_dialect).
///
/// Example:
///   strata::engine::EngineOptions opts;
///   opts.pool.pool_size = 10;
///   auto engine = strata::create_engine("sqlite:///app.db", opts);
///   auto conn = engine.connect();
Engine create_engine(std::string_view url, EngineOptions opts = {});
Engine create_engine(const Url& url, EngineOptions opts = {});

/// Makes `dialect` the dialect of URLs whose drivername is `drivername`
/// ("postgresql"). The SQLite dialect is always registered. For optional
/// components (strata::postgresql) to plug in; call before create_engine.
/// `dialect` must outlive every engine using it.
void register_dialect(std::string_view drivername, const dialect::Dialect& dialect);

}  // namespace strata::engine

namespace strata {
using engine::create_engine;
using engine::Engine;
}  // namespace strata
