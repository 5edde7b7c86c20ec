// strata/model/field.hpp - the description DSL: field<&T::m>() and its options,
// extends<Base...>(), unique_constraint<...>(), index<...>(), check(), now().
//
// Every option is recorded as plain data (ColumnOptions); the checks that need
// the whole model (names, keys, foreign keys) run once, in compiled code
// (src/model/build.cpp), when the model's ModelInfo is first built.
#pragma once

#include <bit>
#include <cstddef>
#include <functional>
#include <typeinfo>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "strata/core/value.hpp"
#include "strata/model/model_info.hpp"
#include "strata/model/reflect.hpp"
#include "strata/model/relationship.hpp"
#include "strata/model/type_map.hpp"
#include "strata/schema/column.hpp"
#include "strata/schema/constraint.hpp"

namespace strata::model {

namespace detail {
struct ModelDraft;
/// The model's ModelInfo before foreign keys are resolved (describe.hpp).
template <class T>
const ModelDraft& draft();
}  // namespace detail

/// F is callable with a const A& and returns an error message
/// (std::optional<std::string>): the shape of validator(f) / model_validator(f).
template <class F, class A>
concept returns_error_message =
    std::is_invocable_v<const F&, const A&> &&
    std::is_convertible_v<std::invoke_result_t<const F&, const A&>, std::optional<std::string>>;

/// `now()` in server_default(now()) / onupdate(now()): the dialect's current
/// timestamp (SQLite CURRENT_TIMESTAMP, PostgreSQL now()).
struct Now {};

/// Target of a foreign key, as recorded by foreign_key<&Other::col>().
struct ForeignKeyTarget {
  /// Draft of the target model; nullptr when the target class is not described.
  const detail::ModelDraft& (*model)() = nullptr;
  MemberKey key;            ///< the referenced member
  std::string model_name;   ///< "User", for messages
  std::string member_name;  ///< "id", for messages
};

/// Options of one column, as given with field<&T::m>().option()... .
struct ColumnOptions {
  bool primary_key = false;
  bool autoincrement = false;
  bool unique = false;
  bool index = false;
  std::optional<int> max_length;
  std::optional<int> precision, scale;
  std::string column_name;  ///< empty: the member name
  std::optional<schema::ServerDefault> server_default;
  std::optional<schema::ServerDefault> onupdate_sql;
  std::function<Value()> onupdate;
  std::function<Value()> default_factory;
  std::optional<ForeignKeyTarget> foreign_key;
  std::optional<schema::FkAction> on_delete, on_update;
  std::vector<schema::CheckConstraint> checks;  ///< short names, convention applied later
  std::string comment;
  /// Validation constraints (min_length, ge, pattern, email, validator...);
  /// the schema ignores them. rules.pattern is compiled when the model is built.
  FieldRules rules;
  bool has_default = false;  ///< has_default(): the member may be absent from input
};

template <class... Bases>
struct Extends {};



/// Identity of the member pointed to by mp (see MemberKey). Itanium C++ ABI:
/// a data member pointer is the member's offset as a ptrdiff_t.
template <class C, class M>
MemberKey member_key(M C::*mp) noexcept {
  static_assert(sizeof(mp) == sizeof(std::ptrdiff_t), "strata: expects the Itanium C++ ABI");
  return MemberKey{typeid(C), std::bit_cast<std::ptrdiff_t>(mp)};
}


/// Options of one relationship member, as given with relationship<&T::m>().
struct RelationOptions {
  std::string back_populates;
  std::optional<std::string> cascade;  ///< SQLAlchemy's cascade string; unset: "save-update"
  bool passive_deletes = false;
  bool viewonly = false;
  const detail::ModelDraft& (*secondary_draft)() = nullptr;
  const ModelInfo& (*secondary)() = nullptr;
  std::string secondary_name;
  std::vector<MemberKey> foreign_keys;
  std::vector<std::string> foreign_key_names;
  std::optional<MemberKey> order_by;
  std::string order_by_name;
  bool order_desc = false;
};

template <class T>
const ModelInfo& info();

/// One relationship<&T::m>() entry: options of a One<X> / Many<X> member.
/// Which foreign key joins the two models is found from the models' foreign
/// keys (as SQLAlchemy does); foreign_keys<>() chooses when there are several.
template <auto M>
class RelationshipSpec {
  static_assert(std::is_member_object_pointer_v<decltype(M)>,
                "strata: relationship<M>() takes a data member pointer such as relationship<&User::items>()");

