// migrate/ops.cpp - names and one-line descriptions of operations.
#include "strata/migrate/ops.hpp"

#include <type_traits>

namespace strata::migrate::ops {
namespace {

template <class>
inline constexpr bool always_false = false;

std::string q(const std::string& s) { return "'" + s + "'"; }

const char* kind_name(ConstraintKind k) noexcept {
  switch (k) {
    case ConstraintKind::Unique: return "unique constraint";
    case ConstraintKind::ForeignKey: return "foreign key";
    case ConstraintKind::Check: return "check constraint";
    case ConstraintKind::PrimaryKey: return "primary key";
  }
  return "constraint";
}

}  // namespace

const char* op_name(const Op& op) noexcept {
  return std::visit(
      [](const auto& o) -> const char* {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, CreateTable>) return "create_table";
        else if constexpr (std::is_same_v<T, DropTable>) return "drop_table";
        else if constexpr (std::is_same_v<T, RenameTable>) return "rename_table";
        else if constexpr (std::is_same_v<T, AddColumn>) return "add_column";
        else if constexpr (std::is_same_v<T, DropColumn>) return "drop_column";
        else if constexpr (std::is_same_v<T, AlterColumn>) return "alter_column";
        else if constexpr (std::is_same_v<T, CreateIndex>) return "create_index";
        else if constexpr (std::is_same_v<T, DropIndex>) return "drop_index";
        else if constexpr (std::is_same_v<T, CreateUniqueConstraint>) return "create_unique_constraint";
        else if constexpr (std::is_same_v<T, CreateForeignKey>) return "create_foreign_key";
        else if constexpr (std::is_same_v<T, CreateCheckConstraint>) return "create_check_constraint";
        else if constexpr (std::is_same_v<T, CreatePrimaryKey>) return "create_primary_key";
        else if constexpr (std::is_same_v<T, DropConstraint>) return "drop_constraint";
        else if constexpr (std::is_same_v<T, Execute>) return "execute";
        else if constexpr (std::is_same_v<T, BulkInsert>) return "bulk_insert";
        else if constexpr (std::is_same_v<T, RunCallable>) return "run_callable";
        else static_assert(always_false<T>, "op_name: unhandled op");
      },
      op);
}

std::string describe(const Op& op) {
  return std::visit(
      [](const auto& o) -> std::string {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, CreateTable>) return "create table " + q(o.table.name);
        else if constexpr (std::is_same_v<T, DropTable>) return "drop table " + q(o.table_name);
        else if constexpr (std::is_same_v<T, RenameTable>)
          return "rename table " + q(o.old_name) + " to " + q(o.new_name);
        else if constexpr (std::is_same_v<T, AddColumn>) return "add column " + q(o.table_name + "." + o.column.name);
        else if constexpr (std::is_same_v<T, DropColumn>) return "drop column " + q(o.table_name + "." + o.column_name);
        else if constexpr (std::is_same_v<T, AlterColumn>) {
          std::string s = "alter column " + q(o.table_name + "." + o.column_name);
          if (o.new_column_name) s += " (rename to " + q(*o.new_column_name) + ")";
          return s;
        } else if constexpr (std::is_same_v<T, CreateIndex>)
          return std::string("create ") + (o.index.unique ? "unique " : "") + "index " + q(o.index.name) + " on " +
                 q(o.table_name);
        else if constexpr (std::is_same_v<T, DropIndex>) return "drop index " + q(o.index_name) + " on " + q(o.table_name);
        else if constexpr (std::is_same_v<T, CreateUniqueConstraint>)
          return "create unique constraint " + q(o.constraint.name) + " on " + q(o.table_name);
        else if constexpr (std::is_same_v<T, CreateForeignKey>)
          return "create foreign key " + q(o.constraint.name) + " on " + q(o.table_name) + " referencing " +
                 q(o.constraint.referred_table);
        else if constexpr (std::is_same_v<T, CreateCheckConstraint>)
          return "create check constraint " + q(o.constraint.name) + " on " + q(o.table_name);
        else if constexpr (std::is_same_v<T, CreatePrimaryKey>)
          return "create primary key " + q(o.constraint.name) + " on " + q(o.table_name);
        else if constexpr (std::is_same_v<T, DropConstraint>)
          return std::string("drop ") + kind_name(o.kind) + " " + q(o.constraint_name) + " on " + q(o.table_name);
        else if constexpr (std::is_same_v<T, Execute>) {
          std::string s = o.sql.substr(0, o.sql.find('\n'));
          if (s.size() > 60) s = s.substr(0, 57) + "...";
          return "execute " + q(s);
        } else if constexpr (std::is_same_v<T, BulkInsert>)
          return "bulk insert " + std::to_string(o.rows.size()) + " row(s) into " + q(o.table_name);
        else if constexpr (std::is_same_v<T, RunCallable>) return "run callable " + q(o.name);
        else static_assert(always_false<T>, "describe: unhandled op");
      },
      op);
}

}  // namespace strata::migrate::ops
