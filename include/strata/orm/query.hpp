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
//   // operands are checked at compile time against the column's C++ type:
//   // col(&Item::title) == 42 is an error naming both types; a nullable column
//   // also takes std::nullopt (== std::nullopt compiles to IS NULL).
//
//   // chosen columns and aggregates come back as tuples
//   auto rows = session.exec(strata::select(strata::col(&Item::owner_id), strata::count())
//                                .group_by(strata::col(&Item::owner_id))
//                                .having(strata::count() > 2)
//                                .order_by(strata::orm::desc(strata::count()))).all();
//   // -> std::vector<std::tuple<Uuid, std::int64_t>>
//
//   // inside a JSON column, and membership of a string-list column (both dialects):
//   session.exec(strata::select<Model>()
//                    .where(strata::col(&Model::metadata_)["pricing"]["currency"].as_string() == "USD")
//                    .where(strata::col(&Model::metadata_)["context_window"].as_integer() >= 100000));
//   session.exec(strata::select<Opinion>().where(strata::col(&Opinion::tags).any("coding")));
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "strata/core/cell.hpp"
#include "strata/core/error.hpp"
#include "strata/core/value.hpp"
#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"
#include "strata/orm/loading.hpp"
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
template <class T>
inline constexpr bool is_optional_v = !std::is_same_v<strip_optional_t<T>, std::remove_cvref_t<T>>;
template <class>
inline constexpr bool dependent_false = false;

/// Numbers other than bool (a bool column takes only bool operands, and a bool
/// operand matches only a bool column).
template <class T>
inline constexpr bool is_number_v = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

/// True when a C++ value of type U may be compared with a column of type T.
/// std::optional is stripped from both; then U must be T (or convert to it),
/// or both are numbers, or T is text and U is string-like (const char*,
/// std::string_view). std::nullopt is accepted for a nullable column only.
template <class T, class U>
inline constexpr bool comparable_v = [] {
  using S = strip_optional_t<T>;
  using V = strip_optional_t<U>;
  if constexpr (std::is_same_v<V, std::nullopt_t>) return is_optional_v<T>;
  else if constexpr (std::is_same_v<S, V>) return true;
  else if constexpr (std::is_same_v<S, bool> || std::is_same_v<V, bool>) return false;
  else if constexpr (is_number_v<S> && is_number_v<V>) return true;
  else if constexpr (std::is_same_v<S, std::string>) return std::is_convertible_v<const V&, std::string_view>;
  else return std::is_convertible_v<const V&, S>;
}();

/// The compile-time check behind every comparison, in_(), between() and set().
/// A template over both types so that g++ prints them in its "In instantiation
/// of ... [with Column = ...; Operand = ...]" line above the message.
template <class Column, class Operand>
constexpr bool check_operand() {
  static_assert(comparable_v<Column, Operand>,
                "strata: the operand's type does not match the column's type (see Column and "
                "Operand in the line above)");
  return comparable_v<Column, Operand>;
}

/// The check of like() / ilike(): only a text column (std::string, optional or not) has a pattern.
template <class Column>
constexpr bool check_text_column() {
  static_assert(std::is_same_v<strip_optional_t<Column>, std::string>,
                "strata: like() / ilike() need a text column (see Column in the line above)");
  return std::is_same_v<strip_optional_t<Column>, std::string>;
}

/// The check of operator[] (a JSON path): only a strata::Json column, optional or not, has keys.
template <class Column>
constexpr bool check_json_column() {
  static_assert(std::is_same_v<strip_optional_t<Column>, ::strata::Json>,
                "strata: operator[] (a JSON path) needs a strata::Json column (see Column in the line above)");
  return std::is_same_v<strip_optional_t<Column>, ::strata::Json>;
}

/// The check of any(): only a string-list column (std::vector<std::string>,
/// optional or not: TEXT[] / JSON array) has elements.
template <class Column>
constexpr bool check_array_column() {
  static_assert(std::is_same_v<strip_optional_t<Column>, std::vector<std::string>>,
                "strata: any() needs a std::vector<std::string> (array) column (see Column in the line above)");
  return std::is_same_v<strip_optional_t<Column>, std::vector<std::string>>;
}

