// Private to src/migrate/compare_*.cpp: the pieces of autogenerate's compare,
// split by concern as Alembic's autogenerate/compare package is.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "strata/migrate/compare.hpp"

namespace strata::migrate::detail {

/// One op with its "Detected ..." lines (an AlterColumn has one per change).
struct Step {
  ops::Op op;
  std::vector<std::string> messages;
};

/// The ops of one table present on both sides, in buckets that compare_tables
/// flushes in the documented order.
struct TableSteps {
  std::vector<Step> drop_indexes, drop_constraints;
  std::vector<Step> renames, adds, alters, drops;
  std::vector<Step> add_uniques, add_foreign_keys, add_checks, add_indexes;
};

using Renames = std::vector<std::pair<std::string, std::string>>;

// compare_types.cpp
/// Equal as the options' dialect stores them (exactly without a dialect).
bool same_type(const SqlType& a, const SqlType& b, const CompareOptions& opt);
/// "VARCHAR(255)" with a dialect, "String(255)" without.
std::string type_spelling(const SqlType& t, const CompareOptions& opt);
/// True unless every value of `from` fits `to` unchanged.
bool narrows(const SqlType& from, const SqlType& to);

// compare_columns.cpp
/// Columns of `cur` vs `tgt` (the same table, maybe renamed: ops and messages name it tgt.name).
/// `confirmed` are this table's confirmed column renames (old -> new); the
/// ones applied are returned, so constraints can be compared after them.
/// Unconfirmed rename candidates are appended to `candidates` ({"table.old", "new"}).
Renames compare_columns(const schema::Table& cur, const schema::Table& tgt, const Renames& confirmed,
                        const CompareOptions& opt, TableSteps& steps, std::vector<std::string>& warnings,
                        Renames& candidates);

// compare_constraints.cpp
void compare_constraints(const schema::Table& cur, const schema::Table& tgt, TableSteps& steps);
void compare_indexes(const schema::Table& cur, const schema::Table& tgt, TableSteps& steps);

// compare_sql.cpp
/// An SQL expression (a CHECK condition) in a canonical form: keywords and
/// unquoted names lower case, needless identifier quotes and every `::type`
/// cast dropped, `x IN (a, b)` spelled `x = ANY (ARRAY[a, b])` (NOT IN:
/// `<> ALL`), and the parentheses that operator precedence does not need
/// dropped, so that `age > 0 AND age < 200` and PostgreSQL's
/// `((age > 0) AND (age < 200))` read alike; `(a OR b) AND c` keeps its own.
std::string canonical_sql(std::string_view sql);

/// "a, b"
std::string join(const std::vector<std::string>& names, std::string_view sep = ", ");

}  // namespace strata::migrate::detail
