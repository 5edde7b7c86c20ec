// strata/sql/compiler.cpp - the ANSI base compiler: statement tree -> SQL + params.
//
// Rendering rules (the golden tests in tests/sql pin them down):
// - identifiers are always double-quoted ("t"."c"); values always become
//   placeholders with a params entry, never spliced into the text;
// - parentheses follow SQL precedence (OR < AND < NOT < comparison < + - <
//   * / % < ||), as SQLAlchemy does: `a = ? AND (b = ? OR c < ?)`, but
//   `a = ? AND b = ? OR c = ?`; the right operand of a non-associative operator
//   and any compound operand of a comparison are parenthesized;
// - NOT and unary minus parenthesize any operand that is not an atom, for
//   readability: `NOT ("t"."a" = ?)`;
// - `x = NULL` / `x != NULL` (a bound null) become `x IS NULL` / `x IS NOT NULL`,
//   since `= NULL` is never true in SQL;
// - an empty IN list is `1 != 1` (negated `1 = 1`), a constant false / true;
// - JSON paths and array membership have no ANSI spelling both databases
//   accept: each dialect renders them in its hook (visit_json_path,
//   visit_array_any), and this base refuses them with UnsupportedFeature.
#include "strata/sql/compiler.hpp"

#include <cctype>

#include "strata/core/error.hpp"

namespace strata::sql {
namespace {

constexpr int kAtom = 100;
constexpr int kOr = 1, kAnd = 2, kNot = 3, kCompare = 4, kAdd = 6, kMul = 7, kConcat = 8, kNeg = 9;

bool is_comparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt: case BinaryOp::Le: case BinaryOp::Gt:
    case BinaryOp::Ge: case BinaryOp::Like: case BinaryOp::NotLike: case BinaryOp::ILike:
    case BinaryOp::NotILike:
      return true;
    default:
      return false;
  }
}

// Operators where `a op (b op c)` equals `(a op b) op c`; their right operand
// of equal precedence needs no parentheses.
bool is_associative(BinaryOp op) {
  return op == BinaryOp::And || op == BinaryOp::Or || op == BinaryOp::Add || op == BinaryOp::Mul ||
         op == BinaryOp::Concat;
}

int precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or: return kOr;
    case BinaryOp::And: return kAnd;
    case BinaryOp::Add: case BinaryOp::Sub: return kAdd;
    case BinaryOp::Mul: case BinaryOp::Div: case BinaryOp::Mod: return kMul;
    case BinaryOp::Concat: return kConcat;
    default: return kCompare;
  }
}

const char* op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::Eq: return " = ";
    case BinaryOp::Ne: return " != ";
    case BinaryOp::Lt: return " < ";
    case BinaryOp::Le: return " <= ";
    case BinaryOp::Gt: return " > ";
    case BinaryOp::Ge: return " >= ";
    case BinaryOp::And: return " AND ";
    case BinaryOp::Or: return " OR ";
    case BinaryOp::Add: return " + ";
    case BinaryOp::Sub: return " - ";
    case BinaryOp::Mul: return " * ";
    case BinaryOp::Div: return " / ";
    case BinaryOp::Mod: return " % ";
    case BinaryOp::Concat: return " || ";
    case BinaryOp::Like: return " LIKE ";
    case BinaryOp::NotLike: return " NOT LIKE ";
    case BinaryOp::ILike: return " ILIKE ";
    case BinaryOp::NotILike: return " NOT ILIKE ";
  }
  return " ? ";
}

// Raw text is opaque: unless it is a single word (an identifier, number or
// keyword) it is treated as lowest precedence, so `text("a OR b")` inside an
// AND gets parentheses instead of silently changing meaning.
bool is_simple_text(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '?')) return false;
  return true;
}

