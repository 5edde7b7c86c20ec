// strata/migrate/runner.hpp - MigrationContext: runs revisions on a database
// (Alembic's runtime/migration.py), and the app's start-up upgrade().
//
// Version table: `strata_version(version_num VARCHAR(32) NOT NULL,
// CONSTRAINT strata_version_pkc PRIMARY KEY (version_num))`, name configurable
// (RunOptions::version_table = "alembic_version" adopts a database that Alembic
// managed). It holds one row per current head, with Alembic's semantics: a
// linear history has one row, two unmerged branches two rows, a merge
// revision replaces its parents' rows by one. It is created (IF NOT EXISTS) by
// the first upgrade or stamp, inside that run's first transaction (not again
// in the later ones of a run, once it is known to exist).
//
// Transactions and concurrency: by default each revision runs in its own
// transaction holding its DDL, its data statements and its version-table
// update, so a failing statement rolls the whole revision back (schema, rows
// and version rows exactly as before) while the revisions applied earlier in
// the same run stay applied (transactional DDL: SQLite and PostgreSQL roll
// back CREATE / ALTER / DROP, ALTER TYPE ... ADD VALUE included). Each
// transaction begins with the dialect's begin_immediate_sql() and then runs
// its migration_lock_sql(), and the current heads are read INSIDE it, after
// the lock:
//   SQLite      BEGIN IMMEDIATE takes the database's write lock;
//   PostgreSQL  BEGIN, then `SELECT pg_advisory_xact_lock($1)` with a fixed
//               64-bit key derived from the version table's name (FNV-1a of
//               "strata.migrate:<version_table>"), released by COMMIT or
//               ROLLBACK (a crashed migrator never leaves it held). The
//               version table is created (IF NOT EXISTS) after the lock, so
//               concurrent first runs do not race on its catalog rows.
// A second process upgrading at once waits on the lock, then sees the
// revision applied and goes on with the next, so each revision is applied
// exactly once (tests: two threads on SQLite, eight processes on PostgreSQL).
// The plan is re-computed from the version table in each transaction; a
// relative target ("+1", "-2") is resolved once, at the start. Within one
// transaction (transaction_per_revision = false) the heads are read once,
// after the lock, then carried from revision to revision (read again only
// after an execute / run_callable op). A run whose last COMMIT reached the
// target ends without another transaction.
//
// Statements that cannot run in a transaction (Statement::outside_transaction:
// CREATE / DROP INDEX CONCURRENTLY) run after the COMMIT of their revision's
// transaction (after the run's only COMMIT when transaction_per_revision is
// false), in op order, without the lock. Their revision is then already
// recorded: if one fails, MigrationFailed says so, and PostgreSQL leaves an
// INVALID index to drop before creating it again by hand. A later op of the
// same revision must not depend on such an index.
//
// bulk_insert rows are loaded with DriverConnection::copy_in (COPY ... FROM
// STDIN on PostgreSQL) rather than the INSERTs to_ddl() prints for --sql.
//
// SQLite foreign keys (Capabilities::foreign_key_pragmas; PostgreSQL has
// none of this): PRAGMA foreign_keys cannot change inside a transaction, and
// a table rebuild's DROP TABLE would fire ON DELETE CASCADE of referencing
// tables. So when the connection has foreign_keys=ON, the runner turns it OFF
// before a transaction that may rebuild a table (SQLite's 12-step ALTER
// procedure), runs the revision, runs PRAGMA foreign_key_check over the whole
// database before COMMIT when the revision changed existing tables (a row =
// the revision fails, naming the table), and turns foreign keys back ON.
// A transaction whose revisions hold only create_table, create_index and
// add_column ops that ALTER TABLE ADD COLUMN takes (no rebuild) keeps them ON
// and needs no check: SQLite enforces every reference as it goes. Which
// revisions a transaction will run is known before its BEGIN from the heads
// the run last saw (read before the first transaction, then left by its last
// COMMIT); when the heads read inside the lock differ (another process
// migrated meanwhile) and what is left needs foreign keys off, the
// transaction, in which nothing ran yet, is rolled back and begun again with
// them off.
//
// Schema used for SQL generation (`before` of to_ddl): the live schema, read
// with the dialect's inspector inside the transaction, then evolved op by op with
// apply() and carried to the next revision of the run (a chain of N revisions
// reads it once, not N times). It is read again when the heads found inside a
// transaction are not the ones expected (another process migrated meanwhile)
// and after an execute / run_callable op (raw SQL or C++ may change anything).
// Offline, the schema at `from` comes from replay(). On SQLite, with foreign
// keys turned off, a PRAGMA foreign_key_check runs before COMMIT after any op
// other than create_table / create_index.
#pragma once

#include <exception>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "strata/engine/engine.hpp"
#include "strata/migrate/errors.hpp"
#include "strata/migrate/script.hpp"
#include "strata/migrate/to_ddl.hpp"
#include "strata/schema/metadata.hpp"

namespace strata::migrate {

struct RunOptions {
  /// Name of the version table. "alembic_version" to adopt an Alembic-managed database.
  std::string version_table = "strata_version";
  /// true: one transaction per revision; false: one transaction for the whole run
  /// (a failure then rolls back every revision of the run).
  bool transaction_per_revision = true;
  /// Console lines ("Running upgrade a -> b, message"), one per revision; nullptr = silent.
  std::ostream* out = nullptr;
};

/// Runs the revisions of a ScriptDirectory on one engine. Not thread-safe: use
/// one context per thread (several contexts may share a ScriptDirectory and,
/// on a file database, run at once: see the header comment).
///
/// Example:
///   auto engine = strata::create_engine("sqlite:///app.db");
///   strata::migrate::MigrationContext ctx(engine, strata::migrate::ScriptDirectory::global(),
///                                         {.out = &std::cout});
///   ctx.upgrade("head");     // Running upgrade  -> e2412789c190, initialize models
///   ctx.downgrade("-1");
class MigrationContext {
 public:
  /// `scripts` must outlive the context.
  MigrationContext(engine::Engine engine, const ScriptDirectory& scripts, RunOptions opts = {});

