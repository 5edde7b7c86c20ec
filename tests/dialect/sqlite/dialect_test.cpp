// The SQLite dialect's compiler, capabilities and catalog query (no database).
#include <gtest/gtest.h>

#include "sql/golden.hpp"
#include "strata/dialect/sqlite.hpp"

namespace {

using namespace strata::sql;
using strata::Value;

const strata::dialect::Dialect& d = strata::dialect::sqlite_dialect();

TEST(SqliteDialect, NameAndCapabilities) {
  EXPECT_EQ(d.name(), "sqlite");
  const auto& c = d.capabilities();
  EXPECT_FALSE(c.supports_alter);
  EXPECT_TRUE(c.transactional_ddl);
  EXPECT_TRUE(c.returning);
  EXPECT_FALSE(c.native_uuid);
  EXPECT_FALSE(c.native_enum);
  EXPECT_FALSE(c.native_array);
  EXPECT_EQ(c.max_bind_params, 32766u);
  EXPECT_GE(c.max_identifier_length, 1 << 20);
  EXPECT_EQ(&d, &strata::dialect::sqlite_dialect());
}

TEST(SqliteDialect, HasTable) {
  EXPECT_COMPILED(d.has_table("user"), "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                  Value{"user"});
}

TEST(SqliteDialect, QuoteAndSelect) {
  EXPECT_EQ(d.quote("a\"b"), R"("a""b")");
  Select s;
  s.columns = {column("item", "id")};
  s.from = "item";
  s.where = and_(binary(BinaryOp::ILike, column("item", "title"), bind("%Milk%")),
                 unary(UnaryOp::IsNull, column("item", "deleted_at")));
  s.order_by = {{column("item", "title"), false}};
  s.offset = 40;
  EXPECT_COMPILED(d.compile(s),
                  R"(SELECT "item"."id" FROM "item" WHERE lower("item"."title") LIKE lower(?) AND )"
                  R"("item"."deleted_at" IS NULL ORDER BY "item"."title" LIMIT -1 OFFSET ?)",
                  Value{"%Milk%"}, Value{40});
}

TEST(SqliteDialect, InsertReturning) {
  Insert i{"item", {"title", "owner_id"}, {{"a", 1}, {"b", 2}}, {"id"}};
  EXPECT_COMPILED(d.compile(i), R"(INSERT INTO "item" ("title", "owner_id") VALUES (?, ?), (?, ?) RETURNING "id")",
                  Value{"a"}, Value{1}, Value{"b"}, Value{2});
}

TEST(SqliteDialect, UpdateAndDelete) {
  Update u{"item", {{"title", bind("x")}}, binary(BinaryOp::Eq, column("item", "id"), bind(3)), {}};
  EXPECT_COMPILED(d.compile(u), R"(UPDATE "item" SET "title" = ? WHERE "item"."id" = ?)", Value{"x"}, Value{3});
  Delete del{"item", binary(BinaryOp::Eq, column("item", "id"), bind(3)), {"id"}};
  EXPECT_COMPILED(d.compile(del), R"(DELETE FROM "item" WHERE "item"."id" = ? RETURNING "id")", Value{3});
}

}  // namespace

TEST(SqliteDialectLiteral, UuidIsItsHexDigitsAsStored) {
  // For `upgrade --sql`: the CHAR(32) form the driver binds, not the canonical text.
  const auto& sd = strata::dialect::sqlite_dialect();
  const auto u = strata::Uuid::v4();
  EXPECT_EQ(sd.literal(strata::Value(u)), "'" + u.hex() + "'");
  EXPECT_EQ(sd.literal(strata::Value(strata::Bytes{std::byte{0x01}})), "X'01'");
  EXPECT_EQ(sd.literal(strata::Value(std::string("it's"))), "'it''s'");
}
