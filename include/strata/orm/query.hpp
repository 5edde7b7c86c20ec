// strata/orm/query.hpp - the type-safe query builder: col(), select<T>(), update<T>(), delete_from<T>().
//
// Thin templates: each call builds nodes of the runtime sql::Expr tree
// (strata/sql/expr.hpp) and records how to turn a result row into a C++ value;
// compiling and executing is ordinary code in src/ (STYLE rule 4).
// Every value is a bound parameter; every identifier is quoted by the dialect.
//
// Example:
//   auto q = strata::select<Item>()
//                .where(strata::col(&Item::owner_id) == user.id && !strata::col(&Item::is_completed))
//                .order_by(strata::col(&Item::title).desc())
//                .limit(100);
//   std::vector<std::shared_ptr<Item>> items = session.exec(q).all();
//
//   // chosen columns and aggregates come back as tuples
//   auto rows = session.exec(strata::select(strata::col(&Item::owner_id), strata::count())
//                                .group_by(strata::col(&Item::owner_id))
//                                .having(strata::count() > 2)).all();  // vector<tuple<Uuid, int64_t>>
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "strata/core/cell.hpp"
#include "strata/core/value.hpp"
#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"
#include "strata/sql/expr.hpp"

namespace strata::orm {

namespace detail {
template <class T>
struct strip_optional {
  using type = T;
};
template <class T>
struct strip_optional<std::optional<T>> {
  using type = T;
};
template <class T>
using strip_optional_t = typename strip_optional<std::remove_cvref_t<T>>::type;
template <class>
inline constexpr bool dependent_false = false;

/// True when a C++ value of type U may be compared with a column of type T
/// (std::optional stripped): U converts to T, or both are arithmetic, or both
/// are text.
template <class T, class U>
inline constexpr bool comparable_v =
    std::is_convertible_v<const U&, strip_optional_t<T>> ||
    (std::is_arithmetic_v<strip_optional_t<T>> && std::is_arithmetic_v<strip_optional_t<U>> &&
     !std::is_same_v<strip_optional_t<T>, bool> && !std::is_same_v<strip_optional_t<U>, bool>) ||
    std::is_same_v<strip_optional_t<T>, strip_optional_t<U>>;

/// Converts an operand to the Value the column's TypeMap would produce.
template <class T, class U>
Value operand_value(const U& v) {
  using S = strip_optional_t<T>;
  if constexpr (std::is_arithmetic_v<S> && std::is_arithmetic_v<U> && !std::is_convertible_v<const U&, S>) {
    return Value(v);
  } else {
    return model::to_value<S>(static_cast<S>(v));
  }
}
}  // namespace detail

/// A typed SQL expression whose C++ value type is T (a column of a std::optional
/// member has T = std::optional<U>). Predicates have T = bool.
template <class T>
struct Expr {
  using value_type = T;
  sql::Expr node;
};
using Predicate = Expr<bool>;

/// An ORDER BY term.
struct OrderTerm {
  sql::Expr node;
  bool descending = false;
};

template <class T>
struct ColumnExpr : Expr<T> {
  /// ORDER BY this ASC / DESC.
  OrderTerm asc() const { return {this->node, false}; }
  OrderTerm desc() const { return {this->node, true}; }
  /// IN / NOT IN a list of values of the column's type (an empty list is false / true).
  template <class U>
  Predicate in_(const std::vector<U>& values) const {
    static_assert(detail::comparable_v<T, U>, "strata: in_() values must have the column's type");
    std::vector<Value> vs;
    vs.reserve(values.size());
    for (const auto& v : values) vs.push_back(detail::operand_value<T>(v));
    return {sql::in_list(this->node, std::move(vs), false)};
  }
  template <class U>
  Predicate not_in(const std::vector<U>& values) const {
    static_assert(detail::comparable_v<T, U>, "strata: not_in() values must have the column's type");
    std::vector<Value> vs;
    vs.reserve(values.size());
    for (const auto& v : values) vs.push_back(detail::operand_value<T>(v));
    return {sql::in_list(this->node, std::move(vs), true)};
  }
  /// LIKE / case-insensitive LIKE with a pattern ('%' and '_' wildcards). Text columns only.
  Predicate like(std::string pattern) const {
    static_assert(std::is_same_v<detail::strip_optional_t<T>, std::string>, "strata: like() needs a text column");
    return {sql::binary(sql::BinaryOp::Like, this->node, sql::bind(std::move(pattern)))};
  }
  Predicate ilike(std::string pattern) const {
    static_assert(std::is_same_v<detail::strip_optional_t<T>, std::string>, "strata: ilike() needs a text column");
    return {sql::binary(sql::BinaryOp::ILike, this->node, sql::bind(std::move(pattern)))};
  }
  Predicate is_null() const { return {sql::unary(sql::UnaryOp::IsNull, this->node)}; }
  Predicate is_not_null() const { return {sql::unary(sql::UnaryOp::IsNotNull, this->node)}; }
  /// BETWEEN low AND high (inclusive).
  template <class U, class V>
  Predicate between(const U& low, const V& high) const {
    static_assert(detail::comparable_v<T, U> && detail::comparable_v<T, V>,
                  "strata: between() bounds must have the column's type");
    return {sql::between(this->node, sql::bind(detail::operand_value<T>(low)),
                         sql::bind(detail::operand_value<T>(high)))};
  }
};

/// The column of member `mp`. For a member of a table model the column is
/// qualified with its table; for a member of a shared base (STRATA_MODEL, not a
/// table) it is unqualified and resolved by the database against the FROM list.
/// Use col<Table>(&Base::m) to qualify it explicitly.
/// Throws: SchemaError when the member is not mapped by the model's description.
template <class C, class M>
ColumnExpr<M> col(M C::*mp) {
  const model::ModelInfo& mi = model::info<C>();
  const model::FieldInfo& f = mi.field(model::member_key(mp));
  return {{sql::column(mi.is_table ? mi.table.name : std::string{}, f.column)}};
}
template <class T, class C, class M>
  requires std::is_base_of_v<C, T>
ColumnExpr<M> col(M C::*mp) {
  const model::ModelInfo& mi = model::info<T>();
  const model::FieldInfo& f = mi.field(model::member_key(mp));
  return {{sql::column(mi.table.name, f.column)}};
}

}  // namespace strata::orm

