// migrate/to_ddl.cpp - op -> SQL statements; SQLite's table rebuild.
#include "strata/migrate/to_ddl.hpp"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "strata/engine/connection.hpp"
#include "strata/migrate/apply.hpp"
#include "strata/schema/naming.hpp"

namespace strata::migrate {
namespace {

template <class>
inline constexpr bool always_false = false;

using Stmts = std::vector<Statement>;

Statement st(std::string sql) { return Statement{std::move(sql), {}, false, false}; }

// `"name" TYPE [DEFAULT x] [NOT NULL]`: a column as ALTER TABLE ADD COLUMN takes it.
std::string column_ddl(const dialect::Dialect& d, const schema::Column& c) {
  std::string out = d.quote(c.name) + " " + d.type_name(c.type);
  if (c.server_default) out += " DEFAULT " + d.server_default_sql(*c.server_default);
  if (!c.nullable) out += " NOT NULL";
  return out;
}

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// SQLite's ALTER TABLE ADD COLUMN: no PRIMARY KEY / UNIQUE, a NOT NULL column
// needs a non-NULL default, and the default must be a constant.
bool sqlite_can_add_column(const schema::Column& c) {
  if (c.primary_key || c.autoincrement || c.type.kind == TypeKind::Enum) return false;
  if (c.server_default) {
    const auto& d = *c.server_default;
    if (d.kind != schema::ServerDefault::Kind::Text) return false;
    const auto text = upper(d.sql);
    if (text.empty() || text.front() == '(' || text.rfind("CURRENT_", 0) == 0) return false;
    if (text == "NULL") return c.nullable;
    return true;
  }
  return c.nullable;
}


std::string table_name_of(const ops::Op& op) {
  return std::visit(
      [](const auto& o) -> std::string {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, ops::CreateTable>) return o.table.name;
        else if constexpr (std::is_same_v<T, ops::RenameTable>) return o.old_name;
        else if constexpr (std::is_same_v<T, ops::Execute> || std::is_same_v<T, ops::RunCallable>) return {};
        else return o.table_name;
      },
      op);
}

// SQLite's generalized ALTER TABLE (see the header).
Stmts rebuild(const ops::Op& op, const dialect::Dialect& d, const schema::MetaData& before) {
  const std::string name = table_name_of(op);
  const schema::Table* old = before.find_table(name);
  if (!old) throw MigrationError(ops::describe(op) + ": unknown table '" + name + "'", name);
  schema::MetaData after_md = before;
  migrate::apply(op, after_md);
  const schema::Table& after = after_md.table(name);

  const auto* alter = std::get_if<ops::AlterColumn>(&op);
  const std::string tmp = std::string(rebuild_prefix) + name;

  Stmts out;
  out.push_back(st("PRAGMA defer_foreign_keys=ON"));
  out.back().rebuilds = name;

  // The CREATE TABLE of the final table, under the temporary name: every
  // constraint keeps its final name (enum checks included).
  auto create = d.create_table(after).front();
  const std::string head = "CREATE TABLE " + d.quote(name);
  if (create.rfind(head, 0) != 0)
    throw MigrationError(ops::describe(op) + ": unexpected CREATE TABLE for '" + name + "'", name);
  out.push_back(st("CREATE TABLE " + d.quote(tmp) + create.substr(head.size())));

  std::vector<std::string> targets, sources;
  for (const auto& c : after.columns) {
    std::string from = c.name;
    if (alter && alter->new_column_name && *alter->new_column_name == c.name) from = alter->column_name;
    const schema::Column* was = old->find_column(from);
    if (!was) continue;  // a new column: takes its server default
    std::string expr = d.quote(from);
    // No CAST on a type change: SQLite's CAST is lossy ('abc' -> 0, 3.7 -> 3),
    // while a plain copy lets the column's affinity convert only what converts
    // without loss and keeps every other value as it was.
    if (!c.nullable && was->nullable && c.server_default)
      expr = "COALESCE(" + expr + ", " + d.server_default_sql(*c.server_default) + ")";
    targets.push_back(d.quote(c.name));
    sources.push_back(std::move(expr));
  }
  std::string ins = "INSERT INTO " + d.quote(tmp) + " (";
  std::string sel = "SELECT ";
  for (std::size_t i = 0; i < targets.size(); ++i) {
    ins += (i ? ", " : "") + targets[i];
    sel += (i ? ", " : "") + sources[i];
  }
  out.push_back(st(ins + ") " + sel + " FROM " + d.quote(name)));
  out.push_back(st("DROP TABLE " + d.quote(name)));
  out.push_back(st("ALTER TABLE " + d.quote(tmp) + " RENAME TO " + d.quote(name)));
  for (const auto& ix : after.indexes) out.push_back(st(d.create_index(name, ix)));
  Statement check = st("PRAGMA foreign_key_check(" + d.quote(name) + ")");
  check.check = true;
  out.push_back(std::move(check));
  return out;
}

struct ToDdl {
  const ops::Op& op;
  const dialect::Dialect& d;
  const schema::MetaData& before;

