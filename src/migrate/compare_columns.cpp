// autogenerate: columns of a table present on both sides - added, removed,
// renamed (confirmed only) and altered (type, nullable, server default).
#include <algorithm>

#include "migrate/compare_detail.hpp"

namespace strata::migrate::detail {
namespace {

std::string qual(const std::string& table, const std::string& column) { return "'" + table + "." + column + "'"; }

// The AlterColumn turning `from` into `to` (named `to.name` after any rename),
// or nullopt when nothing differs.
std::optional<Step> alter(const std::string& table, const schema::Column& from, const schema::Column& to,
                          const CompareOptions& opt, std::vector<std::string>& messages,
                          std::vector<std::string>& warnings) {
  // Most columns did not change: decided before building the op and its strings.
  const bool type_changed = !same_type(from.type, to.type, opt);
  const bool nullable_changed = from.nullable != to.nullable;
  const bool default_changed = !same_server_default(from.server_default, to.server_default);
  if (!type_changed && !nullable_changed && !default_changed) return std::nullopt;
  ops::AlterColumn a;
  a.table_name = table;
  a.column_name = to.name;
  a.existing_type = from.type;
  a.existing_nullable = from.nullable;
  a.existing_server_default = from.server_default;
  const std::string where = qual(table, to.name);
  if (type_changed) {
    a.type = to.type;
    const std::string f = type_spelling(from.type, opt), t = type_spelling(to.type, opt);
    messages.push_back("Detected type change from " + f + " to " + t + " on " + where);
    if (narrows(from.type, to.type))
      warnings.push_back("type change of " + where + " from " + f + " to " + t +
                         " narrows it: existing values may not fit");
  }
  if (nullable_changed) {
    a.nullable = to.nullable;
    messages.push_back(std::string("Detected ") + (to.nullable ? "NULL" : "NOT NULL") + " on column " + where);
    if (!to.nullable && !to.server_default)
      warnings.push_back("column " + where + " becomes NOT NULL without a server default: fails if a row holds NULL");
  }
  if (default_changed) {
    a.server_default = to.server_default;
    messages.push_back(std::string("Detected ") + (to.server_default ? "" : "removed ") +
                       "server default on column " + where);
  }
  return Step{std::move(a), {}};
}

}  // namespace

Renames compare_columns(const schema::Table& cur, const schema::Table& tgt, const Renames& confirmed,
                        const CompareOptions& opt, TableSteps& steps, std::vector<std::string>& warnings,
                        Renames& candidates) {
  const std::string& table = tgt.name;
  std::vector<const schema::Column*> removed, added;
  for (const auto& c : cur.columns)
    if (!tgt.find_column(c.name)) removed.push_back(&c);
  for (const auto& c : tgt.columns)
    if (!cur.find_column(c.name)) added.push_back(&c);

  // Confirmed renames: old must be gone and new must be new.
  Renames applied;
  for (const auto& [old_name, new_name] : confirmed) {
    auto r = std::find_if(removed.begin(), removed.end(), [&](auto* c) { return c->name == old_name; });
    auto a = std::find_if(added.begin(), added.end(), [&](auto* c) { return c->name == new_name; });
    if (r == removed.end() || a == added.end()) {
      warnings.push_back("confirmed rename of column " + qual(table, old_name) + " to " + qual(table, new_name) +
                         " does not match a removed and an added column; ignored");
      continue;
    }
    ops::AlterColumn op;
    op.table_name = table;
    op.column_name = old_name;
    op.new_column_name = new_name;
    op.existing_type = (*r)->type;
    op.existing_nullable = (*r)->nullable;
    op.existing_server_default = (*r)->server_default;
    steps.renames.push_back(
        {std::move(op), {"Detected renamed column " + qual(table, old_name) + " to " + qual(table, new_name)}});
    schema::Column renamed = **r;
    renamed.name = new_name;
    std::vector<std::string> msgs;
    if (auto s = alter(table, renamed, **a, opt, msgs, warnings)) {
      s->messages = std::move(msgs);
      steps.alters.push_back(std::move(*s));
    }
    applied.emplace_back(old_name, new_name);
    removed.erase(r);
    added.erase(a);
  }

  // Unconfirmed candidates stay drop + add, with a warning per pair.
  for (const auto* r : removed)
    for (const auto* a : added)
      if (same_type(r->type, a->type, opt)) {
        warnings.push_back("possible rename of column " + qual(table, r->name) + " to " + qual(table, a->name) +
                           ": confirm with --rename " + table + "." + r->name + ":" + a->name);
        candidates.emplace_back(table + "." + r->name, a->name);
      }

  for (const auto* c : added) {
    steps.adds.push_back({ops::AddColumn{table, *c}, {"Detected added column " + qual(table, c->name)}});
    if (!c->nullable && !c->server_default)
      warnings.push_back("added column " + qual(table, c->name) +
                         " is NOT NULL without a server default: fails if the table has rows");
  }
  for (const auto& to : tgt.columns) {
    const schema::Column* from = cur.find_column(to.name);
    if (!from) continue;
    std::vector<std::string> msgs;
    if (auto s = alter(table, *from, to, opt, msgs, warnings)) {
      s->messages = std::move(msgs);
      steps.alters.push_back(std::move(*s));
    }
  }
  for (const auto* c : removed) {
    steps.drops.push_back(
        {ops::DropColumn{table, c->name, *c}, {"Detected removed column " + qual(table, c->name)}});
    warnings.push_back("drop column " + qual(table, c->name) + " deletes its data");
  }
  return applied;
}

}  // namespace strata::migrate::detail
