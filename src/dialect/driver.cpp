// Default implementations of the optional DriverConnection operations.
#include "strata/dialect/driver.hpp"

#include <string>

#include "strata/core/error.hpp"

namespace strata::dialect {

std::int64_t DriverConnection::execute_many(std::string_view sql, std::span<const Value> params,
                                            std::size_t params_per_row) {
  if (params_per_row == 0 || params.size() % params_per_row != 0)
    throw ArgumentError("execute_many: " + std::to_string(params.size()) + " parameters are not rows of " +
                        std::to_string(params_per_row));
  std::int64_t total = 0;
  for (std::size_t i = 0; i < params.size(); i += params_per_row)
    total += execute_update(sql, params.subspan(i, params_per_row));
  return total;
}

std::int64_t DriverConnection::execute_update_views(std::string_view sql, std::span<const ParamView> params) {
  return execute_update(sql, to_values(params));
}

bool DriverConnection::query_first(std::string_view sql, std::span<const Value> params,
                                   const FirstRowSink& on_row) {
  auto cursor = execute(sql, params);
  if (!cursor->next()) return false;
  on_row(*cursor);
  return true;
}

void DriverConnection::execute_many_returning(std::string_view sql, std::span<const Value> params,
                                              std::size_t params_per_row, const RowSink& on_row) {
  if (params_per_row == 0 || params.size() % params_per_row != 0)
    throw ArgumentError("execute_many_returning: " + std::to_string(params.size()) + " parameters are not rows of " +
                        std::to_string(params_per_row));
  for (std::size_t i = 0, row = 0; i < params.size(); i += params_per_row, ++row) {
    auto cursor = execute(sql, params.subspan(i, params_per_row));
    while (cursor->next()) on_row(row, *cursor);
  }
}

std::int64_t DriverConnection::copy_in(std::string_view quoted_table, std::span<const std::string> quoted_columns,
                                       std::span<const Value> rows) {
  if (quoted_columns.empty()) throw ArgumentError("copy_in into " + std::string(quoted_table) + ": no columns");
  std::string sql = "INSERT INTO " + std::string(quoted_table) + " (";
  std::string marks;
  for (std::size_t i = 0; i < quoted_columns.size(); ++i) {
    sql += (i ? ", " : "") + quoted_columns[i];
    marks += i ? ", ?" : "?";
  }
  sql += ") VALUES (" + marks + ")";
  if (rows.size() % quoted_columns.size() != 0)
    throw ArgumentError("copy_in into " + std::string(quoted_table) + ": " + std::to_string(rows.size()) +
                        " values are not rows of " + std::to_string(quoted_columns.size()) + " columns");
  return execute_many(sql, rows, quoted_columns.size());
}

}  // namespace strata::dialect