int precedence(const Expr& e) {
  if (!e) return kAtom;
  return std::visit(
      [](const auto& n) -> int {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, Binary>) {
          return precedence(n.op);
        } else if constexpr (std::is_same_v<N, Unary>) {
          switch (n.op) {
            case UnaryOp::Not: return kNot;
            case UnaryOp::Neg: return kNeg;
            case UnaryOp::IsNull: case UnaryOp::IsNotNull: return kCompare;
            case UnaryOp::Exists: return kAtom;
          }
          return kAtom;
        } else if constexpr (std::is_same_v<N, InList> || std::is_same_v<N, Between> ||
                             std::is_same_v<N, ArrayAny>) {
          return kCompare;
        } else if constexpr (std::is_same_v<N, TextClause>) {
          return is_simple_text(n.sql) ? kAtom : 0;
        } else {
          return kAtom;
        }
      },
      e->node);
}

bool is_null_bind(const Expr& e) {
  if (!e) return false;
  const auto* b = std::get_if<BindParam>(&e->node);
  return b && b->value.is_null();
}

}  // namespace

std::string SqlCompiler::quote(std::string_view ident) const {
  std::string out;
  out.reserve(ident.size() + 2);
  out.push_back('"');
  for (char c : ident) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void SqlCompiler::placeholder(State& st, std::size_t) const { st.sql += '?'; }

void SqlCompiler::add_param(State& st, Value v) const {
  placeholder(st, st.params.size());
  st.params.push_back(std::move(v));
}

void SqlCompiler::visit_ilike(State& st, const Binary& b) const {
  st.sql += "lower(";
  visit(st, b.left);
  st.sql += b.op == BinaryOp::NotILike ? ") NOT LIKE lower(" : ") LIKE lower(";
  visit(st, b.right);
  st.sql += ')';
}

void SqlCompiler::limit_offset(State& st, const Select& s) const {
  if (s.limit) {
    st.sql += " LIMIT ";
    add_param(st, *s.limit);
  } else if (s.offset) {
    st.sql += " LIMIT -1";  // SQLite needs a LIMIT before OFFSET; -1 means none
  }
  if (s.offset) {
    st.sql += " OFFSET ";
    add_param(st, *s.offset);
  }
}

void SqlCompiler::visit_json_path(State&, const JsonPath&) const {
  throw UnsupportedFeature(std::string(dialect_name()), "JSON paths");
}

void SqlCompiler::visit_array_any(State&, const ArrayAny&) const {
  throw UnsupportedFeature(std::string(dialect_name()), "array membership (any())");
}

void SqlCompiler::visit_atom(State& st, const Expr& e) const {
  const bool wrap = precedence(e) < kAtom;
  if (wrap) st.sql += '(';
  visit(st, e);
  if (wrap) st.sql += ')';
}

void SqlCompiler::returning(State& st, const std::vector<std::string>& cols) const {
  if (cols.empty()) return;
  if (!supports_returning()) throw UnsupportedFeature(std::string(dialect_name()), "RETURNING");
  st.sql += " RETURNING ";
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) st.sql += ", ";
    st.sql += quote(cols[i]);
  }
}

