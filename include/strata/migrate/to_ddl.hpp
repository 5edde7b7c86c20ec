// strata/migrate/to_ddl.hpp - an op -> SQL statements for a dialect (Alembic's toimpl.py).
//
// Offline: no connection is needed, so `upgrade --sql` and the golden-SQL
// tests use it as the runner does.
//
// Dialects that cannot ALTER (Capabilities::supports_alter == false: SQLite)
// turn alter_column, drop_column, the create_*_constraint ops, drop_constraint
// and an add_column that ALTER TABLE ADD COLUMN refuses into a table rebuild,
// SQLite's documented "generalized ALTER TABLE" procedure, every row kept:
//
//   PRAGMA defer_foreign_keys=ON
//   CREATE TABLE "_strata_tmp_item" (...the table after the op, final constraint names...)
//   INSERT INTO "_strata_tmp_item" ("id", "title") SELECT "id", "name" FROM "item"
//   DROP TABLE "item"
//   ALTER TABLE "_strata_tmp_item" RENAME TO "item"
//   CREATE INDEX "ix_item_title" ON "item" ("title")        (each index of the table)
//   PRAGMA foreign_key_check("item")                        (Statement::check: must return no row)
//
// - copied columns: a renamed column is read under its old name; a type change
//   is copied as it is (no CAST: SQLite's CAST loses data, 'abc' -> 0, while the
//   new column's affinity converts only what converts without loss);
//   a column made NOT NULL that has a server default reads COALESCE(x, default);
//   a new column is left out of the INSERT so that it takes its server default
//   (the SQLite-only copy rules; other dialects never rebuild);
// - foreign keys: SQLite cannot change PRAGMA foreign_keys inside a
//   transaction, and the rebuild runs inside the revision's transaction, so it
//   starts with PRAGMA defer_foreign_keys=ON: the DROP of the old table and
//   the rows copied meanwhile are checked at COMMIT, and PRAGMA
//   foreign_key_check makes a broken reference fail the revision at once
//   (run_statements throws). The runner must therefore run each SQLite
//   revision in one transaction (BEGIN ... COMMIT), as it does for every revision.
//   A table that other tables reference with ON DELETE CASCADE / SET NULL:
//   see run_statements.
// - ADD COLUMN on SQLite is used only where SQLite allows it: not PRIMARY KEY,
//   not an Enum (whose CHECK is a table constraint), and nullable or with a
//   constant non-NULL default (not CURRENT_TIMESTAMP, not an expression).
//
// Dialects that ALTER (PostgreSQL) get ALTER TABLE statements:
//
//   alter_column   in this order: the enum type's change (below), DROP DEFAULT
//                  when a USING cast will run on a column with a default,
//                  ALTER COLUMN "c" TYPE t [USING ...], SET / DROP DEFAULT (the
//                  new default, or the dropped one put back), for a column made
//                  NOT NULL that has a default `UPDATE "t" SET "c" = DEFAULT
//                  WHERE "c" IS NULL` (SQLite's rebuild COALESCEs the same way),
//                  SET / DROP NOT NULL, RENAME COLUMN, then DROP TYPE of an enum
//                  type no column uses any more.
//   USING          AlterColumn::postgresql_using when given. Otherwise Strata
//                  adds `USING "c"::<new type>` only where PostgreSQL has no
//                  assignment cast for the change, and leaves it out where it
//                  converts by itself: between numeric kinds (SMALLINT ..
//                  NUMERIC, REAL, DOUBLE), to a string type, within one kind
//                  (VARCHAR length, NUMERIC precision, time zone), DATE ->
//                  TIMESTAMP. Leaving it out matters: an explicit cast to
//                  VARCHAR(n) truncates silently where the assignment cast
//                  fails on a value too long. To or from an Enum the cast goes
//                  through text (`"c"::text::"status"`). A change without such
//                  a cast (SMALLINT -> BOOLEAN) needs postgresql_using.
//                  Alembic adds no USING at all; the rule above keeps the
//                  common changes (VARCHAR -> INTEGER / UUID / JSONB) working
//                  without hand-written SQL.
//   enum types     Strata treats a native enum type (Capabilities::native_enum)
//                  as owned by the columns that use it: create_table and
//                  add_column create it (CREATE TYPE) unless a column of
//                  `before` uses it already (with other values: MigrationError
//                  naming type and values); drop_table, drop_column and a type
//                  change away from it drop it (DROP TYPE) when no other column
//                  of `before` uses it. An alter_column to an Enum of the SAME
//                  name changes the type in place:
//                    - values only added, the old ones in their order:
//                      `ALTER TYPE "e" ADD VALUE IF NOT EXISTS 'v' [BEFORE 'w']`
//                      (placed where the new list puts it; IF NOT EXISTS so that
//                      the alter_column of a second column sharing the type is a
//                      no-op). PostgreSQL forbids USING a value added in the same
//                      transaction: set a default to it or write rows with it in
//                      a later revision;
//                    - values removed or reordered (a downgrade of the above):
//                      the type is re-created, `ALTER TYPE "e" RENAME TO
//                      "e_old"`, CREATE TYPE "e", every column of `before` using
//                      it converted (`USING "c"::text::"e"`, its default dropped
//                      and put back), DROP TYPE "e_old". A row holding a removed
//                      value makes the cast fail, and the revision with it.
//   create_index   postgresql_concurrently -> CREATE INDEX CONCURRENTLY (and DROP
//                  INDEX CONCURRENTLY), Statement::outside_transaction set.
//   execute        with params: each '?' outside '...', "...", $tag$...$tag$,
//                  -- and /* */ comments becomes the dialect's placeholder ($1,
//                  $2...), as SQLAlchemy's text() binds follow the driver's
//                  paramstyle; MigrationError when the counts differ. Without
//                  params the SQL is left as written (so PostgreSQL's jsonb `?`
//                  operator can be used there). SQLite's '?' stays as it is.
//   bulk_insert    multi-row INSERTs compiled by the dialect's compiler (its
//                  placeholders), at most max_bind_params values each: what
//                  --sql prints. The runner loads the rows with
//                  DriverConnection::copy_in instead (COPY ... FROM STDIN on
//                  PostgreSQL; the driver's default elsewhere).
#pragma once

