// migrate/to_ddl_alter.cpp - alter_column and native enum types on dialects
// that ALTER (PostgreSQL), and the scan for '?' bind markers of raw SQL. The
// rules are documented in include/strata/migrate/to_ddl.hpp.
#include <algorithm>
#include <cctype>
#include <optional>

#include "migrate/to_ddl_detail.hpp"

namespace strata::migrate::detail {
namespace {

using Stmts = std::vector<Statement>;

// 'it''s': a string literal as PostgreSQL reads it with
// standard_conforming_strings (on by default since 9.1).
std::string literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string literal_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + literal(values[i]);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool contains_pair(const std::vector<std::pair<std::string, std::string>>& v,
                   const std::pair<std::string, std::string>& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool is_numeric(TypeKind k) {
  switch (k) {
    case TypeKind::SmallInteger: case TypeKind::Integer: case TypeKind::BigInteger:
    case TypeKind::Float: case TypeKind::Double: case TypeKind::Numeric:
      return true;
    default:
      return false;
  }
}

// The type of the native enum `name` as a column of `md` has it, or nullptr.
const SqlType* find_enum(const schema::MetaData& md, const std::string& name) {
  for (const auto& t : md.tables())
    for (const auto& c : t.columns)
      if (c.type.kind == TypeKind::Enum && c.type.enum_name == name) return &c.type;
  return nullptr;
}

std::string create_type(const dialect::Dialect& d, const SqlType& t) {
  return "CREATE TYPE " + d.quote(t.enum_name) + " AS ENUM (" + literal_list(t.enum_values) + ")";
}

// The new values of an enum whose old values keep their order, as ADD VALUE
// statements placing each where `to` puts it; std::nullopt when a value was
// removed or the old ones were reordered (the type must be re-created).
std::optional<Stmts> add_values(const dialect::Dialect& d, const SqlType& from, const SqlType& to) {
  std::vector<std::string> kept;
  for (const auto& v : to.enum_values)
    if (contains(from.enum_values, v)) kept.push_back(v);
  if (kept != from.enum_values) return std::nullopt;
  Stmts out;
  const std::string head = "ALTER TYPE " + d.quote(to.enum_name) + " ADD VALUE IF NOT EXISTS ";
  for (std::size_t i = 0; i < to.enum_values.size(); ++i) {
    const std::string& v = to.enum_values[i];
    if (contains(from.enum_values, v)) continue;
    std::string sql = head + literal(v);
    // Before the next old value; a value after the last old one is appended,
    // and the statements run in list order, so appended values keep theirs.
    for (std::size_t j = i + 1; j < to.enum_values.size(); ++j)
      if (contains(from.enum_values, to.enum_values[j])) {
        sql += " BEFORE " + literal(to.enum_values[j]);
        break;
      }
    out.push_back(statement(std::move(sql)));
  }
  return out;
}

// Re-creates the enum type of `o` with `to`'s values: rename the old type
// away, create the new one, convert every column using it through text (its
// default dropped first, since it holds a cast to the old type, and put back),
// drop the old type.
Stmts recreate_enum(const dialect::Dialect& d, const schema::MetaData& before, const ops::AlterColumn& o,
                    const SqlType& to, const std::optional<schema::ServerDefault>& column_default) {
  const std::string old_name = to.enum_name + "_old";
  Stmts out;
  out.push_back(statement("ALTER TYPE " + d.quote(to.enum_name) + " RENAME TO " + d.quote(old_name)));
  out.push_back(statement(create_type(d, to)));
  auto users = enum_users(before, to.enum_name);
  const std::pair<std::string, std::string> self{o.table_name, o.column_name};
  if (!contains_pair(users, self)) users.push_back(self);
  for (const auto& [table, column] : users) {
    std::optional<schema::ServerDefault> def;
    if (table == o.table_name && column == o.column_name) {
      def = column_default;
    } else if (const auto* t = before.find_table(table)) {
      if (const auto* c = t->find_column(column)) def = c->server_default;
    }
    const std::string col = "ALTER TABLE " + d.quote(table) + " ALTER COLUMN " + d.quote(column) + " ";
    if (def) out.push_back(statement(col + "DROP DEFAULT"));
    out.push_back(statement(col + "TYPE " + d.type_name(to) + " USING " + d.quote(column) + "::text::" +
                            d.type_name(to)));
    if (def) out.push_back(statement(col + "SET DEFAULT " + d.server_default_sql(*def)));
  }
  out.push_back(statement("DROP TYPE " + d.quote(old_name)));
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> enum_users(const schema::MetaData& md, const std::string& name,
                                                            const std::string& skip_table,
                                                            const std::string& skip_column) {
  std::vector<std::pair<std::string, std::string>> out;
  if (name.empty()) return out;
  for (const auto& t : md.tables())
    for (const auto& c : t.columns) {
      if (c.type.kind != TypeKind::Enum || c.type.enum_name != name) continue;
      if (!skip_table.empty() && t.name == skip_table && (skip_column.empty() || c.name == skip_column)) continue;
      out.emplace_back(t.name, c.name);
    }
  return out;
}

std::vector<Statement> create_enum_if_new(const dialect::Dialect& d, const schema::MetaData& before,
                                          const SqlType& type, const std::string& table) {
  if (type.enum_name.empty())
    throw MigrationError("table '" + table + "': an Enum needs a type name on " + std::string(d.name()), table);
  if (const SqlType* existing = find_enum(before, type.enum_name)) {
    if (existing->enum_values != type.enum_values)
      throw MigrationError("enum type '" + type.enum_name + "' exists with values (" +
                               literal_list(existing->enum_values) + "), table '" + table + "' wants (" +
                               literal_list(type.enum_values) + "): change the type with alter_column first",
                           table);
    return {};
  }
  return {statement(create_type(d, type))};
}

std::string automatic_using(const dialect::Dialect& d, const std::string& column, const SqlType* from,
                            const SqlType& to) {
  if (!from) return {};  // unknown: PostgreSQL decides
  const std::string col = d.quote(column);
  if (to.kind == TypeKind::Enum || from->kind == TypeKind::Enum) {
    // Text -> enum is an explicit cast, and an enum casts to nothing but text.
    if (to.kind == TypeKind::String) return {};
    return col + "::text::" + d.type_name(to);
  }
  if (to.kind == TypeKind::String) return {};  // I/O conversion to a string type: an assignment cast
  if (is_numeric(from->kind) && is_numeric(to.kind)) return {};
  if (from->kind == to.kind) return {};
  if (from->kind == TypeKind::Date && to.kind == TypeKind::DateTime) return {};
  return col + "::" + d.type_name(to);
}

std::vector<Statement> alter_column(const ops::AlterColumn& o, const dialect::Dialect& d,
                                    const schema::MetaData& before) {
  const schema::Table* table = before.find_table(o.table_name);
  const schema::Column* cur = table ? table->find_column(o.column_name) : nullptr;
  // `before` is the database as it is; the op's existing_* record is the fallback.
  const SqlType* old_type = cur ? &cur->type : (o.existing_type ? &*o.existing_type : nullptr);
  std::optional<schema::ServerDefault> old_default;
  if (cur) old_default = cur->server_default;
  else if (o.existing_server_default) old_default = *o.existing_server_default;
  const bool old_nullable = cur ? cur->nullable : o.existing_nullable.value_or(true);
  const std::optional<schema::ServerDefault> new_default = o.server_default ? *o.server_default : old_default;
  const bool native = d.capabilities().native_enum;

  const std::string alter = "ALTER TABLE " + d.quote(o.table_name) + " ";
  const std::string col = alter + "ALTER COLUMN " + d.quote(o.column_name) + " ";
  Stmts out, last;
  auto append = [&out](Stmts s) { out.insert(out.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end())); };
  bool default_dropped = false;

  if (o.type) {
    const SqlType& to = *o.type;
    const bool old_enum = old_type && old_type->kind == TypeKind::Enum && native;
    if (old_enum && to.kind == TypeKind::Enum && old_type->enum_name == to.enum_name) {
      // The same type, changed in place.
      if (old_type->enum_values != to.enum_values) {
        if (auto added = add_values(d, *old_type, to)) append(std::move(*added));
        // The default put back is the op's new one: the old may name a value the new type lacks.
        else append(recreate_enum(d, before, o, to, new_default));
      }
    } else {
      if (native && to.kind == TypeKind::Enum) append(create_enum_if_new(d, before, to, o.table_name));
      const std::string use =
          o.postgresql_using.empty() ? automatic_using(d, o.column_name, old_type, to) : o.postgresql_using;
      // The default is converted by an assignment cast, not by USING: one
      // that does not convert so (or that names the old enum type, which is
      // dropped below) goes first and comes back after.
      if (old_default && (!use.empty() || old_enum)) {
        out.push_back(statement(col + "DROP DEFAULT"));
        default_dropped = true;
      }
      out.push_back(statement(col + "TYPE " + d.type_name(to) + (use.empty() ? "" : " USING " + use)));
      if (old_enum && enum_users(before, old_type->enum_name, o.table_name, o.column_name).empty())
        last.push_back(statement("DROP TYPE " + d.quote(old_type->enum_name)));
    }
  }
  if (o.server_default) {
    if (*o.server_default) out.push_back(statement(col + "SET DEFAULT " + d.server_default_sql(**o.server_default)));
    else if (!default_dropped) out.push_back(statement(col + "DROP DEFAULT"));
  } else if (default_dropped) {
    out.push_back(statement(col + "SET DEFAULT " + d.server_default_sql(*old_default)));
  }
  if (o.nullable) {
    // As SQLite's rebuild COALESCEs: rows holding NULL take the default.
    if (!*o.nullable && old_nullable && new_default)
      out.push_back(statement("UPDATE " + d.quote(o.table_name) + " SET " + d.quote(o.column_name) +
                              " = DEFAULT WHERE " + d.quote(o.column_name) + " IS NULL"));
    out.push_back(statement(col + (*o.nullable ? "DROP NOT NULL" : "SET NOT NULL")));
  }
  if (o.new_column_name)
    out.push_back(statement(alter + "RENAME COLUMN " + d.quote(o.column_name) + " TO " + d.quote(*o.new_column_name)));
  append(std::move(last));
  return out;
}


}  // namespace strata::migrate::detail
