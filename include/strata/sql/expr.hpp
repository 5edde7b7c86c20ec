// strata/sql/expr.hpp - the runtime SQL expression tree and statements.
//
// Plain data, no dialect: a tree of ExprNode values shared through Expr
// (shared_ptr<const ExprNode>) so that sub-expressions are cheap to reuse.
// Values are never spliced into SQL text: a Value becomes a BindParam and the
// compiler emits a placeholder ("?" on SQLite, "$n" on PostgreSQL).
// The typed front end (model layer: col(&Item::title) == "x") builds these nodes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "strata/core/value.hpp"

namespace strata::sql {

struct ExprNode;
/// A shared, immutable expression node. May be null where a clause is absent.
using Expr = std::shared_ptr<const ExprNode>;

/// "table"."column"; table may be empty (unqualified).
struct ColumnRef {
  std::string table;
  std::string column;
};
/// A bound parameter.
struct BindParam {
  Value value;
};
/// `*`, or `table.*`.
struct Star {
  std::string table;
};
enum class BinaryOp { Eq, Ne, Lt, Le, Gt, Ge, And, Or, Add, Sub, Mul, Div, Mod, Concat, Like, NotLike, ILike, NotILike };
struct Binary {
  BinaryOp op;
  Expr left, right;
};
enum class UnaryOp { Not, Neg, IsNull, IsNotNull, Exists };
struct Unary {
  UnaryOp op;
  Expr operand;
};
/// operand [NOT] IN (v1, v2, ...). An empty list compiles to a false (or,
/// negated, true) expression, as SQLAlchemy's "empty IN" does.
struct InList {
  Expr operand;
  std::vector<Value> values;
  bool negate = false;
};
/// operand [NOT] BETWEEN low AND high
struct Between {
  Expr operand, low, high;
  bool negate = false;
};
/// name(args...), e.g. count(*), lower(x), max(score). `distinct` renders count(DISTINCT x).
struct Function {
  std::string name;
  std::vector<Expr> args;
  bool distinct = false;
};
/// expr AS label
struct Label {
  Expr expr;
  std::string name;
};
/// Literal SQL with its own bound values in "?" form (each "?" is renumbered by
/// the compiler for dialects that use "$n"). Use for server-side text only.
struct TextClause {
  std::string sql;
  std::vector<Value> params;
};
/// How a JSON value is read (SQLAlchemy's JSON comparator: as_string(),
/// as_integer(), as_float(), as_boolean()).
enum class JsonCast { String, Integer, Float, Boolean };
/// One step of a JSON path: an object key (any text: dots, quotes and
/// backslashes are data, never syntax) or a 0-based array index (negative
/// counts from the end: -1 is the last element).
using JsonPathStep = std::variant<std::string, std::int64_t>;
/// The scalar at `path` inside the JSON document `operand` (a JSON / JSONB
/// column), read as `as`. NULL when the operand is NULL, the path leads
/// nowhere or the value there is JSON null. The path is bound as parameters, never spliced into the text.
/// Only dialects render it (SqlCompiler::visit_json_path): SQLite with
/// json_extract(), PostgreSQL with #>>; the base compiler throws UnsupportedFeature.
struct JsonPath {
  Expr operand;
  std::vector<JsonPathStep> path;  ///< at least one step
  JsonCast as = JsonCast::String;
};
/// True when the list of strings `array` (a std::vector<std::string> column:
/// TEXT[] on PostgreSQL, JSON array text on SQLite) has an element equal to
/// `value`; false when `array` is empty, NULL when it is NULL (as SQL's
/// `value = ANY(NULL)`, on every dialect). SQLAlchemy's
/// ARRAY comparator `any()`. Only dialects render it (SqlCompiler::visit_array_any).
struct ArrayAny {
  Expr array;
  Expr value;
};
struct Select;
/// A scalar or IN sub-select.
struct Subquery {
  std::shared_ptr<const Select> select;
};

struct ExprNode {
  std::variant<ColumnRef, BindParam, Star, Binary, Unary, InList, Between, Function, Label, TextClause,
               Subquery, JsonPath, ArrayAny>
      node;
};

/// Builders. All return a new node; nothing is validated here (the compiler does).
Expr column(std::string table, std::string name);
Expr bind(Value v);
Expr star(std::string table = {});
Expr binary(BinaryOp op, Expr l, Expr r);
Expr unary(UnaryOp op, Expr e);
Expr in_list(Expr e, std::vector<Value> values, bool negate = false);
Expr between(Expr e, Expr low, Expr high, bool negate = false);
Expr func(std::string name, std::vector<Expr> args, bool distinct = false);
Expr label(Expr e, std::string name);
Expr text(std::string sql, std::vector<Value> params = {});
/// JsonPath{operand, path, as} (the compiler refuses an empty path).
Expr json_path(Expr operand, std::vector<JsonPathStep> path, JsonCast as);
/// ArrayAny{array, value}.
Expr array_any(Expr array, Expr value);
/// a AND b, where a null side is dropped (so conditions can be accumulated).
Expr and_(Expr a, Expr b);
Expr or_(Expr a, Expr b);

enum class JoinKind { Inner, Left };
struct Join {
  JoinKind kind = JoinKind::Inner;
  std::string table;
  Expr on;
};
struct OrderBy {
  Expr expr;
  bool descending = false;
};

/// SELECT [DISTINCT] columns FROM from [joins] [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT] [OFFSET]
struct Select {
  std::vector<Expr> columns;
  std::string from;
  std::vector<Join> joins;
  Expr where;
  std::vector<Expr> group_by;
  Expr having;
  std::vector<OrderBy> order_by;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
  bool distinct = false;
};

/// INSERT INTO table (columns) VALUES (row), (row)... [RETURNING returning]
/// An empty `columns` renders DEFAULT VALUES (one row).
struct Insert {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::vector<std::string> returning;
};

/// UPDATE table SET column = expr, ... [WHERE] [RETURNING]
struct Update {
  std::string table;
  std::vector<std::pair<std::string, Expr>> values;
  Expr where;
  std::vector<std::string> returning;
};

/// DELETE FROM table [WHERE] [RETURNING]
struct Delete {
  std::string table;
  Expr where;
  std::vector<std::string> returning;
};

using Statement = std::variant<Select, Insert, Update, Delete>;

}  // namespace strata::sql
