// to_ddl(): exact SQLite SQL per op, no database (STYLE rule 10).
#include <gtest/gtest.h>

#include "strata/dialect/sqlite.hpp"
#include "strata/migrate/apply.hpp"
#include "strata/migrate/operations.hpp"
#include "strata/migrate/to_ddl.hpp"

using namespace strata;
using namespace strata::migrate;

namespace {

const dialect::Dialect& sqlite() { return dialect::sqlite_dialect(); }

schema::MetaData fixture() {
  schema::MetaData md;
  migrate::apply(ops::CreateTable{table("owner", {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true})},
                                        {.primary_key = schema::PrimaryKeyConstraint{"pk_owner", {"id"}}})},
                 md);
  migrate::apply(ops::CreateTable{table("item",
                                        {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
                                         column("name", SqlType::string(50), {.nullable = false}),
                                         column("qty", SqlType::string(10)),
                                         column("owner_id", SqlType::integer())},
                                        {.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}},
                                         .indexes = {schema::Index{"ix_item_name", {"name"}}}})},
                 md);
  return md;
}

std::vector<std::string> sql_of(const ops::Op& op) {
  std::vector<std::string> out;
  for (const auto& s : to_ddl(op, sqlite(), fixture())) out.push_back(s.sql);
  return out;
}

#define EXPECT_SQL(op, ...) EXPECT_EQ(sql_of(op), (std::vector<std::string>{__VA_ARGS__}))

// The rebuild of "item" with `create` as the new table's body and `copy` as the INSERT.
std::vector<std::string> rebuild(const std::string& body, const std::string& insert,
                                 std::vector<std::string> indexes = {"CREATE INDEX \"ix_item_name\" ON \"item\" (\"name\")"}) {
  std::vector<std::string> out{"PRAGMA defer_foreign_keys=ON", "CREATE TABLE \"_strata_tmp_item\" (\n" + body + "\n)",
                               insert, "DROP TABLE \"item\"", "ALTER TABLE \"_strata_tmp_item\" RENAME TO \"item\""};
  out.insert(out.end(), indexes.begin(), indexes.end());
  out.push_back("PRAGMA foreign_key_check(\"item\")");
  return out;
}

const char* kItemCols =
    "\t\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
    "\t\"name\" VARCHAR(50) NOT NULL,\n"
    "\t\"qty\" VARCHAR(10),\n"
    "\t\"owner_id\" INTEGER";
const char* kCopyAll =
    "INSERT INTO \"_strata_tmp_item\" (\"id\", \"name\", \"qty\", \"owner_id\") SELECT \"id\", \"name\", \"qty\", \"owner_id\" FROM \"item\"";

}  // namespace

TEST(MigrateToDdlSqlite, CreateAndDropTable) {
  EXPECT_SQL((ops::CreateTable{table("tag", {column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
                                             column("label", SqlType::string(20))},
                                     {.indexes = {schema::Index{"ix_tag_label", {"label"}, true}}})}),
             "CREATE TABLE \"tag\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"label\" VARCHAR(20),\n\tPRIMARY KEY (\"id\")\n)",
             "CREATE UNIQUE INDEX \"ix_tag_label\" ON \"tag\" (\"label\")");
  EXPECT_SQL((ops::DropTable{"item", std::nullopt}), "DROP TABLE \"item\"");
  EXPECT_SQL((ops::DropTable{"gone", std::nullopt, true}), "DROP TABLE IF EXISTS \"gone\"");
  EXPECT_SQL((ops::RenameTable{"item", "thing"}), "ALTER TABLE \"item\" RENAME TO \"thing\"");
}

TEST(MigrateToDdlSqlite, AddColumnUsesAlterWhereSqliteAllows) {
  EXPECT_SQL((ops::AddColumn{"item", column("note", SqlType::string())}), "ALTER TABLE \"item\" ADD COLUMN \"note\" TEXT");
  EXPECT_SQL((ops::AddColumn{"item", column("is_completed", SqlType::boolean(),
                                            {.nullable = false, .server_default = schema::ServerDefault::text("0")})}),
             "ALTER TABLE \"item\" ADD COLUMN \"is_completed\" BOOLEAN DEFAULT 0 NOT NULL");
}

