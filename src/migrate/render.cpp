// migrate/render.cpp - op -> C++ source for the Operations facade.
#include "strata/migrate/render.hpp"

#include "strata/migrate/operations.hpp"

#include <charconv>
#include <cstdio>
#include <type_traits>

namespace strata::migrate {
namespace {

template <class>
inline constexpr bool always_false = false;

std::string str_list(const std::vector<std::string>& v) {
  std::string out = "{";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + cpp_string(v[i]);
  return out + "}";
}

std::string opt_int(const std::optional<int>& i) { return i ? std::to_string(*i) : "std::nullopt"; }

std::string type(const SqlType& t) {
  const std::string p = "strata::SqlType::";
  switch (t.kind) {
    case TypeKind::Boolean: return p + "boolean()";
    case TypeKind::SmallInteger: return p + "small_integer()";
    case TypeKind::Integer: return p + "integer()";
    case TypeKind::BigInteger: return p + "big_integer()";
    case TypeKind::Float: return p + "float_()";
    case TypeKind::Double: return p + "double_()";
    case TypeKind::Numeric:
      if (!t.precision && !t.scale) return p + "numeric()";
      if (!t.scale) return p + "numeric(" + opt_int(t.precision) + ")";
      return p + "numeric(" + opt_int(t.precision) + ", " + opt_int(t.scale) + ")";
    case TypeKind::String: return p + "string(" + (t.length ? std::to_string(*t.length) : "") + ")";
    case TypeKind::Bytes: return p + "bytes()";
    case TypeKind::Uuid: return p + "uuid()";
    case TypeKind::Date: return p + "date()";
    case TypeKind::Time: return p + "time()";
    case TypeKind::DateTime: return p + (t.timezone ? "datetime(true)" : "datetime()");
    case TypeKind::Json: return p + "json()";
    case TypeKind::StringArray: return p + "string_array()";
    case TypeKind::Enum: return p + "enumeration(" + cpp_string(t.enum_name) + ", " + str_list(t.enum_values) + ")";
  }
  return p + "string()";
}

std::string server_default(const schema::ServerDefault& d) {
  if (d.kind == schema::ServerDefault::Kind::Now) return "strata::schema::ServerDefault::now()";
  return "strata::schema::ServerDefault::text(" + cpp_string(d.sql) + ")";
}

std::string opt_default(const std::optional<schema::ServerDefault>& d) {
  return d ? server_default(*d) : "std::optional<strata::schema::ServerDefault>{}";
}

std::string column(const schema::Column& c) {
  std::vector<std::string> kw;
  if (!c.nullable) kw.push_back(".nullable = false");
  if (c.primary_key) kw.push_back(".primary_key = true");
  if (c.autoincrement) kw.push_back(".autoincrement = true");
  if (c.server_default) kw.push_back(".server_default = " + server_default(*c.server_default));
  if (c.has_onupdate) kw.push_back(".has_onupdate = true");
  if (!c.comment.empty()) kw.push_back(".comment = " + cpp_string(c.comment));
  std::string s = "strata::migrate::column(" + cpp_string(c.name) + ", " + type(c.type);
  if (!kw.empty()) {
    s += ", {";
    for (std::size_t i = 0; i < kw.size(); ++i) s += (i ? ", " : "") + kw[i];
    s += "}";
  }
  return s + ")";
}

std::string fk_action(schema::FkAction a) {
  switch (a) {
    case schema::FkAction::NoAction: return "strata::schema::FkAction::NoAction";
    case schema::FkAction::Restrict: return "strata::schema::FkAction::Restrict";
    case schema::FkAction::Cascade: return "strata::schema::FkAction::Cascade";
    case schema::FkAction::SetNull: return "strata::schema::FkAction::SetNull";
    case schema::FkAction::SetDefault: return "strata::schema::FkAction::SetDefault";
  }
  return "strata::schema::FkAction::NoAction";
}

std::string constraint(const schema::PrimaryKeyConstraint& c) {
  return "strata::schema::PrimaryKeyConstraint{" + cpp_string(c.name) + ", " + str_list(c.columns) + "}";
}
std::string constraint(const schema::UniqueConstraint& c) {
  return "strata::schema::UniqueConstraint{" + cpp_string(c.name) + ", " + str_list(c.columns) + "}";
}
std::string constraint(const schema::ForeignKeyConstraint& c) {
  std::string s = "strata::schema::ForeignKeyConstraint{" + cpp_string(c.name) + ", " + str_list(c.columns) + ", " +
                  cpp_string(c.referred_table) + ", " + str_list(c.referred_columns);
  if (c.on_delete != schema::FkAction::NoAction || c.on_update != schema::FkAction::NoAction)
    s += ", " + fk_action(c.on_delete);
  if (c.on_update != schema::FkAction::NoAction) s += ", " + fk_action(c.on_update);
  return s + "}";
}
std::string constraint(const schema::CheckConstraint& c) {
  return "strata::schema::CheckConstraint{" + cpp_string(c.name) + ", " + cpp_string(c.sqltext) + "}";
}
std::string constraint(const schema::Index& c) {
  std::string s = "strata::schema::Index{" + cpp_string(c.name) + ", " + str_list(c.columns);
  if (c.unique) s += ", true";
  return s + "}";
}

// strata::migrate::table(name, {columns}, {options}) over several lines; `ind`
// is the indent of the line that opens it.
std::string table(const schema::Table& t, int ind) {
  const std::string in1(static_cast<std::size_t>(ind + 4), ' ');
  const std::string in2(static_cast<std::size_t>(ind + 8), ' ');
  const std::string in0(static_cast<std::size_t>(ind), ' ');
  std::string s = "strata::migrate::table(" + cpp_string(t.name) + ", {\n";
  for (const auto& c : t.columns) s += in1 + column(c) + ",\n";
  s += in0 + "}";
  std::string opts;
  auto list = [&](const char* member, const auto& items) {
    if (items.empty()) return;
    opts += in1 + "." + member + " = {\n";
    for (const auto& x : items) opts += in2 + constraint(x) + ",\n";
    opts += in1 + "},\n";
  };
  if (t.primary_key) opts += in1 + ".primary_key = " + constraint(*t.primary_key) + ",\n";
  list("unique_constraints", t.unique_constraints);
  list("foreign_keys", t.foreign_keys);
  list("checks", t.checks);
  list("indexes", t.indexes);
  if (!opts.empty()) s += ", {\n" + opts + in0 + "}";
  return s + ")";
}

std::string value(const Value& v, const std::string& table_name) {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "nullptr";
        else if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::int64_t>) return "std::int64_t{" + std::to_string(x) + "}";
        else if constexpr (std::is_same_v<T, double>) {
          char buf[64];
          auto r = std::to_chars(buf, buf + sizeof buf, x);
          std::string s(buf, r.ptr);
          if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
          return s;
        } else if constexpr (std::is_same_v<T, std::string>) return cpp_string(x);
        else if constexpr (std::is_same_v<T, Numeric>) return "strata::Numeric{" + cpp_string(x.text) + "}";
        else if constexpr (std::is_same_v<T, JsonText>) return "strata::JsonText{" + cpp_string(x.text) + "}";
        else
          throw MigrationError("render: value " + v.repr() + " has no C++ literal form; write it by hand",
                               table_name);
      },
      v.storage());
}

