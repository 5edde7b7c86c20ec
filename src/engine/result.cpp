// Result: fetch helpers over a driver cursor, after SQLAlchemy's CursorResult.
#include "strata/engine/result.hpp"

#include "strata/core/error.hpp"

namespace strata::engine {

Result::Result(std::unique_ptr<dialect::Cursor> cursor, std::shared_ptr<void> keep_alive) noexcept
    : keep_alive_(std::move(keep_alive)), cursor_(std::move(cursor)) {}

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    close();  // the cursor must die before the lease it may depend on
    keep_alive_ = std::move(other.keep_alive_);
    cursor_ = std::move(other.cursor_);
    rows_affected_ = other.rows_affected_;
    has_row_ = other.has_row_;
    other.has_row_ = false;
  }
  return *this;
}

Result::~Result() { close(); }

void Result::close() noexcept {
  cursor_.reset();
  has_row_ = false;
}

bool Result::next() {
  if (!cursor_) return false;
  has_row_ = false;
  has_row_ = cursor_->next();
  if (!has_row_) rows_affected_ = cursor_->rows_affected();
  return has_row_;
}

const dialect::Cursor& Result::row() const {
  if (!has_row_ || !cursor_) throw InvalidRequestError("Result::row(): no current row (call next() first and check that it returned true)");
  return *cursor_;
}

std::vector<std::string> Result::keys() const {
  std::vector<std::string> out;
  if (!cursor_) return out;
  const int n = cursor_->column_count();
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.emplace_back(cursor_->column_name(i));
  return out;
}

std::vector<Value> Result::current_values() const {
  const int n = cursor_->column_count();
  std::vector<Value> row;
  row.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) row.push_back(cursor_->get_value(i));
  return row;
}

std::vector<std::vector<Value>> Result::all() {
  std::vector<std::vector<Value>> rows;
  while (next()) rows.push_back(current_values());
  return rows;
}

std::vector<Value> Result::scalars() {
  std::vector<Value> out;
  while (next()) out.push_back(cursor_->column_count() > 0 ? cursor_->get_value(0) : Value());
  return out;
}

std::optional<std::vector<Value>> Result::first() {
  std::optional<std::vector<Value>> row;
  if (next()) row = current_values();
  close();
  return row;
}

std::optional<std::vector<Value>> Result::at_most_one(const char* multiple_message) {
  std::optional<std::vector<Value>> row;
  if (next()) {
    row = current_values();
    if (next()) {
      close();
      throw MultipleResultsFound(multiple_message);
    }
  }
  close();
  return row;
}

std::optional<std::vector<Value>> Result::one_or_none() {
  return at_most_one("Multiple rows were found when one or none was required");
}

std::vector<Value> Result::one() {
  auto row = at_most_one("Multiple rows were found when exactly one was required");
  if (!row) throw NoResultFound("No row was found when one was required");
  return std::move(*row);
}

Value Result::scalar() {
  Value v;
  if (next() && cursor_->column_count() > 0) v = cursor_->get_value(0);
  close();
  return v;
}

std::int64_t Result::rows_affected() {
  while (next()) {
  }
  return rows_affected_;
}

}  // namespace strata::engine
