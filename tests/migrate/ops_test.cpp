// ops.hpp helpers: op_name() and describe().
#include <gtest/gtest.h>

#include "strata/migrate/operations.hpp"

#include "strata/migrate/ops.hpp"

using namespace strata;
using namespace strata::migrate;

TEST(MigrateOps, OpNamesAreAlembics) {
  EXPECT_STREQ(ops::op_name(ops::AddColumn{"item", migrate::column("x", SqlType::integer())}), "add_column");
  EXPECT_STREQ(ops::op_name(ops::DropTable{"users", std::nullopt}), "drop_table");
  EXPECT_STREQ(ops::op_name(ops::CreateUniqueConstraint{"t", {"uq", {"a"}}}), "create_unique_constraint");
  EXPECT_STREQ(ops::op_name(ops::RunCallable{"fill", {}, {}}), "run_callable");
  EXPECT_STREQ(ops::op_name(ops::BulkInsert{"t", {}, {}}), "bulk_insert");
}

TEST(MigrateOps, DescribeNamesTableAndColumn) {
  EXPECT_EQ(ops::describe(ops::AddColumn{"item", migrate::column("is_completed", SqlType::boolean())}),
            "add column 'item.is_completed'");
  EXPECT_EQ(ops::describe(ops::DropTable{"users", std::nullopt}), "drop table 'users'");
  EXPECT_EQ(ops::describe(ops::RenameTable{"a", "b"}), "rename table 'a' to 'b'");
  ops::AlterColumn ac;
  ac.table_name = "item";
  ac.column_name = "name";
  ac.new_column_name = "title";
  EXPECT_EQ(ops::describe(ac), "alter column 'item.name' (rename to 'title')");
  EXPECT_EQ(ops::describe(ops::CreateIndex{"item", {"ix_item_title", {"title"}, true}}),
            "create unique index 'ix_item_title' on 'item'");
  EXPECT_EQ(ops::describe(ops::DropConstraint{"item", "fk_x", ops::ConstraintKind::ForeignKey, std::nullopt}),
            "drop foreign key 'fk_x' on 'item'");
  EXPECT_EQ(ops::describe(ops::Execute{"UPDATE item SET qty = 0", {}, std::nullopt}),
            "execute 'UPDATE item SET qty = 0'");
  EXPECT_EQ(ops::describe(ops::BulkInsert{"t", {"a"}, {{1}, {2}}}), "bulk insert 2 row(s) into 't'");
}
