// strata/dialect/sqlite.hpp - the SQLite dialect: compiler, type names, DDL.
//
// Generates SQL without a database; only connect() reaches the driver
// (src/dialect/sqlite/driver.cpp, the one file that includes <sqlite3.h>).
//
// DDL format (stable, modelled on SQLAlchemy's CreateTable output; one column
// or table constraint per line, a tab before each, no trailing spaces):
//
//   CREATE TABLE "item" (
//   	"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
//   	"title" VARCHAR(255) NOT NULL,
//   	"status" VARCHAR(9) DEFAULT 'draft' NOT NULL,
//   	"created_at" DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
//   	"owner_id" CHAR(32) NOT NULL,
//   	CONSTRAINT "uq_item_owner_id_title" UNIQUE ("owner_id", "title"),
//   	CONSTRAINT "fk_item_owner_id_user" FOREIGN KEY("owner_id") REFERENCES "user" ("id") ON DELETE CASCADE,
//   	CONSTRAINT "ck_item_title_len" CHECK (length(title) > 0),
//   	CONSTRAINT "ck_item_status_enum" CHECK ("status" IN ('draft', 'published'))
//   )
//
// - column: "name" TYPE [DEFAULT x] [NOT NULL] [PRIMARY KEY AUTOINCREMENT];
//   primary-key columns are always NOT NULL;
// - table constraints in this order: PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK,
//   then one enum CHECK per Enum column (named ck_<table>_<column>_enum);
//   a constraint without a name is rendered without `CONSTRAINT "name"`;
//   ON DELETE / ON UPDATE are omitted when NO ACTION;
// - an autoincrement column (a single-column integer primary key) is declared
//   inline as `"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`, whatever its
//   integer kind: SQLite makes a rowid alias only for the exact type INTEGER,
//   and AUTOINCREMENT is only allowed inline. The table's PRIMARY KEY
//   constraint is then omitted (SQLite allows one primary key);
// - each Index follows as its own CREATE [UNIQUE] INDEX statement.
#pragma once

#include "strata/dialect/dialect.hpp"

namespace strata::dialect {

/// SQLite's statement compiler: "?" placeholders, ILIKE as
/// `lower(a) LIKE lower(b)`, `LIMIT -1 OFFSET ?` for an offset alone.
///
/// JSON paths (sql::JsonPath, src/dialect/sqlite/compiler.cpp) use the JSON1
/// functions with the path bound as one text parameter, each key double-quoted:
///
///   as_string   json_extract("models"."metadata", ?)                 ? = '$."pricing"."currency"'
///   as_integer  CAST(json_extract("models"."metadata", ?) AS INTEGER) ? = '$."context_window"'
///   as_float    CAST(json_extract(...) AS REAL)
///   as_boolean  json_extract(...)   (JSON true / false read as 1 / 0)
///   index       ? = '$."tags"[0]', and '$."tags"[#-1]' for index -1
///
/// A key holding '"', '\' or a control character cannot be written in a path
/// that SQLite 3.40 matches, so such a key becomes a json_each() step that
/// compares the decoded key (bound): `(SELECT "json_each"."value" FROM
/// json_each(<document>) WHERE "json_each"."key" = ?)`.
///
/// Array membership (sql::ArrayAny; a string list is stored as JSON array text),
/// NULL for a NULL list as PostgreSQL's `= ANY` is:
///   CASE WHEN "opinions"."tags" IS NOT NULL THEN EXISTS (SELECT 1 FROM
///   json_each("opinions"."tags") WHERE "json_each"."value" = ?) END
class SqliteCompiler final : public sql::SqlCompiler {
 protected:
  std::string_view dialect_name() const override { return "sqlite"; }
  void visit_json_path(State& st, const sql::JsonPath& j) const override;
  void visit_array_any(State& st, const sql::ArrayAny& a) const override;

 private:
  /// The value at the first `steps` steps of j.path: as SQLite's SQL value
  /// (text, integer, real, 0 / 1, NULL) or, with `as_json`, as JSON text.
  void json_value(State& st, const sql::JsonPath& j, std::size_t steps, bool as_json) const;
};

/// The SQLite dialect. Use the shared instance sqlite_dialect().
///
/// Example:
///   const auto& d = strata::dialect::sqlite_dialect();
///   for (const auto& stmt : d.create_table(table)) conn.execute_script(stmt);
class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const noexcept override { return "sqlite"; }
  const Capabilities& capabilities() const noexcept override;
  const sql::SqlCompiler& compiler() const noexcept override { return compiler_; }

  /// See core/types.hpp. Enum -> VARCHAR(n), n = the longest value's length (at least 1).
  std::string type_name(const SqlType& t) const override;
  /// Now -> CURRENT_TIMESTAMP. Text is verbatim when it is a literal (number,
  /// 'string', X'blob'), a keyword (NULL, TRUE, FALSE, CURRENT_TIMESTAMP /
  /// _DATE / _TIME) or already parenthesized; otherwise it is wrapped in
  /// parentheses, since SQLite accepts only DEFAULT (expr) for expressions.
  std::string server_default_sql(const schema::ServerDefault& d) const override;
  /// As Value::repr(), but a Uuid is its 32 hex digits (the CHAR(32) form
  /// the driver stores).
  std::string literal(const Value& v) const override;

  /// See the format at the top of this header. Returns the CREATE TABLE, then
  /// one CREATE INDEX per index.
  /// Throws: SchemaError naming the table and column when `autoincrement` is
  /// set on a column that is not the single-column integer primary key.
  std::vector<std::string> create_table(const schema::Table& t, bool if_not_exists = false) const override;
  /// {`DROP TABLE [IF EXISTS] "t"`}: SQLite drops the table's indexes with it.
  std::vector<std::string> drop_table(const schema::Table& t, bool if_exists = false) const override;
  /// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] "ix" ON "t" ("a", "b")`.
  std::string create_index(const std::string& table, const schema::Index& ix,
                           bool if_not_exists = false) const override;
  /// `DROP INDEX [IF EXISTS] "ix"` (SQLite index names are per schema, not per table).
  std::string drop_index(const std::string& table, const schema::Index& ix, bool if_exists = false) const override;
  /// `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?` with the name bound.
  sql::Compiled has_table(std::string_view name) const override;
  /// Opens a connection through the SQLite driver.
  /// Throws: OperationalError naming the database when it cannot.
  std::unique_ptr<DriverConnection> connect(const ConnectParams& p) const override;
  /// make_sqlite_inspector(conn).
  std::unique_ptr<Inspector> inspector(DriverConnection& conn) const override;
  /// `BEGIN IMMEDIATE`: takes the database's write lock at once, so two
  /// writers never deadlock upgrading a read lock.
  std::string_view begin_immediate_sql() const noexcept override { return "BEGIN IMMEDIATE"; }

  /// One column's definition as in CREATE TABLE (`"name" TYPE [DEFAULT x] [NOT NULL]`
  /// [PRIMARY KEY AUTOINCREMENT]); also what ALTER TABLE ... ADD COLUMN takes.
  /// Throws: SchemaError as create_table for a misplaced autoincrement.
  std::string column_spec(const schema::Table& t, const schema::Column& c) const;
  /// The CHECK expression that limits an Enum column to its values
  /// (`"status" IN ('draft', 'published')`); empty for other types.
  std::string enum_check_sql(const schema::Column& c) const;

 private:
  SqliteCompiler compiler_;
};

}  // namespace strata::dialect
