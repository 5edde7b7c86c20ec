// strata/migrate/reverse.hpp - the op that undoes an op (Alembic's reverse() / reverse_into).
//
// Downgrade = reverse(upgrade): the list reversed, each op inverted, so that a
// suggested downgrade is derived and never compared.
//
// Example:
//   auto down = migrate::reverse(up);  // [AddColumn a, CreateIndex i] -> [DropIndex i, DropColumn a]
#pragma once

#include <vector>

#include "strata/migrate/errors.hpp"
#include "strata/migrate/ops.hpp"

namespace strata::migrate {

/// The inverse of `op`:
///   create_table <-> drop_table (with the table), add_column <-> drop_column
///   (with the column), rename_table swaps names, alter_column swaps each change
///   with its existing_* record (and a rename with the old name),
///   create_index <-> drop_index (with the index), create_*_constraint <->
///   drop_constraint (with the constraint), execute runs reverse_sql (and its
///   reverse is the original SQL; bound params are not carried over),
///   run_callable swaps upgrade and downgrade.
/// reverse(reverse(op)) == op for every reversible op (Execute: without params).
/// Throws: IrreversibleOperation naming the op and table for bulk_insert, an
/// execute without reverse_sql, a run_callable without downgrade, a drop that
/// did not record what it dropped, an alter_column change without its existing_* value.
ops::Op reverse(const ops::Op& op);

/// The ops that undo `ops`: in reverse order, each reversed.
/// Throws: as reverse(op), for the first irreversible op (from the end).
std::vector<ops::Op> reverse(const std::vector<ops::Op>& ops);

}  // namespace strata::migrate
