// Golden SQL of the typed query builder (orm/query.hpp) on the SQLite dialect,
// without a database: every statement is compiled and its exact SQL text and
// bound parameters are asserted (STYLE rule 10). Values are always bound as
// parameters; identifiers are always quoted.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "orm/query_models.hpp"
#include "sql/golden.hpp"
#include "strata/dialect/sqlite.hpp"
#include "strata/orm/query.hpp"

namespace {

using namespace strata_query_test;
using strata::col;
using strata::count;
using strata::Value;

const strata::dialect::Dialect& sqlite() { return strata::dialect::sqlite_dialect(); }

/// Compiles a predicate (or any typed expression) alone.
template <class T>
strata::sql::Compiled compiled(const strata::orm::Expr<T>& e) {
  return sqlite().compiler().compile(e.node);
}
template <class Row>
strata::sql::Compiled compiled(const strata::orm::Select<Row>& s) {
  return sqlite().compile(strata::sql::Statement{s.stmt});
}
template <class T>
strata::sql::Compiled compiled(const strata::orm::UpdateStmt<T>& s) {
  return sqlite().compile(strata::sql::Statement{s.stmt});
}
template <class T>
strata::sql::Compiled compiled(const strata::orm::DeleteStmt<T>& s) {
  return sqlite().compile(strata::sql::Statement{s.stmt});
}

const std::string kPersonCols =
    R"("q_person"."id", "q_person"."name", "q_person"."email", "q_person"."age", "q_person"."active")";
const std::string kPostCols =
    R"("q_post"."created_by", "q_post"."id", "q_post"."uid", "q_post"."title", "q_post"."author_id", )"
    R"("q_post"."status", "q_post"."pinned", "q_post"."score")";

// ---- comparisons ----

TEST(QueryGolden, ComparisonOperatorsBindTheValue) {
  EXPECT_COMPILED(compiled(col(&Person::id) == 1), R"("q_person"."id" = ?)", Value{1});
  EXPECT_COMPILED(compiled(col(&Person::id) != 2), R"("q_person"."id" != ?)", Value{2});
  EXPECT_COMPILED(compiled(col(&Person::id) < 3), R"("q_person"."id" < ?)", Value{3});
  EXPECT_COMPILED(compiled(col(&Person::id) <= 4), R"("q_person"."id" <= ?)", Value{4});
  EXPECT_COMPILED(compiled(col(&Person::id) > 5), R"("q_person"."id" > ?)", Value{5});
  EXPECT_COMPILED(compiled(col(&Person::id) >= 6), R"("q_person"."id" >= ?)", Value{6});
}

TEST(QueryGolden, IntegerParametersAreInt64) {
  const auto c = compiled(col(&Person::id) == std::uint8_t{7});
  ASSERT_EQ(c.params.size(), 1u);
  EXPECT_TRUE(c.params[0].get_if<std::int64_t>() != nullptr);
}

TEST(QueryGolden, StringOperandsFromCharPointerStringAndStringView) {
  const char* name = "Ada";
  EXPECT_COMPILED(compiled(col(&Person::name) == name), R"("q_person"."name" = ?)", Value{"Ada"});
  EXPECT_COMPILED(compiled(col(&Person::name) == "Ada"), R"("q_person"."name" = ?)", Value{"Ada"});
  EXPECT_COMPILED(compiled(col(&Person::name) == std::string("Ada")), R"("q_person"."name" = ?)",
                  Value{"Ada"});
  EXPECT_COMPILED(compiled(col(&Person::name) >= std::string_view("Ada")), R"("q_person"."name" >= ?)",
                  Value{"Ada"});
}

TEST(QueryGolden, ValuesAreNeverSplicedIntoTheText) {
  const std::string evil = "x'; DROP TABLE \"q_person\"; --";
  EXPECT_COMPILED(compiled(col(&Person::name) == evil), R"("q_person"."name" = ?)", Value{evil});
}

TEST(QueryGolden, UuidOperand) {
  const strata::Uuid u = strata::Uuid::v4();
  EXPECT_COMPILED(compiled(col(&Post::uid) == u), R"("q_post"."uid" = ?)", Value{u});
}

TEST(QueryGolden, EnumClassOperandBindsTheEnumeratorName) {
  EXPECT_COMPILED(compiled(col(&Post::status) == Status::published), R"("q_post"."status" = ?)",
                  Value{"published"});
  EXPECT_COMPILED(compiled(col(&Post::status) != Status::archived), R"("q_post"."status" != ?)",
                  Value{"archived"});
}

TEST(QueryGolden, OptionalColumnsTakePlainOptionalOrNullopt) {
  EXPECT_COMPILED(compiled(col(&Person::age) >= 18), R"("q_person"."age" >= ?)", Value{18});
  EXPECT_COMPILED(compiled(col(&Person::email) == "a@x.org"), R"("q_person"."email" = ?)", Value{"a@x.org"});
  EXPECT_COMPILED(compiled(col(&Person::email) == std::optional<std::string>("a@x.org")),
                  R"("q_person"."email" = ?)", Value{"a@x.org"});
  EXPECT_COMPILED(compiled(col(&Person::age) == std::optional<std::int64_t>(40)), R"("q_person"."age" = ?)",
                  Value{40});
  // A bound NULL compiles to IS [NOT] NULL, since `= NULL` is never true.
  EXPECT_COMPILED(compiled(col(&Person::email) == std::optional<std::string>()), R"("q_person"."email" IS NULL)");
  EXPECT_COMPILED(compiled(col(&Person::email) == std::nullopt), R"("q_person"."email" IS NULL)");
  EXPECT_COMPILED(compiled(col(&Person::age) != std::nullopt), R"("q_person"."age" IS NOT NULL)");
}

TEST(QueryGolden, NumbersOfAnotherArithmeticTypeKeepTheirValue) {
  EXPECT_COMPILED(compiled(col(&Post::score) > 2), R"("q_post"."score" > ?)", Value{2.0});
  // An integer column compared with 1.5 must not be truncated to `< 1`.
  EXPECT_COMPILED(compiled(col(&Person::id) < 1.5), R"("q_person"."id" < ?)", Value{1.5});
}

TEST(QueryGolden, BoolColumns) {
  EXPECT_COMPILED(compiled(col(&Person::active) == true), R"("q_person"."active" = ?)", Value{true});
  EXPECT_COMPILED(compiled(!col(&Person::active)), R"(NOT "q_person"."active")");
  EXPECT_COMPILED(compiled(col(&Person::active) && col(&Person::id) > 1),
                  R"("q_person"."active" AND "q_person"."id" > ?)", Value{1});
}

TEST(QueryGolden, ColumnToColumn) {
  EXPECT_COMPILED(compiled(col(&Post::author_id) == col(&Person::id)), R"("q_post"."author_id" = "q_person"."id")");
  EXPECT_COMPILED(compiled(strata::orm::lower(col(&Person::name)) == "ada"), R"(lower("q_person"."name") = ?)",
                  Value{"ada"});
}

// ---- boolean connectives ----

TEST(QueryGolden, AndOrNotFollowPrecedence) {
  auto p = (col(&Person::id) == 1 || col(&Person::id) == 2) && !(col(&Person::name) == "x");
  EXPECT_COMPILED(compiled(p), R"(("q_person"."id" = ? OR "q_person"."id" = ?) AND NOT ("q_person"."name" = ?))",
                  Value{1}, Value{2}, Value{"x"});
  auto q = (col(&Person::id) == 1 && col(&Person::id) == 2) || col(&Person::active);
  EXPECT_COMPILED(compiled(q), R"("q_person"."id" = ? AND "q_person"."id" = ? OR "q_person"."active")", Value{1},
                  Value{2});
}

TEST(QueryGolden, SeveralWhereCallsAreAnded) {
  auto s = strata::select<Person>().where(col(&Person::id) > 1).where(col(&Person::name) == "Ada" ||
                                                                      col(&Person::name) == "Bob");
  EXPECT_COMPILED(compiled(s),
                  "SELECT " + kPersonCols +
                      R"( FROM "q_person" WHERE "q_person"."id" > ? AND ("q_person"."name" = ? OR "q_person"."name" = ?))",
                  Value{1}, Value{"Ada"}, Value{"Bob"});
}

// ---- IN, LIKE, NULL, BETWEEN ----

TEST(QueryGolden, InAndNotIn) {
  EXPECT_COMPILED(compiled(col(&Person::id).in_(std::vector<int>{1, 2, 3})), R"("q_person"."id" IN (?, ?, ?))",
                  Value{1}, Value{2}, Value{3});
  EXPECT_COMPILED(compiled(col(&Person::name).not_in({"a", "b"})), R"("q_person"."name" NOT IN (?, ?))",
                  Value{"a"}, Value{"b"});
  EXPECT_COMPILED(compiled(col(&Post::status).in_({Status::draft, Status::archived})),
                  R"("q_post"."status" IN (?, ?))", Value{"draft"}, Value{"archived"});
  EXPECT_COMPILED(compiled(col(&Person::age).in_({30, 40})), R"("q_person"."age" IN (?, ?))", Value{30},
                  Value{40});
}

TEST(QueryGolden, EmptyInListIsAConstant) {
  EXPECT_COMPILED(compiled(col(&Person::id).in_(std::vector<std::int64_t>{})), "1 != 1");
  EXPECT_COMPILED(compiled(col(&Person::id).not_in(std::vector<std::int64_t>{})), "1 = 1");
}

TEST(QueryGolden, LikeAndIlike) {
  EXPECT_COMPILED(compiled(col(&Person::name).like("A%")), R"("q_person"."name" LIKE ?)", Value{"A%"});
  EXPECT_COMPILED(compiled(col(&Person::email).like("%@x.org")), R"("q_person"."email" LIKE ?)",
                  Value{"%@x.org"});
  // SQLite has no ILIKE: lower() on both sides.
  EXPECT_COMPILED(compiled(col(&Person::name).ilike("a%")), R"(lower("q_person"."name") LIKE lower(?))",
                  Value{"a%"});
}

TEST(QueryGolden, IsNullAndIsNotNull) {
  EXPECT_COMPILED(compiled(col(&Person::email).is_null()), R"("q_person"."email" IS NULL)");
  EXPECT_COMPILED(compiled(col(&Person::email).is_not_null()), R"("q_person"."email" IS NOT NULL)");
  EXPECT_COMPILED(compiled(!col(&Person::email).is_null()), R"(NOT ("q_person"."email" IS NULL))");
}

TEST(QueryGolden, Between) {
  EXPECT_COMPILED(compiled(col(&Person::age).between(18, 65)), R"("q_person"."age" BETWEEN ? AND ?)", Value{18},
                  Value{65});
  EXPECT_COMPILED(compiled(col(&Post::score).between(0.5, 2)), R"("q_post"."score" BETWEEN ? AND ?)", Value{0.5},
                  Value{2.0});
}

// ---- SELECT of entities ----

TEST(QueryGolden, SelectEntityListsItsColumnsInFieldOrder) {
  auto s = strata::select<Person>();
  static_assert(std::is_same_v<decltype(s), strata::orm::Select<std::shared_ptr<Person>>>);
  EXPECT_COMPILED(compiled(s), "SELECT " + kPersonCols + R"( FROM "q_person")");
  // The base's column (created_by) comes first.
  EXPECT_COMPILED(compiled(strata::select<Post>()), "SELECT " + kPostCols + R"( FROM "q_post")");
}

TEST(QueryGolden, OrderByAscDescSeveralTerms) {
  auto s = strata::select<Person>().order_by(col(&Person::name), col(&Person::id).desc());
  EXPECT_COMPILED(compiled(s), "SELECT " + kPersonCols + R"( FROM "q_person" ORDER BY "q_person"."name", "q_person"."id" DESC)");
  auto t = strata::select<Person>().order_by(col(&Person::age).desc()).order_by(col(&Person::name).asc());
  EXPECT_COMPILED(compiled(t), "SELECT " + kPersonCols + R"( FROM "q_person" ORDER BY "q_person"."age" DESC, "q_person"."name")");
}

TEST(QueryGolden, LimitAndOffsetAreBound) {
  EXPECT_COMPILED(compiled(strata::select<Person>().limit(10).offset(20)),
                  "SELECT " + kPersonCols + R"( FROM "q_person" LIMIT ? OFFSET ?)", Value{10}, Value{20});
  EXPECT_COMPILED(compiled(strata::select<Person>().limit(5)), "SELECT " + kPersonCols + R"( FROM "q_person" LIMIT ?)",
                  Value{5});
  EXPECT_COMPILED(compiled(strata::select<Person>().offset(3)),
                  "SELECT " + kPersonCols + R"( FROM "q_person" LIMIT -1 OFFSET ?)", Value{3});
}

TEST(QueryGolden, WhereOrderLimitTogether) {
  auto s = strata::select<Person>()
               .where(col(&Person::age) >= 18 && col(&Person::email).is_not_null())
               .order_by(col(&Person::name))
               .limit(2)
               .offset(4);
  EXPECT_COMPILED(compiled(s),
                  "SELECT " + kPersonCols +
                      R"( FROM "q_person" WHERE "q_person"."age" >= ? AND "q_person"."email" IS NOT NULL)"
                      R"( ORDER BY "q_person"."name" LIMIT ? OFFSET ?)",
                  Value{18}, Value{2}, Value{4});
}

TEST(QueryGolden, Distinct) {
  EXPECT_COMPILED(compiled(strata::select(col(&Person::name)).distinct()),
                  R"(SELECT DISTINCT "q_person"."name" FROM "q_person")");
}

// ---- joins ----

TEST(QueryGolden, InnerJoinOfTwoModelsReturnsTuples) {
  auto s = strata::select<Person, Post>().join<Post>(col(&Post::author_id) == col(&Person::id));
  static_assert(std::is_same_v<decltype(s),
                               strata::orm::Select<std::tuple<std::shared_ptr<Person>, std::shared_ptr<Post>>>>);
  EXPECT_COMPILED(compiled(s), "SELECT " + kPersonCols + ", " + kPostCols +
                                   R"( FROM "q_person" JOIN "q_post" ON "q_post"."author_id" = "q_person"."id")");
}

TEST(QueryGolden, OuterJoinWithWhere) {
  auto s = strata::select<Person, Post>()
               .outerjoin<Post>(col(&Post::author_id) == col(&Person::id) && col(&Post::pinned) == true)
               .where(col(&Person::active));
  EXPECT_COMPILED(compiled(s), "SELECT " + kPersonCols + ", " + kPostCols +
                                   R"( FROM "q_person" LEFT OUTER JOIN "q_post" ON "q_post"."author_id" = "q_person"."id")"
                                   R"( AND "q_post"."pinned" = ? WHERE "q_person"."active")",
                  Value{true});
}

// ---- chosen columns, aggregates ----

TEST(QueryGolden, ChosenColumnsGiveTuplesOfValues) {
  auto s = strata::select(col(&Person::name), col(&Person::age)).where(col(&Person::id) == 1);
  static_assert(std::is_same_v<decltype(s),
                               strata::orm::Select<std::tuple<std::string, std::optional<std::int64_t>>>>);
  EXPECT_COMPILED(compiled(s), R"(SELECT "q_person"."name", "q_person"."age" FROM "q_person" WHERE "q_person"."id" = ?)",
                  Value{1});
}

TEST(QueryGolden, ChosenColumnsOfAJoin) {
  auto s = strata::select(col(&Person::name), col(&Post::title))
               .join<Post>(col(&Post::author_id) == col(&Person::id))
               .order_by(col(&Post::title));
  EXPECT_COMPILED(compiled(s), R"(SELECT "q_person"."name", "q_post"."title" FROM "q_person" JOIN "q_post")"
                               R"( ON "q_post"."author_id" = "q_person"."id" ORDER BY "q_post"."title")");
}

TEST(QueryGolden, CountStarNeedsSelectFrom) {
  auto s = strata::select(count()).select_from<Person>();
  static_assert(std::is_same_v<decltype(s), strata::orm::Select<std::tuple<std::int64_t>>>);
  EXPECT_COMPILED(compiled(s), R"(SELECT count(*) FROM "q_person")");
  EXPECT_COMPILED(compiled(strata::select(count()).select_from<Post>().where(col(&Post::pinned) == true)),
                  R"(SELECT count(*) FROM "q_post" WHERE "q_post"."pinned" = ?)", Value{true});
}

TEST(QueryGolden, CountOfAColumnAndDistinctFindTheirFromTable) {
  EXPECT_COMPILED(compiled(strata::select(count(col(&Post::author_id)))),
                  R"(SELECT count("q_post"."author_id") FROM "q_post")");
  EXPECT_COMPILED(compiled(strata::select(count(col(&Post::author_id), true))),
                  R"(SELECT count(DISTINCT "q_post"."author_id") FROM "q_post")");
  EXPECT_COMPILED(compiled(strata::select(strata::orm::max(col(&Post::score)), strata::orm::min(col(&Post::score)))),
                  R"(SELECT max("q_post"."score"), min("q_post"."score") FROM "q_post")");
}

TEST(QueryGolden, GroupByHaving) {
  auto s = strata::select(col(&Post::author_id), count())
               .group_by(col(&Post::author_id))
               .having(count() > 1)
               .order_by(strata::orm::desc(count()), col(&Post::author_id));
  static_assert(std::is_same_v<decltype(s), strata::orm::Select<std::tuple<std::optional<std::int64_t>, std::int64_t>>>);
  EXPECT_COMPILED(compiled(s), R"(SELECT "q_post"."author_id", count(*) FROM "q_post" GROUP BY "q_post"."author_id")"
                               R"( HAVING count(*) > ? ORDER BY count(*) DESC, "q_post"."author_id")",
                  Value{1});
}

TEST(QueryGolden, SelectFromWithAnUnqualifiedBaseColumn) {
  // A member of a shared base (STRATA_MODEL) is unqualified unless a table is named.
  EXPECT_COMPILED(compiled(strata::select(col(&Audit::created_by)).select_from<Post>()),
                  R"(SELECT "created_by" FROM "q_post")");
}

// ---- members of a shared base ----

TEST(QueryGolden, ColOfATableForAMemberOfItsBase) {
  EXPECT_COMPILED(compiled(strata::orm::col<Post>(&Audit::created_by) == "ada"), R"("q_post"."created_by" = ?)",
                  Value{"ada"});
  EXPECT_COMPILED(compiled(col(&Audit::created_by) == "ada"), R"("created_by" = ?)", Value{"ada"});
  // Naming the class itself is the same as col(&T::m).
  EXPECT_COMPILED(compiled(strata::orm::col<Post>(&Post::title) == "t"), R"("q_post"."title" = ?)", Value{"t"});
  auto s = strata::select<Post>().where(strata::orm::col<Post>(&Audit::created_by) == "ada");
  EXPECT_COMPILED(compiled(s), "SELECT " + kPostCols + R"( FROM "q_post" WHERE "q_post"."created_by" = ?)",
                  Value{"ada"});
}

// ---- UPDATE / DELETE ----

TEST(QueryGolden, UpdateSetWhere) {
  auto u = strata::update<Person>()
               .set(&Person::name, "Bob")
               .set(&Person::email, std::nullopt)
               .set(&Person::age, std::optional<std::int64_t>(41))
               .where(col(&Person::id) == 3);
  EXPECT_COMPILED(compiled(u), R"(UPDATE "q_person" SET "name" = ?, "email" = ?, "age" = ? WHERE "q_person"."id" = ?)",
                  Value{"Bob"}, Value{}, Value{41}, Value{3});
}

TEST(QueryGolden, UpdateEnumAndBaseMember) {
  auto u = strata::update<Post>()
               .set(&Post::status, Status::archived)
               .set(&Audit::created_by, std::string("system"))
               .where(col(&Post::score) < 1.0 && !col(&Post::pinned));
  EXPECT_COMPILED(compiled(u),
                  R"(UPDATE "q_post" SET "status" = ?, "created_by" = ? WHERE "q_post"."score" < ? AND NOT "q_post"."pinned")",
                  Value{"archived"}, Value{"system"}, Value{1.0});
}

TEST(QueryGolden, UpdateWithoutWhere) {
  EXPECT_COMPILED(compiled(strata::update<Person>().set(&Person::active, false)),
                  R"(UPDATE "q_person" SET "active" = ?)", Value{false});
}

TEST(QueryGolden, DeleteWhere) {
  EXPECT_COMPILED(compiled(strata::delete_from<Post>().where(col(&Post::pinned) == false)),
                  R"(DELETE FROM "q_post" WHERE "q_post"."pinned" = ?)", Value{false});
  EXPECT_COMPILED(compiled(strata::delete_from<Person>().where(col(&Person::name).like("tmp%")).where(
                      col(&Person::id).in_({1, 2}))),
                  R"(DELETE FROM "q_person" WHERE "q_person"."name" LIKE ? AND "q_person"."id" IN (?, ?))",
                  Value{"tmp%"}, Value{1}, Value{2});
  EXPECT_COMPILED(compiled(strata::delete_from<Person>()), R"(DELETE FROM "q_person")");
}

// ---- compile-time checks that must accept (the rejections are in tests/compile_fail) ----

TEST(QueryGolden, OperandTypeChecks) {
  using strata::orm::detail::comparable_v;
  static_assert(comparable_v<std::string, const char*>);
  static_assert(comparable_v<std::string, std::string_view>);
  static_assert(comparable_v<std::optional<std::string>, std::optional<std::string>>);
  static_assert(comparable_v<std::optional<std::string>, std::nullopt_t>);
  static_assert(comparable_v<std::int64_t, int>);
  static_assert(comparable_v<double, int>);
  static_assert(comparable_v<Status, Status>);
  static_assert(!comparable_v<std::string, int>);
  static_assert(!comparable_v<std::int64_t, const char*>);
  static_assert(!comparable_v<std::string, std::nullopt_t>);  // not nullable: use is_null() to say so
  static_assert(!comparable_v<bool, int>);
  static_assert(!comparable_v<std::int64_t, bool>);
  static_assert(!comparable_v<Status, int>);
  static_assert(!comparable_v<strata::Uuid, std::string>);
  SUCCEED();
}

}  // namespace