namespace strata::orm::detail {
template <class U, class = void>
struct has_value_type : std::false_type {};
template <class U>
struct has_value_type<U, std::void_t<typename U::value_type>> : std::true_type {};
template <class U>
inline constexpr bool is_expr_v = has_value_type<U>::value && requires(const U& u) { u.node; };
}  // namespace strata::orm::detail

namespace strata::orm {
// ---- comparison operators: the operand type is checked at compile time ----
#define STRATA_ORM_CMP(OP, KIND)                                                                \
  template <class T, class U>                                                                   \
  Predicate operator OP(const Expr<T>& l, const U& r) {                                         \
    if constexpr (detail::is_expr_v<U>) {                                                       \
      return {sql::binary(sql::BinaryOp::KIND, l.node, r.node)};                                \
    } else {                                                                                    \
      static_assert(detail::comparable_v<T, U>,                                                 \
                    "strata: the operand's type does not match the column's type");             \
      return {sql::binary(sql::BinaryOp::KIND, l.node, sql::bind(detail::operand_value<T>(r)))}; \
    }                                                                                           \
  }
STRATA_ORM_CMP(==, Eq)
STRATA_ORM_CMP(!=, Ne)
STRATA_ORM_CMP(<, Lt)
STRATA_ORM_CMP(<=, Le)
STRATA_ORM_CMP(>, Gt)
STRATA_ORM_CMP(>=, Ge)
#undef STRATA_ORM_CMP

inline Predicate operator&&(const Predicate& a, const Predicate& b) {
  return {sql::binary(sql::BinaryOp::And, a.node, b.node)};
}
inline Predicate operator||(const Predicate& a, const Predicate& b) {
  return {sql::binary(sql::BinaryOp::Or, a.node, b.node)};
}
inline Predicate operator!(const Predicate& a) { return {sql::unary(sql::UnaryOp::Not, a.node)}; }
/// A bool column used as a predicate: !col(&Item::is_completed).
template <class T>
  requires std::is_same_v<detail::strip_optional_t<T>, bool>
Predicate operator!(const ColumnExpr<T>& a) {
  return {sql::unary(sql::UnaryOp::Not, a.node)};
}

// ---- functions ----
/// count(*)
inline Expr<std::int64_t> count() { return {sql::func("count", {sql::star()})}; }
/// count(expr) / count(DISTINCT expr)
template <class T>
Expr<std::int64_t> count(const Expr<T>& e, bool distinct = false) {
  return {sql::func("count", {e.node}, distinct)};
}
template <class T>
Expr<std::optional<detail::strip_optional_t<T>>> max(const Expr<T>& e) {
  return {sql::func("max", {e.node})};
}
template <class T>
Expr<std::optional<detail::strip_optional_t<T>>> min(const Expr<T>& e) {
  return {sql::func("min", {e.node})};
}
template <class T>
Expr<std::optional<double>> avg(const Expr<T>& e) {
  return {sql::func("avg", {e.node})};
}
template <class T>
Expr<std::optional<detail::strip_optional_t<T>>> sum(const Expr<T>& e) {
  return {sql::func("sum", {e.node})};
}
template <class T>
ColumnExpr<T> lower(const Expr<T>& e) {
  return {{sql::func("lower", {e.node})}};
}

// ---- select ----
/// The columns of a model, qualified by its table, in field order.
std::vector<sql::Expr> entity_columns(const model::ModelInfo& mi);

/// A SELECT whose rows are of type Row: std::shared_ptr<T> for select<T>(),
/// std::tuple<std::shared_ptr<T1>, std::shared_ptr<T2>, ...> for several
/// entities (an entity of an outer join is nullptr when no row matched), and
/// std::tuple<A, B, ...> for chosen columns.
/// `parts` lists, for each element, the model of an entity (or nullptr for a value column).
template <class Row>
struct Select {
  sql::Select stmt;
  std::vector<const model::ModelInfo*> parts;

