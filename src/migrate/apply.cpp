// migrate/apply.cpp - evolve an in-memory schema::MetaData by an op.
#include "strata/migrate/apply.hpp"

#include <algorithm>
#include <type_traits>

namespace strata::migrate {
namespace {

template <class>
inline constexpr bool always_false = false;

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void rename_in(std::vector<std::string>& v, const std::string& from, const std::string& to) {
  for (auto& s : v)
    if (s == from) s = to;
}

template <class C, class Pred>
void erase_if_(C& c, Pred p) {
  c.erase(std::remove_if(c.begin(), c.end(), p), c.end());
}

// The working copy of the tables; written back with with_tables() on success.
struct Work {
  std::vector<schema::Table> tables;
  const ops::Op& op;

  [[noreturn]] void fail(const std::string& what, const std::string& table, const std::string& column = {}) const {
    throw MigrationError(ops::describe(op) + ": " + what, table, column);
  }
  schema::Table* find(const std::string& name) {
    for (auto& t : tables)
      if (t.name == name) return &t;
    return nullptr;
  }
  schema::Table& table(const std::string& name) {
    if (auto* t = find(name)) return *t;
    fail("unknown table '" + name + "'", name);
  }
  schema::Column& column(schema::Table& t, const std::string& name) {
    if (auto* c = t.find_column(name)) return *c;
    fail("table '" + t.name + "' has no column '" + name + "'", t.name, name);
  }
  void need_columns(schema::Table& t, const std::vector<std::string>& cols) {
    for (const auto& c : cols) column(t, c);
  }
  bool has_constraint(const schema::Table& t, const std::string& name) const {
    if (t.primary_key && t.primary_key->name == name) return true;
    for (const auto& c : t.unique_constraints)
      if (c.name == name) return true;
    for (const auto& c : t.foreign_keys)
      if (c.name == name) return true;
    for (const auto& c : t.checks)
      if (c.name == name) return true;
    return false;
  }
  void need_new_constraint(const schema::Table& t, const std::string& name) {
    if (!name.empty() && has_constraint(t, name))
      fail("table '" + t.name + "' already has constraint '" + name + "'", t.name);
  }

