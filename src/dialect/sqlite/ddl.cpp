// SQLite dialect: CREATE / DROP TABLE and INDEX. The format is documented in
// include/strata/dialect/sqlite.hpp and pinned by tests/dialect/sqlite.
#include "strata/core/error.hpp"
#include "strata/dialect/sqlite.hpp"

#include "dialect/ddl.hpp"

namespace strata::dialect {

std::string SqliteDialect::column_spec(const schema::Table& t, const schema::Column& c) const {
  const schema::Column* autoinc = ddl::autoincrement_column(t);
  const bool is_autoinc = autoinc == &c || (autoinc && autoinc->name == c.name);
  // The rowid alias needs the exact type name INTEGER.
  std::string out = quote(c.name) + " " + (is_autoinc ? std::string("INTEGER") : type_name(c.type));
  if (c.server_default) out += " DEFAULT " + server_default_sql(*c.server_default);
  if (!c.nullable || ddl::in_primary_key(t, c.name)) out += " NOT NULL";
  if (is_autoinc) out += " PRIMARY KEY AUTOINCREMENT";
  return out;
}

std::string SqliteDialect::enum_check_sql(const schema::Column& c) const {
  if (c.type.kind != TypeKind::Enum) return {};
  return quote(c.name) + " IN (" + ddl::string_literal_list(c.type.enum_values) + ")";
}

std::vector<std::string> SqliteDialect::create_table(const schema::Table& t, bool if_not_exists) const {
  std::vector<std::string> lines;
  for (const auto& c : t.columns) lines.push_back(column_spec(t, c));
  // With an inline INTEGER PRIMARY KEY AUTOINCREMENT the table-level key
  // would be a second PRIMARY KEY, which SQLite rejects.
  for (auto& l : ddl::constraint_lines(*this, t, ddl::autoincrement_column(t) == nullptr)) lines.push_back(std::move(l));
  // SQLite has no enum type: a CHECK limits the column to its values.
  for (const auto& c : t.columns)
    if (c.type.kind == TypeKind::Enum)
      lines.push_back(ddl::constraint_prefix(*this, "ck_" + t.name + "_" + c.name + "_enum") + "CHECK (" +
                      enum_check_sql(c) + ")");

  std::vector<std::string> out{ddl::create_table_statement(*this, t.name, lines, if_not_exists)};
  for (const auto& ix : t.indexes) out.push_back(create_index(t.name, ix, if_not_exists));
  return out;
}

std::vector<std::string> SqliteDialect::drop_table(const schema::Table& t, bool if_exists) const {
  return {std::string("DROP TABLE ") + (if_exists ? "IF EXISTS " : "") + quote(t.name)};
}

std::string SqliteDialect::create_index(const std::string& table, const schema::Index& ix, bool if_not_exists) const {
  return ddl::create_index_statement(*this, table, ix, if_not_exists);
}

std::string SqliteDialect::drop_index(const std::string&, const schema::Index& ix, bool if_exists) const {
  return ddl::drop_index_statement(*this, ix, if_exists);
}

}  // namespace strata::dialect