 public:
  using class_type = class_of_t<M>;
  using member_type = member_type_t<M>;
  static constexpr auto pointer = M;
  static_assert(is_relationship_v<member_type>,
                "strata: relationship<&T::m>() names a member that is not a strata::One<X> or strata::Many<X>");

  /// The member of the other model that holds the other side (SQLAlchemy's
  /// back_populates): loading one side fills the other, and the flush keeps
  /// both in step. Checked when the model is built (SchemaError).
  RelationshipSpec& back_populates(std::string member) {
    options.back_populates = std::move(member);
    return *this;
  }
  /// SQLAlchemy's cascade string: "save-update", "delete", "delete-orphan",
  /// "all" (save-update, delete), "merge" / "refresh-expunge" / "expunge"
  /// (accepted, no effect), comma-separated; "" for none. Default
  /// "save-update". An unknown word is a SchemaError at build.
  RelationshipSpec& cascade(std::string spec) {
    options.cascade = std::move(spec);
    return *this;
  }
  /// Deleting the parent leaves unloaded children to the database's
  /// ON DELETE CASCADE (no SELECT of them), as SQLAlchemy's passive_deletes=True.
  RelationshipSpec& passive_deletes(bool on = true) {
    options.passive_deletes = on;
    return *this;
  }
  /// Loading only: the flush never writes through this member (no cascade, no
  /// foreign keys filled, no link rows), as SQLAlchemy's viewonly=True. For a
  /// second view of rows another relationship owns, e.g. User.courses through
  /// the enrollments that User.enrollments manages.
  RelationshipSpec& viewonly(bool on = true) {
    options.viewonly = on;
    return *this;
  }
  /// Many-to-many through link table model Link, which has foreign keys to
  /// both models (SQLAlchemy's secondary=). Only for Many<X> members.
  template <class Link>
  RelationshipSpec& secondary() {
    static_assert(is_many<member_type>::value, "strata: secondary<Link>() is for a strata::Many<X> member");
    options.secondary_draft = &detail::draft<Link>;
    options.secondary = &info<Link>;
    options.secondary_name = std::string(type_name<Link>());
    return *this;
  }
  /// The foreign-key members that join the two models, when there are several
  /// candidates (SQLAlchemy's foreign_keys=[...]).
  template <auto... FK>
  RelationshipSpec& foreign_keys() {
    static_assert(sizeof...(FK) > 0 && (std::is_member_object_pointer_v<decltype(FK)> && ...),
                  "strata: foreign_keys<&T::a...>() takes data member pointers");
    options.foreign_keys = {member_key(FK)...};
    options.foreign_key_names = {std::string(member_name<FK>())...};
    return *this;
  }
  /// Orders a loaded collection by member Col of the related model (ascending,
  /// or descending). Without it the order is the database's.
  template <auto Col>
  RelationshipSpec& order_by(bool descending = false) {
    static_assert(std::is_member_object_pointer_v<decltype(Col)>,
                  "strata: order_by<&X::m>() takes a data member pointer");
    options.order_by = member_key(Col);
    options.order_by_name = std::string(member_name<Col>());
    options.order_desc = descending;
    return *this;
  }

  RelationOptions options;
};

/// One field<&T::m>() entry. Options chain: field<&T::m>().unique().index().
///
/// Pre: M is a pointer to a data member of the model being described.
template <auto M>
class FieldSpec {
  static_assert(std::is_member_object_pointer_v<decltype(M)>,
                "strata: field<M>() takes a data member pointer such as field<&Item::title>()");

 public:
  using class_type = class_of_t<M>;
  using member_type = member_type_t<M>;
  static constexpr auto pointer = M;

