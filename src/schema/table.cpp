// strata/schema/table.cpp - column lookup on Table, FkAction spelling.
#include "strata/schema/table.hpp"

#include "strata/core/error.hpp"

namespace strata::schema {

const Column* Table::find_column(std::string_view n) const noexcept {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

Column* Table::find_column(std::string_view n) noexcept {
  for (auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

const Column& Table::column(std::string_view n) const {
  if (const Column* c = find_column(n)) return *c;
  throw SchemaError("table '" + name + "' has no column '" + std::string(n) + "'");
}

std::vector<std::string> Table::primary_key_columns() const {
  // The constraint is authoritative; a table built by hand with only
  // Column::primary_key flags still reports its key (in column order).
  if (primary_key && !primary_key->columns.empty()) return primary_key->columns;
  std::vector<std::string> out;
  for (const auto& c : columns)
    if (c.primary_key) out.push_back(c.name);
  return out;
}

const char* to_sql(FkAction a) noexcept {
  switch (a) {
    case FkAction::NoAction: return "NO ACTION";
    case FkAction::Restrict: return "RESTRICT";
    case FkAction::Cascade: return "CASCADE";
    case FkAction::SetNull: return "SET NULL";
    case FkAction::SetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

}  // namespace strata::schema
