// PostgreSQL dialect: capabilities, type names, server defaults, connect.
// The statement compiler's hooks live in compiler.cpp, DDL statements in
// ddl.cpp. No libpq here: SQL generation must work without the driver (STYLE rule 3).
#include "strata/dialect/postgresql.hpp"

#include <string>
#include <variant>

#include <fmt/core.h>

#include "dialect/ddl.hpp"
#include "dialect/postgresql/driver.hpp"
#include "strata/core/error.hpp"

namespace strata::dialect {

const Capabilities& PostgresqlDialect::capabilities() const noexcept {
  static const Capabilities caps = [] {
    Capabilities c;
    c.supports_alter = true;
    c.transactional_ddl = true;     // CREATE/ALTER/DROP roll back with the transaction
    c.returning = true;
    c.postfetch_lastrowid = false;  // no lastrowid: keys come back through RETURNING
    c.native_uuid = true;
    c.native_enum = true;
    c.native_array = true;
    c.savepoints = true;
    c.max_identifier_length = 63;   // NAMEDATALEN - 1; longer names are truncated silently
    c.max_bind_params = 65535;      // the protocol's Int16 parameter count in Bind
    c.foreign_key_pragmas = false;  // migrate: constraints are ALTERed, never rebuilt
    c.concurrent_index = true;      // migrate: CREATE / DROP INDEX CONCURRENTLY
    c.batched_statements = true;    // pipeline mode: one round trip per batch
    return c;
  }();
  return caps;
}

std::string PostgresqlDialect::type_name(const SqlType& t) const {
  switch (t.kind) {
    case TypeKind::Boolean: return "BOOLEAN";
    case TypeKind::SmallInteger: return "SMALLINT";
    case TypeKind::Integer: return "INTEGER";
    case TypeKind::BigInteger: return "BIGINT";
    case TypeKind::Float: return "REAL";
    case TypeKind::Double: return "DOUBLE PRECISION";
    case TypeKind::Numeric:
      if (!t.precision) return "NUMERIC";
      if (!t.scale) return fmt::format("NUMERIC({})", *t.precision);
      return fmt::format("NUMERIC({}, {})", *t.precision, *t.scale);
    case TypeKind::String: return t.length ? fmt::format("VARCHAR({})", *t.length) : "TEXT";
    case TypeKind::Bytes: return "BYTEA";
    case TypeKind::Uuid: return "UUID";
    case TypeKind::Date: return "DATE";
    case TypeKind::Time: return "TIME WITHOUT TIME ZONE";
    case TypeKind::DateTime: return t.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP WITHOUT TIME ZONE";
    case TypeKind::Json: return "JSONB";  // binary, indexable; SQLAlchemy's JSONB
    case TypeKind::StringArray: return "TEXT[]";
    case TypeKind::Enum:
      if (t.enum_name.empty())
        throw SchemaError("postgresql: an Enum type needs a name for CREATE TYPE (values: " +
                          std::to_string(t.enum_values.size()) + ")");
      return quote(t.enum_name);
  }
  return "TEXT";
}

std::string PostgresqlDialect::server_default_sql(const schema::ServerDefault& d) const {
  if (d.kind == schema::ServerDefault::Kind::Now) return "now()";
  return d.sql;
}

sql::Compiled PostgresqlDialect::has_table(std::string_view name) const {
  return {"SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1",
          {Value(name)}};
}

std::string PostgresqlDialect::literal(const Value& v) const {
  if (const auto* b = v.get_if<Bytes>()) {
    std::string out = "'\\x";
    for (std::byte x : *b) out += fmt::format("{:02x}", static_cast<unsigned>(x));
    return out + "'::bytea";
  }
  if (const auto* l = v.get_if<StringList>()) {
    std::string arr = "{";
    for (std::size_t i = 0; i < l->size(); ++i) {
      arr += i ? ",\"" : "\"";
      for (char c : (*l)[i]) {
        if (c == '"' || c == '\\') arr += '\\';
        arr += c;
      }
      arr += '"';
    }
    arr += "}";
    return ddl::string_literal(arr);
  }
  return v.repr();
}

std::unique_ptr<DriverConnection> PostgresqlDialect::connect(const ConnectParams& p) const {
  return postgresql::open_connection(p);
}

std::unique_ptr<Inspector> PostgresqlDialect::inspector(DriverConnection& conn) const {
  return make_postgresql_inspector(conn);
}

// migrate: a transaction-level advisory lock, released by COMMIT / ROLLBACK, so
// that a crashed migrator never leaves it held (a session lock would stay with
// a pooled connection).
std::string_view PostgresqlDialect::migration_lock_sql() const noexcept {
  return "SELECT pg_advisory_xact_lock($1)";
}

const Dialect& postgresql_dialect() {
  static const PostgresqlDialect d;
  return d;
}

namespace {
// Registers the dialect for postgresql:// URLs when the program links
// strata::postgresql; the target's `--undefined=strata_postgresql_link_anchor`
// link option keeps this object file in every such program.
[[maybe_unused]] const bool registered = (register_dialect("postgresql", postgresql_dialect()), true);
}  // namespace

}  // namespace strata::dialect

extern "C" {
extern const int strata_postgresql_link_anchor;
const int strata_postgresql_link_anchor = 1;
}

namespace strata::dialect {

}  // namespace strata::dialect
