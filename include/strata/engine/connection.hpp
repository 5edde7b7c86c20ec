// strata/engine/connection.hpp - Connection: one pooled database connection.
//
// Modelled on SQLAlchemy 2.0's Connection: statements run through it,
// transactions are explicit (begin / commit / rollback, savepoints), and
// closing it returns the driver connection to the pool, rolling back what is
// still open ("reset on return").
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "strata/core/value.hpp"
#include "strata/dialect/dialect.hpp"
#include "strata/dialect/driver.hpp"
#include "strata/engine/result.hpp"
#include "strata/sql/compiler.hpp"
#include "strata/sql/expr.hpp"

namespace strata::engine {

namespace detail {
struct Lease;
}  // namespace detail

/// A move-only handle on a pooled driver connection (Engine::connect()).
///
/// State: open -> (begin) in transaction -> (commit / rollback) open -> (close
/// or destructor) closed. Closing rolls back a transaction this handle began
/// and gives the driver connection back to the pool once every Result it
/// produced is gone too. Any call on a closed Connection throws
/// InvalidRequestError.
///
/// On an in-memory SQLite engine all Connections share one driver connection
/// (see Engine): in_transaction() then reports the shared connection's state,
/// and only the handle that began a transaction rolls it back on close.
///
/// Example:
///   auto conn = engine.connect();
///   conn.begin();
///   conn.execute("INSERT INTO item (title) VALUES (?)", {"first"});
///   conn.commit();
///   auto n = conn.execute("SELECT count(*) FROM item").scalar();
class Connection {
 public:
  /// For Engine::connect(); not for application code.
  /// `hook`: EngineOptions::before_execute (may be null).
  Connection(std::shared_ptr<detail::Lease> lease, const dialect::Dialect& dialect, bool echo,
             std::shared_ptr<const std::function<void(std::string_view)>> hook = nullptr) noexcept;
  Connection(Connection&& other) noexcept;
  /// Closes this handle first (as close()), then takes over `other`.
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  /// As close(); never throws (a failed rollback discards the driver connection).
  ~Connection();

  /// Compiles `stmt` with dialect() and runs it.
  /// Throws: CompileError, DatabaseError subclasses, InvalidRequestError (closed).
  Result execute(const sql::Statement& stmt);
  /// Runs a compiled statement. Throws: DatabaseError subclasses, InvalidRequestError.
  Result execute(const sql::Compiled& c);
  /// Runs one SQL statement with positional parameters (the dialect's
  /// placeholders, "?" on SQLite). The statement runs at the first next() of
  /// the Result (SQLite) or at once (PostgreSQL).
  /// Throws: DatabaseError subclasses (ProgrammingError for a wrong parameter
  /// count or several statements), InvalidRequestError.
  Result execute(std::string_view sql, std::vector<Value> params = {});
  /// Runs one statement to completion and returns the rows it changed. The hot
  /// path for bulk writes: no Result, no copy of the parameters.
  /// Throws: DatabaseError subclasses, InvalidRequestError.
  std::int64_t execute_update(std::string_view sql, std::span<const Value> params = {});
  /// As execute_update, with parameters read straight from struct members
  /// (DriverConnection::execute_update_views: the Session's INSERT of one
  /// object). With echo on or an execution hook, the parameters are shown
  /// as Values. Throws: as execute_update.
  std::int64_t execute_update_views(std::string_view sql, std::span<const ParamView> params);
  /// As execute(sql, params), with SQL and parameters borrowed for the call
  /// (nothing copied): the Session's hot path for its cached statements.
  Result query(std::string_view sql, std::span<const Value> params);
  /// As query(), for at most one row: on_row(cells) receives the first row,
  /// if there is one, and the statement is released before this returns
  /// (DriverConnection::query_first). Returns whether there was a row. The
  /// Session's lookup by key; with echo on, prints the statement as query().
  /// Throws: DatabaseError subclasses, InvalidRequestError; whatever on_row throws.
  bool query_first(std::string_view sql, std::span<const Value> params,
                   const dialect::DriverConnection::FirstRowSink& on_row);
  /// Runs `sql` once per row of `params` (`params_per_row` values each) as
  /// DriverConnection::execute_many (one round trip on PostgreSQL). Returns
  /// the rows changed in total. With echo on, prints the statement once and
  /// the number of rows. Throws: ArgumentError for a ragged `params`;
  /// DatabaseError subclasses (the first failing row's).
  std::int64_t execute_many(std::string_view sql, std::span<const Value> params, std::size_t params_per_row);
  /// As execute_many for a statement with RETURNING: on_row(param_row, cells)
  /// receives each parameter row's result rows, in order.
  void execute_many_returning(std::string_view sql, std::span<const Value> params, std::size_t params_per_row,
                              const dialect::DriverConnection::RowSink& on_row);
  /// Runs several ;-separated statements without parameters (DDL scripts).
  /// Throws: DatabaseError subclasses, InvalidRequestError.
  void execute_script(std::string_view sql);

