// strata/model/type_map.hpp - TypeMap<T>: C++ member type <-> SQL type and Value.
//
//   C++ member type                      SqlType                        Value held
//   bool                                 Boolean                        bool
//   int16_t / short                      SmallInteger                   int64
//   int32_t / int                        Integer                        int64
//   int64_t / long / long long           BigInteger                     int64
//   float / double                       Float / Double                 double
//   strata::Numeric                      Numeric(p, s) (numeric(p, s))   Numeric
//   std::string                          String(max_length) or TEXT     string
//   strata::Bytes                        Bytes                          Bytes
//   strata::Uuid                         Uuid                           Uuid
//   strata::Date / Time                  Date / Time                    Date / Time
//   strata::DateTime (naive)             DateTime                       DateTime
//   strata::DateTimeTz (UTC instant)     DateTime(timezone = true)      DateTimeTz
//   strata::Json (nlohmann::json)        Json                           JsonText{dump()}
//   std::vector<std::string>             StringArray                    StringList
//   any enum                             Enum(snake_case name, names)   string (enumerator name)
//   std::optional<X> of the above        as X, nullable                 NULL when empty
//
// Reading is lenient, because drivers hand back their storage forms: a bool
// from int 0/1 or text "t"/"f"/"true"/"false"/"1"/"0"; a Uuid from 32 or 36
// character text or a 16-byte blob; dates from ISO text; Numeric from text,
// int or double; JSON from text; a string list from JSON-array text or a
// PostgreSQL array literal '{a,b,"c d"}'; an enum from its name.
//
// A TypeMap<X> specialization provides:
//   static constexpr bool supported = true, nullable;
//   static SqlType sql();
//   static Value to_value(const X&);
//   static X from_value(const Value&);                  Throws: SchemaError
//   static X from_cell(const CellSource&, int col);     Throws: SchemaError
// Conversion errors are SchemaError without model/member ("cannot convert
// 'abc' (text) to Integer"); the model layer rethrows them naming the model
// and member. Users may specialize TypeMap for their own types.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "strata/core/cell.hpp"
#include "strata/core/error.hpp"
#include "strata/core/types.hpp"
#include "strata/core/value.hpp"
#include "strata/model/reflect.hpp"

namespace strata {
/// JSON documents as members (SQL JSON / JSONB). Include <nlohmann/json.hpp>
/// (or strata/model/json.hpp) in the file that declares the struct.
using Json = nlohmann::json;
}  // namespace strata