  /// Part of the primary key (several fields make a composite key).
  FieldSpec& primary_key() { return opt([](ColumnOptions& o) { o.primary_key = true; }); }
  /// Database-numbered integer key. Only on a single integer primary key,
  /// else SchemaError when the model is built.
  FieldSpec& autoincrement() { return opt([](ColumnOptions& o) { o.autoincrement = true; }); }
  /// Single-column UNIQUE constraint (named uq_<table>_<column>).
  FieldSpec& unique() { return opt([](ColumnOptions& o) { o.unique = true; }); }
  /// Single-column, non-unique index (named ix_<table>_<column>).
  FieldSpec& index() { return opt([](ColumnOptions& o) { o.index = true; }); }
  /// String members: VARCHAR(n). Throws (at build): SchemaError on other types.
  FieldSpec& max_length(int n) { return opt([n](ColumnOptions& o) { o.max_length = n; }); }
  /// Column name differing from the member name (e.g. member metadata_, column "metadata").
  FieldSpec& name(std::string column) {
    options.column_name = std::move(column);
    return *this;
  }
  /// Numeric members: NUMERIC(precision, scale). Throws (at build): SchemaError on other types.
  FieldSpec& numeric(int precision, int scale) {
    return opt([=](ColumnOptions& o) { o.precision = precision; o.scale = scale; });
  }
  /// DEFAULT <sql> in the DDL, rendered verbatim ("0", "'draft'").
  FieldSpec& server_default(std::string sql) {
    options.server_default = schema::ServerDefault::text(std::move(sql));
    return *this;
  }
  /// DEFAULT <the dialect's current timestamp>.
  FieldSpec& server_default(Now) {
    options.server_default = schema::ServerDefault::now();
    return *this;
  }
  /// On every UPDATE of the row, set the column to the dialect's current timestamp.
  FieldSpec& onupdate(Now) {
    options.onupdate_sql = schema::ServerDefault::now();
    return *this;
  }
  /// On every UPDATE of the row, set the member to f() (f returns the member type).
  template <class F>
  FieldSpec& onupdate(F f) {
    static_assert(std::is_invocable_v<F&> && std::is_convertible_v<std::invoke_result_t<F&>, member_type>,
                  "strata: onupdate(f) takes a callable returning the member's type, or now()");
    options.onupdate = [f]() mutable { return TypeMap<member_type>::to_value(member_type(f())); };
    return *this;
  }
  /// At INSERT, when the member still holds its value-initialized state
  /// (member == member_type{}: empty string, 0, nil Uuid, std::nullopt...), it is
  /// replaced by f(). This is the C++ reading of SQLModel's default_factory:
  /// a C++ member always holds a value, so "unset" means value-initialized.
  template <class F>
  FieldSpec& default_factory(F f) {
    static_assert(std::is_invocable_v<F&> && std::is_convertible_v<std::invoke_result_t<F&>, member_type>,
                  "strata: default_factory(f) takes a callable returning the member's type");
    options.default_factory = [f]() mutable { return TypeMap<member_type>::to_value(member_type(f())); };
    return *this;
  }
  /// FOREIGN KEY referencing the column of member Target. TargetModel is the
  /// table model holding it; give it when the member is declared in a base
  /// (foreign_key<&User::email, User>(), since &User::email is a UserBase pointer).
  /// Throws (at build): SchemaError naming both models when the target is not a
  /// column of a table model.
  template <auto Target, class TargetModel = void>
  FieldSpec& foreign_key() {
    static_assert(std::is_member_object_pointer_v<decltype(Target)>,
                  "strata: foreign_key<T>() takes a data member pointer such as foreign_key<&User::id>()");
    if constexpr (std::is_member_object_pointer_v<decltype(Target)>) {
      using Model = std::conditional_t<std::is_void_v<TargetModel>, class_of_t<Target>, TargetModel>;
      ForeignKeyTarget t;
      t.model = &detail::draft<Model>;
      t.key = member_key(Target);
      t.model_name = std::string(type_name<Model>());
      t.member_name = std::string(member_name<Target>());
      options.foreign_key = std::move(t);
    }
    return *this;
  }
  /// ON DELETE action of the foreign key (Cascade, SetNull, Restrict, NoAction, SetDefault).
  /// SetNull on a non-nullable member is a SchemaError at build.
  FieldSpec& on_delete(schema::FkAction a) { return opt([a](ColumnOptions& o) { o.on_delete = a; }); }
  /// ON UPDATE action of the foreign key.
  FieldSpec& on_update(schema::FkAction a) { return opt([a](ColumnOptions& o) { o.on_update = a; }); }
  /// CHECK (sql) on the table; `name` is the short name (ck_<table>_<name>);
  /// without one the convention numbers it (ck_<table>_1).
  FieldSpec& check(std::string sql, std::string name = {}) {
    options.checks.push_back(schema::CheckConstraint{std::move(name), std::move(sql)});
    return *this;
  }
  /// COMMENT of the column.
  FieldSpec& comment(std::string text) {
    options.comment = std::move(text);
    return *this;
  }

