// strata/schema/table.hpp - Table: plain data, columns plus constraints and indexes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/schema/column.hpp"
#include "strata/schema/constraint.hpp"

namespace strata::schema {

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::optional<PrimaryKeyConstraint> primary_key;
  std::vector<UniqueConstraint> unique_constraints;
  std::vector<ForeignKeyConstraint> foreign_keys;
  std::vector<CheckConstraint> checks;
  std::vector<Index> indexes;

  /// The column named `name`, or nullptr.
  const Column* find_column(std::string_view name) const noexcept;
  Column* find_column(std::string_view name) noexcept;
  /// As find_column, but throws SchemaError "table 't' has no column 'c'".
  const Column& column(std::string_view name) const;
  /// Names of the primary key's columns (empty when there is none).
  std::vector<std::string> primary_key_columns() const;

  friend bool operator==(const Table&, const Table&) = default;
};

}  // namespace strata::schema