#include <string>
#include <vector>

#include "strata/core/value.hpp"
#include "strata/dialect/dialect.hpp"
#include "strata/migrate/errors.hpp"
#include "strata/migrate/ops.hpp"
#include "strata/schema/metadata.hpp"

namespace strata::engine {
class Connection;
}

namespace strata::migrate {

/// One statement of an op's DDL.
struct Statement {
  std::string sql;
  std::vector<Value> params;  ///< bound values (the dialect's placeholders: "?" or "$1"...)
  /// A comment (`-- run_callable name`): printed by `--sql`, never executed.
  bool comment = false;
  /// A check (PRAGMA foreign_key_check): the op failed when it returns a row.
  bool check = false;
  /// Set on the first statement of a SQLite table rebuild: the table it
  /// re-creates. Runners read it (foreign keys off around the transaction, the
  /// refusal of a rebuild that would lose triggers...) instead of parsing SQL.
  std::string rebuilds = {};
  /// Cannot run inside a transaction (CREATE INDEX CONCURRENTLY): the runner
  /// runs it after the transaction of its revision commits (runner.hpp).
  bool outside_transaction = false;
  friend bool operator==(const Statement&, const Statement&) = default;
};

/// Prefix of the temporary table of a rebuild: "_strata_tmp_<table>".
inline constexpr const char* rebuild_prefix = "_strata_tmp_";

/// The statements that perform `op` on `dialect`, given `before`, the schema
/// before the op (a rebuild creates the table as apply() makes it; a drop
/// without its record takes the definition from `before`). See the header
/// comment for SQLite's choices.
///
/// Example:
///   auto stmts = to_ddl(ops::AddColumn{"item", col}, dialect::sqlite_dialect(), md);
///   // {"ALTER TABLE \"item\" ADD COLUMN \"done\" BOOLEAN DEFAULT 0 NOT NULL"}
///
/// Throws: MigrationError naming the table / column when a rebuild's table or
/// column is not in `before` (the op cannot be applied to it); SchemaError from
/// the dialect's DDL.
std::vector<Statement> to_ddl(const ops::Op& op, const dialect::Dialect& dialect, const schema::MetaData& before);

/// The statements of a list of ops: each op's to_ddl against the schema left
/// by the ops before it (apply()). Throws: as to_ddl() and apply().
std::vector<Statement> to_ddl(const std::vector<ops::Op>& ops, const dialect::Dialect& dialect,
                              schema::MetaData before);

/// Runs statements on `conn` (inside the caller's transaction, except the
/// outside_transaction ones, which the caller runs with none open): skips
/// comments, executes the rest with their parameters, and for a `check`
/// statement throws MigrationError naming the table when it returns a row
/// ("foreign key check failed on table 'item': row 3 references 'owner'").
/// Data loss warning (SQLite): with PRAGMA foreign_keys=ON, dropping the old
/// table during a rebuild behaves as DELETE FROM it, and ON DELETE CASCADE /
/// SET NULL of tables referencing it FIRE even with defer_foreign_keys=ON
/// (tests/migrate/rebuild_test.cpp shows the children deleted). A rebuild
/// must therefore run with PRAGMA foreign_keys=OFF set BEFORE BEGIN (SQLite's
/// 12-step procedure): use run_in_transaction(), or do as it does.
/// Throws: DatabaseError subclasses, MigrationError.
void run_statements(engine::Connection& conn, const std::vector<Statement>& stmts);

/// Runs `stmts` in one transaction, as the runner must run a revision (the
/// outside_transaction ones after its COMMIT, in order): when
/// they hold a rebuild (PRAGMA defer_foreign_keys=ON), PRAGMA foreign_keys=OFF
/// first (outside the transaction; it cannot change inside one), then BEGIN,
/// run_statements (whose PRAGMA foreign_key_check fails the revision on a
/// broken reference), COMMIT; on error ROLLBACK; foreign_keys is restored
/// to its previous value in both cases.
/// Pre: no transaction is open on `conn`.
/// Throws: as run_statements; InvalidRequestError when a transaction is open.
void run_in_transaction(engine::Connection& conn, const std::vector<Statement>& stmts);

}  // namespace strata::migrate
