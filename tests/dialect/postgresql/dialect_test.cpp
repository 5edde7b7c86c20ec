// The PostgreSQL dialect's compiler, capabilities and catalog query (no database, no libpq).
#include <gtest/gtest.h>

#include "sql/golden.hpp"
#include "strata/core/error.hpp"
#include "strata/dialect/postgresql.hpp"
#include "strata/engine/engine.hpp"

namespace {

using namespace strata::sql;
using strata::Value;

const strata::dialect::Dialect& d = strata::dialect::postgresql_dialect();

TEST(PostgresqlDialect, NameAndCapabilities) {
  EXPECT_EQ(d.name(), "postgresql");
  const auto& c = d.capabilities();
  EXPECT_TRUE(c.supports_alter);
  EXPECT_TRUE(c.transactional_ddl);
  EXPECT_TRUE(c.returning);
  EXPECT_FALSE(c.postfetch_lastrowid);
  EXPECT_TRUE(c.native_uuid);
  EXPECT_TRUE(c.native_enum);
  EXPECT_TRUE(c.native_array);
  EXPECT_TRUE(c.savepoints);
  EXPECT_EQ(c.max_identifier_length, 63);
  EXPECT_EQ(c.max_bind_params, 65535u);
  EXPECT_EQ(&d, &strata::dialect::postgresql_dialect());
}

TEST(PostgresqlDialect, HasTable) {
  EXPECT_COMPILED(d.has_table("user"),
                  "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1",
                  Value{"user"});
}

TEST(PostgresqlDialect, LinkingTheComponentRegistersItForPostgresqlUrls) {
  // This program links strata::postgresql and never calls register_dialect.
  EXPECT_EQ(strata::dialect::find_dialect("postgresql"), &d);
  EXPECT_EQ(&strata::create_engine("postgresql://u@127.0.0.1:1/db").dialect(), &d);  // no connection yet
}

TEST(PostgresqlDialect, QuoteAndSelectWithIlikeAndOffsetAlone) {
  EXPECT_EQ(d.quote("a\"b"), R"("a""b")");
  Select s;
  s.columns = {column("item", "id")};
  s.from = "item";
  s.where = and_(binary(BinaryOp::ILike, column("item", "title"), bind("%Milk%")),
                 unary(UnaryOp::IsNull, column("item", "deleted_at")));
  s.order_by = {{column("item", "title"), false}};
  s.offset = 40;
  EXPECT_COMPILED(d.compile(s),
                  R"(SELECT "item"."id" FROM "item" WHERE "item"."title" ILIKE $1 AND )"
                  R"("item"."deleted_at" IS NULL ORDER BY "item"."title" OFFSET $2)",
                  Value{"%Milk%"}, Value{40});
}

TEST(PostgresqlDialect, NotIlikeAndCompoundOperands) {
  EXPECT_COMPILED(d.compiler().compile(binary(BinaryOp::NotILike, column("t", "a"), bind("x%"))), R"("t"."a" NOT ILIKE $1)",
                  Value{"x%"});
  // Concatenation binds tighter than ILIKE: no parentheses needed.
  EXPECT_COMPILED(d.compiler().compile(binary(BinaryOp::ILike, binary(BinaryOp::Concat, column("t", "a"), column("t", "b")),
                                   bind("%q%"))),
                  R"("t"."a" || "t"."b" ILIKE $1)", Value{"%q%"});
  // A comparison inside ILIKE keeps its own parentheses.
  EXPECT_COMPILED(d.compiler().compile(binary(BinaryOp::ILike, func("lower", {column("t", "a")}),
                                   binary(BinaryOp::Eq, column("t", "b"), bind(1)))),
                  R"(lower("t"."a") ILIKE ("t"."b" = $1))", Value{1});
  // Raw text may hold an expression of any precedence, so a compound one is wrapped.
  EXPECT_COMPILED(d.compiler().compile(binary(BinaryOp::ILike, text("a OR b"), text("?", {Value{"%"}}))),
                  R"((a OR b) ILIKE $1)", Value{"%"});
}

TEST(PostgresqlDialect, LimitOffsetNumbering) {
  Select s;
  s.columns = {star()};
  s.from = "item";
  s.where = binary(BinaryOp::Eq, column("item", "owner_id"), bind(7));
  s.limit = 10;
  EXPECT_COMPILED(d.compile(s), R"(SELECT * FROM "item" WHERE "item"."owner_id" = $1 LIMIT $2)", Value{7},
                  Value{10});
  s.offset = 20;
  EXPECT_COMPILED(d.compile(s), R"(SELECT * FROM "item" WHERE "item"."owner_id" = $1 LIMIT $2 OFFSET $3)", Value{7},
                  Value{10}, Value{20});
}

TEST(PostgresqlDialect, InListAndTextClauseRenumbered) {
  Select s;
  s.columns = {column("item", "id")};
  s.from = "item";
  s.where = and_(and_(binary(BinaryOp::Gt, column("item", "id"), bind(5)),
                      in_list(column("item", "status"), {Value{"draft"}, Value{"published"}, Value{"gone"}})),
                 text("length(title) BETWEEN ? AND ? AND note != '?'", {Value{1}, Value{80}}));
  s.limit = 3;
  EXPECT_COMPILED(d.compile(s),
                  R"(SELECT "item"."id" FROM "item" WHERE "item"."id" > $1 AND )"
                  R"("item"."status" IN ($2, $3, $4) AND (length(title) BETWEEN $5 AND $6 AND note != '?') LIMIT $7)",
                  Value{5}, Value{"draft"}, Value{"published"}, Value{"gone"}, Value{1}, Value{80}, Value{3});
}

TEST(PostgresqlDialect, InsertReturning) {
  Insert i{"item", {"title", "owner_id"}, {{"a", 1}, {"b", 2}}, {"id"}};
  EXPECT_COMPILED(d.compile(i),
                  R"(INSERT INTO "item" ("title", "owner_id") VALUES ($1, $2), ($3, $4) RETURNING "id")", Value{"a"},
                  Value{1}, Value{"b"}, Value{2});
}

TEST(PostgresqlDialect, UpdateAndDelete) {
  Update u{"item",
           {{"title", bind("x")}, {"views", binary(BinaryOp::Add, column("item", "views"), bind(1))}},
           binary(BinaryOp::Eq, column("item", "id"), bind(3)),
           {"id", "views"}};
  EXPECT_COMPILED(d.compile(u),
                  R"(UPDATE "item" SET "title" = $1, "views" = "item"."views" + $2 WHERE "item"."id" = $3 )"
                  R"(RETURNING "id", "views")",
                  Value{"x"}, Value{1}, Value{3});
  Delete del{"item", in_list(column("item", "id"), {Value{3}, Value{4}}), {"id"}};
  EXPECT_COMPILED(d.compile(del), R"(DELETE FROM "item" WHERE "item"."id" IN ($1, $2) RETURNING "id")", Value{3},
                  Value{4});
}

TEST(PostgresqlDialect, NumberingRestartsPerStatement) {
  Delete del{"item", binary(BinaryOp::Eq, column("item", "id"), bind(1)), {}};
  EXPECT_EQ(d.compile(del).sql, R"(DELETE FROM "item" WHERE "item"."id" = $1)");
  EXPECT_EQ(d.compile(del).sql, R"(DELETE FROM "item" WHERE "item"."id" = $1)");
}

}  // namespace

TEST(PostgresqlDialect, LiteralsAreWhatTheDriverSends) {
  // For `upgrade --sql`: the values inlined into a statement.
  EXPECT_EQ(d.literal(strata::Value(strata::Bytes{std::byte{0x00}, std::byte{0xab}})), "'\\x00ab'::bytea");
  EXPECT_EQ(d.literal(strata::Value(strata::StringList{"a", "b \"q\"", "it's"})), R"('{"a","b \"q\"","it''s"}')");
  EXPECT_EQ(d.literal(strata::Value(std::string("it's"))), "'it''s'");
  EXPECT_EQ(d.literal(strata::Value(std::int64_t{7})), "7");
  const auto u = strata::Uuid::v4();
  EXPECT_EQ(d.literal(strata::Value(u)), "'" + u.str() + "'");
}