void SqlCompiler::visit(State& st, const Expr& e) const {
  if (!e) throw CompileError("cannot compile an empty expression");

  // Renders a child, parenthesized when it binds less tightly than `parent`
  // (or equally, with `strict`).
  auto operand = [&](const Expr& child, int parent, bool strict) {
    const int p = precedence(child);
    const bool wrap = p < parent || (strict && p == parent);
    if (wrap) st.sql += '(';
    visit(st, child);
    if (wrap) st.sql += ')';
  };

  std::visit(
      [&](const auto& n) {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, ColumnRef>) {
          if (!n.table.empty()) st.sql += quote(n.table) + '.';
          st.sql += quote(n.column);
        } else if constexpr (std::is_same_v<N, BindParam>) {
          add_param(st, n.value);
        } else if constexpr (std::is_same_v<N, Star>) {
          if (!n.table.empty()) st.sql += quote(n.table) + '.';
          st.sql += '*';
        } else if constexpr (std::is_same_v<N, Binary>) {
          if ((n.op == BinaryOp::Eq || n.op == BinaryOp::Ne) && is_null_bind(n.right)) {
            operand(n.left, kCompare, true);
            st.sql += n.op == BinaryOp::Eq ? " IS NULL" : " IS NOT NULL";
            return;
          }
          if (n.op == BinaryOp::ILike || n.op == BinaryOp::NotILike) {
            visit_ilike(st, n);
            return;
          }
          const int p = precedence(n.op);
          operand(n.left, p, is_comparison(n.op));
          st.sql += op_text(n.op);
          operand(n.right, p, !is_associative(n.op));
        } else if constexpr (std::is_same_v<N, Unary>) {
          switch (n.op) {
            case UnaryOp::Not:
              st.sql += "NOT ";
              operand(n.operand, kAtom, false);
              break;
            case UnaryOp::Neg:
              st.sql += '-';
              operand(n.operand, kAtom, false);
              break;
            case UnaryOp::IsNull:
              operand(n.operand, kCompare, true);
              st.sql += " IS NULL";
              break;
            case UnaryOp::IsNotNull:
              operand(n.operand, kCompare, true);
              st.sql += " IS NOT NULL";
              break;
            case UnaryOp::Exists:
              st.sql += "EXISTS ";
              // A Subquery renders its own parentheses.
              if (n.operand && std::holds_alternative<Subquery>(n.operand->node)) {
                visit(st, n.operand);
              } else {
                st.sql += '(';
                visit(st, n.operand);
                st.sql += ')';
              }
              break;
          }
        } else if constexpr (std::is_same_v<N, InList>) {
          if (n.values.empty()) {
            // SQLAlchemy's "empty IN" is likewise a constant expression.
            st.sql += n.negate ? "1 = 1" : "1 != 1";
            return;
          }
          operand(n.operand, kCompare, true);
          st.sql += n.negate ? " NOT IN (" : " IN (";
          for (std::size_t i = 0; i < n.values.size(); ++i) {
            if (i) st.sql += ", ";
            add_param(st, n.values[i]);
          }
          st.sql += ')';
        } else if constexpr (std::is_same_v<N, Between>) {
          operand(n.operand, kCompare, true);
          st.sql += n.negate ? " NOT BETWEEN " : " BETWEEN ";
          operand(n.low, kCompare, true);
          st.sql += " AND ";
          operand(n.high, kCompare, true);
        } else if constexpr (std::is_same_v<N, Function>) {
          st.sql += n.name + '(';
          if (n.distinct) st.sql += "DISTINCT ";
          for (std::size_t i = 0; i < n.args.size(); ++i) {
            if (i) st.sql += ", ";
            visit(st, n.args[i]);
          }
          st.sql += ')';
        } else if constexpr (std::is_same_v<N, Label>) {
          visit(st, n.expr);
          st.sql += " AS " + quote(n.name);
        } else if constexpr (std::is_same_v<N, TextClause>) {
          // Each '?' outside quotes becomes this dialect's placeholder, in order.
          std::size_t used = 0;
          char in_quote = 0;
          for (char c : n.sql) {
            if (in_quote) {
              if (c == in_quote) in_quote = 0;  // a doubled quote re-enters at once
              st.sql += c;
            } else if (c == '\'' || c == '"') {
              in_quote = c;
              st.sql += c;
            } else if (c == '?') {
              if (used >= n.params.size())
                throw CompileError("text clause '" + n.sql + "' has more '?' than its " +
                                   std::to_string(n.params.size()) + " parameter(s)");
              add_param(st, n.params[used++]);
            } else {
              st.sql += c;
            }
          }
          if (used != n.params.size())
            throw CompileError("text clause '" + n.sql + "' has " + std::to_string(used) + " '?' but " +
                               std::to_string(n.params.size()) + " parameter(s)");
        } else if constexpr (std::is_same_v<N, Subquery>) {
          if (!n.select) throw CompileError("empty subquery");
          st.sql += '(';
          visit_select(st, *n.select);
          st.sql += ')';
        } else if constexpr (std::is_same_v<N, JsonPath>) {
          if (n.path.empty()) throw CompileError("a JSON path needs at least one key or index");
          visit_json_path(st, n);
        } else if constexpr (std::is_same_v<N, ArrayAny>) {
          visit_array_any(st, n);
        }
      },
      e->node);
}

