// strata/engine/ddl.hpp - create_all / drop_all (SQLAlchemy's MetaData.create_all / drop_all).
#pragma once

#include "strata/engine/connection.hpp"
#include "strata/engine/engine.hpp"
#include "strata/schema/metadata.hpp"

namespace strata::engine {

/// Creates every table of `md` (with its indexes) in foreign-key order, parents
/// first, inside one transaction on `engine`. With `checkfirst`, tables that
/// already exist are skipped (their indexes too).
/// Throws: SchemaError from MetaData::validate() (e.g. a foreign key to an unknown
/// table) before anything is sent; DatabaseError from the database, after which
/// nothing was created (transactional DDL on SQLite and PostgreSQL).
///
/// Example:
///   auto engine = strata::create_engine("sqlite:///app.db");
///   strata::create_all(engine, strata::model::metadata());
void create_all(Engine& engine, const schema::MetaData& md, bool checkfirst = true);
/// As above, on an open connection; runs inside the caller's transaction if one is open.
void create_all(Connection& conn, const schema::MetaData& md, bool checkfirst = true);

/// Drops every table of `md` in reverse foreign-key order (children first). With
/// `checkfirst`, tables that do not exist are skipped.
/// Throws: DatabaseError; nothing was dropped then.
void drop_all(Engine& engine, const schema::MetaData& md, bool checkfirst = true);
void drop_all(Connection& conn, const schema::MetaData& md, bool checkfirst = true);

/// True when table `name` exists.
bool has_table(Connection& conn, std::string_view name);

}  // namespace strata::engine

namespace strata {
using engine::create_all;
using engine::drop_all;
}  // namespace strata
