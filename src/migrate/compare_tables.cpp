// autogenerate: the entry point. Tables added, removed and renamed (confirmed
// only); each table present on both sides is handed to compare_columns /
// compare_constraints / compare_indexes, and their steps are flushed in the
// order documented in compare.hpp.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "migrate/compare_detail.hpp"

namespace strata::migrate {
namespace {

using detail::Step;
using detail::TableSteps;

void emit(Diff& d, std::vector<Step>& steps) {
  for (auto& s : steps) {
    d.ops.push_back(std::move(s.op));
    for (auto& m : s.messages) d.messages.push_back(std::move(m));
  }
}

// Column names and types, sorted: two tables with the same are a rename candidate.
std::vector<std::pair<std::string, std::string>> signature(const schema::Table& t, const CompareOptions& opt) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : t.columns) out.emplace_back(c.name, detail::type_spelling(c.type, opt));
  std::sort(out.begin(), out.end());
  return out;
}

// Constraint and index columns of `t` after its columns were renamed.
void rename_columns(schema::Table& t, const detail::Renames& renames) {
  auto fix = [&](std::vector<std::string>& cols) {
    for (auto& c : cols)
      for (const auto& [o, n] : renames)
        if (c == o) c = n;
  };
  for (auto& c : t.columns)
    for (const auto& [o, n] : renames)
      if (c.name == o) c.name = n;
  if (t.primary_key) fix(t.primary_key->columns);
  for (auto& u : t.unique_constraints) fix(u.columns);
  for (auto& fk : t.foreign_keys) fix(fk.columns);
  for (auto& ix : t.indexes) fix(ix.columns);
}

void compare_table(const schema::Table& cur_in, const schema::Table& tgt, const detail::Renames& column_renames,
                   const CompareOptions& opt, Diff& d) {
  TableSteps steps;
  // compare_* name the table by tgt.name; cur_in is copied only when some of
  // its columns are renamed.
  const detail::Renames applied =
      detail::compare_columns(cur_in, tgt, column_renames, opt, steps, d.warnings, d.rename_candidates);
  std::optional<schema::Table> renamed;
  if (!applied.empty()) {
    renamed = cur_in;
    rename_columns(*renamed, applied);
  }
  const schema::Table& cur = renamed ? *renamed : cur_in;
  detail::compare_constraints(cur, tgt, steps);
  detail::compare_indexes(cur, tgt, steps);
  for (auto* bucket : {&steps.drop_indexes, &steps.drop_constraints, &steps.renames, &steps.adds, &steps.alters,
                       &steps.drops, &steps.add_uniques, &steps.add_foreign_keys, &steps.add_checks,
                       &steps.add_indexes})
    emit(d, *bucket);
}

}  // namespace

Diff compare(const schema::MetaData& current, const schema::MetaData& target, const CompareOptions& opt) {
  Diff d;
  std::set<std::string> removed, added;
  for (const auto& t : current.tables())
    if (!target.find_table(t.name)) removed.insert(t.name);
  for (const auto& t : target.tables())
    if (!current.find_table(t.name)) added.insert(t.name);

  // Confirmed renames: "table.old" -> "new" for a column, "old" -> "new" for a table.
  std::map<std::string, std::string> table_renames;  // old -> new, sorted by old
  std::map<std::string, detail::Renames> column_renames;  // table -> (old, new)
  for (const auto& [from, to] : opt.confirmed_renames) {
    const auto dot = from.find('.');
    if (dot != std::string::npos) {
      column_renames[from.substr(0, dot)].emplace_back(from.substr(dot + 1), to);
    } else if (removed.count(from) && added.count(to)) {
      table_renames[from] = to;
      removed.erase(from);
      added.erase(to);
    } else {
      d.warnings.push_back("confirmed rename of table '" + from + "' to '" + to +
                           "' does not match a removed and an added table; ignored");
    }
  }
  for (const auto& r : removed)
    for (const auto& a : added)
      if (signature(current.table(r), opt) == signature(target.table(a), opt)) {
        d.warnings.push_back("possible rename of table '" + r + "' to '" + a + "': confirm with --rename " + r + ":" +
                             a);
        d.rename_candidates.emplace_back(r, a);
      }

  for (const auto& [from, to] : table_renames) {
    d.ops.push_back(ops::RenameTable{from, to});
    d.messages.push_back("Detected renamed table '" + from + "' to '" + to + "'");
  }
  // (sorted_tables() is a topological sort of every table: only when one is added.)
  for (const schema::Table* t : added.empty() ? std::vector<const schema::Table*>{} : target.sorted_tables()) {
    if (!added.count(t->name)) continue;
    d.ops.push_back(ops::CreateTable{*t, false});
    d.messages.push_back("Detected added table '" + t->name + "'");
  }

  // Tables on both sides, by their target name; column renames may be keyed
  // by the old or the new table name.
  std::map<std::string, const schema::Table*> pairs;  // target name -> current table
  for (const auto& t : current.tables())
    if (target.find_table(t.name)) pairs[t.name] = &t;
  for (const auto& [from, to] : table_renames) pairs[to] = current.find_table(from);
  for (const auto& [name, cur] : pairs) {
    detail::Renames renames;
    for (const std::string& key : {cur->name, name}) {
      auto it = column_renames.find(key);
      if (it == column_renames.end()) continue;
      renames.insert(renames.end(), it->second.begin(), it->second.end());
      column_renames.erase(it);
    }
    compare_table(*cur, target.table(name), renames, opt, d);
  }
  for (const auto& [table, renames] : column_renames)
    for (const auto& [o, n] : renames)
      d.warnings.push_back("confirmed rename of column '" + table + "." + o + "' to '" + table + "." + n +
                           "' names a table that is not on both sides; ignored");

  const auto order = removed.empty() ? std::vector<const schema::Table*>{} : current.sorted_tables();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const schema::Table& t = **it;
    if (!removed.count(t.name)) continue;
    d.ops.push_back(ops::DropTable{t.name, t, false});
    d.messages.push_back("Detected removed table '" + t.name + "'");
    d.warnings.push_back("drop table '" + t.name + "' deletes its rows");
  }
  return d;
}

}  // namespace strata::migrate
