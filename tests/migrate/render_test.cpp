// render(): op -> C++ source, golden text, and the compile round trip
// op -> render -> compile -> record -> == op.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "strata/migrate/operations.hpp"
#include "strata/migrate/render.hpp"

using namespace strata;
using namespace strata::migrate;

namespace {

std::vector<ops::Op> sample_ops() {
  ops::AlterColumn alter;
  alter.table_name = "item";
  alter.column_name = "name";
  alter.new_column_name = "title";
  alter.type = SqlType::string(500);
  alter.existing_type = SqlType::string(255);
  alter.nullable = true;
  alter.existing_nullable = false;
  alter.server_default = std::optional<schema::ServerDefault>{};
  alter.existing_server_default = schema::ServerDefault::text("'x'");
  return {
      ops::CreateTable{table("item",
                             {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
                              column("name", SqlType::string(255), {.nullable = false, .comment = "a \"name\""}),
                              column("status", SqlType::enumeration("status", {"draft", "done"})),
                              column("created", SqlType::datetime(true), {.server_default = schema::ServerDefault::now()})},
                             {.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}},
                              .foreign_keys = {schema::ForeignKeyConstraint{"fk_item_owner_id_owner", {"owner_id"}, "owner", {"id"},
                                                                            schema::FkAction::Cascade}},
                              .indexes = {schema::Index{"ix_item_name", {"name"}, true}}})},
      ops::AddColumn{"item", column("is_completed", SqlType::boolean(),
                                    {.nullable = false, .server_default = schema::ServerDefault::text("0")})},
      ops::DropColumn{"item", "price", column("price", SqlType::numeric(10, 2))},
      alter,
      ops::RenameTable{"item", "thing"},
      ops::CreateIndex{"item", {"ix_item_status", {"status", "name"}, false}},
      ops::DropIndex{"item", "ix_old", schema::Index{"ix_old", {"name"}, false}},
      ops::CreateUniqueConstraint{"item", {"uq_item_name", {"name"}}},
      ops::CreateForeignKey{"item", {"fk_item_owner_id_owner", {"owner_id"}, "owner", {"id"}, schema::FkAction::SetNull,
                                     schema::FkAction::Cascade}},
      ops::CreateCheckConstraint{"item", {"ck_item_qty", "qty >= 0"}},
      ops::CreatePrimaryKey{"tag", {"pk_tag", {"id"}}},
      ops::DropConstraint{"item", "uq_item_old", ops::ConstraintKind::Unique, schema::UniqueConstraint{"uq_item_old", {"name"}}},
      ops::DropTable{"old", std::nullopt},
      ops::Execute{"UPDATE item SET qty = ? WHERE name = ?", {std::int64_t{0}, "a\nb"}, "UPDATE item SET qty = NULL"},
      ops::BulkInsert{"item", {"id", "name"}, {{std::int64_t{1}, "x"}, {std::int64_t{2}, nullptr}}},
  };
}

// The text between the markers below, read from this source file.
std::string golden_from_source() {
  std::ifstream in(__FILE__);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string src = ss.str();
  const std::string begin = "// BEGIN GOLDEN\n", end = "    // END GOLDEN";
  const auto a = src.find(begin);
  const auto b = a == std::string::npos ? a : src.find(end, a);
  if (a == std::string::npos || b == std::string::npos) return "<markers not found in " + std::string(__FILE__) + ">";
  return src.substr(a + begin.size(), b - a - begin.size());
}

// The golden text, compiled: rendered code must record the ops it came from.
void recorded(strata::migrate::Operations& op) {
  // BEGIN GOLDEN
    op.create_table(strata::migrate::table("item", {
        strata::migrate::column("id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("name", strata::SqlType::string(255), {.nullable = false, .comment = "a \"name\""}),
        strata::migrate::column("status", strata::SqlType::enumeration("status", {"draft", "done"})),
        strata::migrate::column("created", strata::SqlType::datetime(true), {.server_default = strata::schema::ServerDefault::now()}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_item", {"id"}},
        .foreign_keys = {
            strata::schema::ForeignKeyConstraint{"fk_item_owner_id_owner", {"owner_id"}, "owner", {"id"}, strata::schema::FkAction::Cascade},
        },
        .indexes = {
            strata::schema::Index{"ix_item_name", {"name"}, true},
        },
    }));
    op.add_column("item", strata::migrate::column("is_completed", strata::SqlType::boolean(), {.nullable = false, .server_default = strata::schema::ServerDefault::text("0")}));
    op.drop_column("item", "price", strata::migrate::column("price", strata::SqlType::numeric(10, 2)));
    op.alter_column("item", "name", {.type = strata::SqlType::string(500), .nullable = true, .server_default = std::optional<strata::schema::ServerDefault>{}, .new_column_name = "title", .existing_type = strata::SqlType::string(255), .existing_nullable = false, .existing_server_default = strata::schema::ServerDefault::text("'x'")});
    op.rename_table("item", "thing");
    op.create_index("ix_item_status", "item", {"status", "name"});
    op.drop_index("ix_old", "item", strata::schema::Index{"ix_old", {"name"}});
    op.create_unique_constraint("uq_item_name", "item", {"name"});
    op.create_foreign_key("fk_item_owner_id_owner", "item", "owner", {"owner_id"}, {"id"}, {.ondelete = strata::schema::FkAction::SetNull, .onupdate = strata::schema::FkAction::Cascade});
    op.create_check_constraint("ck_item_qty", "item", "qty >= 0");
    op.create_primary_key("pk_tag", "tag", {"id"});
    op.drop_constraint("uq_item_old", "item", strata::migrate::ops::ConstraintKind::Unique, strata::schema::UniqueConstraint{"uq_item_old", {"name"}});
    op.drop_table("old");
    op.execute("UPDATE item SET qty = ? WHERE name = ?", {std::int64_t{0}, "a\nb"}, "UPDATE item SET qty = NULL");
    op.bulk_insert("item", {"id", "name"}, {{std::int64_t{1}, "x"}, {std::int64_t{2}, nullptr}});
    // END GOLDEN
}

}  // namespace

TEST(MigrateRender, GoldenText) { EXPECT_EQ(render(sample_ops(), 4), golden_from_source()); }

TEST(MigrateRender, RoundTripThroughCompiledCode) {
  Operations op;
  recorded(op);
  const auto expected = sample_ops();
  ASSERT_EQ(op.ops().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(op.ops()[i], expected[i]) << ops::describe(expected[i]);
}

TEST(MigrateRender, SingleOpsAndIndent) {
  EXPECT_EQ(render(ops::Op{ops::AddColumn{"item", column("is_completed", SqlType::boolean(),
                                                         {.nullable = false, .server_default = schema::ServerDefault::text("0")})}},
                   2),
            "  op.add_column(\"item\", strata::migrate::column(\"is_completed\", strata::SqlType::boolean(), "
            "{.nullable = false, .server_default = strata::schema::ServerDefault::text(\"0\")}));\n");
  EXPECT_EQ(render(ops::Op{ops::RunCallable{"backfill", {}, {}}}, 0),
            "// op.run_callable(\"backfill\", ...): C++ callables cannot be rendered; write them by hand\n");
  EXPECT_EQ(render(ops::Op{ops::DropIndex{"item", "ix", std::nullopt, true}}, 0), "op.drop_index(\"ix\", \"item\", std::nullopt, true);\n");
}

TEST(MigrateRender, ValuesWithoutLiteralThrow) {
  EXPECT_THROW((void)render(ops::Op{ops::BulkInsert{"item", {"b"}, {{Value(Bytes{})}}}}, 0), MigrationError);
}
