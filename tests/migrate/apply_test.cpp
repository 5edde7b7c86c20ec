// migrate::apply(): evolving an in-memory MetaData by ops (replaying history).
#include <gtest/gtest.h>

#include "strata/migrate/operations.hpp"

#include "strata/migrate/apply.hpp"

using namespace strata;
using namespace strata::migrate;

namespace {

schema::Table owner_table() {
  schema::Table t;
  t.name = "owner";
  t.columns = {migrate::column("id", SqlType::integer(), {.nullable = false, .primary_key = true})};
  t.primary_key = schema::PrimaryKeyConstraint{"pk_owner", {"id"}};
  return t;
}

schema::Table item_table() {
  schema::Table t;
  t.name = "item";
  t.columns = {migrate::column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
               migrate::column("name", SqlType::string(255), {.nullable = false}),
               migrate::column("owner_id", SqlType::integer())};
  t.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}};
  t.foreign_keys = {schema::ForeignKeyConstraint{"fk_item_owner_id_owner", {"owner_id"}, "owner", {"id"}}};
  t.indexes = {schema::Index{"ix_item_name", {"name"}, false}};
  return t;
}

schema::MetaData base() {
  schema::MetaData md;
  migrate::apply(std::vector<ops::Op>{ops::CreateTable{owner_table()}, ops::CreateTable{item_table()}}, md);
  return md;
}

}  // namespace

TEST(MigrateApply, CreateAndDropTable) {
  auto md = base();
  ASSERT_NE(md.find_table("item"), nullptr);
  EXPECT_EQ(md.table("item"), item_table());
  migrate::apply(ops::DropTable{"item", std::nullopt}, md);
  EXPECT_EQ(md.find_table("item"), nullptr);
  EXPECT_EQ(md.tables().size(), 1u);
  migrate::apply(ops::DropTable{"item", std::nullopt, true}, md);  // if_exists: no error
}

TEST(MigrateApply, CreateTableFillsConstraintNamesFromConvention) {
  schema::MetaData md;
  auto t = item_table();
  t.foreign_keys[0].name.clear();
  migrate::apply(ops::CreateTable{t}, md);
  EXPECT_EQ(md.table("item").foreign_keys[0].name, "fk_item_owner_id_owner");
}

TEST(MigrateApply, RenameTableFollowsForeignKeys) {
  auto md = base();
  migrate::apply(ops::RenameTable{"owner", "person"}, md);
  EXPECT_EQ(md.find_table("owner"), nullptr);
  EXPECT_EQ(md.table("item").foreign_keys[0].referred_table, "person");
}

TEST(MigrateApply, AddDropAndAlterColumn) {
  auto md = base();
  migrate::apply(ops::AddColumn{"item", migrate::column("qty", SqlType::integer(), {.nullable = false})}, md);
  EXPECT_NE(md.table("item").find_column("qty"), nullptr);

  ops::AlterColumn a;
  a.table_name = "item";
  a.column_name = "name";
  a.new_column_name = "title";
  a.type = SqlType::string(500);
  a.nullable = true;
  a.server_default = schema::ServerDefault::text("''");
  migrate::apply(a, md);
  const auto& t = md.table("item");
  ASSERT_NE(t.find_column("title"), nullptr);
  EXPECT_EQ(t.find_column("name"), nullptr);
  EXPECT_EQ(t.column("title").type, SqlType::string(500));
  EXPECT_TRUE(t.column("title").nullable);
  EXPECT_EQ(t.column("title").server_default, schema::ServerDefault::text("''"));
  EXPECT_EQ(t.indexes[0].columns, std::vector<std::string>{"title"});

  ops::AlterColumn drop_default;
  drop_default.table_name = "item";
  drop_default.column_name = "title";
  drop_default.server_default = std::optional<schema::ServerDefault>{};
  migrate::apply(drop_default, md);
  EXPECT_FALSE(md.table("item").column("title").server_default);

  migrate::apply(ops::DropColumn{"item", "owner_id", std::nullopt}, md);
  EXPECT_EQ(md.table("item").find_column("owner_id"), nullptr);
  EXPECT_TRUE(md.table("item").foreign_keys.empty());  // went with the column
}

