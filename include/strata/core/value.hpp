// strata/core/value.hpp - Value: one bound parameter or one fetched cell.
//
// A Value holds *semantic* data (a Uuid, a DateTime, JSON text, ...). The
// driver of each dialect turns it into its wire form when binding (on SQLite a
// Uuid becomes 32 hex digits, a DateTime ISO text, a bool 0/1), so SQL
// generation and models never depend on a dialect's storage choices.
// Cells fetched from a database come back in the driver's plain forms (null,
// int64, double, text, bytes); the model layer converts them leniently
// (e.g. text "t" / int 1 -> bool, 32 or 36 hex digit text -> Uuid).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "strata/core/datetime.hpp"
#include "strata/core/uuid.hpp"

namespace strata {

/// Binary data (SQL BLOB / BYTEA).
using Bytes = std::vector<std::byte>;

/// An exact decimal held as its text ("86.40"), as Python's Decimal; SQL NUMERIC.
struct Numeric {
  std::string text;
  friend bool operator==(const Numeric&, const Numeric&) = default;
};

/// A JSON document held as its serialized text; SQL JSON / JSONB.
struct JsonText {
  std::string text;
  friend bool operator==(const JsonText&, const JsonText&) = default;
};

/// A list of strings; JSON array text on SQLite, TEXT[] on PostgreSQL.
using StringList = std::vector<std::string>;

/// One SQL value. Default-constructed it is NULL.
class Value {
 public:
  using Storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, Bytes, Uuid,
                               Date, Time, DateTime, DateTimeTz, Numeric, JsonText, StringList>;

  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(bool v) : v_(v) {}
  /// Every integral type but bool and char is stored as int64.
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
  Value(I v) : v_(static_cast<std::int64_t>(v)) {}
  Value(double v) : v_(v) {}
  Value(float v) : v_(static_cast<double>(v)) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(Bytes v) : v_(std::move(v)) {}
  Value(Uuid v) : v_(v) {}
  Value(Date v) : v_(v) {}
  Value(Time v) : v_(v) {}
  Value(DateTime v) : v_(v) {}
  Value(DateTimeTz v) : v_(v) {}
  Value(Numeric v) : v_(std::move(v)) {}
  Value(JsonText v) : v_(std::move(v)) {}
  Value(StringList v) : v_(std::move(v)) {}

  bool is_null() const noexcept { return v_.index() == 0; }
  const Storage& storage() const noexcept { return v_; }
  Storage& storage() noexcept { return v_; }
  template <class T>
  bool holds() const noexcept {
    return std::holds_alternative<T>(v_);
  }
  template <class T>
  const T* get_if() const noexcept {
    return std::get_if<T>(&v_);
  }

  /// SQL-literal-like text for messages and offline SQL ("NULL", "42", "'abc'").
  std::string repr() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  Storage v_;
};

}  // namespace strata