TEST(MigrateToDdlSqlite, AddColumnRebuildsWhereSqliteRefuses) {
  // NOT NULL with a non-constant default: ADD COLUMN refuses CURRENT_TIMESTAMP.
  EXPECT_SQL((ops::AddColumn{"item", column("created", SqlType::datetime(),
                                            {.nullable = false, .server_default = schema::ServerDefault::now()})}),
             rebuild(std::string(kItemCols) + ",\n\t\"created\" DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL", kCopyAll));
}

TEST(MigrateToDdlSqlite, DropColumnRebuilds) {
  EXPECT_SQL((ops::DropColumn{"item", "qty", std::nullopt}),
             rebuild("\t\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n\t\"name\" VARCHAR(50) NOT NULL,\n\t\"owner_id\" INTEGER",
                     "INSERT INTO \"_strata_tmp_item\" (\"id\", \"name\", \"owner_id\") SELECT \"id\", \"name\", \"owner_id\" FROM \"item\""));
}

TEST(MigrateToDdlSqlite, AlterColumn) {
  ops::AlterColumn rename;
  rename.table_name = "item";
  rename.column_name = "name";
  rename.new_column_name = "title";
  EXPECT_SQL(rename, "ALTER TABLE \"item\" RENAME COLUMN \"name\" TO \"title\"");

  ops::AlterColumn type;
  type.table_name = "item";
  type.column_name = "qty";
  type.type = SqlType::integer();
  type.nullable = false;
  type.server_default = schema::ServerDefault::text("0");
  EXPECT_SQL(type, rebuild("\t\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n\t\"name\" VARCHAR(50) NOT NULL,\n"
                           "\t\"qty\" INTEGER DEFAULT 0 NOT NULL,\n\t\"owner_id\" INTEGER",
                           "INSERT INTO \"_strata_tmp_item\" (\"id\", \"name\", \"qty\", \"owner_id\") SELECT \"id\", \"name\", "
                           "COALESCE(\"qty\", 0), \"owner_id\" FROM \"item\""));

  ops::AlterColumn both = rename;
  both.nullable = true;
  EXPECT_SQL(both, rebuild("\t\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n\t\"title\" VARCHAR(50),\n"
                           "\t\"qty\" VARCHAR(10),\n\t\"owner_id\" INTEGER",
                           "INSERT INTO \"_strata_tmp_item\" (\"id\", \"title\", \"qty\", \"owner_id\") SELECT \"id\", \"name\", \"qty\", \"owner_id\" FROM \"item\"",
                           {"CREATE INDEX \"ix_item_name\" ON \"item\" (\"title\")"}));
}

TEST(MigrateToDdlSqlite, ConstraintsRebuild) {
  EXPECT_SQL((ops::CreateUniqueConstraint{"item", {"uq_item_name", {"name"}}}),
             rebuild(std::string(kItemCols) + ",\n\tCONSTRAINT \"uq_item_name\" UNIQUE (\"name\")", kCopyAll));
  EXPECT_SQL((ops::CreateForeignKey{"item", {"fk_item_owner_id_owner", {"owner_id"}, "owner", {"id"}, schema::FkAction::Cascade}}),
             rebuild(std::string(kItemCols) +
                         ",\n\tCONSTRAINT \"fk_item_owner_id_owner\" FOREIGN KEY(\"owner_id\") REFERENCES \"owner\" (\"id\") ON DELETE CASCADE",
                     kCopyAll));
  EXPECT_SQL((ops::CreateCheckConstraint{"item", {"ck_item_name_len", "length(name) > 0"}}),
             rebuild(std::string(kItemCols) + ",\n\tCONSTRAINT \"ck_item_name_len\" CHECK (length(name) > 0)", kCopyAll));
  EXPECT_SQL((ops::DropConstraint{"item", "pk_item", ops::ConstraintKind::PrimaryKey, std::nullopt}),
             rebuild("\t\"id\" INTEGER NOT NULL,\n\t\"name\" VARCHAR(50) NOT NULL,\n\t\"qty\" VARCHAR(10),\n\t\"owner_id\" INTEGER",
                     kCopyAll));
}

