#include "strata/schema/naming.hpp"

#include <gtest/gtest.h>

#include "strata/core/error.hpp"
#include "strata/schema/table.hpp"

namespace {

using namespace strata::schema;
using strata::SqlType;

Column col(std::string name, SqlType t = SqlType::integer()) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(t);
  return c;
}

Table item() {
  Table t;
  t.name = "item";
  t.columns = {col("id"), col("title", SqlType::string(255)), col("owner_id"), col("rank")};
  t.primary_key = PrimaryKeyConstraint{"", {"id"}};
  t.unique_constraints = {UniqueConstraint{"", {"owner_id", "title"}}};
  t.foreign_keys = {ForeignKeyConstraint{"", {"owner_id"}, "user", {"id"}, FkAction::Cascade, FkAction::NoAction}};
  t.checks = {CheckConstraint{"rank_positive", "rank > 0"}};
  t.indexes = {Index{"", {"title"}, false}, Index{"", {"owner_id", "rank"}, true}};
  return t;
}

TEST(Naming, DefaultConventionNamesEverything) {
  Table t = item();
  apply_naming_convention(t, NamingConvention{});
  EXPECT_EQ(t.primary_key->name, "pk_item");
  EXPECT_EQ(t.unique_constraints[0].name, "uq_item_owner_id_title");
  EXPECT_EQ(t.foreign_keys[0].name, "fk_item_owner_id_user");
  EXPECT_EQ(t.checks[0].name, "ck_item_rank_positive");
  EXPECT_EQ(t.indexes[0].name, "ix_item_title");
  EXPECT_EQ(t.indexes[1].name, "ix_item_owner_id_rank");
}

TEST(Naming, IsIdempotent) {
  Table t = item();
  apply_naming_convention(t, NamingConvention{});
  Table again = t;
  apply_naming_convention(again, NamingConvention{});
  EXPECT_EQ(again, t);
}

TEST(Naming, KeepsGivenNames) {
  Table t = item();
  t.primary_key->name = "item_pkey";
  t.unique_constraints[0].name = "my_uq";
  t.foreign_keys[0].name = "my_fk";
  t.indexes[0].name = "my_ix";
  apply_naming_convention(t, NamingConvention{});
  EXPECT_EQ(t.primary_key->name, "item_pkey");
  EXPECT_EQ(t.unique_constraints[0].name, "my_uq");
  EXPECT_EQ(t.foreign_keys[0].name, "my_fk");
  EXPECT_EQ(t.indexes[0].name, "my_ix");
  EXPECT_EQ(t.indexes[1].name, "ix_item_owner_id_rank");
}

TEST(Naming, UnnamedChecksAreNumbered) {
  Table t = item();
  t.checks = {CheckConstraint{"", "rank > 0"}, CheckConstraint{"short", "rank < 10"}, CheckConstraint{"", "id > 0"}};
  apply_naming_convention(t, NamingConvention{});
  EXPECT_EQ(t.checks[0].name, "ck_item_1");
  EXPECT_EQ(t.checks[1].name, "ck_item_short");
  EXPECT_EQ(t.checks[2].name, "ck_item_2");
}

TEST(Naming, CustomTokens) {
  NamingConvention c;
  c.ix = "%(table_name)s_%(column_0_N_name)s_idx";
  c.uq = "%(column_0_label)s_key";
  c.fk = "%(table_name)s_%(column_0_N_label)s_fkey";
  c.pk = "%(table_name)s_pkey";
  c.ck = "%(table_name)s_%(constraint_name)s_check";
  Table t = item();
  apply_naming_convention(t, c);
  EXPECT_EQ(t.primary_key->name, "item_pkey");
  EXPECT_EQ(t.unique_constraints[0].name, "item_owner_id_key");
  EXPECT_EQ(t.foreign_keys[0].name, "item_item_owner_id_fkey");
  EXPECT_EQ(t.checks[0].name, "item_rank_positive_check");
  EXPECT_EQ(t.indexes[1].name, "item_owner_id_rank_idx");
  Table again = t;
  apply_naming_convention(again, c);
  EXPECT_EQ(again.checks[0].name, "item_rank_positive_check");
}

TEST(Naming, EmptyTemplatesLeaveNamesEmpty) {
  NamingConvention c{"", "", "", "", ""};
  Table t = item();
  apply_naming_convention(t, c);
  EXPECT_EQ(t.primary_key->name, "");
  EXPECT_EQ(t.indexes[0].name, "");
  EXPECT_EQ(t.checks[0].name, "rank_positive");
}

TEST(Naming, UnnamedCheckWithoutConventionThrowsNamingTable) {
  NamingConvention c;
  c.ck.clear();
  Table t = item();
  t.checks = {CheckConstraint{"", "rank > 0"}};
  try {
    apply_naming_convention(t, c);
    FAIL() << "no throw";
  } catch (const strata::SchemaError& e) {
    EXPECT_NE(std::string(e.what()).find("table 'item'"), std::string::npos) << e.what();
  }
}

TEST(Naming, UnknownTokenThrows) {
  NamingConvention c;
  c.ix = "ix_%(colum_0_name)s";
  Table t = item();
  EXPECT_THROW(apply_naming_convention(t, c), strata::SchemaError);
}

TEST(Table, FindColumnAndPrimaryKey) {
  Table t = item();
  ASSERT_NE(t.find_column("title"), nullptr);
  EXPECT_EQ(t.find_column("title")->type, SqlType::string(255));
  EXPECT_EQ(t.find_column("nope"), nullptr);
  t.find_column("title")->nullable = false;
  EXPECT_FALSE(t.column("title").nullable);
  EXPECT_EQ(t.primary_key_columns(), std::vector<std::string>{"id"});
  try {
    (void)t.column("nope");
    FAIL() << "no throw";
  } catch (const strata::SchemaError& e) {
    EXPECT_STREQ(e.what(), "table 'item' has no column 'nope'");
  }
}

TEST(Table, PrimaryKeyFromColumnFlags) {
  Table t;
  t.name = "link";
  t.columns = {col("a"), col("b"), col("c")};
  t.columns[0].primary_key = true;
  t.columns[2].primary_key = true;
  EXPECT_EQ(t.primary_key_columns(), (std::vector<std::string>{"a", "c"}));
}

TEST(Constraint, FkActionSql) {
  EXPECT_STREQ(to_sql(FkAction::NoAction), "NO ACTION");
  EXPECT_STREQ(to_sql(FkAction::Restrict), "RESTRICT");
  EXPECT_STREQ(to_sql(FkAction::Cascade), "CASCADE");
  EXPECT_STREQ(to_sql(FkAction::SetNull), "SET NULL");
  EXPECT_STREQ(to_sql(FkAction::SetDefault), "SET DEFAULT");
}

}  // namespace
