// autogenerate: unique constraints, foreign keys, named CHECKs and indexes of
// a table present on both sides. Unique constraints and foreign keys match by
// what they constrain (a database may not keep their names: SQLite's inline
// UNIQUE), CHECKs and indexes by name.
#include <algorithm>

#include "migrate/compare_detail.hpp"

namespace strata::migrate::detail {
namespace {

std::string on(const std::string& table) { return " on '" + table + "'"; }

bool same_fk(const schema::ForeignKeyConstraint& a, const schema::ForeignKeyConstraint& b) {
  return a.columns == b.columns && a.referred_table == b.referred_table && a.referred_columns == b.referred_columns &&
         a.on_delete == b.on_delete && a.on_update == b.on_update;
}

template <class C, class Match>
bool contains(const std::vector<C>& v, const C& x, Match match) {
  return std::any_of(v.begin(), v.end(), [&](const C& y) { return match(x, y); });
}

}  // namespace

void compare_constraints(const schema::Table& cur, const schema::Table& tgt, TableSteps& steps) {
  const std::string& table = tgt.name;
  using K = ops::ConstraintKind;

  // Drops: foreign keys first (they may hold up the others on PostgreSQL).
  for (const auto& fk : cur.foreign_keys)
    if (!contains(tgt.foreign_keys, fk, same_fk))
      steps.drop_constraints.push_back({ops::DropConstraint{table, fk.name, K::ForeignKey, ops::AnyConstraint{fk}},
                                        {"Detected removed foreign key '" + fk.name + "'" + on(table)}});
  auto same_uq = [](const auto& a, const auto& b) { return a.columns == b.columns; };
  for (const auto& uq : cur.unique_constraints)
    if (!contains(tgt.unique_constraints, uq, same_uq))
      steps.drop_constraints.push_back({ops::DropConstraint{table, uq.name, K::Unique, ops::AnyConstraint{uq}},
                                        {"Detected removed unique constraint '" + uq.name + "'" + on(table)}});
  // By name, and by the condition in canonical form (PostgreSQL gives back its
  // own spelling of what the model wrote: `(age > 0)` for `age > 0`).
  auto same_ck = [](const auto& a, const auto& b) {
    return a.name == b.name && canonical_sql(a.sqltext) == canonical_sql(b.sqltext);
  };
  for (const auto& ck : cur.checks)
    if (!contains(tgt.checks, ck, same_ck))
      steps.drop_constraints.push_back({ops::DropConstraint{table, ck.name, K::Check, ops::AnyConstraint{ck}},
                                        {"Detected removed check constraint '" + ck.name + "'" + on(table)}});

  for (const auto& uq : tgt.unique_constraints)
    if (!contains(cur.unique_constraints, uq, same_uq))
      steps.add_uniques.push_back({ops::CreateUniqueConstraint{table, uq},
                                   {"Detected added unique constraint '" + uq.name + "'" + on(table) + " (" +
                                    join(uq.columns) + ")"}});
  for (const auto& fk : tgt.foreign_keys)
    if (!contains(cur.foreign_keys, fk, same_fk))
      steps.add_foreign_keys.push_back(
          {ops::CreateForeignKey{table, fk},
           {"Detected added foreign key '" + fk.name + "'" + on(table) + " (" + join(fk.columns) + ") -> " +
            fk.referred_table + " (" + join(fk.referred_columns) + ")"}});
  for (const auto& ck : tgt.checks)
    if (!contains(cur.checks, ck, same_ck))
      steps.add_checks.push_back(
          {ops::CreateCheckConstraint{table, ck}, {"Detected added check constraint '" + ck.name + "'" + on(table)}});
}

void compare_indexes(const schema::Table& cur, const schema::Table& tgt, TableSteps& steps) {
  const std::string& table = tgt.name;
  auto find = [](const schema::Table& t, const std::string& name) -> const schema::Index* {
    for (const auto& ix : t.indexes)
      if (ix.name == name) return &ix;
    return nullptr;
  };
  for (const auto& ix : cur.indexes) {
    const schema::Index* other = find(tgt, ix.name);
    if (!other || *other != ix)
      steps.drop_indexes.push_back(
          {ops::DropIndex{table, ix.name, ix, false}, {"Detected removed index '" + ix.name + "'" + on(table)}});
  }
  for (const auto& ix : tgt.indexes) {
    const schema::Index* other = find(cur, ix.name);
    if (!other || *other != ix)
      steps.add_indexes.push_back({ops::CreateIndex{table, ix, false},
                                   {std::string("Detected added ") + (ix.unique ? "unique " : "") + "index '" +
                                    ix.name + "'" + on(table) + " (" + join(ix.columns) + ")"}});
  }
}

}  // namespace strata::migrate::detail
