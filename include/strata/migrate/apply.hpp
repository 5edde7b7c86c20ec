// strata/migrate/apply.hpp - evolve an in-memory schema by an op (replaying history).
//
// apply(op, md) changes `md` as running the op changes the database, so that a
// revision history can be replayed without a database (Django's migration
// state; autogenerate's `check`) and so that to_ddl() knows the table that a
// SQLite rebuild must create.
//
// Example:
//   schema::MetaData md;
//   for (const auto& op : upgrade_ops) migrate::apply(op, md);
#pragma once

#include <string_view>
#include <vector>

#include "strata/migrate/errors.hpp"
#include "strata/migrate/ops.hpp"
#include "strata/schema/metadata.hpp"

namespace strata::migrate {

/// Applies one op to `md`:
/// - create_table adds the table (constraint names filled by md's naming convention);
///   drop_table / rename_table remove / rename it; rename_table also renames
///   references of other tables' foreign keys (as SQLite and PostgreSQL do);
/// - add_column / drop_column / alter_column change the table's columns; a
///   dropped column takes with it the indexes, unique constraints, foreign keys
///   and primary key that involve it (PostgreSQL's DROP COLUMN; check
///   constraints are SQL text and are kept); a renamed column is renamed in the
///   table's key, indexes, constraints and in foreign keys that reference it;
/// - create_* / drop_* of an index or constraint add / remove it;
/// - execute, bulk_insert and run_callable change data only: no-ops here.
/// Throws: MigrationError naming the table (and column) when the op does not
/// fit the schema: unknown table / column / index / constraint, a table or
/// column that already exists, a second primary key. `md` is unchanged then.
void apply(const ops::Op& op, schema::MetaData& md);

/// Applies each op in order. Throws: as apply(); ops before the failing one stay applied.
void apply(const std::vector<ops::Op>& ops, schema::MetaData& md);

/// A MetaData with `md`'s naming convention holding `tables` (in that order):
/// the way to remove or change tables, since MetaData only adds them.
/// Throws: SchemaError for two tables of one name.
schema::MetaData with_tables(const schema::MetaData& md, const std::vector<schema::Table>& tables);

}  // namespace strata::migrate