  bool can_alter() const { return d.capabilities().supports_alter; }
  std::string alter_table(const std::string& t) const { return "ALTER TABLE " + d.quote(t) + " "; }

  Stmts operator()(const ops::CreateTable& o) const {
    schema::Table t = o.table;
    schema::apply_naming_convention(t, before.naming_convention());
    Stmts out;
    for (auto& s : d.create_table(t, o.if_not_exists)) out.push_back(st(std::move(s)));
    return out;
  }
  Stmts operator()(const ops::DropTable& o) const {
    schema::Table t;
    if (o.table) t = *o.table;
    else if (const auto* found = before.find_table(o.table_name)) t = *found;
    t.name = o.table_name;
    Stmts out;
    for (auto& s : d.drop_table(t, o.if_exists)) out.push_back(st(std::move(s)));
    return out;
  }
  Stmts operator()(const ops::RenameTable& o) const {
    return {st(alter_table(o.old_name) + "RENAME TO " + d.quote(o.new_name))};
  }
  Stmts operator()(const ops::AddColumn& o) const {
    if (!can_alter() && !sqlite_can_add_column(o.column)) return rebuild(op, d, before);
    return {st(alter_table(o.table_name) + "ADD COLUMN " + column_ddl(d, o.column))};
  }
  Stmts operator()(const ops::DropColumn& o) const {
    if (!can_alter()) return rebuild(op, d, before);
    return {st(alter_table(o.table_name) + "DROP COLUMN " + d.quote(o.column_name))};
  }
  Stmts operator()(const ops::AlterColumn& o) const {
    const bool rename_only = o.new_column_name && !o.type && !o.nullable && !o.server_default;
    if (rename_only)
      return {st(alter_table(o.table_name) + "RENAME COLUMN " + d.quote(o.column_name) + " TO " +
                 d.quote(*o.new_column_name))};
    if (!can_alter()) return rebuild(op, d, before);
    // ALTER-capable dialects (ANSI / PostgreSQL spelling).
    Stmts out;
    const std::string col = alter_table(o.table_name) + "ALTER COLUMN " + d.quote(o.column_name) + " ";
    if (o.type) {
      std::string s = col + "TYPE " + d.type_name(*o.type);
      if (!o.postgresql_using.empty()) s += " USING " + o.postgresql_using;
      out.push_back(st(std::move(s)));
    }
    if (o.nullable) out.push_back(st(col + (*o.nullable ? "DROP NOT NULL" : "SET NOT NULL")));
    if (o.server_default)
      out.push_back(st(*o.server_default ? col + "SET DEFAULT " + d.server_default_sql(**o.server_default)
                                         : col + "DROP DEFAULT"));
    if (o.new_column_name)
      out.push_back(st(alter_table(o.table_name) + "RENAME COLUMN " + d.quote(o.column_name) + " TO " +
                       d.quote(*o.new_column_name)));
    return out;
  }
  Stmts operator()(const ops::CreateIndex& o) const { return {st(d.create_index(o.table_name, o.index, o.if_not_exists))}; }
  Stmts operator()(const ops::DropIndex& o) const {
    schema::Index ix;
    if (o.index) ix = *o.index;
    ix.name = o.index_name;
    return {st(d.drop_index(o.table_name, ix, o.if_exists))};
  }
  std::string add_constraint(const std::string& t, const std::string& name) const {
    return alter_table(t) + "ADD " + (name.empty() ? std::string{} : "CONSTRAINT " + d.quote(name) + " ");
  }
  Stmts operator()(const ops::CreateUniqueConstraint& o) const {
    if (!can_alter()) return rebuild(op, d, before);
    return {st(add_constraint(o.table_name, o.constraint.name) + "UNIQUE (" + d.quote_list(o.constraint.columns) + ")")};
  }
  Stmts operator()(const ops::CreateForeignKey& o) const {
    if (!can_alter()) return rebuild(op, d, before);
    const auto& fk = o.constraint;
    std::string s = add_constraint(o.table_name, fk.name) + "FOREIGN KEY(" + d.quote_list(fk.columns) +
                    ") REFERENCES " + d.quote(fk.referred_table) + " (" + d.quote_list(fk.referred_columns) + ")";
    if (fk.on_delete != schema::FkAction::NoAction) s += std::string(" ON DELETE ") + schema::to_sql(fk.on_delete);
    if (fk.on_update != schema::FkAction::NoAction) s += std::string(" ON UPDATE ") + schema::to_sql(fk.on_update);
    return {st(std::move(s))};
  }
  Stmts operator()(const ops::CreateCheckConstraint& o) const {
    if (!can_alter()) return rebuild(op, d, before);
    return {st(add_constraint(o.table_name, o.constraint.name) + "CHECK (" + o.constraint.sqltext + ")")};
  }
  Stmts operator()(const ops::CreatePrimaryKey& o) const {
    if (!can_alter()) return rebuild(op, d, before);
    return {st(add_constraint(o.table_name, o.constraint.name) + "PRIMARY KEY (" +
               d.quote_list(o.constraint.columns) + ")")};
  }
  Stmts operator()(const ops::DropConstraint& o) const {
    if (!can_alter()) return rebuild(op, d, before);
    return {st(alter_table(o.table_name) + "DROP CONSTRAINT " + d.quote(o.constraint_name))};
  }
  Stmts operator()(const ops::Execute& o) const { return {Statement{o.sql, o.params, false, false}}; }
  Stmts operator()(const ops::BulkInsert& o) const {
    Stmts out;
    if (o.rows.empty() || o.columns.empty()) return out;
    for (std::size_t r = 0; r < o.rows.size(); ++r)
      if (o.rows[r].size() != o.columns.size())
        throw MigrationError(ops::describe(op) + ": row " + std::to_string(r) + " has " +
                                 std::to_string(o.rows[r].size()) + " values for " +
                                 std::to_string(o.columns.size()) + " columns",
                             o.table_name);
    const std::size_t per_stmt = std::max<std::size_t>(1, d.capabilities().max_bind_params / o.columns.size());
    std::string row = "(";
    for (std::size_t i = 0; i < o.columns.size(); ++i) row += i ? ", ?" : "?";
    row += ")";
    const std::string head = "INSERT INTO " + d.quote(o.table_name) + " (" + d.quote_list(o.columns) + ") VALUES ";
    for (std::size_t start = 0; start < o.rows.size(); start += per_stmt) {
      const std::size_t end = std::min(o.rows.size(), start + per_stmt);
      Statement s = st(head);
      for (std::size_t r = start; r < end; ++r) {
        s.sql += (r > start ? ", " : "") + row;
        s.params.insert(s.params.end(), o.rows[r].begin(), o.rows[r].end());
      }
      out.push_back(std::move(s));
    }
    return out;
  }
  Stmts operator()(const ops::RunCallable& o) const { return {Statement{"-- run_callable " + o.name, {}, true, false}}; }
};

}  // namespace