  Select where(const Predicate& p) const {
    Select s = *this;
    s.stmt.where = sql::and_(s.stmt.where, p.node);
    return s;
  }
  template <class T>
  Select order_by(const ColumnExpr<T>& c) const {
    return order_by(c.asc());
  }
  template <class T>
  Select order_by(const Expr<T>& c) const {
    return order_by(OrderTerm{c.node, false});
  }
  Select order_by(const OrderTerm& t) const {
    Select s = *this;
    s.stmt.order_by.push_back({t.node, t.descending});
    return s;
  }
  template <class A, class B, class... Rest>
  Select order_by(const A& a, const B& b, const Rest&... rest) const {
    return order_by(a).order_by(b, rest...);
  }
  /// LIMIT n (rows), OFFSET n (rows skipped).
  Select limit(std::int64_t n) const {
    Select s = *this;
    s.stmt.limit = n;
    return s;
  }
  Select offset(std::int64_t n) const {
    Select s = *this;
    s.stmt.offset = n;
    return s;
  }
  Select distinct() const {
    Select s = *this;
    s.stmt.distinct = true;
    return s;
  }
  template <class T>
  Select group_by(const Expr<T>& e) const {
    Select s = *this;
    s.stmt.group_by.push_back(e.node);
    return s;
  }
  Select having(const Predicate& p) const {
    Select s = *this;
    s.stmt.having = sql::and_(s.stmt.having, p.node);
    return s;
  }
  /// INNER JOIN / LEFT OUTER JOIN the table of model T ON predicate.
  template <class T>
  Select join(const Predicate& on) const {
    Select s = *this;
    s.stmt.joins.push_back({sql::JoinKind::Inner, model::info<T>().table.name, on.node});
    return s;
  }
  template <class T>
  Select outerjoin(const Predicate& on) const {
    Select s = *this;
    s.stmt.joins.push_back({sql::JoinKind::Left, model::info<T>().table.name, on.node});
    return s;
  }
  /// Sets the FROM table explicitly (for column-only selects such as select(count())).
  template <class T>
  Select select_from() const {
    Select s = *this;
    s.stmt.from = model::info<T>().table.name;
    return s;
  }
};

/// SELECT all columns of T (and of U..., for joins; the first model is the FROM table).
template <class T, class... U>
auto select() {
  using Row = std::conditional_t<sizeof...(U) == 0, std::shared_ptr<T>,
                                 std::tuple<std::shared_ptr<T>, std::shared_ptr<U>...>>;
  Select<Row> s;
  const model::ModelInfo* infos[] = {&model::info<T>(), &model::info<U>()...};
  s.stmt.from = infos[0]->table.name;
  for (const model::ModelInfo* mi : infos) {
    if (!mi->is_table)
      throw SchemaError("model '" + mi->model + "' is not a table model and cannot be selected", mi->model);
    auto cols = entity_columns(*mi);
    s.stmt.columns.insert(s.stmt.columns.end(), cols.begin(), cols.end());
    s.parts.push_back(mi);
  }
  return s;
}

/// SELECT chosen columns / expressions; rows are std::tuple<T...>. The FROM table is
/// the table of the first column (or set it with select_from<T>()).
template <class... T>
Select<std::tuple<T...>> select(const Expr<T>&... exprs) {
  Select<std::tuple<T...>> s;
  (s.stmt.columns.push_back(exprs.node), ...);
  s.parts.assign(sizeof...(T), nullptr);
  for (const auto& e : s.stmt.columns) {
    if (auto* c = std::get_if<sql::ColumnRef>(&e->node); c && !c->table.empty()) {
      s.stmt.from = c->table;
      break;
    }
  }
  return s;
}

// ---- update / delete ----
/// UPDATE <table of T> SET ... WHERE ...; executed by Session::exec, which returns
/// the number of rows matched. Objects already loaded in the session are not
/// changed (SQLAlchemy's synchronize_session=False): refresh() them.
template <class T>
struct UpdateStmt {
  sql::Update stmt;
  template <class C, class M, class U>
  UpdateStmt set(M C::*mp, const U& v) const {
    static_assert(detail::comparable_v<M, U> || std::is_same_v<U, std::nullopt_t>,
                  "strata: the value's type does not match the member's type");
    UpdateStmt s = *this;
    const model::FieldInfo& f = model::info<T>().field(model::member_key(mp));
    if constexpr (std::is_same_v<U, std::nullopt_t>)
      s.stmt.values.emplace_back(f.column, sql::bind(Value{}));
    else
      s.stmt.values.emplace_back(f.column, sql::bind(detail::operand_value<M>(v)));
    return s;
  }
  UpdateStmt where(const Predicate& p) const {
    UpdateStmt s = *this;
    s.stmt.where = sql::and_(s.stmt.where, p.node);
    return s;
  }
};
template <class T>
UpdateStmt<T> update() {
  UpdateStmt<T> s;
  s.stmt.table = model::info<T>().table.name;
  return s;
}

/// DELETE FROM <table of T> WHERE ...; see UpdateStmt for session synchronization.
template <class T>
struct DeleteStmt {
  sql::Delete stmt;
  DeleteStmt where(const Predicate& p) const {
    DeleteStmt s = *this;
    s.stmt.where = sql::and_(s.stmt.where, p.node);
    return s;
  }
};
template <class T>
DeleteStmt<T> delete_from() {
  DeleteStmt<T> s;
  s.stmt.table = model::info<T>().table.name;
  return s;
}

}  // namespace strata::orm

namespace strata {
using orm::col;
using orm::count;
using orm::delete_from;
using orm::select;
using orm::update;
}  // namespace strata
