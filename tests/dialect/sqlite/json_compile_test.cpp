// Golden SQL of JSON paths and array membership on SQLite (no database): the
// path is one bound '$."k"[0]' text, keys are double-quoted, a key SQLite's
// path syntax cannot match becomes a json_each() step, and every value and key
// is a parameter. (The same nodes run on a real database in
// tests/orm/json_query_test.cpp.)
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sql/golden.hpp"
#include "strata/core/error.hpp"
#include "strata/dialect/sqlite.hpp"

namespace {

using namespace strata::sql;
using strata::Value;

const strata::dialect::Dialect& d = strata::dialect::sqlite_dialect();

Expr doc() { return column("models", "metadata"); }
Expr path(std::vector<JsonPathStep> steps, JsonCast as = JsonCast::String) {
  return json_path(doc(), std::move(steps), as);
}
Compiled compiled(const Expr& e) { return d.compiler().compile(e); }

TEST(SqliteJsonPath, NestedKeysAreOneBoundPath) {
  EXPECT_COMPILED(compiled(path({"pricing", "currency"})), R"(json_extract("models"."metadata", ?))",
                  Value{R"($."pricing"."currency")"});
  EXPECT_COMPILED(compiled(binary(BinaryOp::Eq, path({"pricing", "currency"}), bind("USD"))),
                  R"(json_extract("models"."metadata", ?) = ?)", Value{R"($."pricing"."currency")"},
                  Value{"USD"});
}

TEST(SqliteJsonPath, CastsPerReadType) {
  EXPECT_COMPILED(compiled(path({"context_window"}, JsonCast::Integer)),
                  R"(CAST(json_extract("models"."metadata", ?) AS INTEGER))", Value{R"($."context_window")"});
  EXPECT_COMPILED(compiled(path({"price"}, JsonCast::Float)), R"(CAST(json_extract("models"."metadata", ?) AS REAL))",
                  Value{R"($."price")"});
  // json_extract() already reads JSON true / false as 1 / 0.
  EXPECT_COMPILED(compiled(path({"open"}, JsonCast::Boolean)), R"(json_extract("models"."metadata", ?))",
                  Value{R"($."open")"});
}

TEST(SqliteJsonPath, ArrayIndexesFromTheStartAndTheEnd) {
  EXPECT_COMPILED(compiled(path({"modalities", std::int64_t{0}})), R"(json_extract("models"."metadata", ?))",
                  Value{R"($."modalities"[0])"});
  EXPECT_COMPILED(compiled(path({"modalities", std::int64_t{-1}})), R"(json_extract("models"."metadata", ?))",
                  Value{R"($."modalities"[#-1])"});
  EXPECT_COMPILED(compiled(path({std::int64_t{2}, "x"})), R"(json_extract("models"."metadata", ?))",
                  Value{R"($[2]."x")"});
}

TEST(SqliteJsonPath, DotsApostrophesAndBracketsInKeysAreQuotedData) {
  EXPECT_COMPILED(compiled(path({"a.b", "it's", "[0]", "$", "", "é"})), R"(json_extract("models"."metadata", ?))",
                  Value{R"($."a.b"."it's"."[0]"."$".""."é")"});
}

TEST(SqliteJsonPath, KeyWithADoubleQuoteIsAJsonEachStep) {
  EXPECT_COMPILED(compiled(path({R"(say "hi")"})),
                  R"((SELECT "json_each"."value" FROM json_each("models"."metadata") WHERE "json_each"."key" = ?))",
                  Value{R"(say "hi")"});
  // Backslashes and control characters too: SQLite compares a path key with the escaped source text.
  EXPECT_EQ(compiled(path({R"(back\slash)"})).params, std::vector<Value>{Value{R"(back\slash)"}});
  EXPECT_EQ(compiled(path({"new\nline"})).params, std::vector<Value>{Value{"new\nline"}});
}

TEST(SqliteJsonPath, MixedStepsKeepTheirOrderAndReadInnerDocumentsAsJson) {
  EXPECT_COMPILED(
      compiled(path({"nested", R"(k"q)", "x", std::int64_t{1}}, JsonCast::Integer)),
      R"(CAST(json_extract((SELECT CASE WHEN "json_each"."type" IN ('object', 'array') THEN "json_each"."value" )"
      R"(ELSE json_quote("json_each"."value") END FROM json_each(json_quote(json_extract("models"."metadata", ?))) )"
      R"(WHERE "json_each"."key" = ?), ?) AS INTEGER))",
      Value{R"($."nested")"}, Value{R"(k"q)"}, Value{R"($."x"[1])"});
  // Two unsafe keys in a row nest two json_each() steps.
  EXPECT_COMPILED(compiled(path({R"(a")", R"(b")"})),
                  R"((SELECT "json_each"."value" FROM json_each((SELECT CASE WHEN "json_each"."type" IN )"
                  R"(('object', 'array') THEN "json_each"."value" ELSE json_quote("json_each"."value") END )"
                  R"(FROM json_each("models"."metadata") WHERE "json_each"."key" = ?)) WHERE "json_each"."key" = ?))",
                  Value{R"(a")"}, Value{R"(b")"});
}

TEST(SqliteJsonPath, ACompoundOperandNeedsNoParenthesesAsAnArgument) {
  EXPECT_COMPILED(compiled(json_path(binary(BinaryOp::Concat, column("t", "a"), column("t", "b")), {"k"},
                                     JsonCast::String)),
                  R"(json_extract("t"."a" || "t"."b", ?))", Value{R"($."k")"});
}

TEST(SqliteJsonPath, EmptyPathIsACompileError) {
  EXPECT_THROW(compiled(path({})), strata::CompileError);
}

TEST(SqliteArrayAny, ExistsOverJsonEachAndNullForANullList) {
  EXPECT_COMPILED(compiled(array_any(column("opinions", "tags"), bind("coding"))),
                  R"(CASE WHEN "opinions"."tags" IS NOT NULL THEN EXISTS (SELECT 1 FROM )"
                  R"(json_each("opinions"."tags") WHERE "json_each"."value" = ?) END)",
                  Value{"coding"});
}

TEST(SqliteArrayAny, UnderNotAndAnd) {
  const Expr any = array_any(column("opinions", "tags"), bind("a,b"));
  EXPECT_COMPILED(compiled(unary(UnaryOp::Not, any)),
                  R"(NOT (CASE WHEN "opinions"."tags" IS NOT NULL THEN EXISTS (SELECT 1 FROM )"
                  R"(json_each("opinions"."tags") WHERE "json_each"."value" = ?) END))",
                  Value{"a,b"});
  EXPECT_EQ(compiled(and_(any, binary(BinaryOp::Eq, column("opinions", "id"), bind(1)))).params,
            (std::vector<Value>{Value{"a,b"}, Value{1}}));
}

}  // namespace
