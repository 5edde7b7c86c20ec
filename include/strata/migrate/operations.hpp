// strata/migrate/operations.hpp - Operations: Alembic's `op` facade, recording ops.
//
// A revision's upgrade(Operations& op) / downgrade(Operations& op) call these
// methods; each appends one plain-data op to ops(), which the runner then
// turns into SQL (to_ddl), prints (--sql) or inverts (reverse). Nothing runs
// here. render() emits calls of exactly these signatures.
//
// Example:
//   void upgrade(strata::migrate::Operations& op) {
//     op.add_column("item", strata::schema::Column{.name = "done", .type = strata::SqlType::boolean(),
//                                                  .nullable = false,
//                                                  .server_default = strata::schema::ServerDefault::text("0")});
//     op.create_index("ix_item_done", "item", {"done"});
//   }
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "strata/migrate/ops.hpp"

namespace strata::migrate {

/// Keyword arguments of column(): the members of schema::Column after name and
/// type. (Every member has a default, so designated initializers may leave any
/// out without -Wmissing-field-initializers; schema::Column{...} cannot.)
struct ColumnOptions {
  bool nullable = true;
  bool primary_key = false;
  bool autoincrement = false;
  std::optional<schema::ServerDefault> server_default = std::nullopt;
  bool has_onupdate = false;
  std::string comment = {};
};

/// A schema::Column, as rendered by render():
///   strata::migrate::column("done", strata::SqlType::boolean(), {.nullable = false})
schema::Column column(std::string name, SqlType type, ColumnOptions opts = {});

/// Keyword arguments of table(): a table's constraints and indexes.
struct TableOptions {
  std::optional<schema::PrimaryKeyConstraint> primary_key = std::nullopt;
  std::vector<schema::UniqueConstraint> unique_constraints = {};
  std::vector<schema::ForeignKeyConstraint> foreign_keys = {};
  std::vector<schema::CheckConstraint> checks = {};
  std::vector<schema::Index> indexes = {};
};

/// A schema::Table, as rendered by render():
///   strata::migrate::table("item", {strata::migrate::column(...), ...}, {.primary_key = ...})
schema::Table table(std::string name, std::vector<schema::Column> columns, TableOptions opts = {});

/// Keyword arguments of alter_column (Alembic's modify_* / existing_* kwargs);
/// see ops::AlterColumn for their meaning.
struct AlterColumnOptions {
  std::optional<SqlType> type = std::nullopt;
  std::optional<bool> nullable = std::nullopt;
  /// Engaged empty optional (`std::optional<strata::schema::ServerDefault>{}`) = drop the default.
  std::optional<std::optional<schema::ServerDefault>> server_default = std::nullopt;
  std::optional<std::string> new_column_name = std::nullopt;
  std::optional<SqlType> existing_type = std::nullopt;
  std::optional<bool> existing_nullable = std::nullopt;
  std::optional<std::optional<schema::ServerDefault>> existing_server_default = std::nullopt;
  std::string postgresql_using = {};
};

/// Keyword arguments of create_index.
struct IndexOptions {
  bool unique = false;
  bool if_not_exists = false;
  /// CREATE INDEX CONCURRENTLY on PostgreSQL, run after the revision's
  /// transaction commits (see ops::CreateIndex); ignored elsewhere.
  bool postgresql_concurrently = false;
};

/// Keyword arguments of create_foreign_key.
struct ForeignKeyOptions {
  schema::FkAction ondelete = schema::FkAction::NoAction;
  schema::FkAction onupdate = schema::FkAction::NoAction;
};

/// Records migration operations (Alembic's `op`). Methods never throw beyond
/// allocation; whether an op fits the schema is checked when it is applied.
class Operations {
 public:
  /// op.create_table(table)
  void create_table(schema::Table table, bool if_not_exists = false);
  /// op.drop_table(name); pass the table to make the drop reversible.
  void drop_table(std::string name, std::optional<schema::Table> table = {}, bool if_exists = false);
  /// op.rename_table(old, new)
  void rename_table(std::string old_name, std::string new_name);
  /// op.add_column(table, column)
  void add_column(std::string table, schema::Column column);
  /// op.drop_column(table, column); pass the column to make the drop reversible.
  void drop_column(std::string table, std::string column, std::optional<schema::Column> existing = {});
  /// op.alter_column(table, column, {.type = ..., .existing_type = ...})
  void alter_column(std::string table, std::string column, AlterColumnOptions opts);
  /// op.create_index(name, table, columns, {.unique = true})
  void create_index(std::string name, std::string table, std::vector<std::string> columns, IndexOptions opts = {});
  /// op.drop_index(name, table); pass the index to make the drop reversible.
  void drop_index(std::string name, std::string table, std::optional<schema::Index> existing = {},
                  bool if_exists = false, bool postgresql_concurrently = false);
  /// op.create_unique_constraint(name, table, columns)
  void create_unique_constraint(std::string name, std::string table, std::vector<std::string> columns);
  /// op.create_foreign_key(name, source, referent, local_cols, remote_cols, {.ondelete = ...})
  void create_foreign_key(std::string name, std::string source_table, std::string referent_table,
                          std::vector<std::string> local_cols, std::vector<std::string> remote_cols,
                          ForeignKeyOptions opts = {});
  /// op.create_check_constraint(name, table, condition)
  void create_check_constraint(std::string name, std::string table, std::string condition);
  /// op.create_primary_key(name, table, columns)
  void create_primary_key(std::string name, std::string table, std::vector<std::string> columns);
  /// op.drop_constraint(name, table, type_); pass the constraint to make the drop reversible.
  void drop_constraint(std::string name, std::string table, ops::ConstraintKind type,
                       std::optional<ops::AnyConstraint> existing = {});
  /// op.execute(sql, params); `reverse_sql` makes it reversible.
  void execute(std::string sql, std::vector<Value> params = {}, std::optional<std::string> reverse_sql = {});
  /// op.bulk_insert(table, columns, rows)
  void bulk_insert(std::string table, std::vector<std::string> columns, std::vector<std::vector<Value>> rows);
  /// A data migration in C++, run with the revision's connection in its transaction.
  void run_callable(std::string name, std::function<void(engine::Connection&)> upgrade,
                    std::function<void(engine::Connection&)> downgrade = {});

  /// The ops recorded so far, in call order.
  const std::vector<ops::Op>& ops() const noexcept { return ops_; }

 private:
  std::vector<ops::Op> ops_;
};

}  // namespace strata::migrate
