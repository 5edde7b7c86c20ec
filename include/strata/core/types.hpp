// strata/core/types.hpp - the SQL type of a column, independent of any dialect.
//
// A dialect turns a SqlType into its DDL spelling (dialect::Dialect::type_name):
//   kind          SQLite                    PostgreSQL (issue 4)
//   Boolean       BOOLEAN                   BOOLEAN
//   SmallInteger  SMALLINT                  SMALLINT
//   Integer       INTEGER                   INTEGER
//   BigInteger    BIGINT                    BIGINT
//   Float         FLOAT                     REAL
//   Double        DOUBLE                    DOUBLE PRECISION
//   Numeric       NUMERIC(p, s)             NUMERIC(p, s)
//   String        VARCHAR(n) / TEXT         VARCHAR(n) / TEXT   (TEXT when length is empty)
//   Bytes         BLOB                      BYTEA
//   Uuid          CHAR(32)                  UUID    (SQLAlchemy 2.0's Uuid storage)
//   Date          DATE                      DATE
//   Time          TIME                      TIME
//   DateTime      DATETIME                  TIMESTAMP [WITH TIME ZONE]
//   Json          JSON                      JSONB
//   StringArray   JSON                      TEXT[]
//   Enum          VARCHAR(n) + CHECK        native ENUM type
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace strata {

enum class TypeKind {
  Boolean,
  SmallInteger,
  Integer,
  BigInteger,
  Float,
  Double,
  Numeric,
  String,
  Bytes,
  Uuid,
  Date,
  Time,
  DateTime,
  Json,
  StringArray,
  Enum,
};

/// Name of a kind, for messages ("BigInteger").
const char* to_string(TypeKind kind) noexcept;

/// A column's SQL type: a kind plus its parameters.
struct SqlType {
  TypeKind kind = TypeKind::String;
  std::optional<int> length;     ///< String: VARCHAR(length); empty = unbounded (TEXT)
  std::optional<int> precision;  ///< Numeric(precision, scale)
  std::optional<int> scale;
  bool timezone = false;         ///< DateTime: timestamp with time zone
  std::string enum_name;         ///< Enum: the type's name (PostgreSQL CREATE TYPE), e.g. "status"
  std::vector<std::string> enum_values;  ///< Enum: the allowed values, in declaration order

  friend bool operator==(const SqlType&, const SqlType&) = default;

  /// A type of `k` with no parameters. (The factories below use it rather than
  /// `{kind}` aggregate initialization, which -Wextra flags as missing initializers.)
  static SqlType of(TypeKind k) {
    SqlType t;
    t.kind = k;
    return t;
  }
  static SqlType boolean() { return of(TypeKind::Boolean); }
  static SqlType small_integer() { return of(TypeKind::SmallInteger); }
  static SqlType integer() { return of(TypeKind::Integer); }
  static SqlType big_integer() { return of(TypeKind::BigInteger); }
  static SqlType float_() { return of(TypeKind::Float); }
  static SqlType double_() { return of(TypeKind::Double); }
  static SqlType numeric(std::optional<int> p = {}, std::optional<int> s = {}) {
    SqlType t = of(TypeKind::Numeric);
    t.precision = p;
    t.scale = s;
    return t;
  }
  static SqlType string(std::optional<int> length = {}) {
    SqlType t = of(TypeKind::String);
    t.length = length;
    return t;
  }
  static SqlType bytes() { return of(TypeKind::Bytes); }
  static SqlType uuid() { return of(TypeKind::Uuid); }
  static SqlType date() { return of(TypeKind::Date); }
  static SqlType time() { return of(TypeKind::Time); }
  static SqlType datetime(bool tz = false) {
    SqlType t = of(TypeKind::DateTime);
    t.timezone = tz;
    return t;
  }
  static SqlType json() { return of(TypeKind::Json); }
  static SqlType string_array() { return of(TypeKind::StringArray); }
  static SqlType enumeration(std::string name, std::vector<std::string> values) {
    SqlType t = of(TypeKind::Enum);
    t.enum_name = std::move(name);
    t.enum_values = std::move(values);
    return t;
  }
  bool is_integer() const noexcept {
    return kind == TypeKind::SmallInteger || kind == TypeKind::Integer ||
           kind == TypeKind::BigInteger;
  }
};

}  // namespace strata
