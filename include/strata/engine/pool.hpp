// strata/engine/pool.hpp - the connection pool behind an Engine.
//
// Two disciplines, chosen by the engine from the URL:
// - queue (SQLAlchemy's QueuePool): up to pool_size connections are kept open
//   when idle; up to max_overflow more may be opened under load and are closed
//   when returned; a checkout beyond pool_size + max_overflow waits up to
//   `timeout` and then throws TimeoutError. Idle connections are reused last-in
//   first-out (SQLAlchemy's `use_lifo=True`): the warmest connection, with the
//   fullest statement cache, is used first.
// - single (SQLAlchemy's StaticPool): one connection, handed to every
//   checkout. Used for in-memory SQLite, where each connection would otherwise
//   see its own empty database. Nested checkouts share the connection and its
//   transaction; such an engine is for one thread at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "strata/dialect/driver.hpp"

namespace strata::engine {

/// Pool sizing, as SQLAlchemy's create_engine(pool_size=, max_overflow=, pool_timeout=, pool_pre_ping=).
struct PoolOptions {
  std::size_t pool_size = 5;     ///< connections kept open when idle
  std::size_t max_overflow = 10;  ///< extra connections allowed under load (closed on return)
  std::chrono::milliseconds timeout{30000};  ///< how long connect() waits for a free connection
  bool pre_ping = false;  ///< ping() an idle connection at checkout; replace it when it fails
};

/// A snapshot of the pool's counters.
struct PoolStatus {
  std::size_t size;         ///< configured pool_size (1 for the single-connection pool)
  std::size_t checked_out;  ///< handles currently out (Connection objects and their Results)
  std::size_t idle;         ///< open connections waiting in the pool
  std::size_t overflow;     ///< open connections beyond `size`
};

namespace detail {
struct Slot;
struct Lease;
}  // namespace detail

/// A thread-safe connection pool. Engines create theirs; use it directly only
/// to pool connections of a custom creator.
class Pool : public std::enable_shared_from_this<Pool> {
 public:
  /// Opens one new driver connection. Throws: DatabaseError subclasses.
  using Creator = std::function<std::unique_ptr<dialect::DriverConnection>()>;
  enum class Kind {
    queue,   ///< SQLAlchemy's QueuePool
    single,  ///< SQLAlchemy's StaticPool: one shared connection
  };

  /// Creates a pool; no connection is opened until the first checkout.
  static std::shared_ptr<Pool> create(Creator creator, PoolOptions options, Kind kind = Kind::queue);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Checks a connection out; it comes back to the pool when the returned lease
  /// (and every copy of it) is gone.
  /// Throws: TimeoutError when pool_size + max_overflow connections are out
  /// for longer than options().timeout; whatever the creator throws
  /// (OperationalError when the database cannot be opened).
  std::shared_ptr<detail::Lease> checkout();

  PoolStatus status() const;
  /// Closes the idle connections; checked-out ones are closed or kept when
  /// returned, as usual. For the single pool, closes the shared connection
  /// when nobody holds it (an in-memory database is then gone).
  void dispose();

  const PoolOptions& options() const noexcept { return options_; }
  Kind kind() const noexcept { return kind_; }

 private:
  friend struct detail::Lease;
  Pool(Creator creator, PoolOptions options, Kind kind);
  std::shared_ptr<detail::Lease> make_lease(std::shared_ptr<detail::Slot> slot);
  void checkin(std::shared_ptr<detail::Slot> slot) noexcept;

  Creator creator_;
  PoolOptions options_;
  Kind kind_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::shared_ptr<detail::Slot>> idle_;  // LIFO
  std::shared_ptr<detail::Slot> single_;             // Kind::single
  std::size_t open_ = 0;                             // open connections (idle + out), queue kind
  std::size_t checked_out_ = 0;
};

}  // namespace strata::engine
