// Golden SQL for INSERT / UPDATE / DELETE with the base compiler.
#include <gtest/gtest.h>

#include "sql/golden.hpp"
#include "strata/core/error.hpp"
#include "strata/sql/compiler.hpp"

namespace {

using namespace strata::sql;
using strata::Value;

const SqlCompiler compiler;

std::string error_of(auto&& f) {
  try {
    f();
  } catch (const strata::CompileError& e) {
    return e.what();
  }
  return "<no CompileError>";
}

TEST(Insert, SingleRow) {
  Insert i{"user", {"email", "is_active"}, {{"ada@example.com", true}}, {}};
  EXPECT_COMPILED(compiler.compile(i), R"(INSERT INTO "user" ("email", "is_active") VALUES (?, ?))",
                  Value{"ada@example.com"}, Value{true});
}

TEST(Insert, MultiRow) {
  Insert i{"tag", {"id", "name"}, {{1, "a"}, {2, "b"}, {3, nullptr}}, {}};
  EXPECT_COMPILED(compiler.compile(i), R"(INSERT INTO "tag" ("id", "name") VALUES (?, ?), (?, ?), (?, ?))", Value{1},
                  Value{"a"}, Value{2}, Value{"b"}, Value{3}, Value{});
}

TEST(Insert, DefaultValues) {
  Insert i{"counter", {}, {}, {}};
  EXPECT_COMPILED(compiler.compile(i), R"(INSERT INTO "counter" DEFAULT VALUES)");
  i.rows = {{}};
  EXPECT_COMPILED(compiler.compile(i), R"(INSERT INTO "counter" DEFAULT VALUES)");
  i.returning = {"id"};
  EXPECT_COMPILED(compiler.compile(i), R"(INSERT INTO "counter" DEFAULT VALUES RETURNING "id")");
}

TEST(Insert, Returning) {
  Insert i{"user", {"email"}, {{"a@b.c"}}, {"id", "created_at"}};
  EXPECT_COMPILED(compiler.compile(i), R"(INSERT INTO "user" ("email") VALUES (?) RETURNING "id", "created_at")",
                  Value{"a@b.c"});
}

TEST(Insert, RowWidthMismatchNamesTable) {
  Insert i{"user", {"email", "name"}, {{"a", "b"}, {"c"}}, {}};
  EXPECT_EQ(error_of([&] { (void)compiler.compile(i); }), "INSERT into 'user': row 1 has 1 value(s) for 2 column(s)");
  Insert none{"user", {"email"}, {}, {}};
  EXPECT_EQ(error_of([&] { (void)compiler.compile(none); }), "INSERT into 'user' has columns but no rows");
  Insert defaults{"user", {}, {{}, {}}, {}};
  EXPECT_THROW(compiler.compile(defaults), strata::CompileError);
}

TEST(Update, SetWhereReturning) {
  Update u;
  u.table = "item";
  u.values = {{"title", bind("New")},
              {"version", binary(BinaryOp::Add, column("item", "version"), bind(1))}};
  u.where = binary(BinaryOp::Eq, column("item", "id"), bind(42));
  EXPECT_COMPILED(compiler.compile(u),
                  R"(UPDATE "item" SET "title" = ?, "version" = "item"."version" + ? WHERE "item"."id" = ?)",
                  Value{"New"}, Value{1}, Value{42});
  u.returning = {"version"};
  EXPECT_COMPILED(compiler.compile(Statement{u}),
                  R"(UPDATE "item" SET "title" = ?, "version" = "item"."version" + ? WHERE "item"."id" = ? )"
                  R"(RETURNING "version")",
                  Value{"New"}, Value{1}, Value{42});
}

TEST(Update, NoWhereAndServerText) {
  Update u{"item", {{"updated_at", text("CURRENT_TIMESTAMP")}}, nullptr, {}};
  EXPECT_COMPILED(compiler.compile(u), R"(UPDATE "item" SET "updated_at" = CURRENT_TIMESTAMP)");
}

TEST(Update, NothingToSetThrows) {
  Update u{"item", {}, nullptr, {}};
  EXPECT_EQ(error_of([&] { (void)compiler.compile(u); }), "UPDATE of 'item' sets no columns");
}

TEST(Delete, WhereAndReturning) {
  Delete d{"item", in_list(column("item", "id"), {1, 2}), {}};
  EXPECT_COMPILED(compiler.compile(d), R"(DELETE FROM "item" WHERE "item"."id" IN (?, ?))", Value{1}, Value{2});
  d.returning = {"id"};
  EXPECT_COMPILED(compiler.compile(d), R"(DELETE FROM "item" WHERE "item"."id" IN (?, ?) RETURNING "id")", Value{1},
                  Value{2});
  Delete all{"item", nullptr, {}};
  EXPECT_COMPILED(compiler.compile(all), R"(DELETE FROM "item")");
}

// A dialect with "$n" placeholders and no RETURNING, to prove the hooks are used everywhere.
class DollarCompiler : public SqlCompiler {
 protected:
  void placeholder(State& st, std::size_t index) const override { st.sql += "$" + std::to_string(index + 1); }
  bool supports_returning() const override { return false; }
  std::string_view dialect_name() const override { return "dollar"; }
};

TEST(Hooks, PlaceholdersNumberedAcrossClausesAndText) {
  const DollarCompiler d;
  Select s;
  s.from = "t";
  s.where = and_(binary(BinaryOp::Eq, column("t", "a"), bind(1)), text("b = ? OR c = ?", {2, 3}));
  s.limit = 4;
  EXPECT_COMPILED(d.compile(s), R"(SELECT * FROM "t" WHERE "t"."a" = $1 AND (b = $2 OR c = $3) LIMIT $4)", Value{1},
                  Value{2}, Value{3}, Value{4});
}

TEST(Hooks, ReturningUnsupported) {
  const DollarCompiler d;
  Delete del{"t", nullptr, {"id"}};
  try {
    (void)d.compile(del);
    FAIL() << "no throw";
  } catch (const strata::UnsupportedFeature& e) {
    EXPECT_EQ(e.dialect(), "dollar");
    EXPECT_EQ(e.feature(), "RETURNING");
  }
}

}  // namespace
