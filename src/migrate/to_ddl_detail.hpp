// Private to src/migrate/to_ddl*.cpp: the statements of dialects that ALTER
// (PostgreSQL), split from to_ddl.cpp (dispatch, SQLite's rebuild, running).
// The rules are documented in include/strata/migrate/to_ddl.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "strata/migrate/to_ddl.hpp"

namespace strata::migrate::detail {

/// A statement without parameters.
Statement statement(std::string sql);

/// The dialect's spelling of `n` consecutive placeholders ("?" each on
/// SQLite, "$1".."$n" on PostgreSQL), learnt from its compiler, not its name.
std::vector<std::string> placeholders(const dialect::Dialect& d, std::size_t n);

/// The columns of `md` whose type is the native enum `name`, as (table, column)
/// pairs, skipping `skip_table`.`skip_column` (both empty: skip nothing) and,
/// when `skip_table` is given without a column, every column of that table.
std::vector<std::pair<std::string, std::string>> enum_users(const schema::MetaData& md, const std::string& name,
                                                            const std::string& skip_table = {},
                                                            const std::string& skip_column = {});

/// `CREATE TYPE "name" AS ENUM ('a', 'b')` unless a column of `before` uses
/// the type already (nothing then). Throws: MigrationError naming the type
/// and both value lists when `before` holds it with other values.
std::vector<Statement> create_enum_if_new(const dialect::Dialect& d, const schema::MetaData& before,
                                          const SqlType& type, const std::string& table);

/// The ALTER TABLE statements of an alter_column on an ALTER-capable dialect.
std::vector<Statement> alter_column(const ops::AlterColumn& o, const dialect::Dialect& d,
                                    const schema::MetaData& before);

/// True when `op`'s statements on `d` run the same with SQLite's foreign keys
/// ON as with them OFF, and cannot leave a reference broken: create_table,
/// create_index, and an add_column that ALTER TABLE ADD COLUMN takes (no
/// table rebuild; a Column carries no REFERENCES, the one thing ADD COLUMN
/// checks differently when foreign keys are on). The runner keeps foreign
/// keys on around a revision made only of such ops (runner.hpp).
bool keeps_foreign_keys_on(const ops::Op& op, const dialect::Dialect& d);

/// The USING expression Strata adds to a type change (see to_ddl.hpp); empty
/// when PostgreSQL converts by an assignment cast or `from` is unknown.
std::string automatic_using(const dialect::Dialect& d, const std::string& column, const SqlType* from,
                            const SqlType& to);


}  // namespace strata::migrate::detail
