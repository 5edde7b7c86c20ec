// strata/sql/compiler.hpp - SqlCompiler: statement tree -> SQL text + parameters.
//
// The base class renders ANSI SQL with one visit_* per node kind. A dialect
// subclasses it and overrides the hooks (quoting, placeholders, ILIKE, LIMIT),
// SQLAlchemy's direction: `sql` knows no dialect, dialects know `sql`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "strata/core/value.hpp"
#include "strata/sql/expr.hpp"

namespace strata::sql {

/// A compiled statement: its SQL and its bound values, in placeholder order.
struct Compiled {
  std::string sql;
  std::vector<Value> params;
  friend bool operator==(const Compiled&, const Compiled&) = default;
};

class SqlCompiler {
 public:
  virtual ~SqlCompiler() = default;

  /// Compiles any statement. Throws: CompileError (e.g. an Insert whose row
  /// width differs from its columns, naming the table), UnsupportedFeature.
  Compiled compile(const Statement& stmt) const;
  Compiled compile(const Select& s) const;
  Compiled compile(const Insert& s) const;
  Compiled compile(const Update& s) const;
  Compiled compile(const Delete& s) const;
  /// Compiles a lone expression (for tests and messages).
  Compiled compile(const Expr& e) const;

  /// Quotes an identifier: "name", doubling embedded quotes.
  virtual std::string quote(std::string_view ident) const;

 protected:
  struct State {
    std::string sql;
    std::vector<Value> params;
  };
  /// Placeholder for the parameter about to be appended (index = params.size()
  /// before the push, 0-based): "?" by default.
  virtual void placeholder(State& st, std::size_t index) const;
  /// RETURNING support: true by default (SQLite >= 3.35, PostgreSQL).
  virtual bool supports_returning() const { return true; }
  /// Name of the dialect, for UnsupportedFeature messages ("sqlite"); "default" here.
  virtual std::string_view dialect_name() const { return "default"; }
  /// Case-insensitive LIKE: "lower(a) LIKE lower(b)" by default; PostgreSQL uses ILIKE.
  virtual void visit_ilike(State& st, const Binary& b) const;
  /// LIMIT / OFFSET clause. Default: " LIMIT n OFFSET m", with "LIMIT -1" when
  /// only an offset is given (SQLite); both bound as parameters.
  virtual void limit_offset(State& st, const Select& s) const;
  /// A JsonPath (a scalar inside a JSON column), rendered as an atom: callers
  /// never parenthesize it, so a spelling built from operators must wrap itself.
  /// Pre: !j.path.empty() (visit() checks). Every key and index is a bound
  /// parameter. ANSI SQL has no portable spelling that both databases accept, so
  /// the base throws UnsupportedFeature(dialect_name(), "JSON paths").
  virtual void visit_json_path(State& st, const JsonPath& j) const;
  /// An ArrayAny (`value = ANY(array)`), rendered so that it binds at least as
  /// tightly as a comparison. Base: throws UnsupportedFeature(dialect_name(),
  /// "array membership (any())").
  virtual void visit_array_any(State& st, const ArrayAny& a) const;

  void visit(State& st, const Expr& e) const;
  /// visit(), parenthesized unless `e` is an atom (a column, a parameter, a
  /// function call...): for operands of the dialect hooks above.
  void visit_atom(State& st, const Expr& e) const;
  void visit_select(State& st, const Select& s) const;
  void returning(State& st, const std::vector<std::string>& cols) const;
  void add_param(State& st, Value v) const;
};

}  // namespace strata::sql
