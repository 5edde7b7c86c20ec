// strata/migrate/errors.hpp - errors of the migration layer.
//
//   strata::Error
//   └── MigrationError            an op cannot be applied / run {table, column}
//       └── IrreversibleOperation an op cannot be reversed {op}
#pragma once

#include <string>

#include "strata/core/error.hpp"

namespace strata::migrate {

/// An operation cannot be applied to a schema or run on a database: unknown
/// table or column, duplicate column, a rebuild whose foreign-key check found
/// orphans... Names the table and, when one is involved, the column, e.g.
/// "add column 'item.title': table 'item' already has column 'title'".
class MigrationError : public Error {
 public:
  MigrationError(const std::string& message, std::string table = {}, std::string column = {},
                 Location where = Location::current())
      : Error(message, where), table_(std::move(table)), column_(std::move(column)) {}
  const std::string& table() const noexcept { return table_; }
  const std::string& column() const noexcept { return column_; }

 private:
  std::string table_, column_;
};

/// reverse() of an op that cannot be undone: a bulk_insert, an execute without
/// reverse_sql, a drop that did not record what it dropped, an alter_column
/// without its existing_* record (as Alembic, which cannot reverse them either).
/// `op()` is the op's name ("bulk_insert").
class IrreversibleOperation : public MigrationError {
 public:
  IrreversibleOperation(const std::string& message, std::string op, std::string table = {},
                        std::string column = {}, Location where = Location::current())
      : MigrationError(message, std::move(table), std::move(column), where), op_(std::move(op)) {}
  const std::string& op() const noexcept { return op_; }

 private:
  std::string op_;
};

}  // namespace strata::migrate
