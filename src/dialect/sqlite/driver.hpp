// Private: the SQLite driver entry point, implemented in driver.cpp (the only
// file that includes <sqlite3.h>) and called by SqliteDialect::connect.
#pragma once

#include <memory>

#include "strata/dialect/dialect.hpp"
#include "strata/dialect/driver.hpp"

namespace strata::dialect::sqlite {

/// Opens a SQLite connection: PRAGMA foreign_keys=ON always; for a file,
/// journal_mode=WAL and the busy timeout of `p`.
/// Throws: OperationalError naming the file when it cannot be opened.
std::unique_ptr<DriverConnection> open_connection(const ConnectParams& p);

}  // namespace strata::dialect::sqlite