namespace strata::model {

/// Lenient conversions from a driver's plain forms (non-template, src/model/convert.cpp).
/// Each throws SchemaError "cannot convert <repr> to <Kind>" on failure.
namespace convert {
bool to_bool(const Value& v);
/// Range-checked: bits is 16, 32 or 64.
std::int64_t to_int(const Value& v, int bits);
double to_double(const Value& v);
std::string to_string(const Value& v);
Bytes to_bytes(const Value& v);
Uuid to_uuid(const Value& v);
Date to_date(const Value& v);
Time to_time(const Value& v);
DateTime to_datetime(const Value& v);
DateTimeTz to_datetime_tz(const Value& v);
Numeric to_numeric(const Value& v);
StringList to_string_list(const Value& v);
/// Parses a PostgreSQL array literal such as {a,"b c",NULL} (NULL elements are
/// rejected). Throws SchemaError on malformed text.
StringList parse_pg_array(std::string_view text);
/// snake_case of an identifier: "OrderStatus" -> "order_status", "HTTPCode" -> "http_code".
std::string snake_case(std::string_view name);
/// Index of `name` in `names` (exact match), or -1.
int find_name(const std::string_view* names, std::size_t count, std::string_view name) noexcept;
/// Throws SchemaError "cannot convert <repr> to <what>".
[[noreturn]] void fail(const Value& v, std::string_view what);
}  // namespace convert

template <class T>
inline constexpr bool dependent_false_v = false;

/// Primary template: the type is not supported. `supported` is false so that
/// the describe step can name the model and member first; calling any
/// function of it fails with a static_assert naming the type.
template <class X>
struct TypeMap {
  static constexpr bool supported = false;
  template <class D = X>
  static SqlType sql() {
    static_assert(dependent_false_v<D>,
                  "strata: no TypeMap<X> for this member type (see [with D = ...]); supported: "
                  "bool, integers, float, double, Numeric, std::string, Bytes, Uuid, Date, Time, "
                  "DateTime, DateTimeTz, Json, std::vector<std::string>, enums and std::optional "
                  "of them, or specialize strata::model::TypeMap");
    return {};
  }
};

namespace detail {
/// Shared shape of the simple maps: from_cell reads the plain cell value.
template <class Derived, class X>
struct SimpleMap {
  static constexpr bool supported = true;
  static constexpr bool nullable = false;
  static X from_cell(const CellSource& row, int col) { return Derived::from_value(row.get_value(col)); }
};
}  // namespace detail

template <>
struct TypeMap<bool> : detail::SimpleMap<TypeMap<bool>, bool> {
  static SqlType sql() { return SqlType::boolean(); }
  static Value to_value(bool v) { return Value(v); }
  static bool from_value(const Value& v) { return convert::to_bool(v); }
  static bool from_cell(const CellSource& row, int col) {  // fast path: an INTEGER 0/1 cell
    if (row.kind(col) == CellKind::Integer) {
      std::int64_t i = row.get_int64(col);
      if (i == 0 || i == 1) return i == 1;
    }
    return from_value(row.get_value(col));
  }
};

template <class I>
  requires(std::is_integral_v<I> && std::is_signed_v<I> && !std::is_same_v<I, char> &&
           sizeof(I) >= 2 && sizeof(I) <= 8)
struct TypeMap<I> : detail::SimpleMap<TypeMap<I>, I> {
  static SqlType sql() {
    if constexpr (sizeof(I) == 2) return SqlType::small_integer();
    else if constexpr (sizeof(I) == 4) return SqlType::integer();
    else return SqlType::big_integer();
  }
  static Value to_value(I v) { return Value(static_cast<std::int64_t>(v)); }
  static I from_value(const Value& v) {
    return static_cast<I>(convert::to_int(v, static_cast<int>(sizeof(I) * 8)));
  }
  static I from_cell(const CellSource& row, int col) {  // fast path: an INTEGER cell that fits
    if (row.kind(col) == CellKind::Integer) {
      std::int64_t i = row.get_int64(col);
      if (i >= std::numeric_limits<I>::min() && i <= std::numeric_limits<I>::max()) return static_cast<I>(i);
    }
    return from_value(row.get_value(col));
  }
};

template <>
struct TypeMap<float> : detail::SimpleMap<TypeMap<float>, float> {
  static SqlType sql() { return SqlType::float_(); }
  static Value to_value(float v) { return Value(static_cast<double>(v)); }
  static float from_value(const Value& v) { return static_cast<float>(convert::to_double(v)); }
};

template <>
struct TypeMap<double> : detail::SimpleMap<TypeMap<double>, double> {
  static SqlType sql() { return SqlType::double_(); }
  static Value to_value(double v) { return Value(v); }
  static double from_value(const Value& v) { return convert::to_double(v); }
  static double from_cell(const CellSource& row, int col) {  // fast path: a REAL or INTEGER cell
    CellKind k = row.kind(col);
    if (k == CellKind::Real || k == CellKind::Integer) return row.get_double(col);
    return from_value(row.get_value(col));
  }
};

template <>
struct TypeMap<Numeric> : detail::SimpleMap<TypeMap<Numeric>, Numeric> {
  static SqlType sql() { return SqlType::numeric(); }
  static Value to_value(const Numeric& v) { return Value(v); }
  static Numeric from_value(const Value& v) { return convert::to_numeric(v); }
};

template <>
struct TypeMap<std::string> : detail::SimpleMap<TypeMap<std::string>, std::string> {
  static SqlType sql() { return SqlType::string(); }
  static Value to_value(const std::string& v) { return Value(v); }
  static std::string from_value(const Value& v) { return convert::to_string(v); }
  static std::string from_cell(const CellSource& row, int col) {  // fast path: a TEXT cell, copied once
    if (row.kind(col) == CellKind::Text) return std::string(row.get_text(col));
    return from_value(row.get_value(col));
  }
};

template <>
struct TypeMap<Bytes> : detail::SimpleMap<TypeMap<Bytes>, Bytes> {
  static SqlType sql() { return SqlType::bytes(); }
  static Value to_value(const Bytes& v) { return Value(v); }
  static Bytes from_value(const Value& v) { return convert::to_bytes(v); }
};

template <>
struct TypeMap<Uuid> : detail::SimpleMap<TypeMap<Uuid>, Uuid> {
  static SqlType sql() { return SqlType::uuid(); }
  static Value to_value(const Uuid& v) { return Value(v); }
  static Uuid from_value(const Value& v) { return convert::to_uuid(v); }
};

template <>
struct TypeMap<Date> : detail::SimpleMap<TypeMap<Date>, Date> {
  static SqlType sql() { return SqlType::date(); }
  static Value to_value(const Date& v) { return Value(v); }
  static Date from_value(const Value& v) { return convert::to_date(v); }
};

template <>
struct TypeMap<Time> : detail::SimpleMap<TypeMap<Time>, Time> {
  static SqlType sql() { return SqlType::time(); }
  static Value to_value(const Time& v) { return Value(v); }
  static Time from_value(const Value& v) { return convert::to_time(v); }
};

template <>
struct TypeMap<DateTime> : detail::SimpleMap<TypeMap<DateTime>, DateTime> {
  static SqlType sql() { return SqlType::datetime(false); }
  static Value to_value(const DateTime& v) { return Value(v); }
  static DateTime from_value(const Value& v) { return convert::to_datetime(v); }
};

template <>
struct TypeMap<DateTimeTz> : detail::SimpleMap<TypeMap<DateTimeTz>, DateTimeTz> {
  static SqlType sql() { return SqlType::datetime(true); }
  static Value to_value(const DateTimeTz& v) { return Value(v); }
  static DateTimeTz from_value(const Value& v) { return convert::to_datetime_tz(v); }
};

template <>
struct TypeMap<StringList> : detail::SimpleMap<TypeMap<StringList>, StringList> {
  static SqlType sql() { return SqlType::string_array(); }
  static Value to_value(const StringList& v) { return Value(v); }
  static StringList from_value(const Value& v) { return convert::to_string_list(v); }
};

/// JSON members. Defined in src/model/convert.cpp so that this header needs
/// only <nlohmann/json_fwd.hpp>.
template <>
struct TypeMap<nlohmann::json> {
  static constexpr bool supported = true;
  static constexpr bool nullable = false;
  static SqlType sql();
  /// JsonText{j.dump()}.
  static Value to_value(const nlohmann::json& j);
  /// From JsonText or text (parsed), StringList (as an array), int, double or bool.
  static nlohmann::json from_value(const Value& v);
  static nlohmann::json from_cell(const CellSource& row, int col);
};

/// Enums: stored as the enumerator's name; the SQL type is Enum with
/// enum_name = snake_case of the type name and the enumerator names (values
/// 0..127 are reflected, see reflect.hpp).
template <class E>
  requires std::is_enum_v<E>
struct TypeMap<E> : detail::SimpleMap<TypeMap<E>, E> {
  static constexpr auto names = enum_names<E>();
  static SqlType sql() {
    std::vector<std::string> values;
    for (auto n : names)
      if (!n.empty()) values.emplace_back(n);
    return SqlType::enumeration(convert::snake_case(type_name<E>()), std::move(values));
  }
  static Value to_value(E e) {
    auto i = static_cast<std::size_t>(static_cast<std::underlying_type_t<E>>(e));
    if (i >= names.size() || names[i].empty())
      convert::fail(Value(static_cast<std::int64_t>(i)), std::string(type_name<E>()));
    return Value(std::string(names[i]));
  }
  static E from_value(const Value& v) {
    if (const auto* s = v.get_if<std::string>()) {
      int i = convert::find_name(names.data(), names.size(), *s);
      if (i >= 0) return static_cast<E>(i);
    }
    convert::fail(v, std::string(type_name<E>()));
  }
};

/// std::optional<X>: X's type, nullable; NULL <-> std::nullopt.
template <class X>
struct TypeMap<std::optional<X>> {
  static constexpr bool supported = TypeMap<X>::supported;
  static constexpr bool nullable = true;
  static SqlType sql() { return TypeMap<X>::sql(); }
  static Value to_value(const std::optional<X>& v) {
    return v ? TypeMap<X>::to_value(*v) : Value();
  }
  static std::optional<X> from_value(const Value& v) {
    if (v.is_null()) return std::nullopt;
    return TypeMap<X>::from_value(v);
  }
  static std::optional<X> from_cell(const CellSource& row, int col) {
    if (row.is_null(col)) return std::nullopt;
    return TypeMap<X>::from_cell(row, col);
  }
};

/// TypeMap<X>::to_value(v): the Value a member of type X binds as.
template <class X>
Value to_value(const X& v) {
  return TypeMap<X>::to_value(v);
}
/// TypeMap<X>::from_value(v). Throws: SchemaError naming the value.
template <class X>
X from_value(const Value& v) {
  return TypeMap<X>::from_value(v);
}
/// TypeMap<X>::from_cell(row, col). Throws: SchemaError naming the value.
template <class X>
X from_cell(const CellSource& row, int col) {
  return TypeMap<X>::from_cell(row, col);
}

/// True when TypeMap<X> is specialized (X can be a column).
template <class X>
inline constexpr bool is_mapped_type_v = TypeMap<X>::supported;

}  // namespace strata::model
