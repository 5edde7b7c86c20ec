// strata/core/cell.hpp - CellSource: typed read access to the cells of one row.
//
// Implemented by each driver's cursor (dialect::Cursor) and read by the model
// layer to fill struct members without building a Value per cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "strata/core/value.hpp"

namespace strata {

/// The storage class of a cell as the driver holds it (SQLite's fundamental
/// datatypes; a text-protocol driver reports Text for every non-NULL cell).
enum class CellKind { Null, Integer, Real, Text, Blob };

class CellSource {
 public:
  virtual ~CellSource() = default;
  /// The cell's storage class. Lets readers take a typed fast path (an integer
  /// cell into an int member) and fall back to get_value() conversion otherwise.
  virtual CellKind kind(int i) const {
    const Value v = get_value(i);
    if (v.is_null()) return CellKind::Null;
    if (v.holds<std::int64_t>() || v.holds<bool>()) return CellKind::Integer;
    if (v.holds<double>()) return CellKind::Real;
    if (v.holds<Bytes>()) return CellKind::Blob;
    return CellKind::Text;
  }
  virtual bool is_null(int i) const = 0;
  virtual std::int64_t get_int64(int i) const = 0;
  virtual double get_double(int i) const = 0;
  /// Text of the cell (numbers are converted as the driver does).
  virtual std::string_view get_text(int i) const = 0;
  virtual std::span<const std::byte> get_bytes(int i) const = 0;
  /// The cell in the driver's plain form: null, int64, double, text or bytes.
  virtual Value get_value(int i) const = 0;
};

}  // namespace strata