std::vector<Statement> to_ddl(const ops::Op& op, const dialect::Dialect& dialect, const schema::MetaData& before) {
  return std::visit(ToDdl{op, dialect, before}, op);
}

std::vector<Statement> to_ddl(const std::vector<ops::Op>& ops, const dialect::Dialect& dialect,
                              schema::MetaData before) {
  std::vector<Statement> out;
  for (const auto& op : ops) {
    auto stmts = to_ddl(op, dialect, before);
    out.insert(out.end(), std::make_move_iterator(stmts.begin()), std::make_move_iterator(stmts.end()));
    migrate::apply(op, before);
  }
  return out;
}

void run_statements(engine::Connection& conn, const std::vector<Statement>& stmts) {
  for (const auto& s : stmts) {
    if (s.comment) continue;
    auto result = conn.execute(s.sql, s.params);
    if (!s.check) {
      result.rows_affected();
      continue;
    }
    auto rows = result.all();
    if (rows.empty()) continue;
    // PRAGMA foreign_key_check: table, rowid, parent, fkid.
    const auto& r = rows.front();
    std::string table = r.size() > 0 ? r[0].repr() : std::string{};
    if (const auto* t = r.empty() ? nullptr : r[0].get_if<std::string>()) table = *t;
    std::string parent = r.size() > 2 ? r[2].repr() : std::string{};
    if (const auto* p = r.size() > 2 ? r[2].get_if<std::string>() : nullptr) parent = *p;
    throw MigrationError("foreign key check failed on table '" + table + "': " + std::to_string(rows.size()) +
                             " row(s), first rowid " + (r.size() > 1 ? r[1].repr() : std::string("?")) +
                             ", referencing '" + parent + "' [SQL: " + s.sql + "]",
                         table);
  }
}

void run_in_transaction(engine::Connection& conn, const std::vector<Statement>& stmts) {
  const bool rebuilds = std::any_of(stmts.begin(), stmts.end(), [](const Statement& s) {
    return !s.rebuilds.empty();
  });
  bool restore_fk = false;
  if (rebuilds) {
    if (conn.in_transaction()) throw InvalidRequestError("run_in_transaction: a transaction is already open");
    restore_fk = conn.execute("PRAGMA foreign_keys").scalar() == Value(1);
    if (restore_fk) conn.execute_script("PRAGMA foreign_keys=OFF");
  }
  try {
    conn.begin();
    run_statements(conn, stmts);
    conn.commit();
  } catch (...) {
    conn.rollback();
    if (restore_fk) conn.execute_script("PRAGMA foreign_keys=ON");
    throw;
  }
  if (restore_fk) conn.execute_script("PRAGMA foreign_keys=ON");
}

}  // namespace strata::migrate