void SqlCompiler::visit_select(State& st, const Select& s) const {
  st.sql += s.distinct ? "SELECT DISTINCT " : "SELECT ";
  if (s.columns.empty()) st.sql += '*';
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (i) st.sql += ", ";
    visit(st, s.columns[i]);
  }
  if (!s.from.empty()) st.sql += " FROM " + quote(s.from);
  for (const auto& j : s.joins) {
    if (!j.on) throw CompileError("join to table '" + j.table + "' has no ON clause");
    st.sql += j.kind == JoinKind::Left ? " LEFT OUTER JOIN " : " JOIN ";
    st.sql += quote(j.table) + " ON ";
    visit(st, j.on);
  }
  if (s.where) {
    st.sql += " WHERE ";
    visit(st, s.where);
  }
  for (std::size_t i = 0; i < s.group_by.size(); ++i) {
    st.sql += i ? ", " : " GROUP BY ";
    visit(st, s.group_by[i]);
  }
  if (s.having) {
    st.sql += " HAVING ";
    visit(st, s.having);
  }
  for (std::size_t i = 0; i < s.order_by.size(); ++i) {
    st.sql += i ? ", " : " ORDER BY ";
    const Expr& e = s.order_by[i].expr;
    // A labelled column is ordered by its label, as SQLAlchemy does.
    if (const auto* l = e ? std::get_if<Label>(&e->node) : nullptr) st.sql += quote(l->name);
    else visit(st, e);
    if (s.order_by[i].descending) st.sql += " DESC";
  }
  limit_offset(st, s);
}

Compiled SqlCompiler::compile(const Statement& stmt) const {
  return std::visit([this](const auto& s) { return compile(s); }, stmt);
}

Compiled SqlCompiler::compile(const Select& s) const {
  State st;
  visit_select(st, s);
  return {std::move(st.sql), std::move(st.params)};
}

Compiled SqlCompiler::compile(const Insert& s) const {
  State st;
  st.sql = "INSERT INTO " + quote(s.table);
  if (s.columns.empty()) {
    // DEFAULT VALUES inserts exactly one row with no values.
    if (s.rows.size() > 1 || (s.rows.size() == 1 && !s.rows[0].empty()))
      throw CompileError("INSERT into '" + s.table + "' has no columns but " + std::to_string(s.rows.size()) +
                         " row(s) of values; DEFAULT VALUES inserts one row");
    st.sql += " DEFAULT VALUES";
  } else {
    if (s.rows.empty()) throw CompileError("INSERT into '" + s.table + "' has columns but no rows");
    st.sql += " (";
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
      if (i) st.sql += ", ";
      st.sql += quote(s.columns[i]);
    }
    st.sql += ") VALUES ";
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
      const auto& row = s.rows[r];
      if (row.size() != s.columns.size())
        throw CompileError("INSERT into '" + s.table + "': row " + std::to_string(r) + " has " +
                           std::to_string(row.size()) + " value(s) for " + std::to_string(s.columns.size()) +
                           " column(s)");
      st.sql += r ? ", (" : "(";
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) st.sql += ", ";
        add_param(st, row[i]);
      }
      st.sql += ')';
    }
  }
  returning(st, s.returning);
  return {std::move(st.sql), std::move(st.params)};
}

Compiled SqlCompiler::compile(const Update& s) const {
  if (s.values.empty()) throw CompileError("UPDATE of '" + s.table + "' sets no columns");
  State st;
  st.sql = "UPDATE " + quote(s.table) + " SET ";
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    if (i) st.sql += ", ";
    st.sql += quote(s.values[i].first) + " = ";
    visit(st, s.values[i].second);
  }
  if (s.where) {
    st.sql += " WHERE ";
    visit(st, s.where);
  }
  returning(st, s.returning);
  return {std::move(st.sql), std::move(st.params)};
}

Compiled SqlCompiler::compile(const Delete& s) const {
  State st;
  st.sql = "DELETE FROM " + quote(s.table);
  if (s.where) {
    st.sql += " WHERE ";
    visit(st, s.where);
  }
  returning(st, s.returning);
  return {std::move(st.sql), std::move(st.params)};
}

Compiled SqlCompiler::compile(const Expr& e) const {
  State st;
  visit(st, e);
  return {std::move(st.sql), std::move(st.params)};
}

}  // namespace strata::sql
