// strata/sql/expr.cpp - builders for the expression tree (plain data, no checks).
#include "strata/sql/expr.hpp"

namespace strata::sql {
namespace {

template <class N>
Expr make(N&& n) {
  return std::make_shared<const ExprNode>(ExprNode{std::forward<N>(n)});
}

}  // namespace

Expr column(std::string table, std::string name) { return make(ColumnRef{std::move(table), std::move(name)}); }
Expr bind(Value v) { return make(BindParam{std::move(v)}); }
Expr star(std::string table) { return make(Star{std::move(table)}); }
Expr binary(BinaryOp op, Expr l, Expr r) { return make(Binary{op, std::move(l), std::move(r)}); }
Expr unary(UnaryOp op, Expr e) { return make(Unary{op, std::move(e)}); }
Expr in_list(Expr e, std::vector<Value> values, bool negate) {
  return make(InList{std::move(e), std::move(values), negate});
}
Expr between(Expr e, Expr low, Expr high, bool negate) {
  return make(Between{std::move(e), std::move(low), std::move(high), negate});
}
Expr func(std::string name, std::vector<Expr> args, bool distinct) {
  return make(Function{std::move(name), std::move(args), distinct});
}
Expr label(Expr e, std::string name) { return make(Label{std::move(e), std::move(name)}); }
Expr text(std::string sql, std::vector<Value> params) { return make(TextClause{std::move(sql), std::move(params)}); }
Expr json_path(Expr operand, std::vector<JsonPathStep> path, JsonCast as) {
  return make(JsonPath{std::move(operand), std::move(path), as});
}
Expr array_any(Expr array, Expr value) { return make(ArrayAny{std::move(array), std::move(value)}); }

// A null side is dropped so that callers can fold optional conditions:
// `where = and_(where, cond)` starting from an empty Expr.
Expr and_(Expr a, Expr b) {
  if (!a) return b;
  if (!b) return a;
  return binary(BinaryOp::And, std::move(a), std::move(b));
}
Expr or_(Expr a, Expr b) {
  if (!a) return b;
  if (!b) return a;
  return binary(BinaryOp::Or, std::move(a), std::move(b));
}

}  // namespace strata::sql
