// PostgreSQL driver: the only file of Strata that includes <libpq-fe.h>.
// (stub: being written)
#include "dialect/postgresql/driver.hpp"

#include <libpq-fe.h>

#include "strata/core/error.hpp"

namespace strata::dialect::postgresql {

std::unique_ptr<DriverConnection> open_connection(const ConnectParams&) {
  throw UnsupportedFeature("postgresql", "driver");
}

}  // namespace strata::dialect::postgresql