  /// BEGIN. State: -> in transaction.
  /// Throws: InvalidRequestError when a transaction is already open (on a
  /// shared in-memory connection: opened by any handle); DatabaseError subclasses.
  void begin();
  /// BEGIN IMMEDIATE: SQLite takes the write lock now rather than at the first
  /// write, so a busy database fails here and not in the middle of the work.
  /// Runs Dialect::begin_immediate_sql(): plain BEGIN on PostgreSQL, where
  /// writers lock rows rather than the database.
  /// Throws: as begin(); OperationalError (retryable) when the database is busy.
  void begin_immediate();
  /// COMMIT. A no-op without a transaction (as SQLAlchemy). State: -> open;
  /// when COMMIT fails, the transaction stays open (SQLite keeps it), so the
  /// caller can retry or rollback().
  /// Throws: DatabaseError subclasses (e.g. OperationalError when busy).
  void commit();
  /// ROLLBACK. A no-op without a transaction. State: -> open, even if it throws.
  /// Throws: DatabaseError subclasses.
  void rollback();
  /// True between begin() and commit() / rollback().
  bool in_transaction() const noexcept;

  /// SAVEPOINT "name" (SQLAlchemy's begin_nested). Begins the outer
  /// transaction first when none is open. Throws: DatabaseError subclasses.
  void savepoint(std::string_view name);
  /// RELEASE SAVEPOINT "name": keeps the work done since savepoint(name).
  void release_savepoint(std::string_view name);
  /// ROLLBACK TO SAVEPOINT "name": undoes the work done since savepoint(name);
  /// the savepoint itself stays open (SQL semantics), release it when done.
  void rollback_to_savepoint(std::string_view name);

  /// The dialect of the engine. Valid even after close().
  const dialect::Dialect& dialect() const noexcept { return *dialect_; }
  /// The raw driver connection (for the ORM's hot paths and for tests).
  /// Throws: InvalidRequestError when closed.
  dialect::DriverConnection& driver();

  /// Marks the driver connection broken: it is closed instead of being pooled
  /// when this handle closes (SQLAlchemy's Connection.invalidate()).
  void invalidate();
  /// Returns the connection to the pool now (after rolling back a transaction
  /// this handle began). Idempotent; never throws.
  void close() noexcept;
  bool closed() const noexcept { return lease_ == nullptr; }

 private:
  detail::Lease& lease() const;
  void echo(std::string_view sql, std::span<const Value> params) const;
  void notify(std::string_view sql, std::span<const Value> params) const;  // hook, then echo

  std::shared_ptr<detail::Lease> lease_;
  const dialect::Dialect* dialect_;
  bool echo_ = false;
  std::shared_ptr<const std::function<void(std::string_view)>> hook_;  // EngineOptions::before_execute
};

}  // namespace strata::engine

namespace strata {
using engine::Connection;
}
