// migrate/to_ddl.cpp - op -> SQL statements; SQLite's table rebuild. The
// ALTER statements of alter_column and native enum types are in to_ddl_alter.cpp.
#include "strata/migrate/to_ddl.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <type_traits>

#include "migrate/to_ddl_detail.hpp"
#include "strata/engine/connection.hpp"
#include "strata/migrate/apply.hpp"
#include "strata/schema/naming.hpp"
#include "strata/sql/expr.hpp"
#include "strata/sql/text.hpp"

namespace strata::migrate {
namespace {

template <class>
inline constexpr bool always_false = false;

using Stmts = std::vector<Statement>;

Statement st(std::string sql) { return detail::statement(std::move(sql)); }

// Inserts `word` after the first "INDEX " of a CREATE / DROP INDEX statement:
// CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] ..., DROP INDEX CONCURRENTLY ...
std::string after_index_keyword(std::string sql, const std::string& word) {
  const std::size_t at = sql.find("INDEX ");
  if (at != std::string::npos) sql.insert(at + 6, word);
  return sql;
}

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
    // A native enum type that a column of `before` uses exists already: its
    // CREATE TYPE (which the dialect puts first) is left out.
    std::set<std::string> skip;
    if (d.capabilities().native_enum)
      for (const auto& c : t.columns)
        if (c.type.kind == TypeKind::Enum && detail::create_enum_if_new(d, before, c.type, t.name).empty())
          skip.insert("CREATE TYPE " + d.quote(c.type.enum_name) + " ");
    Stmts out;
    for (auto& s : d.create_table(t, o.if_not_exists)) {
      const bool existing_type =
          std::any_of(skip.begin(), skip.end(), [&](const std::string& p) { return s.rfind(p, 0) == 0; });
      if (!existing_type) out.push_back(st(std::move(s)));
    }
    return out;
  }
  Stmts operator()(const ops::DropTable& o) const {
    schema::Table t;
    if (o.table) t = *o.table;
    else if (const auto* found = before.find_table(o.table_name)) t = *found;
    t.name = o.table_name;
    if (d.capabilities().native_enum) {
      // The dialect drops the enum types of the columns it is given: keep only
      // the enum columns whose type no other table of `before` uses.
      std::vector<schema::Column> owned;
      for (const auto& c : t.columns)
        if (c.type.kind == TypeKind::Enum && !c.type.enum_name.empty() &&
            detail::enum_users(before, c.type.enum_name, t.name).empty())
          owned.push_back(c);
      t = schema::Table{};
      t.name = o.table_name;
      t.columns = std::move(owned);
    }
    Stmts out;
    for (auto& s : d.drop_table(t, o.if_exists)) out.push_back(st(std::move(s)));
    return out;
  }
  Stmts operator()(const ops::RenameTable& o) const {
    return {st(alter_table(o.old_name) + "RENAME TO " + d.quote(o.new_name))};
  }
  Stmts operator()(const ops::AddColumn& o) const {
    if (!can_alter() && !sqlite_can_add_column(o.column)) return rebuild(op, d, before);
    Stmts out;
    if (d.capabilities().native_enum && o.column.type.kind == TypeKind::Enum)
      out = detail::create_enum_if_new(d, before, o.column.type, o.table_name);
    out.push_back(st(alter_table(o.table_name) + "ADD COLUMN " + column_ddl(d, o.column)));
    return out;
  }
  Stmts operator()(const ops::DropColumn& o) const {
    if (!can_alter()) return rebuild(op, d, before);
    Stmts out{st(alter_table(o.table_name) + "DROP COLUMN " + d.quote(o.column_name))};
    // The column's native enum type goes with the last column using it.
    const schema::Table* t = before.find_table(o.table_name);
    const schema::Column* c = t ? t->find_column(o.column_name) : nullptr;
    if (!c && o.column) c = &*o.column;
    if (c && d.capabilities().native_enum && c->type.kind == TypeKind::Enum && !c->type.enum_name.empty() &&
        detail::enum_users(before, c->type.enum_name, o.table_name, o.column_name).empty())
      out.push_back(st("DROP TYPE " + d.quote(c->type.enum_name)));
    return out;
  }
  Stmts operator()(const ops::AlterColumn& o) const {
    const bool rename_only = o.new_column_name && !o.type && !o.nullable && !o.server_default;
    if (rename_only)
      return {st(alter_table(o.table_name) + "RENAME COLUMN " + d.quote(o.column_name) + " TO " +
                 d.quote(*o.new_column_name))};
    if (!can_alter()) return rebuild(op, d, before);
    return detail::alter_column(o, d, before);  // ALTER-capable dialects (ANSI / PostgreSQL spelling)
  }
  Stmts operator()(const ops::CreateIndex& o) const {
    Statement s = st(d.create_index(o.table_name, o.index, o.if_not_exists));
    if (o.postgresql_concurrently && d.capabilities().concurrent_index) {
      s.sql = after_index_keyword(std::move(s.sql), "CONCURRENTLY ");
      s.outside_transaction = true;
    }
    return {std::move(s)};
  }
  Stmts operator()(const ops::DropIndex& o) const {
    schema::Index ix;
    if (o.index) ix = *o.index;
    ix.name = o.index_name;
    Statement s = st(d.drop_index(o.table_name, ix, o.if_exists));
    if (o.postgresql_concurrently && d.capabilities().concurrent_index) {
      s.sql = after_index_keyword(std::move(s.sql), "CONCURRENTLY ");
      s.outside_transaction = true;
    }
    return {std::move(s)};
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
  Stmts operator()(const ops::Execute& o) const {
    Statement s = st(o.sql);
    s.params = o.params;
    if (o.params.empty()) return {std::move(s)};
    const std::vector<std::string> marks = detail::placeholders(d, o.params.size());
    if (std::all_of(marks.begin(), marks.end(), [](const std::string& m) { return m == "?"; }))
      return {std::move(s)};  // the dialect's own markers: nothing to translate
    std::vector<std::size_t> at;
    for (const auto& m : sql::bind_markers(o.sql))
      if (!m.numbered) at.push_back(m.pos);
    if (at.size() != o.params.size())
      throw MigrationError(ops::describe(op) + ": " + std::to_string(at.size()) + " '?' bind marker(s) for " +
                           std::to_string(o.params.size()) + " parameter(s) [SQL: " + o.sql + "]");
    s.sql.clear();
    std::size_t from = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
      s.sql.append(o.sql, from, at[i] - from);
      s.sql += marks[i];
      from = at[i] + 1;
    }
    s.sql.append(o.sql, from, std::string::npos);
    return {std::move(s)};
  }
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
    for (std::size_t start = 0; start < o.rows.size(); start += per_stmt) {
      const std::size_t end = std::min(o.rows.size(), start + per_stmt);
      // The dialect's compiler writes the INSERT, with its placeholders.
      sql::Insert ins{o.table_name, o.columns, {o.rows.begin() + static_cast<std::ptrdiff_t>(start),
                                                o.rows.begin() + static_cast<std::ptrdiff_t>(end)}, {}};
      sql::Compiled c = d.compile(sql::Statement{std::move(ins)});
      Statement s = st(std::move(c.sql));
      s.params = std::move(c.params);
      out.push_back(std::move(s));
    }
    return out;
  }
  Stmts operator()(const ops::RunCallable& o) const {
    Statement s = st("-- run_callable " + o.name);
    s.comment = true;
    return {std::move(s)};
  }
};

}  // namespace

