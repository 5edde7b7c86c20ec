// Private to src/engine: what a pool checkout hands out.
#pragma once

#include <memory>

#include "strata/dialect/driver.hpp"
#include "strata/engine/pool.hpp"

namespace strata::engine::detail {

/// One open driver connection plus the transaction state the engine tracks on
/// it. Shared by every lease of a single-connection pool, hence the state lives
/// here and not in Connection.
struct Slot {
  std::unique_ptr<dialect::DriverConnection> driver;
  bool in_transaction = false;
  const void* tx_owner = nullptr;  ///< the Lease whose Connection began the transaction
  bool broken = false;             ///< close instead of pooling (invalidate(), failed reset)
};

/// One checkout. Its destructor resets the connection (rolls back a
/// transaction its Connection began) and checks the slot back in. Connection
/// and every Result it produced hold it, so the driver connection is never
/// pooled while one of them can still touch it.
struct Lease {
  std::shared_ptr<Pool> pool;
  std::shared_ptr<Slot> slot;

  Lease(std::shared_ptr<Pool> p, std::shared_ptr<Slot> s) noexcept : pool(std::move(p)), slot(std::move(s)) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  bool owns_transaction() const noexcept { return slot->in_transaction && slot->tx_owner == this; }
  /// Rolls back the transaction this lease began, if any; on failure marks the
  /// slot broken. Never throws.
  void reset() noexcept;
};

}  // namespace strata::engine::detail
