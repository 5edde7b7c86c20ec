// strata/dialect/dialect.hpp - the one interface each database implements.
//
// A dialect compiles statements and DDL without a driver (so `--sql` output
// and golden-SQL tests need no database), declares its capabilities as data
// (SQLAlchemy's supports_alter / insert_returning class attributes), and opens
// driver connections. No code outside dialect/ asks a dialect its name to
// decide behaviour: it reads capabilities() or calls an override.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/core/types.hpp"
#include "strata/dialect/driver.hpp"
#include "strata/dialect/inspector.hpp"
#include "strata/schema/metadata.hpp"
#include "strata/schema/table.hpp"
#include "strata/sql/compiler.hpp"

namespace strata::dialect {

struct Capabilities {
  bool supports_alter = true;        ///< ALTER COLUMN / ADD CONSTRAINT (false on SQLite)
  bool transactional_ddl = true;     ///< DDL can be rolled back
  bool returning = true;             ///< INSERT/UPDATE/DELETE ... RETURNING
  /// An autoincrement key can be read after a single-row INSERT without
  /// RETURNING (SQLAlchemy's postfetch_lastrowid): cheaper on SQLite, whose
  /// RETURNING materializes its rows in a temporary b-tree.
  bool postfetch_lastrowid = false;
  bool native_uuid = false;          ///< a UUID column type
  bool native_enum = false;          ///< CREATE TYPE ... AS ENUM
  bool native_array = false;         ///< TEXT[]
  bool savepoints = true;
  /// execute_many / execute_many_returning send a batch in one round trip
  /// (PostgreSQL's pipeline mode), so the Session groups the INSERTs of a
  /// flush into batches. False on SQLite, where a statement costs no round trip.
  bool batched_statements = false;
  int max_identifier_length = 63;
  std::size_t max_bind_params = 32766;  ///< per statement (SQLite's SQLITE_MAX_VARIABLE_NUMBER)

  // --- read by strata::migrate ---
  /// Foreign-key enforcement is a per-connection switch that cannot change
  /// inside a transaction (SQLite's PRAGMA foreign_keys), with a separate
  /// check of every reference (PRAGMA foreign_key_check): the migration runner
  /// turns enforcement off around a transaction that rebuilds tables and runs
  /// the check before COMMIT.
  bool foreign_key_pragmas = false;
  /// CREATE / DROP INDEX CONCURRENTLY, which cannot run inside a transaction
  /// (PostgreSQL); elsewhere ops::CreateIndex::postgresql_concurrently is ignored.
  bool concurrent_index = false;
};

/// What a driver needs to open a connection (filled from an engine URL).
struct ConnectParams {
  std::string database;  ///< SQLite: file path, or ":memory:"; PostgreSQL: db name
  std::string host, user, password;
  int port = 0;
  std::vector<std::pair<std::string, std::string>> query;  ///< URL query options
  std::chrono::milliseconds busy_timeout{5000};            ///< SQLite busy handler
};

class Dialect {
 public:
  virtual ~Dialect() = default;
  /// "sqlite", "postgresql".
  virtual std::string_view name() const noexcept = 0;
  virtual const Capabilities& capabilities() const noexcept = 0;
  /// The statement compiler of this dialect.
  virtual const sql::SqlCompiler& compiler() const noexcept = 0;
  sql::Compiled compile(const sql::Statement& s) const { return compiler().compile(s); }
  std::string quote(std::string_view ident) const { return compiler().quote(ident); }
  /// "a", "b": quoted identifiers joined with ", " (column lists of DDL).
  std::string quote_list(const std::vector<std::string>& idents) const;

  /// DDL spelling of a type (see core/types.hpp for the table).
  virtual std::string type_name(const SqlType& t) const = 0;
  /// `v` as a SQL literal holding what this dialect's driver would store for
  /// it as a bound parameter (for `upgrade --sql`, which prints statements
  /// with their values inlined). The default is Value::repr(); SQLite writes
  /// a Uuid as its 32 hex digits (CHAR(32)), PostgreSQL Bytes as
  /// '\x..'::bytea and a StringList as a TEXT[] literal.
  virtual std::string literal(const Value& v) const { return v.repr(); }
  /// DDL spelling of a server default (ServerDefault::now() per dialect).
  virtual std::string server_default_sql(const schema::ServerDefault& d) const = 0;

  /// CREATE TABLE [IF NOT EXISTS] with columns, PK, UNIQUE, FK, CHECK (all named
  /// with CONSTRAINT <name>), followed by its CREATE INDEX statements, and on
  /// SQLite the CHECK that limits an Enum column to its values.
  virtual std::vector<std::string> create_table(const schema::Table& t, bool if_not_exists = false) const = 0;
  /// DROP TABLE [IF EXISTS] (and, on PostgreSQL, the enum types it owns).
  virtual std::vector<std::string> drop_table(const schema::Table& t, bool if_exists = false) const = 0;
  virtual std::string create_index(const std::string& table, const schema::Index& ix,
                                   bool if_not_exists = false) const = 0;
  virtual std::string drop_index(const std::string& table, const schema::Index& ix,
                                 bool if_exists = false) const = 0;
  /// A query returning one row when table `name` exists (no parameters other than the name).
  virtual sql::Compiled has_table(std::string_view name) const = 0;

  /// Opens a driver connection. Throws: OperationalError naming the database when it cannot.
  virtual std::unique_ptr<DriverConnection> connect(const ConnectParams& p) const = 0;
  /// The schema reader of this database over `conn` (a connection of this
  /// dialect's driver, which must outlive the inspector).
  virtual std::unique_ptr<Inspector> inspector(DriverConnection& conn) const = 0;
  /// What starts a transaction that takes the write lock at once: SQLite's
  /// `BEGIN IMMEDIATE`; plain `BEGIN` where writers lock rows, not the
  /// database (PostgreSQL). Connection::begin_immediate() runs it.
  virtual std::string_view begin_immediate_sql() const noexcept { return "BEGIN"; }

  // --- read by strata::migrate ---
  /// A statement taking one BIGINT parameter (the lock key, derived by the
  /// migration runner from its version table's name) that blocks until the
  /// current transaction holds an exclusive lock on that key, released at
  /// COMMIT / ROLLBACK: PostgreSQL's `SELECT pg_advisory_xact_lock($1)`. The
  /// runner runs it first in each revision's transaction, then reads the
  /// version table, so concurrent `upgrade` runs apply each revision once.
  /// Empty (the default) where begin_immediate_sql() already takes a lock on
  /// the whole database (SQLite).
  virtual std::string_view migration_lock_sql() const noexcept { return {}; }
};

/// The SQLite dialect (always built in).
const Dialect& sqlite_dialect();

/// Makes `dialect` the dialect of URLs whose drivername is `drivername`
/// ("postgresql"); replaces an earlier registration. Thread-safe. Optional
/// components register themselves when linked (strata::postgresql does, from
/// a static initializer). `dialect` must outlive every engine using it.
void register_dialect(std::string_view drivername, const Dialect& dialect);
/// The dialect registered for `drivername` ("sqlite" always), or nullptr.
const Dialect* find_dialect(std::string_view drivername) noexcept;

}  // namespace strata::dialect
