// PostgreSQL inspector (stub: being written).
#include "strata/core/error.hpp"
#include "strata/dialect/postgresql.hpp"

namespace strata::dialect {

std::unique_ptr<Inspector> make_postgresql_inspector(DriverConnection&) {
  throw UnsupportedFeature("postgresql", "inspector");
}

}  // namespace strata::dialect
