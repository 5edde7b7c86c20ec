// strata/schema/column.hpp - Column: plain data describing one table column.
#pragma once

#include <optional>
#include <string>

#include "strata/core/types.hpp"

namespace strata::schema {

/// A server-side default: SQL text rendered verbatim after DEFAULT
/// ("0", "'draft'", "CURRENT_TIMESTAMP"). A function such as now() is written
/// portably as ServerDefault::now() and rendered per dialect
/// (SQLite CURRENT_TIMESTAMP, PostgreSQL now()).
struct ServerDefault {
  enum class Kind { Text, Now } kind = Kind::Text;
  std::string sql;  ///< Kind::Text: the SQL expression
  static ServerDefault text(std::string s) { return {Kind::Text, std::move(s)}; }
  static ServerDefault now() { return {Kind::Now, {}}; }
  friend bool operator==(const ServerDefault&, const ServerDefault&) = default;
};

/// One column of a Table. Constraints that involve several columns (composite
/// unique, foreign keys, checks) live on the Table.
struct Column {
  std::string name;
  SqlType type;
  bool nullable = true;
  bool primary_key = false;
  /// INTEGER PRIMARY KEY that the database numbers (SQLite rowid alias,
  /// PostgreSQL IDENTITY). Only on a single-column integer primary key.
  bool autoincrement = false;
  std::optional<ServerDefault> server_default;
  /// When true the UPDATE statements built by the ORM set this column to
  /// its onupdate value (see model layer); the DDL is unaffected.
  bool has_onupdate = false;
  std::string comment;

  friend bool operator==(const Column&, const Column&) = default;
};

}  // namespace strata::schema
