// PostgreSQL's statement compiler hooks: "$n" placeholders, ILIKE, LIMIT /
// OFFSET, JSON paths and array membership. No libpq here (STYLE rule 3).
//
// JSON paths use #>> with the whole path bound as one TEXT[] parameter
// (`"doc" #>> CAST($1 AS TEXT[])`, $1 = {"pricing","currency"}) rather than a
// chain of -> / ->> with one parameter per step: one placeholder whatever the
// depth, keys and array indexes alike (#>> reads "0" as an index in an array
// and as a key in an object), and the explicit CAST gives the parameter its
// type, where a bare `-> $1` would leave the server to choose between the
// text and integer operators. #>> returns text (a JSON string unquoted, other
// values as JSON text, SQL NULL for a missing path or a JSON null); the typed
// reads cast that text, which works for json and jsonb columns alike.
#include "strata/dialect/postgresql.hpp"

#include <string>
#include <variant>

namespace strata::dialect {
namespace {

// ILIKE binds more loosely than arithmetic and ||, as LIKE does, so only
// boolean-valued operands (comparisons, AND/OR, NOT, IS NULL, IN, BETWEEN, = ANY)
// and text() clauses that may hold one need parentheses.
bool needs_parens(const sql::Expr& e) {
  if (!e) return false;
  if (const auto* b = std::get_if<sql::Binary>(&e->node)) {
    switch (b->op) {
      case sql::BinaryOp::Add: case sql::BinaryOp::Sub: case sql::BinaryOp::Mul: case sql::BinaryOp::Div:
      case sql::BinaryOp::Mod: case sql::BinaryOp::Concat:
        return false;
      default:
        return true;
    }
  }
  if (const auto* u = std::get_if<sql::Unary>(&e->node)) return u->op != sql::UnaryOp::Neg;
  // Raw text may hold any expression ("a OR b"); only a bare word is safe.
  if (const auto* t = std::get_if<sql::TextClause>(&e->node))
    return t->sql.find_first_of(" \t\n") != std::string::npos;
  return std::holds_alternative<sql::InList>(e->node) || std::holds_alternative<sql::Between>(e->node) ||
         std::holds_alternative<sql::ArrayAny>(e->node);
}

}  // namespace

void PostgresqlCompiler::placeholder(State& st, std::size_t index) const {
  st.sql += '$';
  st.sql += std::to_string(index + 1);
}

void PostgresqlCompiler::visit_ilike(State& st, const sql::Binary& b) const {
  auto side = [&](const sql::Expr& e) {
    const bool wrap = needs_parens(e);
    if (wrap) st.sql += '(';
    visit(st, e);
    if (wrap) st.sql += ')';
  };
  side(b.left);
  st.sql += b.op == sql::BinaryOp::NotILike ? " NOT ILIKE " : " ILIKE ";
  side(b.right);
}

void PostgresqlCompiler::limit_offset(State& st, const sql::Select& s) const {
  // PostgreSQL accepts OFFSET without LIMIT (SQLite needs LIMIT -1).
  if (s.limit) {
    st.sql += " LIMIT ";
    add_param(st, *s.limit);
  }
  if (s.offset) {
    st.sql += " OFFSET ";
    add_param(st, *s.offset);
  }
}


void PostgresqlCompiler::visit_json_path(State& st, const sql::JsonPath& j) const {
  StringList path;
  path.reserve(j.path.size());
  for (const auto& step : j.path) {
    if (const auto* key = std::get_if<std::string>(&step)) path.push_back(*key);
    else path.push_back(std::to_string(std::get<std::int64_t>(step)));  // -1: the last element
  }
  const char* type = nullptr;
  switch (j.as) {
    case sql::JsonCast::String: break;
    case sql::JsonCast::Integer: type = "BIGINT"; break;
    case sql::JsonCast::Float: type = "DOUBLE PRECISION"; break;
    case sql::JsonCast::Boolean: type = "BOOLEAN"; break;
  }
  // #>> has the precedence of "any other operator": `a || b #>> p` would read
  // as `(a || b) #>> p`, so the bare text form wraps itself to stay an atom.
  st.sql += type ? "CAST(" : "(";
  visit_atom(st, j.operand);
  st.sql += " #>> CAST(";
  add_param(st, Value(std::move(path)));
  st.sql += " AS TEXT[])";
  if (type) {
    st.sql += " AS ";
    st.sql += type;
  }
  st.sql += ')';
}

// The column's element type (TEXT) types the parameter; `$1 = ANY(NULL)` is
// NULL, so a NULL list never matches.
void PostgresqlCompiler::visit_array_any(State& st, const sql::ArrayAny& a) const {
  visit_atom(st, a.value);
  st.sql += " = ANY(";
  visit(st, a.array);
  st.sql += ')';
}

}  // namespace strata::dialect
