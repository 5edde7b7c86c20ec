// SQLite dialect: capabilities, type names, server defaults, connect.
// DDL statements live in ddl.cpp.
#include "strata/dialect/sqlite.hpp"

#include "dialect/ddl.hpp"
#include "strata/sql/text.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include <fmt/core.h>

#include "dialect/sqlite/driver.hpp"

namespace strata::dialect {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// [+-]digits[.digits][e[+-]digits]
bool is_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) digits = true;
    else if (c == '.' && !dot) dot = true;
    else break;
  }
  if (!digits) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// One complete 'string' literal ('' escapes a quote), optionally X'..' (blob).
bool is_string_literal(std::string_view s) {
  if (s.size() >= 1 && (s[0] == 'x' || s[0] == 'X')) s.remove_prefix(1);
  if (s.size() < 2 || s.front() != '\'' || s.back() != '\'') return false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] != '\'') continue;
    if (i + 2 < s.size() && s[i + 1] == '\'') ++i;  // doubled quote
    else return false;                              // closes early: "'a' || 'b'"
  }
  return true;
}


}  // namespace

const Capabilities& SqliteDialect::capabilities() const noexcept {
  static const Capabilities caps = [] {
    Capabilities c;
    c.supports_alter = false;    // no ALTER COLUMN / ADD CONSTRAINT: migrations rebuild the table
    c.transactional_ddl = true;
    c.postfetch_lastrowid = true;
    c.returning = true;          // SQLite >= 3.35 (Debian 12 ships 3.40)
    c.native_uuid = false;
    c.native_enum = false;
    c.native_array = false;
    c.savepoints = true;
    c.max_identifier_length = std::numeric_limits<int>::max();  // SQLite has no limit
    c.max_bind_params = 32766;   // SQLITE_MAX_VARIABLE_NUMBER since 3.32
    c.foreign_key_pragmas = true;  // migrate: PRAGMA foreign_keys off around a rebuild, foreign_key_check
    c.concurrent_index = false;
    return c;
  }();
  return caps;
}

std::string SqliteDialect::type_name(const SqlType& t) const {
  switch (t.kind) {
    case TypeKind::Boolean: return "BOOLEAN";
    case TypeKind::SmallInteger: return "SMALLINT";
    case TypeKind::Integer: return "INTEGER";
    case TypeKind::BigInteger: return "BIGINT";
    case TypeKind::Float: return "FLOAT";
    case TypeKind::Double: return "DOUBLE";
    case TypeKind::Numeric:
      if (!t.precision) return "NUMERIC";
      if (!t.scale) return fmt::format("NUMERIC({})", *t.precision);
      return fmt::format("NUMERIC({}, {})", *t.precision, *t.scale);
    case TypeKind::String: return t.length ? fmt::format("VARCHAR({})", *t.length) : "TEXT";
    case TypeKind::Bytes: return "BLOB";
    case TypeKind::Uuid: return "CHAR(32)";  // 32 hex digits, SQLAlchemy 2.0's Uuid storage
    case TypeKind::Date: return "DATE";
    case TypeKind::Time: return "TIME";
    case TypeKind::DateTime: return "DATETIME";  // ISO text; a timezone is kept in the text
    case TypeKind::Json: return "JSON";
    case TypeKind::StringArray: return "JSON";
    case TypeKind::Enum: {
      std::size_t n = 1;
      for (const auto& v : t.enum_values) n = std::max(n, v.size());
      return fmt::format("VARCHAR({})", n);
    }
  }
  return "TEXT";
}

std::string SqliteDialect::server_default_sql(const schema::ServerDefault& d) const {
  if (d.kind == schema::ServerDefault::Kind::Now) return "CURRENT_TIMESTAMP";
  const std::string_view s = d.sql;
  static constexpr std::string_view keywords[] = {"NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE",
                                                  "CURRENT_TIME"};
  const std::string up = upper(s);
  const bool keyword = std::find(std::begin(keywords), std::end(keywords), up) != std::end(keywords);
  if (keyword || is_number(s) || is_string_literal(s) || sql::is_parenthesized(s)) return d.sql;
  return "(" + d.sql + ")";
}

sql::Compiled SqliteDialect::has_table(std::string_view name) const {
  return {"SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", {Value(name)}};
}

std::unique_ptr<DriverConnection> SqliteDialect::connect(const ConnectParams& p) const {
  return sqlite::open_connection(p);
}

std::string SqliteDialect::literal(const Value& v) const {
  if (const auto* u = v.get_if<Uuid>()) return ddl::string_literal(u->hex());
  return v.repr();
}

std::unique_ptr<Inspector> SqliteDialect::inspector(DriverConnection& conn) const {
  return make_sqlite_inspector(conn);
}

const Dialect& sqlite_dialect() {
  static const SqliteDialect d;
  return d;
}

}  // namespace strata::dialect