TEST(MigrateApply, RenameColumnFollowsReferencingForeignKeys) {
  auto md = base();
  ops::AlterColumn a;
  a.table_name = "owner";
  a.column_name = "id";
  a.new_column_name = "owner_pk";
  migrate::apply(a, md);
  EXPECT_EQ(md.table("item").foreign_keys[0].referred_columns, std::vector<std::string>{"owner_pk"});
  EXPECT_EQ(md.table("owner").primary_key->columns, std::vector<std::string>{"owner_pk"});
}

TEST(MigrateApply, IndexesAndConstraints) {
  auto md = base();
  migrate::apply(ops::CreateIndex{"item", {"ix_item_owner_id", {"owner_id"}, false}}, md);
  EXPECT_EQ(md.table("item").indexes.size(), 2u);
  migrate::apply(ops::DropIndex{"item", "ix_item_name", std::nullopt}, md);
  ASSERT_EQ(md.table("item").indexes.size(), 1u);
  EXPECT_EQ(md.table("item").indexes[0].name, "ix_item_owner_id");

  migrate::apply(ops::CreateUniqueConstraint{"item", {"uq_item_name", {"name"}}}, md);
  migrate::apply(ops::CreateCheckConstraint{"item", {"ck_item_name_len", "length(name) > 0"}}, md);
  EXPECT_EQ(md.table("item").unique_constraints.size(), 1u);
  EXPECT_EQ(md.table("item").checks.size(), 1u);
  migrate::apply(ops::DropConstraint{"item", "uq_item_name", ops::ConstraintKind::Unique, std::nullopt}, md);
  migrate::apply(ops::DropConstraint{"item", "ck_item_name_len", ops::ConstraintKind::Check, std::nullopt}, md);
  migrate::apply(ops::DropConstraint{"item", "fk_item_owner_id_owner", ops::ConstraintKind::ForeignKey, std::nullopt}, md);
  EXPECT_TRUE(md.table("item").unique_constraints.empty());
  EXPECT_TRUE(md.table("item").checks.empty());
  EXPECT_TRUE(md.table("item").foreign_keys.empty());

  migrate::apply(ops::DropConstraint{"item", "pk_item", ops::ConstraintKind::PrimaryKey, std::nullopt}, md);
  EXPECT_TRUE(md.table("item").primary_key_columns().empty());
  migrate::apply(ops::CreatePrimaryKey{"item", {"pk_item2", {"id", "name"}}}, md);
  EXPECT_EQ(md.table("item").primary_key_columns(), (std::vector<std::string>{"id", "name"}));
}

TEST(MigrateApply, DataOpsLeaveSchemaAlone) {
  auto md = base();
  const auto before = md.tables();
  migrate::apply(ops::Execute{"UPDATE item SET name = 'x'", {}, std::nullopt}, md);
  migrate::apply(ops::BulkInsert{"item", {"id"}, {{1}}}, md);
  migrate::apply(ops::RunCallable{"fill", {}, {}}, md);
  EXPECT_EQ(md.tables(), before);
}

TEST(MigrateApply, ErrorsNameTableAndColumnAndLeaveSchemaUnchanged) {
  auto md = base();
  const auto before = md.tables();
  try {
    migrate::apply(ops::AddColumn{"item", migrate::column("name", SqlType::string())}, md);
    FAIL();
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.table(), "item");
    EXPECT_EQ(e.column(), "name");
    EXPECT_STREQ(e.what(), "add column 'item.name': table 'item' already has column 'name'");
  }
  try {
    migrate::apply(ops::DropColumn{"item", "nope", std::nullopt}, md);
    FAIL();
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.column(), "nope");
    EXPECT_STREQ(e.what(), "drop column 'item.nope': table 'item' has no column 'nope'");
  }
  try {
    migrate::apply(ops::AddColumn{"users", migrate::column("x", SqlType::string())}, md);
    FAIL();
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.table(), "users");
    EXPECT_STREQ(e.what(), "add column 'users.x': unknown table 'users'");
  }
  EXPECT_THROW(migrate::apply(ops::CreateTable{item_table()}, md), MigrationError);
  EXPECT_THROW(migrate::apply(ops::CreatePrimaryKey{"item", {"pk2", {"id"}}}, md), MigrationError);
  EXPECT_THROW(migrate::apply(ops::DropIndex{"item", "ix_nope", std::nullopt}, md), MigrationError);
  EXPECT_THROW(migrate::apply(ops::DropConstraint{"item", "uq_nope", ops::ConstraintKind::Unique, std::nullopt}, md),
               MigrationError);
  EXPECT_EQ(md.tables(), before);
}
