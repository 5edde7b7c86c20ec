// Golden SQL for SELECT with the base (ANSI, "?") compiler.
#include <gtest/gtest.h>

#include "sql/golden.hpp"
#include "strata/core/error.hpp"
#include "strata/sql/compiler.hpp"

namespace {

using namespace strata::sql;
using strata::Value;

const SqlCompiler compiler;

Expr c(const char* t, const char* n) { return column(t, n); }
Expr eq(Expr a, Value v) { return binary(BinaryOp::Eq, std::move(a), bind(std::move(v))); }

Select from_user() {
  Select s;
  s.columns = {c("user", "id"), c("user", "email")};
  s.from = "user";
  return s;
}

TEST(Select, Plain) {
  EXPECT_COMPILED(compiler.compile(from_user()), R"(SELECT "user"."id", "user"."email" FROM "user")");
}

TEST(Select, StarWhenNoColumns) {
  Select s;
  s.from = "user";
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT * FROM "user")");
  s.columns = {star("user")};
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT "user".* FROM "user")");
}

TEST(Select, WhereEq) {
  Select s = from_user();
  s.where = eq(c("user", "email"), "ada@example.com");
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT "user"."id", "user"."email" FROM "user" WHERE "user"."email" = ?)",
                  Value{"ada@example.com"});
}

TEST(Select, AndOrNesting) {
  Select s;
  s.columns = {c("a", "x")};
  s.from = "a";
  s.where = and_(eq(c("a", "x"), 1),
                 or_(eq(c("a", "y"), 2), binary(BinaryOp::Lt, c("a", "z"), bind(3))));
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT "a"."x" FROM "a" WHERE "a"."x" = ? AND ("a"."y" = ? OR "a"."z" < ?))",
                  Value{1}, Value{2}, Value{3});
}

TEST(Select, AndChainsFlatOrOfAndsUnparenthesized) {
  Expr w = and_(and_(eq(c("a", "x"), 1), eq(c("a", "y"), 2)), eq(c("a", "z"), 3));
  EXPECT_COMPILED(compiler.compile(w), R"("a"."x" = ? AND "a"."y" = ? AND "a"."z" = ?)", Value{1}, Value{2}, Value{3});
  Expr o = or_(and_(eq(c("a", "x"), 1), eq(c("a", "y"), 2)), eq(c("a", "z"), 3));
  EXPECT_COMPILED(compiler.compile(o), R"("a"."x" = ? AND "a"."y" = ? OR "a"."z" = ?)", Value{1}, Value{2}, Value{3});
  Expr r = and_(eq(c("a", "x"), 1), and_(eq(c("a", "y"), 2), eq(c("a", "z"), 3)));
  EXPECT_COMPILED(compiler.compile(r), R"("a"."x" = ? AND "a"."y" = ? AND "a"."z" = ?)", Value{1}, Value{2}, Value{3});
}

TEST(Select, AndOrDropNullSide) {
  Expr none;
  Expr w = and_(none, eq(c("a", "x"), 1));
  EXPECT_COMPILED(compiler.compile(w), R"("a"."x" = ?)", Value{1});
  EXPECT_EQ(or_(w, nullptr), w);
  EXPECT_EQ(and_(nullptr, nullptr), nullptr);
}

TEST(Select, NotComparisons) {
  EXPECT_COMPILED(compiler.compile(unary(UnaryOp::Not, eq(c("a", "x"), 1))), R"(NOT ("a"."x" = ?))", Value{1});
  EXPECT_COMPILED(compiler.compile(unary(UnaryOp::Not, c("a", "flag"))), R"(NOT "a"."flag")");
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::Ne, c("a", "x"), bind(1))), R"("a"."x" != ?)", Value{1});
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::Le, c("a", "x"), bind(1))), R"("a"."x" <= ?)", Value{1});
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::Ge, c("a", "x"), bind(1))), R"("a"."x" >= ?)", Value{1});
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::Gt, c("a", "x"), bind(1))), R"("a"."x" > ?)", Value{1});
}

TEST(Select, InAndNotIn) {
  EXPECT_COMPILED(compiler.compile(in_list(c("a", "x"), {1, 2, 3})), R"("a"."x" IN (?, ?, ?))", Value{1}, Value{2},
                  Value{3});
  EXPECT_COMPILED(compiler.compile(in_list(c("a", "x"), {"p"}, true)), R"("a"."x" NOT IN (?))", Value{"p"});
}

TEST(Select, EmptyIn) {
  EXPECT_COMPILED(compiler.compile(in_list(c("a", "x"), {})), "1 != 1");
  EXPECT_COMPILED(compiler.compile(in_list(c("a", "x"), {}, true)), "1 = 1");
  EXPECT_COMPILED(compiler.compile(and_(eq(c("a", "y"), 5), in_list(c("a", "x"), {}))), R"("a"."y" = ? AND 1 != 1)",
                  Value{5});
}