std::string values(const std::vector<Value>& vs, const std::string& table_name) {
  std::string out = "{";
  for (std::size_t i = 0; i < vs.size(); ++i) out += (i ? ", " : "") + value(vs[i], table_name);
  return out + "}";
}

struct Render {
  int ind;

  std::string operator()(const ops::CreateTable& o) const {
    return "op.create_table(" + table(o.table, ind) + (o.if_not_exists ? ", true" : "") + ");";
  }
  std::string operator()(const ops::DropTable& o) const {
    std::string s = "op.drop_table(" + cpp_string(o.table_name);
    if (o.table) s += ", " + table(*o.table, ind);
    else if (o.if_exists) s += ", std::nullopt";
    if (o.if_exists) s += ", true";
    return s + ");";
  }
  std::string operator()(const ops::RenameTable& o) const {
    return "op.rename_table(" + cpp_string(o.old_name) + ", " + cpp_string(o.new_name) + ");";
  }
  std::string operator()(const ops::AddColumn& o) const {
    return "op.add_column(" + cpp_string(o.table_name) + ", " + column(o.column) + ");";
  }
  std::string operator()(const ops::DropColumn& o) const {
    return "op.drop_column(" + cpp_string(o.table_name) + ", " + cpp_string(o.column_name) +
           (o.column ? ", " + column(*o.column) : std::string{}) + ");";
  }
  std::string operator()(const ops::AlterColumn& o) const {
    std::vector<std::string> kw;
    if (o.type) kw.push_back(".type = " + type(*o.type));
    if (o.nullable) kw.push_back(std::string(".nullable = ") + (*o.nullable ? "true" : "false"));
    if (o.server_default) kw.push_back(".server_default = " + opt_default(*o.server_default));
    if (o.new_column_name) kw.push_back(".new_column_name = " + cpp_string(*o.new_column_name));
    if (o.existing_type) kw.push_back(".existing_type = " + type(*o.existing_type));
    if (o.existing_nullable)
      kw.push_back(std::string(".existing_nullable = ") + (*o.existing_nullable ? "true" : "false"));
    if (o.existing_server_default) kw.push_back(".existing_server_default = " + opt_default(*o.existing_server_default));
    if (!o.postgresql_using.empty()) kw.push_back(".postgresql_using = " + cpp_string(o.postgresql_using));
    std::string s = "op.alter_column(" + cpp_string(o.table_name) + ", " + cpp_string(o.column_name) + ", {";
    for (std::size_t i = 0; i < kw.size(); ++i) s += (i ? ", " : "") + kw[i];
    return s + "});";
  }
  std::string operator()(const ops::CreateIndex& o) const {
    std::string s = "op.create_index(" + cpp_string(o.index.name) + ", " + cpp_string(o.table_name) + ", " +
                    str_list(o.index.columns);
    std::vector<std::string> kw;
    if (o.index.unique) kw.push_back(".unique = true");
    if (o.if_not_exists) kw.push_back(".if_not_exists = true");
    if (o.postgresql_concurrently) kw.push_back(".postgresql_concurrently = true");
    if (!kw.empty()) {
      s += ", {";
      for (std::size_t i = 0; i < kw.size(); ++i) s += (i ? ", " : "") + kw[i];
      s += "}";
    }
    return s + ");";
  }
  std::string operator()(const ops::DropIndex& o) const {
    std::string s = "op.drop_index(" + cpp_string(o.index_name) + ", " + cpp_string(o.table_name);
    if (o.index) s += ", " + constraint(*o.index);
    else if (o.if_exists || o.postgresql_concurrently) s += ", std::nullopt";
    if (o.if_exists || o.postgresql_concurrently) s += o.if_exists ? ", true" : ", false";
    if (o.postgresql_concurrently) s += ", true";
    return s + ");";
  }
  std::string operator()(const ops::CreateUniqueConstraint& o) const {
    return "op.create_unique_constraint(" + cpp_string(o.constraint.name) + ", " + cpp_string(o.table_name) + ", " +
           str_list(o.constraint.columns) + ");";
  }
  std::string operator()(const ops::CreateForeignKey& o) const {
    const auto& c = o.constraint;
    std::string s = "op.create_foreign_key(" + cpp_string(c.name) + ", " + cpp_string(o.table_name) + ", " +
                    cpp_string(c.referred_table) + ", " + str_list(c.columns) + ", " + str_list(c.referred_columns);
    std::vector<std::string> kw;
    if (c.on_delete != schema::FkAction::NoAction) kw.push_back(".ondelete = " + fk_action(c.on_delete));
    if (c.on_update != schema::FkAction::NoAction) kw.push_back(".onupdate = " + fk_action(c.on_update));
    if (!kw.empty()) s += ", {" + kw[0] + (kw.size() > 1 ? ", " + kw[1] : std::string{}) + "}";
    return s + ");";
  }
  std::string operator()(const ops::CreateCheckConstraint& o) const {
    return "op.create_check_constraint(" + cpp_string(o.constraint.name) + ", " + cpp_string(o.table_name) + ", " +
           cpp_string(o.constraint.sqltext) + ");";
  }
  std::string operator()(const ops::CreatePrimaryKey& o) const {
    return "op.create_primary_key(" + cpp_string(o.constraint.name) + ", " + cpp_string(o.table_name) + ", " +
           str_list(o.constraint.columns) + ");";
  }
  std::string operator()(const ops::DropConstraint& o) const {
    static const char* kinds[] = {"Unique", "ForeignKey", "Check", "PrimaryKey"};
    std::string s = "op.drop_constraint(" + cpp_string(o.constraint_name) + ", " + cpp_string(o.table_name) +
                    ", strata::migrate::ops::ConstraintKind::" + kinds[static_cast<int>(o.kind)];
    if (o.constraint) s += ", " + std::visit([](const auto& c) { return constraint(c); }, *o.constraint);
    return s + ");";
  }
  std::string operator()(const ops::Execute& o) const {
    std::string s = "op.execute(" + cpp_string(o.sql);
    if (!o.params.empty() || o.reverse_sql) s += ", " + values(o.params, {});
    if (o.reverse_sql) s += ", " + cpp_string(*o.reverse_sql);
    return s + ");";
  }
  std::string operator()(const ops::BulkInsert& o) const {
    std::string rows = "{";
    for (std::size_t i = 0; i < o.rows.size(); ++i) rows += (i ? ", " : "") + values(o.rows[i], o.table_name);
    return "op.bulk_insert(" + cpp_string(o.table_name) + ", " + str_list(o.columns) + ", " + rows + "});";
  }
  std::string operator()(const ops::RunCallable& o) const {
    return "// op.run_callable(" + cpp_string(o.name) + ", ...): C++ callables cannot be rendered; write them by hand";
  }
};

}  // namespace

std::string cpp_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string render(const ops::Op& op, int indent) {
  if (indent < 0) indent = 0;
  return std::string(static_cast<std::size_t>(indent), ' ') + std::visit(Render{indent}, op) + "\n";
}

std::string render(const std::vector<ops::Op>& ops, int indent) {
  std::string out;
  for (const auto& op : ops) out += render(op, indent);
  return out;
}

}  // namespace strata::migrate
