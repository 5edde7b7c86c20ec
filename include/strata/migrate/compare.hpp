// strata/migrate/compare.hpp - autogenerate: the ops that turn one schema into
// another (Alembic's autogenerate/compare).
//
// `current` is the schema as it is (from the live database through
// dialect::Inspector, or replayed from the revision history), `target` is the
// models' MetaData. The result is plain data: the ops, the "Detected ..."
// lines Alembic prints, and warnings a human must read before applying.
//
// What is compared:
//   tables      added (CreateTable, with its indexes) / removed (DropTable,
//               recording the table)
//   columns     added (AddColumn) / removed (DropColumn, recording the column);
//               type (VARCHAR length included), nullable and server default
//               changes become one AlterColumn with every existing_* filled
//   defaults    in a canonical form, so the same default written twice does not
//               differ: outer parentheses, blanks, keyword case, `::type`
//               casts ('x'::character varying = 'x', '{}'::jsonb = '{}'),
//               CURRENT_TIMESTAMP = now() = ServerDefault::now(), numeric
//               literals (1.0 = 1 = '1'), TRUE = 1, FALSE = 0
//   constraints unique constraints and foreign keys (ON DELETE / ON UPDATE
//               included) matched by their columns; named CHECKs matched by
//               name, their conditions compared in a canonical form, since
//               PostgreSQL gives back its own spelling of the parsed
//               expression: blanks, keyword and unquoted-name case, needless
//               "quotes", every `::type` cast, `IN (a, b)` = `= ANY
//               (ARRAY[a, b])` (NOT IN = `<> ALL`), and parentheses that
//               operator precedence does not need (`(age > 0)` = `age > 0`,
//               `((a > 0) AND (b > 0))` = `a > 0 AND b > 0`, while `(a OR b)
//               AND c` keeps its own). Not recognized: BETWEEN (stored as >=
//               AND <=), a negative literal (stored as '-1'::integer), and
//               what PostgreSQL rewrites otherwise: write those in
//               PostgreSQL's spelling. A change is a DropConstraint followed
//               by a create
//   enums       on a dialect with native enum types (PostgreSQL) by type name
//               and values: an added value is a type change (an AlterColumn
//               run as ALTER TYPE ... ADD VALUE, see to_ddl.hpp), a removed
//               one too, with a narrowing warning
//   indexes     matched by name; a change in columns or uniqueness is drop + create
// Not compared: primary keys, autoincrement, comments, onupdate (no DDL).
//
// Renames are never silent. A removed and an added column of the same type in
// one table (or a removed and an added table with the same column names and
// types) is a rename candidate: it stays drop + add with a warning
//   possible rename of column 'item.old' to 'item.new': confirm with --rename item.old:new
// unless CompareOptions::confirmed_renames holds it; then it becomes an
// AlterColumn with new_column_name (RenameTable for a table) and the rest of
// the comparison runs on the renamed object.
//
// Destructive ops carry a warning: drop table, drop column, a narrowing type
// change (VARCHAR(255) -> VARCHAR(100), BIGINT -> INTEGER, any change of kind
// other than a widening), nullable -> NOT NULL without a server default, and an
// added NOT NULL column without a server default.
//
// Order of ops (deterministic):
//   1. RenameTable (confirmed), sorted by old name
//   2. CreateTable in foreign-key order (parents first)
//   3. per table present on both sides, tables sorted by name:
//        DropIndex, DropConstraint (foreign keys, unique, check),
//        column renames, AddColumn, AlterColumn (target column order), DropColumn,
//        CreateUniqueConstraint, CreateForeignKey, CreateCheckConstraint, CreateIndex
//   4. DropTable in reverse foreign-key order (children first)
//
// Messages (one per detected change, in op order):
//   Detected added table 'item'                 Detected removed table 'item'
//   Detected renamed table 'a' to 'b'           Detected added column 'item.x'
//   Detected removed column 'item.x'            Detected renamed column 'item.a' to 'item.b'
//   Detected type change from VARCHAR(255) to VARCHAR(100) on 'item.title'
//   Detected NOT NULL on column 'item.x'        Detected NULL on column 'item.x'
//   Detected server default on column 'item.x'  (added or changed)
//   Detected removed server default on column 'item.x'
//   Detected added index 'ix_item_title' on 'item' (title)   ("added unique index" when unique)
//   Detected removed index 'ix_item_title' on 'item'
//   Detected added unique constraint 'uq_item_a_b' on 'item' (a, b)
//   Detected removed unique constraint 'uq_item_a_b' on 'item'
//   Detected added foreign key 'fk_item_owner_id_user' on 'item' (owner_id) -> user (id)
//   Detected removed foreign key 'fk_item_owner_id_user' on 'item'
//   Detected added check constraint 'ck_item_positive' on 'item'
//   Detected removed check constraint 'ck_item_positive' on 'item'
// Types are spelled as CompareOptions::dialect spells them, or as
// to_string(kind) with parameters ("String(255)") without a dialect.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "strata/dialect/dialect.hpp"
#include "strata/migrate/ops.hpp"
#include "strata/schema/metadata.hpp"

namespace strata::migrate {

struct CompareOptions {
  /// Renames the user confirmed (the CLI's --rename). A column: {"item.old", "new"};
  /// a table: {"old_table", "new_table"} (no dot in the key).
  std::vector<std::pair<std::string, std::string>> confirmed_renames{};
  /// When set, types compare as this dialect stores them, so what the database
  /// cannot tell apart is not a change: on SQLite StringArray = Json (both
  /// JSON), DateTime with and without timezone (DATETIME), and an Enum compares
  /// by its values only (no native enum type, so no type name). When null,
  /// SqlTypes compare exactly. Set it when `current` comes from inspection.
  const dialect::Dialect* dialect = nullptr;
};

struct Diff {
  std::vector<ops::Op> ops;
  /// Alembic's "Detected ..." lines, see the header comment.
  std::vector<std::string> messages;
  /// Destructive ops and unconfirmed rename candidates, for a human to read.
  std::vector<std::string> warnings;
  /// Unconfirmed rename candidates, in CompareOptions::confirmed_renames' form
  /// ({"item.old", "new"} for a column, {"old_table", "new_table"} for a table):
  /// a caller may ask the user and compare again with the confirmed ones.
  std::vector<std::pair<std::string, std::string>> rename_candidates{};
  bool empty() const noexcept { return ops.empty(); }
};

/// The ops that turn `current` into `target` (see the header comment for what
/// is compared and the order). Pure: no database, no I/O.
///
/// Example:
///   auto conn = engine.connect();
///   auto current = conn.dialect().inspector(conn.driver())->metadata();
///   migrate::CompareOptions opt;
///   opt.dialect = &conn.dialect();
///   opt.confirmed_renames = {{"item.name", "title"}};
///   migrate::Diff d = migrate::compare(current, strata::model::metadata(), opt);
///   for (const auto& m : d.messages) fmt::print("  {}\n", m);
///
/// Throws: SchemaError from MetaData::sorted_tables() on a foreign-key cycle.
Diff compare(const schema::MetaData& current, const schema::MetaData& target, const CompareOptions& options = {});

/// Whether two server defaults are the same once canonicalized (see the header
/// comment); both empty is equal. Exposed for tests and for `check`.
bool same_server_default(const std::optional<schema::ServerDefault>& a, const std::optional<schema::ServerDefault>& b);

}  // namespace strata::migrate