/// Converts an operand to the Value the column's TypeMap would produce.
/// Pre: comparable_v<T, U>.
template <class T, class U>
Value operand_value(const U& v) {
  using S0 = strip_optional_t<T>;
  if constexpr (std::is_integral_v<S0> && std::is_integral_v<U> && !std::is_same_v<U, bool> &&
                !std::is_same_v<S0, bool>) {
    // Bind the operand's own value: `col(&T::small) < 70000` must not wrap to the column's width.
    if constexpr (std::is_unsigned_v<U> && sizeof(U) >= sizeof(std::int64_t)) {
      if (v > static_cast<U>(std::numeric_limits<std::int64_t>::max()))
        throw ArgumentError("operand " + std::to_string(v) + " does not fit a 64-bit SQL integer");
    }
    return Value(static_cast<std::int64_t>(v));
  }
  using S = strip_optional_t<T>;
  if constexpr (std::is_same_v<U, std::nullopt_t>) {
    return Value{};
  } else if constexpr (is_optional_v<U>) {
    return v ? operand_value<T>(*v) : Value{};
  } else if constexpr (std::is_floating_point_v<U> && std::is_integral_v<S>) {
    // An integer column compared with 1.5 must not become "< 1".
    return Value(static_cast<double>(v));
  } else {
    return model::to_value<S>(static_cast<S>(v));
  }
}

/// The values of in_() / not_in(), converted as operand_value() does.
template <class T, class R>
std::vector<Value> operand_values(const R& values) {
  std::vector<Value> vs;
  vs.reserve(values.size());
  for (const auto& v : values) vs.push_back(operand_value<T>(v));
  return vs;
}

