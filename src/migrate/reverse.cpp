// migrate/reverse.cpp - inverting ops (downgrade = reverse(upgrade)).
#include "strata/migrate/reverse.hpp"

#include <type_traits>

namespace strata::migrate {
namespace {

template <class>
inline constexpr bool always_false = false;

[[noreturn]] void irreversible(const ops::Op& op, const std::string& why, const std::string& table,
                               const std::string& column = {}) {
  throw IrreversibleOperation(ops::describe(op) + " is irreversible: " + why, ops::op_name(op), table, column);
}

struct Reverse {
  const ops::Op& op;

  ops::Op operator()(const ops::CreateTable& o) const {
    return ops::DropTable{o.table.name, o.table, o.if_not_exists};
  }
  ops::Op operator()(const ops::DropTable& o) const {
    if (!o.table) irreversible(op, "the dropped table was not recorded", o.table_name);
    return ops::CreateTable{*o.table, o.if_exists};
  }
  ops::Op operator()(const ops::RenameTable& o) const { return ops::RenameTable{o.new_name, o.old_name}; }
  ops::Op operator()(const ops::AddColumn& o) const {
    return ops::DropColumn{o.table_name, o.column.name, o.column};
  }
  ops::Op operator()(const ops::DropColumn& o) const {
    if (!o.column) irreversible(op, "the dropped column was not recorded", o.table_name, o.column_name);
    return ops::AddColumn{o.table_name, *o.column};
  }
  ops::Op operator()(const ops::AlterColumn& o) const {
    auto need = [&](bool changed, bool recorded, const char* what) {
      if (changed && !recorded) irreversible(op, std::string("no existing_") + what + " recorded", o.table_name, o.column_name);
    };
    need(o.type.has_value(), o.existing_type.has_value(), "type");
    need(o.nullable.has_value(), o.existing_nullable.has_value(), "nullable");
    need(o.server_default.has_value(), o.existing_server_default.has_value(), "server_default");
    ops::AlterColumn r;
    r.table_name = o.table_name;
    r.column_name = o.new_column_name ? *o.new_column_name : o.column_name;
    if (o.new_column_name) r.new_column_name = o.column_name;
    // A change becomes its record and the record its change; a record alone
    // (no change) stays a record.
    r.type = o.type ? o.existing_type : std::nullopt;
    r.existing_type = o.type ? o.type : o.existing_type;
    r.nullable = o.nullable ? o.existing_nullable : std::nullopt;
    r.existing_nullable = o.nullable ? o.nullable : o.existing_nullable;
    r.server_default = o.server_default ? o.existing_server_default : std::nullopt;
    r.existing_server_default = o.server_default ? o.server_default : o.existing_server_default;
    // USING converts from the old type to the new one; the way back needs
    // another expression, so the reverse leaves it to to_ddl's automatic rule
    // (write the downgrade by hand to give one).
    r.postgresql_using.clear();
    return r;
  }
  ops::Op operator()(const ops::CreateIndex& o) const {
    return ops::DropIndex{o.table_name, o.index.name, o.index, o.if_not_exists, o.postgresql_concurrently};
  }
  ops::Op operator()(const ops::DropIndex& o) const {
    if (!o.index) irreversible(op, "the dropped index was not recorded", o.table_name);
    return ops::CreateIndex{o.table_name, *o.index, o.if_exists, o.postgresql_concurrently};
  }
  ops::Op operator()(const ops::CreateUniqueConstraint& o) const {
    return ops::DropConstraint{o.table_name, o.constraint.name, ops::ConstraintKind::Unique, o.constraint};
  }
  ops::Op operator()(const ops::CreateForeignKey& o) const {
    return ops::DropConstraint{o.table_name, o.constraint.name, ops::ConstraintKind::ForeignKey, o.constraint};
  }
  ops::Op operator()(const ops::CreateCheckConstraint& o) const {
    return ops::DropConstraint{o.table_name, o.constraint.name, ops::ConstraintKind::Check, o.constraint};
  }
  ops::Op operator()(const ops::CreatePrimaryKey& o) const {
    return ops::DropConstraint{o.table_name, o.constraint.name, ops::ConstraintKind::PrimaryKey, o.constraint};
  }
  ops::Op operator()(const ops::DropConstraint& o) const {
    if (!o.constraint) irreversible(op, "the dropped constraint was not recorded", o.table_name);
    return std::visit(
        [&](const auto& c) -> ops::Op {
          using C = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<C, schema::UniqueConstraint>) return ops::CreateUniqueConstraint{o.table_name, c};
          else if constexpr (std::is_same_v<C, schema::ForeignKeyConstraint>) return ops::CreateForeignKey{o.table_name, c};
          else if constexpr (std::is_same_v<C, schema::CheckConstraint>) return ops::CreateCheckConstraint{o.table_name, c};
          else if constexpr (std::is_same_v<C, schema::PrimaryKeyConstraint>) return ops::CreatePrimaryKey{o.table_name, c};
          else static_assert(always_false<C>, "reverse: unhandled constraint");
        },
        *o.constraint);
  }
  ops::Op operator()(const ops::Execute& o) const {
    if (!o.reverse_sql) irreversible(op, "no reverse_sql given", {});
    return ops::Execute{*o.reverse_sql, {}, o.sql};
  }
  ops::Op operator()(const ops::BulkInsert& o) const {
    irreversible(op, "inserted rows cannot be identified; write the downgrade by hand", o.table_name);
  }
  ops::Op operator()(const ops::RunCallable& o) const {
    if (!o.downgrade) irreversible(op, "no downgrade callable given", {});
    return ops::RunCallable{o.name, o.downgrade, o.upgrade};
  }
};

}  // namespace

ops::Op reverse(const ops::Op& op) { return std::visit(Reverse{op}, op); }

std::vector<ops::Op> reverse(const std::vector<ops::Op>& ops) {
  std::vector<ops::Op> out;
  out.reserve(ops.size());
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) out.push_back(reverse(*it));
  return out;
}

}  // namespace strata::migrate
