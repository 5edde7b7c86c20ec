// strata/schema/metadata.hpp - MetaData: a collection of tables (SQLAlchemy's MetaData).
#pragma once

#include <deque>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "strata/schema/naming.hpp"
#include "strata/schema/table.hpp"

namespace strata::schema {

class MetaData {
 public:
  explicit MetaData(NamingConvention conv = {}) : naming_(std::move(conv)) {}

  /// Adds a table, applying the naming convention to unnamed constraints.
  /// Returns the stored table.
  /// Throws: SchemaError when a table of that name is already present.
  Table& add_table(Table table);
  /// The table named `name`, or nullptr.
  const Table* find_table(std::string_view name) const noexcept;
  /// As find_table, throws SchemaError "unknown table 'x'".
  const Table& table(std::string_view name) const;
  /// Tables in insertion order.
  const std::deque<Table>& tables() const noexcept { return tables_; }

  /// Tables ordered so that each comes after the tables its foreign keys
  /// reference (create order); reverse it for drop order. Self-references are
  /// ignored. Throws: SchemaError naming the tables of a foreign-key cycle.
  std::vector<const Table*> sorted_tables() const;

  /// Checks that every foreign key references a known table and column.
  /// Throws: SchemaError "table 'item' column 'owner_id' references unknown table 'users'".
  void validate() const;

  const NamingConvention& naming_convention() const noexcept { return naming_; }

 private:
  NamingConvention naming_;
  std::deque<Table> tables_;
  std::unordered_map<std::string, std::size_t> by_name_;  // table name -> position in tables_  // deque: references from add_table() stay valid
};

}  // namespace strata::schema