TEST(MigrateToDdlSqlite, Indexes) {
  EXPECT_SQL((ops::CreateIndex{"item", {"ix_item_qty", {"qty", "name"}, false}}),
             "CREATE INDEX \"ix_item_qty\" ON \"item\" (\"qty\", \"name\")");
  EXPECT_SQL((ops::DropIndex{"item", "ix_item_name", std::nullopt}), "DROP INDEX \"ix_item_name\"");
  EXPECT_SQL((ops::DropIndex{"item", "ix_x", std::nullopt, true}), "DROP INDEX IF EXISTS \"ix_x\"");
}

TEST(MigrateToDdlSqlite, DataOps) {
  auto ex = to_ddl(ops::Execute{"UPDATE item SET qty = ? WHERE id = ?", {"5", 1}, std::nullopt}, sqlite(), fixture());
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex[0], (Statement{"UPDATE item SET qty = ? WHERE id = ?", {"5", 1}, false, false}));

  auto rc = to_ddl(ops::RunCallable{"backfill_titles", {}, {}}, sqlite(), fixture());
  ASSERT_EQ(rc.size(), 1u);
  EXPECT_EQ(rc[0], (Statement{"-- run_callable backfill_titles", {}, true, false}));

  auto bi = to_ddl(ops::BulkInsert{"item", {"id", "name"}, {{1, "a"}, {2, "b"}}}, sqlite(), fixture());
  ASSERT_EQ(bi.size(), 1u);
  EXPECT_EQ(bi[0], (Statement{"INSERT INTO \"item\" (\"id\", \"name\") VALUES (?, ?), (?, ?)", {1, "a", 2, "b"}, false, false}));
}

TEST(MigrateToDdlSqlite, BulkInsertChunksUnderMaxBindParams) {
  const std::size_t max = sqlite().capabilities().max_bind_params;
  const std::size_t per = max / 3;
  ops::BulkInsert bi{"item", {"id", "name", "qty"}, {}};
  for (std::size_t i = 0; i < per + 5; ++i) bi.rows.push_back({static_cast<std::int64_t>(i), "n", "q"});
  auto stmts = to_ddl(bi, sqlite(), fixture());
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[0].params.size(), per * 3);
  EXPECT_LE(stmts[0].params.size(), max);
  EXPECT_EQ(stmts[1].params.size(), 15u);
  EXPECT_EQ(stmts[1].sql, "INSERT INTO \"item\" (\"id\", \"name\", \"qty\") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?)");
}

TEST(MigrateToDdlSqlite, RebuildOfUnknownTableNamesIt) {
  try {
    (void)to_ddl(ops::DropColumn{"nope", "x", std::nullopt}, sqlite(), fixture());
    FAIL();
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.table(), "nope");
  }
}

TEST(MigrateToDdlSqlite, ListAppliesEachOpBeforeTheNext) {
  std::vector<ops::Op> ops{ops::AddColumn{"item", column("note", SqlType::string())},
                           ops::DropColumn{"item", "note", std::nullopt}};
  auto stmts = to_ddl(ops, sqlite(), fixture());
  ASSERT_EQ(stmts.size(), 1u + 7u);
  EXPECT_EQ(stmts[0].sql, "ALTER TABLE \"item\" ADD COLUMN \"note\" TEXT");
  EXPECT_EQ(stmts[3].sql, kCopyAll);  // "note" existed in the table that was rebuilt, and is dropped
}
