// strata/schema/metadata.cpp - MetaData: table registry, FK ordering, validation.
#include "strata/schema/metadata.hpp"

#include <algorithm>
#include <functional>
#include <queue>

#include "strata/core/error.hpp"

namespace strata::schema {
namespace {

std::string quoted_list(const std::vector<std::string>& names, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += sep;
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace

Table& MetaData::add_table(Table table) {
  if (find_table(table.name))
    throw SchemaError("table '" + table.name + "' is already defined in this MetaData");
  apply_naming_convention(table, naming_);
  by_name_.emplace(table.name, tables_.size());
  tables_.push_back(std::move(table));
  return tables_.back();
}

const Table* MetaData::find_table(std::string_view name) const noexcept {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &tables_[it->second];
}

const Table& MetaData::table(std::string_view name) const {
  if (const Table* t = find_table(name)) return *t;
  throw SchemaError("unknown table '" + std::string(name) + "'");
}

std::vector<const Table*> MetaData::sorted_tables() const {
  // Kahn's algorithm, always taking the earliest-inserted ready table (a
  // min-heap of positions), so the order is stable: independent tables keep
  // insertion order. O((tables + foreign keys) log tables). References to
  // tables not in this MetaData are ignored here (validate() reports them).
  const std::size_t n = tables_.size();
  std::vector<std::vector<std::size_t>> deps(n), dependents(n);
  std::vector<std::size_t> waiting(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& fk : tables_[i].foreign_keys) {
      if (fk.referred_table == tables_[i].name) continue;  // self-reference
      auto it = by_name_.find(fk.referred_table);
      if (it == by_name_.end()) continue;
      deps[i].push_back(it->second);
      dependents[it->second].push_back(i);
      ++waiting[i];
    }
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(i);
  std::vector<bool> done(n, false);
  std::vector<const Table*> out;
  out.reserve(n);
  while (!ready.empty()) {
    const std::size_t i = ready.top();
    ready.pop();
    done[i] = true;
    out.push_back(&tables_[i]);
    for (std::size_t d : dependents[i])
      if (--waiting[d] == 0) ready.push(d);
  }
  if (out.size() < n) {
    // Every remaining table waits on another remaining one: walk the first
    // pending dependency from the first remaining table until a table repeats;
    // the walk from that repetition on is a cycle. Name only its tables.
    std::size_t cur = 0;
    while (done[cur]) ++cur;
    std::vector<std::size_t> path;
    while (std::find(path.begin(), path.end(), cur) == path.end()) {
      path.push_back(cur);
      cur = *std::find_if(deps[cur].begin(), deps[cur].end(), [&](std::size_t j) { return !done[j]; });
    }
    std::vector<std::string> cycle;
    for (auto it = std::find(path.begin(), path.end(), cur); it != path.end(); ++it)
      cycle.push_back(tables_[*it].name);
    cycle.push_back(tables_[cur].name);
    throw SchemaError("foreign-key cycle between tables " + quoted_list(cycle, " -> ") +
                      ": cannot order them for CREATE TABLE");
  }
  return out;
}

void MetaData::validate() const {
  for (const auto& t : tables_) {
    for (const auto& fk : t.foreign_keys) {
      const std::string col = fk.columns.empty() ? std::string{} : fk.columns.front();
      const std::string where = "table '" + t.name + "' column '" + col + "'";
      if (fk.columns.empty())
        throw SchemaError("table '" + t.name + "' foreign key '" + fk.name + "' has no columns");
      for (const auto& c : fk.columns)
        if (!t.find_column(c))
          throw SchemaError("table '" + t.name + "' foreign key '" + fk.name + "' names unknown column '" +
                            c + "'");
      const Table* ref = find_table(fk.referred_table);
      if (!ref) throw SchemaError(where + " references unknown table '" + fk.referred_table + "'");
      if (fk.referred_columns.size() != fk.columns.size())
        throw SchemaError(where + ": foreign key '" + fk.name + "' has " + std::to_string(fk.columns.size()) +
                          " column(s) but references " + std::to_string(fk.referred_columns.size()));
      for (const auto& rc : fk.referred_columns)
        if (!ref->find_column(rc))
          throw SchemaError(where + " references unknown column '" + fk.referred_table + "." + rc + "'");
    }
    // Other constraints must name columns of their own table.
    auto check_cols = [&](const std::vector<std::string>& cols, std::string_view what, const std::string& name) {
      for (const auto& c : cols)
        if (!t.find_column(c))
          throw SchemaError("table '" + t.name + "' " + std::string(what) + " '" + name + "' names unknown column '" +
                            c + "'");
    };
    if (t.primary_key) check_cols(t.primary_key->columns, "primary key", t.primary_key->name);
    for (const auto& uq : t.unique_constraints) check_cols(uq.columns, "unique constraint", uq.name);
    for (const auto& ix : t.indexes) check_cols(ix.columns, "index", ix.name);
  }
}

}  // namespace strata::schema