  // --- Validation (validate.hpp), as Pydantic's Field(...) arguments. The
  // schema ignores them, except max_length above, which also validates.
  // A constraint on a member of the wrong kind (min_length on an int, ge on a
  // string...) is a SchemaError when the model is built.

  /// Strings: at least n characters (UTF-8 code points). Error: string_too_short.
  FieldSpec& min_length(std::size_t n) { return opt([n](ColumnOptions& o) { o.rules.min_length = n; }); }
  /// Numbers (integers, floating point, Numeric): value > n. Error: greater_than.
  template <class N>
    requires std::is_arithmetic_v<N>
  FieldSpec& gt(N n) { return opt([n](ColumnOptions& o) { o.rules.gt = bound(n); }); }
  /// value >= n. Error: greater_than_equal.
  template <class N>
    requires std::is_arithmetic_v<N>
  FieldSpec& ge(N n) { return opt([n](ColumnOptions& o) { o.rules.ge = bound(n); }); }
  /// value < n. Error: less_than.
  template <class N>
    requires std::is_arithmetic_v<N>
  FieldSpec& lt(N n) { return opt([n](ColumnOptions& o) { o.rules.lt = bound(n); }); }
  /// value <= n. Error: less_than_equal.
  template <class N>
    requires std::is_arithmetic_v<N>
  FieldSpec& le(N n) { return opt([n](ColumnOptions& o) { o.rules.le = bound(n); }); }
  /// value is a multiple of n (n > 0). Error: multiple_of.
  template <class N>
    requires std::is_arithmetic_v<N>
  FieldSpec& multiple_of(N n) { return opt([n](ColumnOptions& o) { o.rules.multiple_of = bound(n); }); }
  /// Strings: std::regex (ECMAScript) `re` is found in the value (searched, not
  /// anchored, as Pydantic's pattern). Compiled once, when the model is built;
  /// a bad pattern is a SchemaError then. Error: string_pattern_mismatch.
  FieldSpec& pattern(std::string re) {
    options.rules.pattern = std::move(re);
    return *this;
  }
  /// Strings: a plausible email address (see validate.hpp). Error: value_error.
  FieldSpec& email() { return opt([](ColumnOptions& o) { o.rules.email = true; }); }
  /// A custom check: f(const member_type&) returns std::optional<std::string>,
  /// an error message or std::nullopt; it may also throw a std::exception,
  /// whose what() is the message. Error: value_error ("Value error, <message>").
  template <class F>
  FieldSpec& validator(F f) {
    static_assert(returns_error_message<F, member_type>,
                  "strata: validator(f) takes a callable f(const member_type&) returning "
                  "std::optional<std::string> (an error message, or std::nullopt when valid)");
    if constexpr (returns_error_message<F, member_type>)
      options.rules.validators.push_back([f](const Value& v) -> std::optional<std::string> {
        return f(TypeMap<member_type>::from_value(v));
      });
    return *this;
  }
  /// The member's initializer is its default: input may leave it out (needed
  /// when the default equals the value-initialized state, e.g. `int count = 0`;
  /// std::optional members and members initialized to another value need not).
  FieldSpec& has_default() { return opt([](ColumnOptions& o) { o.has_default = true; }); }

  ColumnOptions options;

