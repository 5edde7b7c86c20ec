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

/// One cell of a row as a source read it up front: the typed value of its
/// storage class (integer for Integer, real for Real, text for Text; nothing
/// for Null and Blob, which are read through the virtual functions).
/// Trivial (no initializers), so that a source's array of them costs nothing
/// until it is filled.
struct CellView {
  CellKind kind;
  std::int64_t integer;
  double real;
  std::string_view text;
};

/// Read access to the cells of the current row, by 0-based column index.
///
/// The public functions are the interface readers use. They are not virtual:
/// a source that reads each row's cells up front (both drivers' cursors do,
/// in next()) publishes them with set_row(), and the typed reads of a cell of
/// that kind (kind(), is_null(), get_int64() of an Integer, get_double() of a
/// Real, get_text() of a Text) are then one array read, with no virtual call
/// per cell. Everything else goes to the protected do_* functions, which a
/// source implements (the std::locale facet pattern): conversions between
/// kinds, bytes, Values, and any column without a published cell. The fast
/// paths are forced inline (g++ kept kind() out of line: a call per cell).
class CellSource {
 public:
  virtual ~CellSource() = default;
  /// The cell's storage class. Lets readers take a typed fast path (an integer
  /// cell into an int member) and fall back to get_value() conversion otherwise.
  [[gnu::always_inline]] CellKind kind(int i) const {
    if (const CellView* c = view(i)) return c->kind;
    return do_kind(i);
  }
  [[gnu::always_inline]] bool is_null(int i) const {
    if (const CellView* c = view(i)) return c->kind == CellKind::Null;
    return do_is_null(i);
  }
  /// The cell as an integer (other kinds are converted as the driver does).
  [[gnu::always_inline]] std::int64_t get_int64(int i) const {
    const CellView* c = view(i);
    return c && c->kind == CellKind::Integer ? c->integer : do_get_int64(i);
  }
  /// The cell as a double (other kinds are converted as the driver does).
  [[gnu::always_inline]] double get_double(int i) const {
    const CellView* c = view(i);
    return c && c->kind == CellKind::Real ? c->real : do_get_double(i);
  }
  /// Text of the cell (numbers are converted as the driver does). Valid until
  /// the source moves to the next row.
  [[gnu::always_inline]] std::string_view get_text(int i) const {
    const CellView* c = view(i);
    return c && c->kind == CellKind::Text ? c->text : do_get_text(i);
  }
  std::span<const std::byte> get_bytes(int i) const { return do_get_bytes(i); }
  /// The cell in the driver's plain form: null, int64, double, text or bytes.
  Value get_value(int i) const { return do_get_value(i); }

 protected:
  CellSource() = default;
  CellSource(const CellSource&) = default;
  CellSource& operator=(const CellSource&) = default;
  /// Publishes the current row's cells (`count` of them; nullptr: none, every
  /// read goes to the do_* functions). The array must stay valid and
  /// unchanged until the next set_row().
  void set_row(const CellView* cells, int count) noexcept {
    row_ = cells;
    row_size_ = count;
  }

  virtual CellKind do_kind(int i) const {
    const Value v = get_value(i);
    if (v.is_null()) return CellKind::Null;
    if (v.holds<std::int64_t>() || v.holds<bool>()) return CellKind::Integer;
    if (v.holds<double>()) return CellKind::Real;
    if (v.holds<Bytes>()) return CellKind::Blob;
    return CellKind::Text;
  }
  virtual bool do_is_null(int i) const = 0;
  virtual std::int64_t do_get_int64(int i) const = 0;
  virtual double do_get_double(int i) const = 0;
  virtual std::string_view do_get_text(int i) const = 0;
  virtual std::span<const std::byte> do_get_bytes(int i) const = 0;
  virtual Value do_get_value(int i) const = 0;

 private:
  [[gnu::always_inline]] const CellView* view(int i) const noexcept {
    return static_cast<unsigned>(i) < static_cast<unsigned>(row_size_) ? row_ + i : nullptr;
  }
  const CellView* row_ = nullptr;
  int row_size_ = 0;
};

}  // namespace strata
