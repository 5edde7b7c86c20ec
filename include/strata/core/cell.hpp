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

class CellSource {
 public:
  virtual ~CellSource() = default;
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