 private:
  template <class N>
  static NumberBound bound(N n) {
    return NumberBound{static_cast<double>(n), std::is_integral_v<N>};
  }
  template <class F>
  FieldSpec& opt(F f) {
    f(options);
    return *this;
  }
};

/// Table-level UNIQUE over several members.
struct UniqueSpec {
  std::vector<MemberKey> keys;
  std::vector<std::string> members;  ///< for messages
  std::string name;
};
/// Table-level index over several members.
struct IndexSpec {
  std::vector<MemberKey> keys;
  std::vector<std::string> members;
  std::string name;
  bool unique = false;
};
/// Table-level CHECK.
struct CheckSpec {
  std::string sql;
  std::string name;
};
/// model_validator(f): a rule over the whole object.
template <class F>
struct ModelValidatorSpec {
  F f;
};
/// extra_forbid(): unknown keys in validated input are errors.
struct ExtraForbid {};

/// The names usable unqualified inside STRATA_MODEL / STRATA_TABLE.
namespace dsl {

/// One member's column options. Example: field<&Item::title>().max_length(255)
template <auto M>
FieldSpec<M> field() {
  return {};
}

/// The described bases whose fields come first (in this order).
/// Example: STRATA_TABLE(User, "user", extends<UserBase>(), field<&User::id>().primary_key())
template <class... Bases>
Extends<Bases...> extends() {
  return {};
}

/// Options of a relationship member (strata::One<X> / strata::Many<X>).
/// Example: relationship<&Model::opinions>().back_populates("model").cascade("all, delete-orphan")
template <auto M>
RelationshipSpec<M> relationship() {
  return {};
}

/// UNIQUE (m1, m2, ...), named `name` (or uq_<table>_<cols> when empty).
/// Example: unique_constraint<&BR::model_id, &BR::benchmark_id>("uix_model_benchmark")
template <auto... M>
UniqueSpec unique_constraint(std::string name = {}) {
  static_assert(sizeof...(M) > 0 && (std::is_member_object_pointer_v<decltype(M)> && ...),
                "strata: unique_constraint<&T::a, &T::b...>() takes data member pointers");
  return UniqueSpec{{member_key(M)...}, {std::string(member_name<M>())...}, std::move(name)};
}

/// CREATE [UNIQUE] INDEX over m1, m2, ..., named `name` (or ix_<table>_<cols> when empty).
template <auto... M>
IndexSpec index(std::string name = {}, bool unique = false) {
  static_assert(sizeof...(M) > 0 && (std::is_member_object_pointer_v<decltype(M)> && ...),
                "strata: index<&T::a, &T::b...>() takes data member pointers");
  return IndexSpec{{member_key(M)...}, {std::string(member_name<M>())...}, std::move(name), unique};
}

/// Table-level CHECK (sql); name is the short name (ck_<table>_<name>).
inline CheckSpec check(std::string sql, std::string name = {}) {
  return CheckSpec{std::move(sql), std::move(name)};
}

/// A model-level validator: f(const T&) returns std::optional<std::string>
/// (an error message, or std::nullopt), or throws a std::exception. Runs after
/// every field is valid, as Pydantic's @model_validator(mode="after"); its
/// error has loc [] and type value_error. Example:
///   model_validator([](const Course& c) -> std::optional<std::string> {
///     if (c.end_date < c.start_date) return "end_date is before start_date";
///     return std::nullopt;
///   })
template <class F>
ModelValidatorSpec<F> model_validator(F f) {
  return {std::move(f)};
}

/// Unknown keys in validated input are extra_forbidden errors (Pydantic's
/// model_config = ConfigDict(extra="forbid")); by default they are ignored.
inline constexpr ExtraForbid extra_forbid() noexcept { return {}; }

/// The dialect's current timestamp, for server_default(now()) / onupdate(now()).
inline constexpr Now now() noexcept { return {}; }

inline constexpr schema::FkAction Cascade = schema::FkAction::Cascade;
inline constexpr schema::FkAction SetNull = schema::FkAction::SetNull;
inline constexpr schema::FkAction SetDefault = schema::FkAction::SetDefault;
inline constexpr schema::FkAction Restrict = schema::FkAction::Restrict;
inline constexpr schema::FkAction NoAction = schema::FkAction::NoAction;

}  // namespace dsl

}  // namespace strata::model
