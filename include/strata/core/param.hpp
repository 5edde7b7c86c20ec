// strata/core/param.hpp - ParamView: one statement parameter read straight
// from a struct member, without building a Value.
//
// The writing counterpart of cell.hpp's CellView: the model layer fills one
// ParamView per parameter (model::FieldInfo::put), and a driver binds it
// (DriverConnection::execute_update_views). The SQLite driver binds a Text
// view in place (SQLITE_STATIC), so a loop of INSERTs copies no string
// before SQLite copies it into the row.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "strata/core/value.hpp"

namespace strata {

/// One parameter: a plain value for the kinds every driver binds natively,
/// a Value for the rest.
struct ParamView {
  enum class Kind : std::uint8_t {
    Null,     ///< SQL NULL (an empty std::optional)
    Bool,     ///< `integer` is 0 or 1
    Integer,  ///< `integer`
    Real,     ///< `real`
    Text,     ///< `text`
    Boxed,    ///< `boxed`: Uuid, dates and times, Numeric, Json, bytes, lists, enums
  };
  Kind kind = Kind::Null;
  std::int64_t integer = 0;
  double real = 0;
  /// Kind::Text: the characters of a std::string member, valid while that
  /// member is unchanged (a statement's execution); text.data()[text.size()]
  /// is the string's terminating NUL.
  std::string_view text;
  /// Kind::Boxed: the value as FieldInfo::get gives it.
  Value boxed;

  /// The parameter as a Value (what the Value-based interfaces take): Bool as
  /// bool, Integer as int64, Real as double, Text as a std::string copy.
  Value to_value() const {
    switch (kind) {
      case Kind::Null: return Value();
      case Kind::Bool: return Value(integer != 0);
      case Kind::Integer: return Value(integer);
      case Kind::Real: return Value(real);
      case Kind::Text: return Value(std::string(text));
      case Kind::Boxed: break;
    }
    return boxed;
  }
};

/// Each parameter's to_value(), in order: what the Value-based interfaces
/// take (a driver without in-place binding, the echo of a statement).
inline std::vector<Value> to_values(std::span<const ParamView> params) {
  std::vector<Value> values;
  values.reserve(params.size());
  for (const ParamView& p : params) values.push_back(p.to_value());
  return values;
}

}  // namespace strata