  void operator()(const ops::CreateTable& o) {
    if (find(o.table.name)) {
      if (o.if_not_exists) return;
      fail("table '" + o.table.name + "' already exists", o.table.name);
    }
    tables.push_back(o.table);
  }
  void operator()(const ops::DropTable& o) {
    if (!find(o.table_name)) {
      if (o.if_exists) return;
      fail("unknown table '" + o.table_name + "'", o.table_name);
    }
    erase_if_(tables, [&](const schema::Table& t) { return t.name == o.table_name; });
  }
  void operator()(const ops::RenameTable& o) {
    auto& t = table(o.old_name);
    if (find(o.new_name)) fail("table '" + o.new_name + "' already exists", o.new_name);
    t.name = o.new_name;
    for (auto& other : tables)
      for (auto& fk : other.foreign_keys)
        if (fk.referred_table == o.old_name) fk.referred_table = o.new_name;
  }
  void operator()(const ops::AddColumn& o) {
    auto& t = table(o.table_name);
    if (t.find_column(o.column.name))
      fail("table '" + t.name + "' already has column '" + o.column.name + "'", t.name, o.column.name);
    t.columns.push_back(o.column);
  }
  void operator()(const ops::DropColumn& o) {
    auto& t = table(o.table_name);
    column(t, o.column_name);
    const auto& c = o.column_name;
    erase_if_(t.columns, [&](const schema::Column& x) { return x.name == c; });
    erase_if_(t.indexes, [&](const schema::Index& x) { return contains(x.columns, c); });
    erase_if_(t.unique_constraints, [&](const schema::UniqueConstraint& x) { return contains(x.columns, c); });
    erase_if_(t.foreign_keys, [&](const schema::ForeignKeyConstraint& x) { return contains(x.columns, c); });
    if (t.primary_key && contains(t.primary_key->columns, c)) {
      t.primary_key.reset();
      for (auto& col : t.columns) col.primary_key = false;
    }
  }
  void operator()(const ops::AlterColumn& o) {
    auto& t = table(o.table_name);
    auto& col = column(t, o.column_name);
    if (o.type) col.type = *o.type;
    if (o.nullable) col.nullable = *o.nullable;
    if (o.server_default) col.server_default = *o.server_default;
    if (o.new_column_name && *o.new_column_name != o.column_name) {
      const auto& from = o.column_name;
      const auto& to = *o.new_column_name;
      if (t.find_column(to)) fail("table '" + t.name + "' already has column '" + to + "'", t.name, to);
      col.name = to;
      if (t.primary_key) rename_in(t.primary_key->columns, from, to);
      for (auto& x : t.indexes) rename_in(x.columns, from, to);
      for (auto& x : t.unique_constraints) rename_in(x.columns, from, to);
      for (auto& x : t.foreign_keys) rename_in(x.columns, from, to);
      for (auto& other : tables)
        for (auto& fk : other.foreign_keys)
          if (fk.referred_table == t.name) rename_in(fk.referred_columns, from, to);
    }
  }
  void operator()(const ops::CreateIndex& o) {
    auto& t = table(o.table_name);
    need_columns(t, o.index.columns);
    for (const auto& other : tables)
      for (const auto& ix : other.indexes)
        if (ix.name == o.index.name) {
          if (o.if_not_exists) return;
          fail("index '" + o.index.name + "' already exists", o.table_name);
        }
    t.indexes.push_back(o.index);
  }
  void operator()(const ops::DropIndex& o) {
    auto& t = table(o.table_name);
    auto it = std::find_if(t.indexes.begin(), t.indexes.end(),
                           [&](const schema::Index& x) { return x.name == o.index_name; });
    if (it == t.indexes.end()) {
      if (o.if_exists) return;
      fail("table '" + t.name + "' has no index '" + o.index_name + "'", t.name);
    }
    t.indexes.erase(it);
  }
  void operator()(const ops::CreateUniqueConstraint& o) {
    auto& t = table(o.table_name);
    need_columns(t, o.constraint.columns);
    need_new_constraint(t, o.constraint.name);
    t.unique_constraints.push_back(o.constraint);
  }
  void operator()(const ops::CreateForeignKey& o) {
    auto& t = table(o.table_name);
    need_columns(t, o.constraint.columns);
    need_new_constraint(t, o.constraint.name);
    t.foreign_keys.push_back(o.constraint);
  }
  void operator()(const ops::CreateCheckConstraint& o) {
    auto& t = table(o.table_name);
    need_new_constraint(t, o.constraint.name);
    t.checks.push_back(o.constraint);
  }
  void operator()(const ops::CreatePrimaryKey& o) {
    auto& t = table(o.table_name);
    need_columns(t, o.constraint.columns);
    if (!t.primary_key_columns().empty()) fail("table '" + t.name + "' already has a primary key", t.name);
    t.primary_key = o.constraint;
    for (auto& c : t.columns) c.primary_key = contains(o.constraint.columns, c.name);
  }
  void operator()(const ops::DropConstraint& o) {
    auto& t = table(o.table_name);
    const auto& n = o.constraint_name;
    std::size_t removed = 0;
    auto drop = [&](auto& v) {
      const auto before = v.size();
      erase_if_(v, [&](const auto& x) { return x.name == n; });
      removed = before - v.size();
    };
    switch (o.kind) {
      case ops::ConstraintKind::Unique: drop(t.unique_constraints); break;
      case ops::ConstraintKind::ForeignKey: drop(t.foreign_keys); break;
      case ops::ConstraintKind::Check: drop(t.checks); break;
      case ops::ConstraintKind::PrimaryKey:
        if (t.primary_key && t.primary_key->name == n) {
          t.primary_key.reset();
          for (auto& c : t.columns) c.primary_key = c.autoincrement = false;
          removed = 1;
        }
        break;
    }
    if (removed == 0) fail("table '" + t.name + "' has no such constraint '" + n + "'", t.name);
  }
  void operator()(const ops::Execute&) {}
  void operator()(const ops::BulkInsert& o) { table(o.table_name); }
  void operator()(const ops::RunCallable&) {}
};

}  // namespace

schema::MetaData with_tables(const schema::MetaData& md, const std::vector<schema::Table>& tables) {
  schema::MetaData out(md.naming_convention());
  for (const auto& t : tables) out.add_table(t);
  return out;
}

void apply(const ops::Op& op, schema::MetaData& md) {
  // Ops that leave the schema alone, and a new table, need no working copy of
  // every table (replaying a long history stays linear).
  if (std::holds_alternative<ops::Execute>(op) || std::holds_alternative<ops::RunCallable>(op)) return;
  if (const auto* ct = std::get_if<ops::CreateTable>(&op)) {
    if (md.find_table(ct->table.name)) {
      if (ct->if_not_exists) return;
      throw MigrationError(ops::describe(op) + ": table '" + ct->table.name + "' already exists", ct->table.name);
    }
    md.add_table(ct->table);
    return;
  }
  if (const auto* add = std::get_if<ops::AddColumn>(&op)) {
    // A new column touches one table and names nothing the naming convention
    // fills: added in place, without copying every table (twice). The errors
    // (unknown table, existing column) are the working copy's below.
    const schema::Table* t = md.find_table(add->table_name);
    if (t && !t->find_column(add->column.name)) {
      // md is not const, and neither are its tables: find_table only hands out const pointers.
      const_cast<schema::Table*>(t)->columns.push_back(add->column);
      return;
    }
  }
  Work w{{md.tables().begin(), md.tables().end()}, op};
  std::visit(w, op);
  md = with_tables(md, w.tables);
}

void apply(const std::vector<ops::Op>& ops, schema::MetaData& md) {
  for (const auto& op : ops) migrate::apply(op, md);
}

}  // namespace strata::migrate
