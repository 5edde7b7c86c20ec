// Private: the DDL rendering every dialect shares (SQLAlchemy's DDLCompiler
// part): constraint clauses, the CREATE TABLE layout, CREATE / DROP INDEX.
// A dialect adds what differs: column specs, where its key goes, enum handling.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "strata/dialect/dialect.hpp"
#include "strata/schema/table.hpp"

namespace strata::dialect::ddl {

/// A SQL string literal: 'it''s'. Only ' is doubled (SQLite; PostgreSQL with
/// standard_conforming_strings, on by default since 9.1).
std::string string_literal(std::string_view s);
/// 'a', 'b'
std::string string_literal_list(const std::vector<std::string>& values);
/// "CONSTRAINT "name" " or nothing for an unnamed constraint.
std::string constraint_prefix(const Dialect& d, const std::string& name);

/// The column the database numbers (Column::autoincrement), or nullptr.
/// Throws: SchemaError naming table and column unless it is the single-column
/// integer primary key (the same rule on every dialect, so a schema valid on
/// one is valid on the others).
const schema::Column* autoincrement_column(const schema::Table& t);
/// True when `col` is part of the table's primary key.
bool in_primary_key(const schema::Table& t, const std::string& col);

/// The table-level clauses, in the documented order: PRIMARY KEY (unless
/// `with_primary_key` is false), UNIQUE, FOREIGN KEY (NO ACTION omitted), CHECK.
std::vector<std::string> constraint_lines(const Dialect& d, const schema::Table& t, bool with_primary_key);
/// CREATE TABLE [IF NOT EXISTS] "t" (\n\t<line>,\n\t<line>\n)
std::string create_table_statement(const Dialect& d, const std::string& table, const std::vector<std::string>& lines,
                                   bool if_not_exists);
/// CREATE [UNIQUE] INDEX [IF NOT EXISTS] "ix" ON "t" ("a", "b")
std::string create_index_statement(const Dialect& d, const std::string& table, const schema::Index& ix,
                                   bool if_not_exists);
/// DROP INDEX [IF EXISTS] "ix"
std::string drop_index_statement(const Dialect& d, const schema::Index& ix, bool if_exists);

}  // namespace strata::dialect::ddl