TEST(Select, Between) {
  EXPECT_COMPILED(compiler.compile(between(c("a", "x"), bind(1), bind(9))), R"("a"."x" BETWEEN ? AND ?)", Value{1},
                  Value{9});
  EXPECT_COMPILED(compiler.compile(between(c("a", "x"), bind(1), bind(9), true)), R"("a"."x" NOT BETWEEN ? AND ?)",
                  Value{1}, Value{9});
}

TEST(Select, LikeAndIlike) {
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::Like, c("a", "t"), bind("%x%"))), R"("a"."t" LIKE ?)",
                  Value{"%x%"});
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::NotLike, c("a", "t"), bind("%x%"))), R"("a"."t" NOT LIKE ?)",
                  Value{"%x%"});
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::ILike, c("a", "t"), bind("%X%"))),
                  R"(lower("a"."t") LIKE lower(?))", Value{"%X%"});
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::NotILike, c("a", "t"), bind("%X%"))),
                  R"(lower("a"."t") NOT LIKE lower(?))", Value{"%X%"});
}

TEST(Select, IsNull) {
  EXPECT_COMPILED(compiler.compile(unary(UnaryOp::IsNull, c("a", "d"))), R"("a"."d" IS NULL)");
  EXPECT_COMPILED(compiler.compile(unary(UnaryOp::IsNotNull, c("a", "d"))), R"("a"."d" IS NOT NULL)");
  // A bound NULL compared with = / != would never be true: IS [NOT] NULL instead.
  EXPECT_COMPILED(compiler.compile(eq(c("a", "d"), nullptr)), R"("a"."d" IS NULL)");
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::Ne, c("a", "d"), bind(nullptr))), R"("a"."d" IS NOT NULL)");
}

TEST(Select, Arithmetic) {
  Expr e = binary(BinaryOp::Mul, binary(BinaryOp::Add, c("a", "x"), bind(1)), bind(2));
  EXPECT_COMPILED(compiler.compile(e), R"(("a"."x" + ?) * ?)", Value{1}, Value{2});
  Expr s = binary(BinaryOp::Sub, c("a", "x"), binary(BinaryOp::Sub, c("a", "y"), c("a", "z")));
  EXPECT_COMPILED(compiler.compile(s), R"("a"."x" - ("a"."y" - "a"."z"))");
  Expr cmp = binary(BinaryOp::Gt, binary(BinaryOp::Add, c("a", "x"), c("a", "y")), bind(10));
  EXPECT_COMPILED(compiler.compile(cmp), R"("a"."x" + "a"."y" > ?)", Value{10});
  EXPECT_COMPILED(compiler.compile(unary(UnaryOp::Neg, c("a", "x"))), R"(-"a"."x")");
  EXPECT_COMPILED(compiler.compile(binary(BinaryOp::Concat, c("a", "f"), bind(" "))), R"("a"."f" || ?)", Value{" "});
}

TEST(Select, OrderByAscDesc) {
  Select s = from_user();
  s.order_by = {{c("user", "email"), false}, {c("user", "id"), true}};
  EXPECT_COMPILED(compiler.compile(s),
                  R"(SELECT "user"."id", "user"."email" FROM "user" ORDER BY "user"."email", "user"."id" DESC)");
}

TEST(Select, LimitOffset) {
  Select s = from_user();
  s.limit = 100;
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT "user"."id", "user"."email" FROM "user" LIMIT ?)",
                  Value{std::int64_t{100}});
  s.offset = 20;
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT "user"."id", "user"."email" FROM "user" LIMIT ? OFFSET ?)",
                  Value{100}, Value{20});
  s.limit.reset();
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT "user"."id", "user"."email" FROM "user" LIMIT -1 OFFSET ?)",
                  Value{20});
}

TEST(Select, WhereOrderLimitParamOrder) {
  Select s = from_user();
  s.where = eq(c("user", "id"), 7);
  s.order_by = {{c("user", "id"), true}};
  s.limit = 10;
  s.offset = 5;
  EXPECT_COMPILED(
      compiler.compile(s),
      R"(SELECT "user"."id", "user"."email" FROM "user" WHERE "user"."id" = ? ORDER BY "user"."id" DESC LIMIT ? OFFSET ?)",
      Value{7}, Value{10}, Value{5});
}

TEST(Select, CountAndLabel) {
  Select s;
  s.columns = {func("count", {star()})};
  s.from = "item";
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT count(*) FROM "item")");
  s.columns = {label(func("count", {c("item", "owner_id")}, true), "n")};
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT count(DISTINCT "item"."owner_id") AS "n" FROM "item")");
}

TEST(Select, GroupByHaving) {
  Select s;
  Expr n = label(func("count", {star()}), "n");
  s.columns = {c("item", "owner_id"), n};
  s.from = "item";
  s.group_by = {c("item", "owner_id")};
  s.having = binary(BinaryOp::Gt, func("count", {star()}), bind(2));
  s.order_by = {{n, true}};
  EXPECT_COMPILED(compiler.compile(s),
                  R"(SELECT "item"."owner_id", count(*) AS "n" FROM "item" GROUP BY "item"."owner_id" )"
                  R"(HAVING count(*) > ? ORDER BY "n" DESC)",
                  Value{2});
}

