// Golden SQL of the typed JSON-path and array-membership operators (orm/query.hpp)
// on the catalogue's models, for SQLite and PostgreSQL, without a database:
//   col(&Model::metadata_)["pricing"]["currency"].as_string() == "USD"
//   col(&Opinion::tags).any("coding")
// (query_golden_test.cpp pins the other builders; json_query_test.cpp runs these.)
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "seed_models.hpp"
#include "sql/golden.hpp"
#include "strata/dialect/postgresql.hpp"
#include "strata/dialect/sqlite.hpp"
#include "strata/orm/query.hpp"

namespace {

namespace cat = seeds::catalog;
using strata::col;
using strata::StringList;
using strata::Value;

const strata::dialect::Dialect& sqlite() { return strata::dialect::sqlite_dialect(); }
const strata::dialect::Dialect& pg() { return strata::dialect::postgresql_dialect(); }

template <class T>
strata::sql::Compiled compiled(const strata::dialect::Dialect& d, const strata::orm::Expr<T>& e) {
  return d.compiler().compile(e.node);
}
template <class Row>
strata::sql::Compiled compiled(const strata::dialect::Dialect& d, const strata::orm::Select<Row>& s) {
  return d.compile(strata::sql::Statement{s.stmt});
}

auto metadata() { return col(&cat::Model::metadata_); }
auto tags() { return col(&cat::Opinion::tags); }

TEST(JsonQueryGolden, NestedKeyAsString) {
  const auto p = metadata()["pricing"]["currency"].as_string() == "USD";
  EXPECT_COMPILED(compiled(sqlite(), p), R"(json_extract("models"."metadata", ?) = ?)",
                  Value{R"($."pricing"."currency")"}, Value{"USD"});
  EXPECT_COMPILED(compiled(pg(), p), R"(("models"."metadata" #>> CAST($1 AS TEXT[])) = $2)",
                  Value{StringList{"pricing", "currency"}}, Value{"USD"});
}

TEST(JsonQueryGolden, AsIntegerAsFloatAsBoolean) {
  const auto big = metadata()["context_window"].as_integer() >= 100000;
  EXPECT_COMPILED(compiled(sqlite(), big), R"(CAST(json_extract("models"."metadata", ?) AS INTEGER) >= ?)",
                  Value{R"($."context_window")"}, Value{100000});
  EXPECT_COMPILED(compiled(pg(), big), R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS BIGINT) >= $2)",
                  Value{StringList{"context_window"}}, Value{100000});

  const auto cheap = metadata()["pricing"]["input"].as_float() < 1.5;
  EXPECT_COMPILED(compiled(sqlite(), cheap), R"(CAST(json_extract("models"."metadata", ?) AS REAL) < ?)",
                  Value{R"($."pricing"."input")"}, Value{1.5});
  EXPECT_COMPILED(compiled(pg(), cheap),
                  R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS DOUBLE PRECISION) < $2)",
                  Value{StringList{"pricing", "input"}}, Value{1.5});

  const auto open = metadata()["open_weights"].as_boolean() == true;
  EXPECT_COMPILED(compiled(sqlite(), open), R"(json_extract("models"."metadata", ?) = ?)",
                  Value{R"($."open_weights")"}, Value{true});
  EXPECT_COMPILED(compiled(pg(), open), R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS BOOLEAN) = $2)",
                  Value{StringList{"open_weights"}}, Value{true});
}

TEST(JsonQueryGolden, IntegerIndexes) {
  const auto first = metadata()["modalities"][0].as_string() == "text";
  EXPECT_COMPILED(compiled(sqlite(), first), R"(json_extract("models"."metadata", ?) = ?)",
                  Value{R"($."modalities"[0])"}, Value{"text"});
  EXPECT_COMPILED(compiled(pg(), first), R"(("models"."metadata" #>> CAST($1 AS TEXT[])) = $2)",
                  Value{StringList{"modalities", "0"}}, Value{"text"});
  const std::size_t i = 1;
  EXPECT_EQ(compiled(sqlite(), metadata()["modalities"][-1].as_string()).params,
            std::vector<Value>{Value{R"($."modalities"[#-1])"}});
  EXPECT_EQ(compiled(sqlite(), metadata()["modalities"][static_cast<std::int64_t>(i)].as_string()).params,
            std::vector<Value>{Value{R"($."modalities"[1])"}});
}

