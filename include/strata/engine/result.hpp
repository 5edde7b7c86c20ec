// strata/engine/result.hpp - Result: the rows of one executed statement.
//
// Modelled on SQLAlchemy 2.0's CursorResult: forward-only, with the fetch
// helpers all() / first() / one() / one_or_none() / scalar(). Rows are read in
// place through row() (a CellSource, no Value per cell) or copied out as plain
// Values (null, int64, double, text, bytes; see core/value.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/core/value.hpp"
#include "strata/dialect/driver.hpp"

namespace strata::engine {

class Result {
 public:
  /// Wraps a cursor. `keep_alive` is held until the Result is destroyed, after
  /// the cursor (Connection passes its pool lease, so that the driver
  /// connection is not handed to someone else while the rows are read).
  explicit Result(std::unique_ptr<dialect::Cursor> cursor, std::shared_ptr<void> keep_alive = {}) noexcept;
  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept;
  ~Result();

  /// Advances to the next row; false at the end (or once closed).
  /// Throws: DatabaseError subclasses raised by the database while stepping.
  bool next();
  /// The current row. Pre: the last next() returned true.
  /// Throws: InvalidRequestError when there is no current row.
  const dialect::Cursor& row() const;
  /// Column names; empty once the Result is closed.
  std::vector<std::string> keys() const;
  /// The remaining rows as plain Values (the Result stays open, keys() works).
  std::vector<std::vector<Value>> all();
  /// The first column of each remaining row (SQLAlchemy's scalars().all()).
  std::vector<Value> scalars();
  /// The next row, or std::nullopt; then closes the Result.
  std::optional<std::vector<Value>> first();
  /// Exactly one row; then closes.
  /// Throws: NoResultFound (no row), MultipleResultsFound (more than one).
  std::vector<Value> one();
  /// One row or std::nullopt; then closes. Throws: MultipleResultsFound.
  std::optional<std::vector<Value>> one_or_none();
  /// First column of the next row, NULL when there is none; then closes.
  Value scalar();
  /// Runs the statement to completion and returns the rows it changed
  /// (INSERT / UPDATE / DELETE; 0 for anything else).
  std::int64_t rows_affected();
  /// Releases the statement now (the destructor does it otherwise). Idempotent.
  void close() noexcept;
  bool closed() const noexcept { return cursor_ == nullptr; }

 private:
  std::vector<Value> current_values() const;
  std::optional<std::vector<Value>> at_most_one(const char* multiple_message);

  std::shared_ptr<void> keep_alive_;  // declared first: destroyed after the cursor
  std::unique_ptr<dialect::Cursor> cursor_;
  std::int64_t rows_affected_ = 0;
  bool has_row_ = false;
};

}  // namespace strata::engine

namespace strata {
using engine::Result;
}