/// Compile-time check that Model is a table model (STRATA_TABLE), for
/// select<T>(), join<T>(), select_from<T>(), update<T>() and delete_from<T>().
template <class Model>
constexpr bool check_table_model() {
  static_assert(model::is_table_model_v<Model>,
                "strata: this type is not a table model (see Model in the line above); describe it "
                "with STRATA_TABLE(Model, \"table\", ...) in its namespace");
  return model::is_table_model_v<Model>;
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
struct ColumnExpr;

/// A place inside a JSON column, reached with keys and array indexes:
/// col(&Model::metadata_)["pricing"]["currency"]. As SQLAlchemy's JSON
/// comparator, it becomes an SQL value only through a typed read: as_string(),
/// as_integer(), as_float() or as_boolean(); comparing it before that does not
/// compile. Each read is NULL (std::nullopt when selected) where the column is
/// NULL, the path leads nowhere or the value is JSON null, so a comparison
/// there matches no row. Keys and indexes are bound parameters, never SQL text.
/// SQL per dialect: see SqliteCompiler (json_extract) and PostgresqlCompiler (#>>).
///
/// Example:
///   auto usd = strata::col(&Model::metadata_)["pricing"]["currency"].as_string() == "USD";
///   auto big = strata::col(&Model::metadata_)["context_window"].as_integer() >= 100000;
///   auto first = strata::col(&Model::metadata_)["modalities"][0].as_string();  // select / order_by it
class JsonElement {
 public:
  JsonElement(sql::Expr document, std::vector<sql::JsonPathStep> path)
      : document_(std::move(document)), path_(std::move(path)) {}
  /// The member `key` of this object (any text: dots and quotes are data).
  JsonElement operator[](std::string_view key) const { return step(std::string(key)); }
  /// The element `index` (0-based; -1 is the last) of this array.
  JsonElement operator[](std::int64_t index) const { return step(index); }

  /// The value as text: a JSON string's characters, unquoted. Meant for JSON
  /// strings: other values read differently per dialect (SQLite gives a number
  /// as a number, PostgreSQL as its JSON text).
  ColumnExpr<std::optional<std::string>> as_string() const;
  /// The value as a 64-bit integer. Meant for JSON integers: PostgreSQL raises
  /// a DatabaseError (SQLSTATE 22P02) for other text, SQLite converts leniently.
  ColumnExpr<std::optional<std::int64_t>> as_integer() const;
  /// The value as a double (REAL / DOUBLE PRECISION). Meant for JSON numbers.
  ColumnExpr<std::optional<double>> as_float() const;
  /// The value as a bool. Meant for JSON true / false.
  ColumnExpr<std::optional<bool>> as_boolean() const;

 private:
  JsonElement step(sql::JsonPathStep s) const {
    JsonElement e = *this;
    e.path_.push_back(std::move(s));
    return e;
  }
  sql::Expr read(sql::JsonCast as) const { return sql::json_path(document_, path_, as); }

  sql::Expr document_;
  std::vector<sql::JsonPathStep> path_;
};

namespace detail {
template <class U>
constexpr bool check_json_read() {
  static_assert(dependent_false<U>,
                "strata: a JSON element has no SQL type: compare col(...)[\"key\"].as_string(), as_integer(), "
                "as_float() or as_boolean() (as SQLAlchemy's JSON comparator)");
  return false;
}
}  // namespace detail
// Comparing a JsonElement without a typed read is a compile-time error.
template <class U>
Predicate operator==(const JsonElement&, const U&) {
  detail::check_json_read<U>();
  return {};
}
template <class U>
Predicate operator!=(const JsonElement&, const U&) {
  detail::check_json_read<U>();
  return {};
}
template <class U>
Predicate operator<(const JsonElement&, const U&) {
  detail::check_json_read<U>();
  return {};
}
template <class U>
Predicate operator<=(const JsonElement&, const U&) {
  detail::check_json_read<U>();
  return {};
}
template <class U>
Predicate operator>(const JsonElement&, const U&) {
  detail::check_json_read<U>();
  return {};
}
template <class U>
Predicate operator>=(const JsonElement&, const U&) {
  detail::check_json_read<U>();
  return {};
}

template <class T>
struct ColumnExpr : Expr<T> {
  /// ORDER BY this ASC / DESC.
  OrderTerm asc() const { return {this->node, false}; }
  OrderTerm desc() const { return {this->node, true}; }
  /// IN / NOT IN a list of values of the column's type (an empty list is the
  /// constant false `1 != 1` / true `1 = 1`). Each value is a bound parameter.
  /// Example: col(&Item::status).in_({Status::draft, Status::published})
  template <class U>
  Predicate in_(const std::vector<U>& values) const {
    if constexpr (detail::check_operand<T, U>())
      return {sql::in_list(this->node, detail::operand_values<T>(values), false)};
    else
      return {};
  }
  template <class U>
  Predicate in_(std::initializer_list<U> values) const {
    if constexpr (detail::check_operand<T, U>())
      return {sql::in_list(this->node, detail::operand_values<T>(values), false)};
    else
      return {};
  }
  template <class U>
  Predicate not_in(const std::vector<U>& values) const {
    if constexpr (detail::check_operand<T, U>())
      return {sql::in_list(this->node, detail::operand_values<T>(values), true)};
    else
      return {};
  }
  template <class U>
  Predicate not_in(std::initializer_list<U> values) const {
    if constexpr (detail::check_operand<T, U>())
      return {sql::in_list(this->node, detail::operand_values<T>(values), true)};
    else
      return {};
  }
  /// LIKE / case-insensitive LIKE with a pattern ('%' and '_' wildcards). Text columns only.
  Predicate like(std::string pattern) const {
    if constexpr (detail::check_text_column<T>())
      return {sql::binary(sql::BinaryOp::Like, this->node, sql::bind(std::move(pattern)))};
    else
      return {};
  }
  Predicate ilike(std::string pattern) const {
    if constexpr (detail::check_text_column<T>())
      return {sql::binary(sql::BinaryOp::ILike, this->node, sql::bind(std::move(pattern)))};
    else
      return {};
  }
  /// JSON columns (strata::Json, optional or not) only: the member `key` of the
  /// document, or its element `index` when it is an array; chain further steps
  /// and read the value with as_string() / as_integer() / as_float() /
  /// as_boolean() (see JsonElement).
  /// Example: col(&Model::metadata_)["pricing"]["currency"].as_string() == "USD"
  JsonElement operator[](std::string_view key) const {
    if constexpr (detail::check_json_column<T>())
      return JsonElement(this->node, {sql::JsonPathStep(std::string(key))});
    else
      return JsonElement({}, {});
  }
  JsonElement operator[](std::int64_t index) const {
    if constexpr (detail::check_json_column<T>())
      return JsonElement(this->node, {sql::JsonPathStep(index)});
    else
      return JsonElement({}, {});
  }
  /// String-list columns (std::vector<std::string>, optional or not) only: true
  /// where the list holds an element equal to `value` (a bound parameter), as
  /// SQLAlchemy's ARRAY comparator `Opinion.tags.any("coding")`. An empty
  /// list gives false; a NULL list gives NULL on both databases, so neither
  /// any(v) nor !any(v) matches it. PostgreSQL: `$1 = ANY("opinions"."tags")`;
  /// SQLite (JSON array text): `CASE WHEN ... IS NOT NULL THEN EXISTS (SELECT 1
  /// FROM json_each(...) WHERE ...) END`.
  /// Example: select<Opinion>().where(col(&Opinion::tags).any("coding"))
  template <class U>
  Predicate any(const U& value) const {
    if constexpr (detail::check_array_column<T>() && detail::check_operand<std::string, U>())
      return {sql::array_any(this->node, sql::bind(detail::operand_value<std::string>(value)))};
    else
      return {};
  }
  Predicate is_null() const { return {sql::unary(sql::UnaryOp::IsNull, this->node)}; }
  Predicate is_not_null() const { return {sql::unary(sql::UnaryOp::IsNotNull, this->node)}; }
  /// BETWEEN low AND high (inclusive).
  template <class U, class V>
  Predicate between(const U& low, const V& high) const {
    if constexpr (detail::check_operand<T, U>() && detail::check_operand<T, V>())
      return {sql::between(this->node, sql::bind(detail::operand_value<T>(low)),
                           sql::bind(detail::operand_value<T>(high)))};
    else
      return {};
  }
};

inline ColumnExpr<std::optional<std::string>> JsonElement::as_string() const {
  return {{read(sql::JsonCast::String)}};
}
inline ColumnExpr<std::optional<std::int64_t>> JsonElement::as_integer() const {
  return {{read(sql::JsonCast::Integer)}};
}
inline ColumnExpr<std::optional<double>> JsonElement::as_float() const { return {{read(sql::JsonCast::Float)}}; }
inline ColumnExpr<std::optional<bool>> JsonElement::as_boolean() const { return {{read(sql::JsonCast::Boolean)}}; }

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
/// The column of member `mp` of C in table model T, where C is T or one of its
/// described bases: col<Item>(&Audit::created_by) is "item"."created_by".
/// Throws: SchemaError when the member is not mapped by T's description.
template <class T, class C, class M>
  requires(std::is_base_of_v<C, T> && !std::is_same_v<C, T>)
ColumnExpr<M> col(M C::*mp) {
  if constexpr (detail::check_table_model<T>()) {
    const model::ModelInfo& mi = model::info<T>();
    const model::FieldInfo& f = mi.field(model::member_key(mp));
    return {{sql::column(mi.table.name, f.column)}};
  } else {
    return {};
  }
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
namespace detail {
/// `l op r`. The operand is checked at compile time: a value must match the
/// column's type (comparable_v), and so must the value type of an expression.
/// A value is always a bound parameter; a bound NULL (std::nullopt, or an empty
/// std::optional) compiles to IS [NOT] NULL for == and !=.
template <class T, class U>
Predicate compare(sql::BinaryOp op, const Expr<T>& l, const U& r) {
  if constexpr (is_expr_v<U>) {
    if constexpr (check_operand<T, typename U::value_type>())
      return {sql::binary(op, l.node, r.node)};
    else
      return {};
  } else if constexpr (check_operand<T, U>()) {
    return {sql::binary(op, l.node, sql::bind(operand_value<T>(r)))};
  } else {
    return {};
  }
}
}  // namespace detail

// ---- comparison operators: the operand type is checked at compile time ----
// `col == value` or `col == other_col`; put the column on the left.
template <class T, class U>
Predicate operator==(const Expr<T>& l, const U& r) {
  return detail::compare(sql::BinaryOp::Eq, l, r);
}
template <class T, class U>
Predicate operator!=(const Expr<T>& l, const U& r) {
  return detail::compare(sql::BinaryOp::Ne, l, r);
}
template <class T, class U>
Predicate operator<(const Expr<T>& l, const U& r) {
  return detail::compare(sql::BinaryOp::Lt, l, r);
}
template <class T, class U>
Predicate operator<=(const Expr<T>& l, const U& r) {
  return detail::compare(sql::BinaryOp::Le, l, r);
}
template <class T, class U>
Predicate operator>(const Expr<T>& l, const U& r) {
  return detail::compare(sql::BinaryOp::Gt, l, r);
}
template <class T, class U>
Predicate operator>=(const Expr<T>& l, const U& r) {
  return detail::compare(sql::BinaryOp::Ge, l, r);
}

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
/// ORDER BY any expression ASC / DESC: order_by(desc(count())). Columns also
/// have the members col(&T::m).asc() / .desc().
template <class T>
OrderTerm asc(const Expr<T>& e) {
  return {e.node, false};
}
template <class T>
OrderTerm desc(const Expr<T>& e) {
  return {e.node, true};
}
template <class T>
ColumnExpr<T> lower(const Expr<T>& e) {
  return {{sql::func("lower", {e.node})}};
}

// ---- select ----
namespace detail {
template <class Row>
struct is_shared_ptr_row : std::false_type {
  using element = void;
};
template <class T>
struct is_shared_ptr_row<std::shared_ptr<T>> : std::true_type {
  using element = T;
};
}  // namespace detail

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
  /// Relationship loader options (loading.hpp), applied when the rows are read.
  std::vector<LoaderOption> loaders;

  /// Loads relationships of the selected objects: selectin(&T::m), joined(&T::m),
  /// nested with then() (loading.hpp). Only for select<T>() of one model, whose
  /// members the options name (compile-time checks).
  template <class... L>
  Select options(const L&... loaders_) const {
    static_assert(sizeof...(L) > 0 && (is_loader<L>::value && ...),
                  "strata: options() takes loader options such as selectin(&User::items) or joined(&Item::owner)");
    static_assert(detail::is_shared_ptr_row<Row>::value,
                  "strata: loader options apply to select<T>() of one model (rows of std::shared_ptr<T>)");
    if constexpr (detail::is_shared_ptr_row<Row>::value)
      (detail::check_loader_owner<typename detail::is_shared_ptr_row<Row>::element, typename is_loader<L>::owner>(), ...);
    Select s = *this;
    (s.loaders.push_back(loaders_.option()), ...);
    return s;
  }

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
  /// An entity of a LEFT OUTER JOIN is nullptr in rows where it matched nothing.
  /// Example: select<User, Item>().outerjoin<Item>(col(&Item::owner_id) == col(&User::id))
  template <class T>
  Select join(const Predicate& on) const {
    Select s = *this;
    if constexpr (detail::check_table_model<T>())
      s.stmt.joins.push_back({sql::JoinKind::Inner, model::info<T>().table.name, on.node});
    return s;
  }
  template <class T>
  Select outerjoin(const Predicate& on) const {
    Select s = *this;
    if constexpr (detail::check_table_model<T>())
      s.stmt.joins.push_back({sql::JoinKind::Left, model::info<T>().table.name, on.node});
    return s;
  }
  /// Sets the FROM table explicitly (for column-only selects such as select(count())).
  template <class T>
  Select select_from() const {
    Select s = *this;
    if constexpr (detail::check_table_model<T>()) s.stmt.from = model::info<T>().table.name;
    return s;
  }
};

/// SELECT all columns of T (and of U..., for joins; the first model is the FROM table).
template <class T, class... U>
auto select() {
  using Row = std::conditional_t<sizeof...(U) == 0, std::shared_ptr<T>,
                                 std::tuple<std::shared_ptr<T>, std::shared_ptr<U>...>>;
  Select<Row> s;
  if constexpr ((detail::check_table_model<T>() && ... && detail::check_table_model<U>())) {
    const model::ModelInfo* infos[] = {&model::info<T>(), &model::info<U>()...};
    s.stmt.from = infos[0]->table.name;
    for (const model::ModelInfo* mi : infos) {
      auto cols = entity_columns(*mi);
      s.stmt.columns.insert(s.stmt.columns.end(), cols.begin(), cols.end());
      s.parts.push_back(mi);
    }
  }
  return s;
}

namespace detail {
/// The table of the first table-qualified column in `e` (depth first, left to
/// right), or "" when there is none: what select(...) uses as its FROM table,
/// so that select(max(col(&Item::score))) reads FROM "item".
inline std::string first_table(const sql::Expr& e) {
  if (!e) return {};
  return std::visit(
      [](const auto& n) -> std::string {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, sql::ColumnRef>) {
          return n.table;
        } else if constexpr (std::is_same_v<N, sql::Binary>) {
          std::string t = first_table(n.left);
          return t.empty() ? first_table(n.right) : t;
        } else if constexpr (std::is_same_v<N, sql::Unary>) {
          return first_table(n.operand);
        } else if constexpr (std::is_same_v<N, sql::InList>) {
          return first_table(n.operand);
        } else if constexpr (std::is_same_v<N, sql::Between>) {
          std::string t = first_table(n.operand);
          if (t.empty()) t = first_table(n.low);
          return t.empty() ? first_table(n.high) : t;
        } else if constexpr (std::is_same_v<N, sql::Function>) {
          for (const auto& a : n.args)
            if (std::string t = first_table(a); !t.empty()) return t;
          return {};
        } else if constexpr (std::is_same_v<N, sql::Label>) {
          return first_table(n.expr);
        } else if constexpr (std::is_same_v<N, sql::JsonPath>) {
          return first_table(n.operand);
        } else if constexpr (std::is_same_v<N, sql::ArrayAny>) {
          std::string t = first_table(n.array);
          return t.empty() ? first_table(n.value) : t;
        } else {
          return {};  // values, *, text and sub-selects name no FROM table here
        }
      },
      e->node);
}
}  // namespace detail