TEST(JsonQueryGolden, KeysAreBoundDataWhateverTheirCharacters) {
  const auto p = metadata()["a.b"]["it's"].as_string() == "x";
  EXPECT_COMPILED(compiled(sqlite(), p), R"(json_extract("models"."metadata", ?) = ?)",
                  Value{R"($."a.b"."it's")"}, Value{"x"});
  EXPECT_COMPILED(compiled(pg(), p), R"(("models"."metadata" #>> CAST($1 AS TEXT[])) = $2)",
                  Value{StringList{"a.b", "it's"}}, Value{"x"});
  const auto q = metadata()[R"(say "hi"); DROP TABLE models; --)"].as_string();
  EXPECT_EQ(compiled(sqlite(), q).sql.find("DROP"), std::string::npos);
  EXPECT_EQ(compiled(pg(), q).sql.find("DROP"), std::string::npos);
}

TEST(JsonQueryGolden, ReadsAreNullableColumnsOfTheirType) {
  static_assert(
      std::is_same_v<decltype(metadata()["k"].as_string()), strata::orm::ColumnExpr<std::optional<std::string>>>);
  static_assert(
      std::is_same_v<decltype(metadata()["k"].as_integer()), strata::orm::ColumnExpr<std::optional<std::int64_t>>>);
  static_assert(std::is_same_v<decltype(metadata()["k"].as_float()), strata::orm::ColumnExpr<std::optional<double>>>);
  static_assert(std::is_same_v<decltype(metadata()["k"].as_boolean()), strata::orm::ColumnExpr<std::optional<bool>>>);
  // Column operators apply: IS NULL, IN, LIKE, BETWEEN.
  EXPECT_COMPILED(compiled(sqlite(), metadata()["license"].as_string().is_null()),
                  R"(json_extract("models"."metadata", ?) IS NULL)", Value{R"($."license")"});
  EXPECT_COMPILED(compiled(pg(), metadata()["org"].as_string().in_({"openai", "meta"})),
                  R"(("models"."metadata" #>> CAST($1 AS TEXT[])) IN ($2, $3))", Value{StringList{"org"}},
                  Value{"openai"}, Value{"meta"});
  EXPECT_COMPILED(compiled(sqlite(), metadata()["org"].as_string().like("open%")),
                  R"(json_extract("models"."metadata", ?) LIKE ?)", Value{R"($."org")"}, Value{"open%"});
  EXPECT_COMPILED(compiled(pg(), metadata()["context_window"].as_integer().between(8000, 32000)),
                  R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS BIGINT) BETWEEN $2 AND $3)",
                  Value{StringList{"context_window"}}, Value{8000}, Value{32000});
  // == std::nullopt is IS NULL, as for any nullable column.
  EXPECT_EQ(compiled(pg(), metadata()["k"].as_integer() == std::nullopt).sql,
            R"(CAST("models"."metadata" #>> CAST($1 AS TEXT[]) AS BIGINT) IS NULL)");
}

TEST(JsonQueryGolden, SelectAndOrderByAReadFindTheFromTable) {
  const auto q = strata::select(col<cat::Model>(&cat::Model::name), metadata()["pricing"]["currency"].as_string())
                     .order_by(metadata()["context_window"].as_integer().desc());
  using Row = std::tuple<std::string, std::optional<std::string>>;
  static_assert(std::is_same_v<decltype(q), const strata::orm::Select<Row>>);
  EXPECT_COMPILED(compiled(sqlite(), q),
                  R"(SELECT "models"."name", json_extract("models"."metadata", ?) FROM "models" )"
                  R"(ORDER BY CAST(json_extract("models"."metadata", ?) AS INTEGER) DESC)",
                  Value{R"($."pricing"."currency")"}, Value{R"($."context_window")"});
  EXPECT_COMPILED(compiled(pg(), q),
                  R"(SELECT "models"."name", ("models"."metadata" #>> CAST($1 AS TEXT[])) FROM "models" )"
                  R"(ORDER BY CAST("models"."metadata" #>> CAST($2 AS TEXT[]) AS BIGINT) DESC)",
                  Value{StringList{"pricing", "currency"}}, Value{StringList{"context_window"}});
  // The FROM table comes from inside the read when it is the only column.
  EXPECT_EQ(strata::select(metadata()["k"].as_float()).stmt.from, "models");
}

TEST(JsonQueryGolden, TagAny) {
  const auto p = tags().any("coding");
  EXPECT_COMPILED(compiled(sqlite(), p),
                  R"(CASE WHEN "opinions"."tags" IS NOT NULL THEN EXISTS (SELECT 1 FROM )"
                  R"(json_each("opinions"."tags") WHERE "json_each"."value" = ?) END)",
                  Value{"coding"});
  EXPECT_COMPILED(compiled(pg(), p), R"($1 = ANY("opinions"."tags"))", Value{"coding"});
  // std::string and std::string_view operands; combined with other predicates.
  const std::string tag = R"(a,b "c")";
  EXPECT_COMPILED(compiled(pg(), col(&cat::Opinion::model_id) == 2 && !tags().any(tag)),
                  R"("opinions"."model_id" = $1 AND NOT ($2 = ANY("opinions"."tags")))", Value{2}, Value{tag});
  EXPECT_EQ(compiled(sqlite(), tags().any(std::string_view("x"))).params, std::vector<Value>{Value{"x"}});
}

TEST(JsonQueryGolden, TagAnyInASelectOfOpinions) {
  const auto q = strata::select<cat::Opinion>().where(tags().any("math")).order_by(col(&cat::Opinion::id));
  const auto c = compiled(pg(), q);
  EXPECT_NE(c.sql.find(R"( FROM "opinions" WHERE $1 = ANY("opinions"."tags") ORDER BY "opinions"."id")"),
            std::string::npos)
      << c.sql;
  EXPECT_EQ(c.params, std::vector<Value>{Value{"math"}});
  EXPECT_EQ(strata::select(col(&cat::Opinion::id)).where(tags().any("x")).stmt.from, "opinions");
}

}  // namespace
