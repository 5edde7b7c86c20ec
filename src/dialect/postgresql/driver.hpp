// Private: the PostgreSQL driver entry point, implemented in driver.cpp (the
// only file that includes <libpq-fe.h>) and called by PostgresqlDialect::connect.
#pragma once

#include <memory>

#include "strata/dialect/dialect.hpp"
#include "strata/dialect/driver.hpp"

namespace strata::dialect::postgresql {

/// Opens a libpq connection from `p` (host: a name, an address or a unix
/// socket directory starting with '/'; every query option is passed to libpq
/// as a connection keyword: sslmode, application_name, connect_timeout,
/// options, ...). The session is set to client_encoding UTF8, DateStyle ISO
/// and TimeZone UTC, which the cell parsers rely on.
/// Throws: OperationalError naming host, port and database when it cannot
/// connect; ArgumentError naming an unknown query option.
std::unique_ptr<DriverConnection> open_connection(const ConnectParams& p);

}  // namespace strata::dialect::postgresql
