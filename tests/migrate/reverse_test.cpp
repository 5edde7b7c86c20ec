// reverse(): each op inverted, round trips, irreversible ops.
#include <gtest/gtest.h>

#include "strata/migrate/operations.hpp"

#include "strata/engine/engine.hpp"
#include "strata/migrate/reverse.hpp"
#include "support/temp_db.hpp"

using namespace strata;
using namespace strata::migrate;

namespace {

schema::Table item_table() {
  schema::Table t;
  t.name = "item";
  t.columns = {migrate::column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
               migrate::column("title", SqlType::string(255), {.nullable = false})};
  t.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}};
  t.indexes = {schema::Index{"ix_item_title", {"title"}, false}};
  return t;
}

schema::Column done_col() {
  return migrate::column("done", SqlType::boolean(), {.nullable = false,
                        .server_default = schema::ServerDefault::text("0")});
}

ops::AlterColumn alter_all() {
  ops::AlterColumn a;
  a.table_name = "item";
  a.column_name = "title";
  a.type = SqlType::string(500);
  a.existing_type = SqlType::string(255);
  a.nullable = true;
  a.existing_nullable = false;
  a.server_default = std::optional<schema::ServerDefault>{};
  a.existing_server_default = schema::ServerDefault::text("''");
  a.new_column_name = "name";
  return a;
}

std::vector<ops::Op> reversible_ops() {
  return {
      ops::CreateTable{item_table(), false},
      ops::DropTable{"item", item_table(), true},
      ops::RenameTable{"a", "b"},
      ops::AddColumn{"item", done_col()},
      ops::DropColumn{"item", "done", done_col()},
      alter_all(),
      ops::CreateIndex{"item", {"ix_item_done", {"done"}, true}, false},
      ops::DropIndex{"item", "ix_item_done", schema::Index{"ix_item_done", {"done"}, true}, false},
      ops::CreateUniqueConstraint{"item", {"uq_item_title", {"title"}}},
      ops::CreateForeignKey{"item", {"fk_item_owner_id_owner", {"owner_id"}, "owner", {"id"},
                                     schema::FkAction::Cascade, schema::FkAction::NoAction}},
      ops::CreateCheckConstraint{"item", {"ck_item_qty", "qty >= 0"}},
      ops::CreatePrimaryKey{"item", {"pk_item", {"id"}}},
      ops::DropConstraint{"item", "uq_item_title", ops::ConstraintKind::Unique,
                          schema::UniqueConstraint{"uq_item_title", {"title"}}},
      ops::Execute{"UPDATE item SET done = 1", {}, "UPDATE item SET done = 0"},
      ops::RunCallable{"fill", [](engine::Connection&) {}, [](engine::Connection&) {}},
  };
}

}  // namespace

TEST(MigrateReverse, EachOpInverts) {
  EXPECT_EQ(reverse(ops::Op{ops::CreateTable{item_table(), false}}), (ops::Op{ops::DropTable{"item", item_table(), false}}));
  EXPECT_EQ(reverse(ops::Op{ops::AddColumn{"item", done_col()}}), (ops::Op{ops::DropColumn{"item", "done", done_col()}}));
  EXPECT_EQ(reverse(ops::Op{ops::RenameTable{"a", "b"}}), (ops::Op{ops::RenameTable{"b", "a"}}));
  EXPECT_EQ(reverse(ops::Op{ops::CreateCheckConstraint{"item", {"ck_item_qty", "qty >= 0"}}}),
            (ops::Op{ops::DropConstraint{"item", "ck_item_qty", ops::ConstraintKind::Check,
                                         schema::CheckConstraint{"ck_item_qty", "qty >= 0"}}}));
  EXPECT_EQ(reverse(ops::Op{ops::Execute{"A", {}, "B"}}), (ops::Op{ops::Execute{"B", {}, "A"}}));

  auto r = std::get<ops::AlterColumn>(reverse(ops::Op{alter_all()}));
  EXPECT_EQ(r.column_name, "name");
  EXPECT_EQ(r.new_column_name, "title");
  EXPECT_EQ(r.type, SqlType::string(255));
  EXPECT_EQ(r.existing_type, SqlType::string(500));
  EXPECT_EQ(r.nullable, false);
  EXPECT_EQ(r.existing_nullable, true);
  EXPECT_EQ(r.server_default, std::optional<schema::ServerDefault>(schema::ServerDefault::text("''")));
  ASSERT_TRUE(r.existing_server_default.has_value());  // engaged: the default was dropped
  EXPECT_FALSE(r.existing_server_default->has_value());
}

TEST(MigrateReverse, RoundTripsEveryReversibleOp) {
  for (const auto& op : reversible_ops()) EXPECT_EQ(reverse(reverse(op)), op) << ops::describe(op);
}

TEST(MigrateReverse, ListIsReversedInOrder) {
  std::vector<ops::Op> up{ops::AddColumn{"item", done_col()}, ops::CreateIndex{"item", {"ix_item_done", {"done"}, false}, false}};
  auto down = reverse(up);
  ASSERT_EQ(down.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ops::DropIndex>(down[0]));
  EXPECT_TRUE(std::holds_alternative<ops::DropColumn>(down[1]));
  EXPECT_EQ(reverse(down), up);
}

TEST(MigrateReverse, RunCallableSwapsUpgradeAndDowngrade) {
  int up = 0, downs = 0;
  ops::Op op = ops::RunCallable{"fill", [&](engine::Connection&) { ++up; }, [&](engine::Connection&) { ++downs; }};
  auto r = std::get<ops::RunCallable>(reverse(op));
  strata::testing::TempDb db("reverse_callable");
  auto eng = strata::create_engine(db.url());
  auto conn = eng.connect();
  r.upgrade(conn);
  EXPECT_EQ(downs, 1);
  EXPECT_EQ(up, 0);
}

TEST(MigrateReverse, IrreversibleOpsThrowNamingThem) {
  auto expect_irreversible = [](const ops::Op& op, const std::string& name, const std::string& table) {
    try {
      (void)reverse(op);
      ADD_FAILURE() << "no throw for " << name;
    } catch (const IrreversibleOperation& e) {
      EXPECT_EQ(e.op(), name);
      EXPECT_EQ(e.table(), table);
      EXPECT_NE(std::string(e.what()).find("irreversible"), std::string::npos) << e.what();
    }
  };
  expect_irreversible(ops::BulkInsert{"item", {"id"}, {{1}}}, "bulk_insert", "item");
  expect_irreversible(ops::DropTable{"item", std::nullopt}, "drop_table", "item");
  expect_irreversible(ops::DropColumn{"item", "done", std::nullopt}, "drop_column", "item");
  expect_irreversible(ops::DropIndex{"item", "ix", std::nullopt}, "drop_index", "item");
  expect_irreversible(ops::DropConstraint{"item", "uq", ops::ConstraintKind::Unique, std::nullopt}, "drop_constraint", "item");
  expect_irreversible(ops::Execute{"DELETE FROM item", {}, std::nullopt}, "execute", "");
  expect_irreversible(ops::RunCallable{"fill", [](engine::Connection&) {}, {}}, "run_callable", "");
  ops::AlterColumn a;
  a.table_name = "item";
  a.column_name = "title";
  a.type = SqlType::string(10);  // no existing_type
  expect_irreversible(a, "alter_column", "item");
  std::vector<ops::Op> list{ops::AddColumn{"item", done_col()}, ops::BulkInsert{"item", {"id"}, {{1}}}};
  EXPECT_THROW((void)reverse(list), IrreversibleOperation);
}
