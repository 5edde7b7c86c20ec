// strata/dialect/driver.hpp - the raw connection interface a dialect's driver implements.
//
// Only src/dialect/<db>/driver.cpp includes the C client header (<sqlite3.h>,
// <libpq-fe.h>); everything above talks to these interfaces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "strata/core/cell.hpp"
#include "strata/core/param.hpp"
#include "strata/core/value.hpp"

namespace strata::dialect {

/// Rows of one executed statement, read forward. Cell getters are valid for the
/// current row only; the string_view / span they return live until next().
class Cursor : public CellSource {
 public:
  /// Advances to the next row. Returns false at the end.
  /// Throws: DatabaseError (and subclasses) when the database fails mid-way.
  virtual bool next() = 0;
  virtual int column_count() const = 0;
  virtual std::string_view column_name(int i) const = 0;
  /// Rows changed by an INSERT / UPDATE / DELETE (valid once next() returned false).
  virtual std::int64_t rows_affected() const = 0;
};

/// One open database connection.
class DriverConnection {
 public:
  virtual ~DriverConnection() = default;
  /// Runs one statement with bound parameters and returns its cursor; the
  /// statement runs at the first next() (SQLite) or at once (libpq).
  /// Prepared statements are cached per connection, keyed by the SQL text.
  /// Throws: DatabaseError subclasses mapped from the driver's code, carrying `sql`.
  virtual std::unique_ptr<Cursor> execute(std::string_view sql, std::span<const Value> params) = 0;
  /// Receives the row of query_first: its cells, valid during the call only.
  using FirstRowSink = std::function<void(const CellSource& cells)>;
  /// Runs a query, passes its first row (if there is one) to `on_row`, and
  /// releases the statement before returning: later rows are not read.
  /// Returns whether there was a row. The lookup by key's path (Session::get):
  /// no cursor outlives the call, so `params` may be bound without a copy.
  /// The default is execute() and one next(); both drivers keep their cursor
  /// on the stack, and the SQLite driver binds the parameters in place.
  /// Throws: as execute(); whatever on_row throws (the statement is released).
  virtual bool query_first(std::string_view sql, std::span<const Value> params, const FirstRowSink& on_row);
  /// Runs one statement to completion and returns the rows it changed.
  virtual std::int64_t execute_update(std::string_view sql, std::span<const Value> params) = 0;
  /// As execute_update, with parameters read straight from struct members
  /// (the Session's INSERT of one object). The SQLite driver binds them in
  /// place, text included; the default converts them to Values
  /// (ParamView::to_value) and calls execute_update.
  /// Throws: as execute_update.
  virtual std::int64_t execute_update_views(std::string_view sql, std::span<const ParamView> params);
  /// Runs several ;-separated statements without parameters (DDL scripts).
  virtual void execute_script(std::string_view sql) = 0;
  /// True when the connection still answers (a trivial round trip).
  virtual bool ping() noexcept = 0;
  /// True when the connection is known to be dead without asking the server
  /// (libpq's CONNECTION_BAD after the server went away). The pool drops such
  /// a connection at check-in instead of pooling it, with or without
  /// pre_ping (as SQLAlchemy invalidates a connection on a disconnect error).
  virtual bool closed() const noexcept { return false; }
  /// The integer key the last INSERT on this connection generated, where the
  /// database tells it without RETURNING (SQLite's sqlite3_last_insert_rowid,
  /// Python DB-API's cursor.lastrowid); std::nullopt elsewhere.
  virtual std::optional<std::int64_t> last_insert_rowid() const noexcept { return std::nullopt; }
  /// Runs one statement once per row of parameters: `params` holds the rows
  /// one after another, `params_per_row` values each (params.size() must be a
  /// multiple of it). Returns the rows changed in total. No result rows are
  /// kept (no RETURNING). PostgreSQL sends the rows in pipeline mode (one
  /// round trip for the batch); the default runs execute_update per row.
  /// Throws: ArgumentError when params.size() % params_per_row != 0;
  /// DatabaseError subclasses as execute() (the first failing row's error; on
  /// PostgreSQL the rows after it are not run).
  virtual std::int64_t execute_many(std::string_view sql, std::span<const Value> params, std::size_t params_per_row);
  /// Receives the result rows of one parameter row of execute_many_returning:
  /// (index of the parameter row, its cells). The cells are valid during the call.
  using RowSink = std::function<void(std::size_t param_row, const CellSource& cells)>;
  /// As execute_many, for a statement with RETURNING: each parameter row's
  /// result rows are passed to `on_row` in parameter-row order. PostgreSQL
  /// sends the batch in pipeline mode; the default runs execute() per row.
  /// Throws: as execute_many; whatever on_row throws (the batch then stops).
  virtual void execute_many_returning(std::string_view sql, std::span<const Value> params,
                                      std::size_t params_per_row, const RowSink& on_row);
  /// Bulk-loads rows into `table` (columns in `columns` order, `rows` one
  /// after another as in execute_many), PostgreSQL's COPY ... FROM STDIN; the
  /// default is execute_many of `INSERT INTO t (cols) VALUES (?, ...)` (the
  /// SQLite driver's placeholders). Names are passed already quoted.
  /// Returns the number of rows loaded.
  /// Throws: ArgumentError for a ragged `rows`; DatabaseError subclasses.
  virtual std::int64_t copy_in(std::string_view quoted_table, std::span<const std::string> quoted_columns,
                               std::span<const Value> rows);
  /// Number of prepared statements currently cached (for tests and benchmarks).
  virtual std::size_t cached_statements() const noexcept = 0;
};

}  // namespace strata::dialect
