// strata/dialect/inspector.hpp - reads a live database's schema back into
// schema::MetaData (SQLAlchemy's Inspector), for autogenerate and `check`.
//
// The inspector sits in the dialect layer and talks to a raw
// DriverConnection, so it needs no engine. Each database implements the two
// virtual functions; metadata() is shared.
//
// SQLite reads PRAGMA table_info / index_list / index_info / foreign_key_list
// plus the CREATE TABLE text in sqlite_master (for constraint names, CHECKs and
// AUTOINCREMENT: a small scanner that tracks quotes and parentheses, not a SQL
// parser). What SQLite cannot give back (documented losses):
//   - StringArray is stored as JSON and reads back as Json;
//   - DateTime's timezone flag is not in the DDL (DATETIME either way);
//   - an Enum reads back from its ck_<table>_<column>_enum CHECK with its
//     values, but without its type name (enum_name is empty);
//   - an autoincrement key always reads back as Integer (SQLite's rowid alias
//     needs the exact type INTEGER, whatever the model's integer kind);
//   - Column::comment and Column::has_onupdate are not stored in the database;
//   - a primary key declared inline (autoincrement) has no constraint name:
//     metadata() names it from the naming convention (pk_<table>), as the
//     models do;
//   - indexes on expressions are skipped (schema::Index holds columns only).
// A type name Strata does not emit is mapped by SQLite's affinity rules
// (INT -> Integer, CHAR/CLOB/TEXT -> String, REAL/FLOA/DOUB -> Double,
// otherwise Numeric; an empty type -> Bytes).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/dialect/driver.hpp"
#include "strata/schema/metadata.hpp"
#include "strata/schema/table.hpp"

namespace strata::dialect {

/// Reads the schema of the database behind one open connection. The
/// connection must outlive the inspector; nothing is cached, so each call sees
/// the database as it is now.
///
/// Example:
///   auto conn = engine.connect();
///   auto insp = strata::dialect::make_sqlite_inspector(conn.driver());
///   schema::MetaData current = insp->metadata();          // skips strata_version
///   auto diff = strata::migrate::compare(current, strata::model::metadata());
class Inspector {
 public:
  virtual ~Inspector() = default;

  /// Names of the user tables, sorted by name, without the database's own
  /// tables (sqlite_%) and without the names in `exclude` (the version table).
  /// Throws: DatabaseError subclasses.
  virtual std::vector<std::string> table_names(const std::vector<std::string>& exclude = {"strata_version"}) = 0;

  /// The definition of table `name`: columns (type, nullable, primary key,
  /// autoincrement, server default), primary key, unique constraints, foreign
  /// keys, named CHECKs and indexes, each in the order of the table's DDL.
  /// Constraint names that the database does not store are left empty.
  /// Throws: SchemaError "no table 'x' in the database"; DatabaseError subclasses.
  virtual schema::Table table(std::string_view name) = 0;

  /// Every table of table_names(exclude), added to a MetaData with the default
  /// naming convention (which fills the names the database does not keep).
  /// Throws: as table().
  virtual schema::MetaData metadata(const std::vector<std::string>& exclude = {"strata_version"});
};

/// The SQLite inspector over `conn` (a connection of the SQLite driver).
std::unique_ptr<Inspector> make_sqlite_inspector(DriverConnection& conn);

/// Parses a SQLite declared column type back to a SqlType (see the table in
/// core/types.hpp; CHAR(32) is Uuid, JSON is Json). Exposed for tests.
SqlType parse_sqlite_type(std::string_view declared);

}  // namespace strata::dialect