/// SELECT chosen columns / expressions; rows are std::tuple<T...> (a nullable
/// column gives std::optional, count() std::int64_t). The FROM table is the
/// table of the first column that names one, also inside functions such as
/// max(col(&Item::score)); set it with select_from<T>() otherwise (select(count())).
template <class... T>
Select<std::tuple<T...>> select(const Expr<T>&... exprs) {
  Select<std::tuple<T...>> s;
  (s.stmt.columns.push_back(exprs.node), ...);
  s.parts.assign(sizeof...(T), nullptr);
  for (const auto& e : s.stmt.columns) {
    s.stmt.from = detail::first_table(e);
    if (!s.stmt.from.empty()) break;
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
  /// SET the column of member `mp` (of T or a base of T) to `v`, a bound
  /// parameter. std::nullopt sets NULL; on a NOT NULL column that is left to
  /// the database (NotNullViolation), as SQLAlchemy does.
  template <class C, class M, class U>
    requires std::is_base_of_v<C, T>
  UpdateStmt set(M C::*mp, const U& v) const {
    constexpr bool ok = [] {
      if constexpr (std::is_same_v<U, std::nullopt_t>) return true;
      else return detail::check_operand<M, U>();
    }();
    UpdateStmt s = *this;
    if constexpr (ok) {
      const model::FieldInfo& f = model::info<T>().field(model::member_key(mp));
      s.stmt.values.emplace_back(f.column, sql::bind(detail::operand_value<M>(v)));
    }
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
  if constexpr (detail::check_table_model<T>()) s.stmt.table = model::info<T>().table.name;
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
  if constexpr (detail::check_table_model<T>()) s.stmt.table = model::info<T>().table.name;
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
