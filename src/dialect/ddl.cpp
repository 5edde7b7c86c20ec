#include "dialect/ddl.hpp"

#include "strata/core/error.hpp"

namespace strata::dialect {

std::string Dialect::quote_list(const std::vector<std::string>& idents) const {
  std::string out;
  for (std::size_t i = 0; i < idents.size(); ++i) {
    if (i) out += ", ";
    out += quote(idents[i]);
  }
  return out;
}

namespace ddl {

std::string string_literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string string_literal_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += string_literal(values[i]);
  }
  return out;
}

std::string constraint_prefix(const Dialect& d, const std::string& name) {
  return name.empty() ? std::string{} : "CONSTRAINT " + d.quote(name) + " ";
}

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

std::vector<std::string> constraint_lines(const Dialect& d, const schema::Table& t, bool with_primary_key) {
  std::vector<std::string> lines;
  const auto pk = t.primary_key_columns();
  if (with_primary_key && !pk.empty())
    lines.push_back(constraint_prefix(d, t.primary_key ? t.primary_key->name : std::string{}) + "PRIMARY KEY (" +
                    d.quote_list(pk) + ")");
  for (const auto& uq : t.unique_constraints)
    lines.push_back(constraint_prefix(d, uq.name) + "UNIQUE (" + d.quote_list(uq.columns) + ")");
  for (const auto& fk : t.foreign_keys) {
    std::string s = constraint_prefix(d, fk.name) + "FOREIGN KEY(" + d.quote_list(fk.columns) + ") REFERENCES " +
                    d.quote(fk.referred_table) + " (" + d.quote_list(fk.referred_columns) + ")";
    if (fk.on_delete != schema::FkAction::NoAction) s += std::string(" ON DELETE ") + schema::to_sql(fk.on_delete);
    if (fk.on_update != schema::FkAction::NoAction) s += std::string(" ON UPDATE ") + schema::to_sql(fk.on_update);
    lines.push_back(std::move(s));
  }
  for (const auto& ck : t.checks) lines.push_back(constraint_prefix(d, ck.name) + "CHECK (" + ck.sqltext + ")");
  return lines;
}

std::string create_table_statement(const Dialect& d, const std::string& table, const std::vector<std::string>& lines,
                                   bool if_not_exists) {
  std::string sql = std::string("CREATE TABLE ") + (if_not_exists ? "IF NOT EXISTS " : "") + d.quote(table) + " (";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    sql += i ? ",\n\t" : "\n\t";
    sql += lines[i];
  }
  sql += "\n)";
  return sql;
}

std::string create_index_statement(const Dialect& d, const std::string& table, const schema::Index& ix,
                                   bool if_not_exists) {
  return std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX " + (if_not_exists ? "IF NOT EXISTS " : "") +
         d.quote(ix.name) + " ON " + d.quote(table) + " (" + d.quote_list(ix.columns) + ")";
}

std::string drop_index_statement(const Dialect& d, const schema::Index& ix, bool if_exists) {
  return std::string("DROP INDEX ") + (if_exists ? "IF EXISTS " : "") + d.quote(ix.name);
}

}  // namespace ddl
}  // namespace strata::dialect
