// Golden SQL of JSON paths and array membership on PostgreSQL (no database):
// the whole path is one TEXT[] parameter read with #>>, typed reads are CASTs,
// membership is `$n = ANY(list)`, and placeholders are numbered in text order.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sql/golden.hpp"
#include "strata/core/error.hpp"
#include "strata/dialect/postgresql.hpp"

namespace {

using namespace strata::sql;
using strata::StringList;
using strata::Value;

const strata::dialect::Dialect& d = strata::dialect::postgresql_dialect();

Expr doc() { return column("models", "metadata"); }
Expr path(std::vector<JsonPathStep> steps, JsonCast as = JsonCast::String) {
  return json_path(doc(), std::move(steps), as);
}
Compiled compiled(const Expr& e) { return d.compiler().compile(e); }

TEST(PostgresqlJsonPath, TextReadIsParenthesizedHashArrowArrow) {
  EXPECT_COMPILED(compiled(path({"pricing", "currency"})), R"(("models"."metadata" #>> CAST($1 AS TEXT[])))",
                  Value{StringList{"pricing", "currency"}});
  EXPECT_COMPILED(compiled(binary(BinaryOp::Eq, path({"pricing", "currency"}), bind("USD"))),
                  R"(("models"."metadata" #>> CAST($1 AS TEXT[])) = $2)", Value{StringList{"pricing", "currency"}},
                  Value{"USD"});
}

TEST(PostgresqlJsonPath, TypedReadsAreCasts) {
  EXPECT_COMPILED(compiled(binary(BinaryOp::Ge, path({"context_window"}, JsonCast::Integer), bind(100000))),
                  R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS BIGINT) >= $2)",
                  Value{StringList{"context_window"}}, Value{100000});
  EXPECT_EQ(compiled(path({"p"}, JsonCast::Float)).sql,
            R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS DOUBLE PRECISION))");
  EXPECT_EQ(compiled(path({"p"}, JsonCast::Boolean)).sql,
            R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS BOOLEAN))");
}

TEST(PostgresqlJsonPath, KeysOfAnyTextAndIndexesAreArrayElements) {
  EXPECT_COMPILED(compiled(path({"a.b", R"(say "hi")", "it's", R"(back\slash)", std::int64_t{0}, std::int64_t{-1}})),
                  R"(("models"."metadata" #>> CAST($1 AS TEXT[])))",
                  Value{StringList{"a.b", R"(say "hi")", "it's", R"(back\slash)", "0", "-1"}});
}

TEST(PostgresqlJsonPath, ACompoundOperandIsParenthesized) {
  EXPECT_EQ(compiled(json_path(binary(BinaryOp::Concat, column("t", "a"), column("t", "b")), {"k"},
                               JsonCast::String))
                .sql,
            R"((("t"."a" || "t"."b") #>> CAST($1 AS TEXT[])))");
}

TEST(PostgresqlJsonPath, InsideConcatAndIlikeStaysOneOperand) {
  EXPECT_EQ(compiled(binary(BinaryOp::Concat, column("t", "x"), path({"k"}))).sql,
            R"("t"."x" || ("models"."metadata" #>> CAST($1 AS TEXT[])))");
  EXPECT_COMPILED(compiled(binary(BinaryOp::ILike, path({"name"}), bind("gpt%"))),
                  R"(("models"."metadata" #>> CAST($1 AS TEXT[])) ILIKE $2)", Value{StringList{"name"}},
                  Value{"gpt%"});
}

TEST(PostgresqlJsonPath, EmptyPathIsACompileError) {
  EXPECT_THROW(compiled(path({})), strata::CompileError);
}

TEST(PostgresqlArrayAny, EqualsAny) {
  EXPECT_COMPILED(compiled(array_any(column("opinions", "tags"), bind("coding"))), R"($1 = ANY("opinions"."tags"))",
                  Value{"coding"});
  EXPECT_COMPILED(compiled(unary(UnaryOp::Not, array_any(column("opinions", "tags"), bind("x")))),
                  R"(NOT ($1 = ANY("opinions"."tags")))", Value{"x"});
}

TEST(PostgresqlArrayAny, NumberedAfterEarlierParameters) {
  const Expr where = and_(binary(BinaryOp::Eq, column("opinions", "model_id"), bind(3)),
                          array_any(column("opinions", "tags"), bind("math")));
  EXPECT_COMPILED(compiled(where), R"("opinions"."model_id" = $1 AND $2 = ANY("opinions"."tags"))", Value{3},
                  Value{"math"});
}

}  // namespace