TEST(Select, Distinct) {
  Select s;
  s.columns = {c("item", "owner_id")};
  s.from = "item";
  s.distinct = true;
  EXPECT_COMPILED(compiler.compile(s), R"(SELECT DISTINCT "item"."owner_id" FROM "item")");
}

TEST(Select, InnerAndLeftJoin) {
  Select s;
  s.columns = {c("item", "title"), c("user", "email")};
  s.from = "item";
  s.joins = {Join{JoinKind::Inner, "user", binary(BinaryOp::Eq, c("item", "owner_id"), c("user", "id"))},
             Join{JoinKind::Left, "tag", and_(binary(BinaryOp::Eq, c("tag", "item_id"), c("item", "id")),
                                              eq(c("tag", "name"), "x"))}};
  s.where = eq(c("user", "is_active"), true);
  EXPECT_COMPILED(compiler.compile(s),
                  R"(SELECT "item"."title", "user"."email" FROM "item" )"
                  R"(JOIN "user" ON "item"."owner_id" = "user"."id" )"
                  R"(LEFT OUTER JOIN "tag" ON "tag"."item_id" = "item"."id" AND "tag"."name" = ? )"
                  R"(WHERE "user"."is_active" = ?)",
                  Value{"x"}, Value{true});
}

TEST(Select, JoinWithoutOnThrows) {
  Select s = from_user();
  s.joins = {Join{JoinKind::Inner, "item", nullptr}};
  EXPECT_THROW(compiler.compile(s), strata::CompileError);
}

TEST(Select, Subqueries) {
  auto inner = std::make_shared<Select>();
  inner->columns = {c("item", "owner_id")};
  inner->from = "item";
  inner->where = eq(c("item", "done"), false);
  Expr sub = std::make_shared<const ExprNode>(ExprNode{Subquery{inner}});
  Select s = from_user();
  s.where = and_(eq(c("user", "org"), 1), binary(BinaryOp::Eq, c("user", "id"), sub));
  EXPECT_COMPILED(compiler.compile(s),
                  R"(SELECT "user"."id", "user"."email" FROM "user" WHERE "user"."org" = ? AND )"
                  R"("user"."id" = (SELECT "item"."owner_id" FROM "item" WHERE "item"."done" = ?))",
                  Value{1}, Value{false});
  EXPECT_COMPILED(compiler.compile(unary(UnaryOp::Exists, sub)),
                  R"(EXISTS (SELECT "item"."owner_id" FROM "item" WHERE "item"."done" = ?))", Value{false});
}

TEST(Select, TextClause) {
  Select s = from_user();
  s.where = and_(eq(c("user", "id"), 1), text("age > ? OR name = 'who?'", {18}));
  EXPECT_COMPILED(compiler.compile(s),
                  R"(SELECT "user"."id", "user"."email" FROM "user" WHERE "user"."id" = ? AND (age > ? OR name = 'who?'))",
                  Value{1}, Value{18});
  EXPECT_COMPILED(compiler.compile(and_(text("flag"), eq(c("a", "x"), 2))), R"(flag AND "a"."x" = ?)", Value{2});
  EXPECT_THROW(compiler.compile(text("a = ? AND b = ?", {1})), strata::CompileError);
  EXPECT_THROW(compiler.compile(text("a = 1", {1})), strata::CompileError);
}

TEST(Select, QuotingDoublesEmbeddedQuotes) {
  EXPECT_EQ(compiler.quote("we\"ird"), R"("we""ird")");
  EXPECT_EQ(compiler.quote("user"), R"("user")");
  EXPECT_COMPILED(compiler.compile(column("", "x\"y")), R"("x""y")");
}

// JSON paths and array membership have no ANSI spelling: only dialects render
// them (tests/dialect/*/json_compile_test.cpp); the base names itself.
TEST(Select, JsonPathAndArrayAnyNeedADialect) {
  try {
    compiler.compile(json_path(c("m", "doc"), {"k"}, JsonCast::String));
    ADD_FAILURE() << "no UnsupportedFeature";
  } catch (const strata::UnsupportedFeature& e) {
    EXPECT_EQ(e.dialect(), "default");
    EXPECT_EQ(e.feature(), "JSON paths");
  }
  try {
    compiler.compile(array_any(c("o", "tags"), bind("x")));
    ADD_FAILURE() << "no UnsupportedFeature";
  } catch (const strata::UnsupportedFeature& e) {
    EXPECT_EQ(e.dialect(), "default");
    EXPECT_EQ(e.feature(), "array membership (any())");
  }
  // An empty path is refused before any dialect sees it.
  EXPECT_THROW(compiler.compile(json_path(c("m", "doc"), {}, JsonCast::String)), strata::CompileError);
}

TEST(Select, ValuesAreNeverSpliced) {
  Select s = from_user();
  s.where = eq(c("user", "email"), "x'; DROP TABLE \"user\"; --");
  const Compiled out = compiler.compile(Statement{s});
  EXPECT_EQ(out.sql.find("DROP"), std::string::npos);
  EXPECT_EQ(out.params.size(), 1u);
}

}  // namespace