  /// The heads recorded in the version table, sorted; empty when the table is
  /// absent (nothing is created). Throws: DatabaseError subclasses.
  std::vector<std::string> current_heads();

  /// Applies the revisions up to `target` ("head", "heads", an id or unique
  /// prefix, "branch@head", "+1", ...). Nothing to do when already there.
  /// Throws: RevisionError subclasses (MultipleHeads for "head" with two heads,
  /// UnknownRevision, RangeNotAncestor for a target below the current heads,
  /// the map's errors); MigrationFailed when a revision fails (it is rolled
  /// back whole; the revisions before it in this run stay applied, unless
  /// transaction_per_revision is false).
  void upgrade(std::string_view target);

  /// Unapplies revisions down to `target` ("base", "-1", an id...) by running
  /// each script's downgrade() ops. Throws: as upgrade().
  void downgrade(std::string_view target);

  /// Writes the version table only, so that it records `target` ("head",
  /// "heads", an id, "base"), creating it if needed. Heads of other branches
  /// are kept unless `purge` (which first empties the table). No DDL of the
  /// revisions runs. Throws: RevisionError subclasses, DatabaseError subclasses.
  void stamp(std::string_view target, bool purge = false);

  /// Offline mode (--sql): the SQL of upgrade/downgrade from `from` (a revision,
  /// or "base") to target, as text; nothing executed, no connection opened.
  /// Starting from base it opens with CREATE TABLE of the version table; each
  /// revision is a "-- Running upgrade a -> b" comment, its DDL (bound values,
  /// "?" or "$n", rendered as literals with Value::repr) and the
  /// INSERT/UPDATE/DELETE of version_num. Each statement ends with ";" and a
  /// blank line. A downgrade to base ends with DROP TABLE of the version table
  /// (as Alembic's). Transactions, as the online run makes them:
  ///   - with Capabilities::foreign_key_pragmas (SQLite): PRAGMA
  ///     foreign_keys=OFF; BEGIN; ... PRAGMA foreign_key_check; COMMIT;
  ///     PRAGMA foreign_keys=ON; around all (one transaction; always, where
  ///     the online run leaves foreign keys on when no revision rebuilds);
  ///   - otherwise (PostgreSQL): BEGIN; ... COMMIT; per revision when
  ///     transaction_per_revision (the version table's CREATE / DROP inside
  ///     the first / last), else one around all. The migration lock is not
  ///     printed (a script is run by one person).
  /// outside_transaction statements (CREATE INDEX CONCURRENTLY) follow the
  /// COMMIT of their transaction.
  /// Throws: RevisionError subclasses; MigrationError when an op does not fit
  /// the replayed schema.
  std::string upgrade_sql(std::string_view from, std::string_view target);
  std::string downgrade_sql(std::string_view from, std::string_view target);

  /// The schema the history produces at `target` (default: all heads), by
  /// replaying every revision's upgrade ops into an empty MetaData with apply();
  /// no database needed. Throws: RevisionError subclasses, MigrationError.
  schema::MetaData replay(std::string_view target = "heads") const;

  const RunOptions& options() const noexcept { return opts_; }

 private:
  enum class Direction { Up, Down };
  void run(Direction dir, std::string_view target);
  std::string offline(Direction dir, std::string_view from, std::string_view target);

  engine::Engine engine_;
  const ScriptDirectory* scripts_;
  RunOptions opts_;
};

/// A revision failed: names the revision, the statement and the cause. The
/// database is left at the previous revision (its transaction was rolled back
/// whole). Message:
///   "upgrade of revision '3f2a9c1d0b7e' (add is_completed to item) failed:
///    UNIQUE constraint failed: item.id\n[statement: INSERT INTO ...]"
class MigrationFailed : public MigrationError {
 public:
  MigrationFailed(std::string revision, std::string direction, std::string statement, std::string cause,
                  std::string message, std::exception_ptr original = {}, Location where = Location::current());
  /// Full id of the revision that failed.
  const std::string& revision() const noexcept { return revision_; }
  /// "upgrade" or "downgrade".
  const std::string& direction() const noexcept { return direction_; }
  /// The SQL that failed ("run_callable <name>" for a C++ step; empty when the
  /// failure came before any statement, e.g. an op that does not fit the schema).
  const std::string& statement() const noexcept { return statement_; }
  /// The message of the underlying error.
  const std::string& cause() const noexcept { return cause_; }
  /// The underlying exception (a DatabaseError, MigrationError...), for rethrowing.
  std::exception_ptr original() const noexcept { return original_; }

 private:
  std::string revision_, direction_, statement_, cause_;
  std::exception_ptr original_;
};

/// The app's start-up call (the seeds' prestart step): upgrade to `target`
/// with ScriptDirectory::global().
/// Example: strata::migrate::upgrade(engine);   // to "head"
/// Throws: as MigrationContext::upgrade.
void upgrade(engine::Engine& engine, std::string_view target = "head", RunOptions opts = {});

}  // namespace strata::migrate