namespace detail {

Statement statement(std::string sql) {
  Statement s;
  s.sql = std::move(sql);
  return s;
}

// The dialect's spelling of `n` consecutive placeholders ("?" each on SQLite,
// "$1".."$n" on PostgreSQL), learnt from its compiler rather than from its name.
std::vector<std::string> placeholders(const dialect::Dialect& d, std::size_t n) {
  std::string marks;
  for (std::size_t i = 0; i < n; ++i) marks += i ? ", ?" : "?";
  const std::string compiled = d.compiler().compile(sql::text(marks, std::vector<Value>(n))).sql;
  std::vector<std::string> out;
  std::size_t start = 0;
  while (out.size() + 1 < n) {
    const std::size_t comma = compiled.find(", ", start);
    out.push_back(compiled.substr(start, comma - start));
    start = comma + 2;
  }
  if (n) out.push_back(compiled.substr(start));
  return out;
}

}  // namespace detail

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

bool detail::keeps_foreign_keys_on(const ops::Op& op, const dialect::Dialect& d) {
  if (std::holds_alternative<ops::CreateTable>(op) || std::holds_alternative<ops::CreateIndex>(op)) return true;
  if (const auto* add = std::get_if<ops::AddColumn>(&op))  // as ToDdl decides between ADD COLUMN and a rebuild
    return d.capabilities().supports_alter || sqlite_can_add_column(add->column);
  return false;
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
  std::vector<Statement> inside, after;
  for (const auto& s : stmts) (s.outside_transaction ? after : inside).push_back(s);
  try {
    conn.begin();
    run_statements(conn, inside);
    conn.commit();
  } catch (...) {
    conn.rollback();
    if (restore_fk) conn.execute_script("PRAGMA foreign_keys=ON");
    throw;
  }
  if (restore_fk) conn.execute_script("PRAGMA foreign_keys=ON");
  run_statements(conn, after);  // CREATE INDEX CONCURRENTLY cannot run in a transaction
}

}  // namespace strata::migrate
