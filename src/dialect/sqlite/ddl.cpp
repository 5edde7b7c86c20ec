// SQLite dialect: CREATE / DROP TABLE and INDEX. The format is documented in
// include/strata/dialect/sqlite.hpp and pinned by tests/dialect/sqlite.
#include "strata/core/error.hpp"
#include "strata/dialect/sqlite.hpp"

namespace strata::dialect {
namespace {

std::string quoted_list(const sql::SqlCompiler& c, const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += c.quote(names[i]);
  }
  return out;
}

std::string sql_string(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string named(const sql::SqlCompiler& c, const std::string& name) {
  return name.empty() ? std::string{} : "CONSTRAINT " + c.quote(name) + " ";
}

// The column that SQLite should number itself, or nullptr. Throws when
// autoincrement is asked for where SQLite cannot honour it, rather than
// silently creating a table whose ids the application must supply.
const schema::Column* autoincrement_column(const schema::Table& t) {
  const schema::Column* found = nullptr;
  const auto pk = t.primary_key_columns();
  for (const auto& c : t.columns) {
    if (!c.autoincrement) continue;
    if (pk.size() != 1 || pk.front() != c.name || !c.type.is_integer())
      throw SchemaError("table '" + t.name + "' column '" + c.name +
                        "': autoincrement needs a single-column integer primary key");
    found = &c;
  }
  return found;
}

bool in_primary_key(const schema::Table& t, const std::string& col) {
  if (t.primary_key) {
    for (const auto& c : t.primary_key->columns)
      if (c == col) return true;
    return false;
  }
  const auto* c = t.find_column(col);
  return c && c->primary_key;
}

}  // namespace

std::string SqliteDialect::column_spec(const schema::Table& t, const schema::Column& c) const {
  const schema::Column* autoinc = autoincrement_column(t);
  const bool is_autoinc = autoinc == &c || (autoinc && autoinc->name == c.name);
  // The rowid alias needs the exact type name INTEGER.
  std::string out = quote(c.name) + " " + (is_autoinc ? std::string("INTEGER") : type_name(c.type));
  if (c.server_default) out += " DEFAULT " + server_default_sql(*c.server_default);
  if (!c.nullable || in_primary_key(t, c.name)) out += " NOT NULL";
  if (is_autoinc) out += " PRIMARY KEY AUTOINCREMENT";
  return out;
}

std::string SqliteDialect::enum_check_sql(const schema::Column& c) const {
  if (c.type.kind != TypeKind::Enum) return {};
  std::string values;
  for (std::size_t i = 0; i < c.type.enum_values.size(); ++i) {
    if (i) values += ", ";
    values += sql_string(c.type.enum_values[i]);
  }
  return quote(c.name) + " IN (" + values + ")";
}

std::vector<std::string> SqliteDialect::create_table(const schema::Table& t, bool if_not_exists) const {
  const auto& q = compiler();
  std::vector<std::string> lines;
  for (const auto& c : t.columns) lines.push_back(column_spec(t, c));

  // With an inline INTEGER PRIMARY KEY AUTOINCREMENT the table-level key
  // would be a second PRIMARY KEY, which SQLite rejects.
  const auto pk = t.primary_key_columns();
  if (!pk.empty() && !autoincrement_column(t))
    lines.push_back(named(q, t.primary_key ? t.primary_key->name : std::string{}) + "PRIMARY KEY (" +
                    quoted_list(q, pk) + ")");
  for (const auto& uq : t.unique_constraints)
    lines.push_back(named(q, uq.name) + "UNIQUE (" + quoted_list(q, uq.columns) + ")");
  for (const auto& fk : t.foreign_keys) {
    std::string s = named(q, fk.name) + "FOREIGN KEY(" + quoted_list(q, fk.columns) + ") REFERENCES " +
                    quote(fk.referred_table) + " (" + quoted_list(q, fk.referred_columns) + ")";
    if (fk.on_delete != schema::FkAction::NoAction) s += std::string(" ON DELETE ") + schema::to_sql(fk.on_delete);
    if (fk.on_update != schema::FkAction::NoAction) s += std::string(" ON UPDATE ") + schema::to_sql(fk.on_update);
    lines.push_back(std::move(s));
  }
  for (const auto& ck : t.checks) lines.push_back(named(q, ck.name) + "CHECK (" + ck.sqltext + ")");
  for (const auto& c : t.columns)
    if (c.type.kind == TypeKind::Enum)
      lines.push_back(named(q, "ck_" + t.name + "_" + c.name + "_enum") + "CHECK (" + enum_check_sql(c) + ")");

  std::string sql = std::string("CREATE TABLE ") + (if_not_exists ? "IF NOT EXISTS " : "") + quote(t.name) + " (";
  for (std::size_t i = 0; i < lines.size(); ++i) sql += (i ? ",\n\t" : "\n\t") + lines[i];
  sql += "\n)";

  std::vector<std::string> out{std::move(sql)};
  for (const auto& ix : t.indexes) out.push_back(create_index(t.name, ix, if_not_exists));
  return out;
}

std::vector<std::string> SqliteDialect::drop_table(const schema::Table& t, bool if_exists) const {
  return {std::string("DROP TABLE ") + (if_exists ? "IF EXISTS " : "") + quote(t.name)};
}

std::string SqliteDialect::create_index(const std::string& table, const schema::Index& ix, bool if_not_exists) const {
  return std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX " + (if_not_exists ? "IF NOT EXISTS " : "") +
         quote(ix.name) + " ON " + quote(table) + " (" + quoted_list(compiler(), ix.columns) + ")";
}

std::string SqliteDialect::drop_index(const std::string&, const schema::Index& ix, bool if_exists) const {
  return std::string("DROP INDEX ") + (if_exists ? "IF EXISTS " : "") + quote(ix.name);
}

}  // namespace strata::dialect
