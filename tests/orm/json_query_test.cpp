// JSON-path reads and tag membership against a real database (a SQLite file
// and PostgreSQL, parametrized) on the catalogue's models: JSONB / JSON text
// metadata and TEXT[] / JSON array tags. Both backends must return the same
// rows for the same query. (The SQL is pinned in json_query_golden_test.cpp.)
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "seed_models.hpp"
#include "strata/strata.hpp"
#include "support/database.hpp"

namespace {

namespace cat = seeds::catalog;
using strata::col;
using strata::select;
using Names = std::vector<std::string>;

class JsonQuery : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = strata::create_engine(url());
    strata::create_all(engine_, strata::model::metadata_of<cat::Model, cat::Benchmark, cat::BenchmarkResult,
                                                            cat::Opinion, cat::UseCase>());
    strata::Session s{engine_};
    // Keys with a dot, an apostrophe, a double quote and a backslash, nested
    // objects and arrays, a JSON null, and a string where an object might be.
    const int alpha = add_model(s, "alpha", strata::Json::parse(R"({
        "pricing": {"currency": "USD", "input": 2.5},
        "context_window": 128000,
        "open_weights": false,
        "modalities": ["text", "image"],
        "a.b": "dotted",
        "a": {"b": "not dotted"},
        "it's": "apostrophe",
        "say \"hi\"": "double quote",
        "back\\slash": "backslash",
        "nested": {"k\"q": {"x": 7, "list": [10, 20]}},
        "license": null})"));
    const int beta = add_model(s, "beta", strata::Json::parse(R"({
        "pricing": {"currency": "EUR", "input": 0.5},
        "context_window": 32000,
        "open_weights": true,
        "modalities": ["text"]})"));
    add_model(s, "gamma", std::nullopt);  // NULL metadata
    add_model(s, "delta", strata::Json::parse(R"({"pricing": "free", "nested": "flat"})"));

    add_opinion(s, alpha, "o1", StringList{"coding", "math"});
    add_opinion(s, alpha, "o2", StringList{"a,b", R"(it's "quoted")", "{x}"});
    add_opinion(s, beta, "o3", std::nullopt);  // NULL tags
    add_opinion(s, beta, "o4", StringList{});  // no tags
    s.commit();
  }
  using StringList = std::vector<std::string>;

  static int add_model(strata::Session& s, std::string name, std::optional<strata::Json> metadata) {
    cat::Model m;
    m.name = std::move(name);
    m.organization = "org";
    m.metadata_ = std::move(metadata);
    auto p = s.add(m);
    s.flush();
    return p->id;
  }
  static void add_opinion(strata::Session& s, int model_id, std::string content, std::optional<StringList> tags) {
    cat::Opinion o;
    o.model_id = model_id;
    o.content = std::move(content);
    o.tags = std::move(tags);
    s.add(o);
  }

  /// Names of the models matching `where`, by id.
  Names models(const strata::orm::Predicate& where) {
    strata::Session s{engine_};
    Names out;
    for (const auto& m : s.exec(select<cat::Model>().where(where).order_by(col(&cat::Model::id))).all())
      out.push_back(m->name);
    return out;
  }
  /// Contents of the opinions matching `where`, by id.
  Names opinions(const strata::orm::Predicate& where) {
    strata::Session s{engine_};
    Names out;
    const auto q = select(col<cat::Opinion>(&cat::Opinion::content)).where(where).order_by(col(&cat::Opinion::id));
    for (const auto& [c] : s.exec(q).all()) out.push_back(c);
    return out;
  }
  static auto metadata() { return col(&cat::Model::metadata_); }
  static auto tags() { return col(&cat::Opinion::tags); }

  strata::Engine engine_ = strata::create_engine("sqlite://");
};

TEST_P(JsonQuery, NestedKey) {
  EXPECT_EQ(models(metadata()["pricing"]["currency"].as_string() == "USD"), Names({"alpha"}));
  EXPECT_EQ(models(metadata()["pricing"]["currency"].as_string() == "EUR"), Names({"beta"}));
  // NULL metadata (gamma) and a string where an object is expected (delta) are neither.
  EXPECT_EQ(models(metadata()["pricing"]["currency"].as_string() != "USD"), Names({"beta"}));
  EXPECT_EQ(models(metadata()["pricing"].as_string() == "free"), Names({"delta"}));
}

TEST_P(JsonQuery, MissingKeyMatchesNoRowAndReadsAsNull) {
  EXPECT_EQ(models(metadata()["no_such_key"].as_string() == "x"), Names());
  EXPECT_EQ(models(metadata()["pricing"]["no_such_key"].as_string() == "x"), Names());
  EXPECT_EQ(models(metadata()["context_window"].as_integer().is_null()), Names({"gamma", "delta"}));
  // A JSON null reads as SQL NULL on both databases.
  EXPECT_EQ(models(metadata()["license"].as_string().is_null()), Names({"alpha", "beta", "gamma", "delta"}));
  EXPECT_EQ(models(metadata()["modalities"][5].as_string().is_not_null()), Names());
}

TEST_P(JsonQuery, NullColumnMatchesNothingWithoutError) {
  // gamma's metadata is NULL: no comparison on it is true, and none raises.
  EXPECT_EQ(models(metadata()["context_window"].as_integer() > 0), Names({"alpha", "beta"}));
  EXPECT_EQ(models(metadata()["pricing"]["currency"].as_string().like("%")), Names({"alpha", "beta"}));
  EXPECT_EQ(models(metadata()["pricing"]["currency"].as_string() == std::nullopt),
            Names({"gamma", "delta"}));
  EXPECT_EQ(models(!(metadata()["open_weights"].as_boolean() == true)), Names({"alpha"}));
}

TEST_P(JsonQuery, IntegerFloatAndBooleanReads) {
  EXPECT_EQ(models(metadata()["context_window"].as_integer() >= 100000), Names({"alpha"}));
  EXPECT_EQ(models(metadata()["context_window"].as_integer() < 100000), Names({"beta"}));
  EXPECT_EQ(models(metadata()["context_window"].as_integer().between(32000, 128000)), Names({"alpha", "beta"}));
  EXPECT_EQ(models(metadata()["pricing"]["input"].as_float() > 1.0), Names({"alpha"}));
  EXPECT_EQ(models(metadata()["pricing"]["input"].as_float() == 0.5), Names({"beta"}));
  EXPECT_EQ(models(metadata()["open_weights"].as_boolean() == true), Names({"beta"}));
  EXPECT_EQ(models(metadata()["open_weights"].as_boolean() == false), Names({"alpha"}));
}

TEST_P(JsonQuery, ArrayIndexes) {
  EXPECT_EQ(models(metadata()["modalities"][0].as_string() == "text"), Names({"alpha", "beta"}));
  EXPECT_EQ(models(metadata()["modalities"][1].as_string() == "image"), Names({"alpha"}));
  EXPECT_EQ(models(metadata()["modalities"][-1].as_string() == "text"), Names({"beta"}));
  EXPECT_EQ(models(metadata()["nested"][R"(k"q)"]["list"][-1].as_integer() == 20), Names({"alpha"}));
}

TEST_P(JsonQuery, KeysWithDotsAndQuotes) {
  EXPECT_EQ(models(metadata()["a.b"].as_string() == "dotted"), Names({"alpha"}));
  EXPECT_EQ(models(metadata()["a"]["b"].as_string() == "not dotted"), Names({"alpha"}));
  EXPECT_EQ(models(metadata()["it's"].as_string() == "apostrophe"), Names({"alpha"}));
  EXPECT_EQ(models(metadata()[R"(say "hi")"].as_string() == "double quote"), Names({"alpha"}));
  EXPECT_EQ(models(metadata()[R"(back\slash)"].as_string() == "backslash"), Names({"alpha"}));
  // A quoted key between other steps; and over a string (delta's "nested"), no error.
  EXPECT_EQ(models(metadata()["nested"][R"(k"q)"]["x"].as_integer() == 7), Names({"alpha"}));
  EXPECT_EQ(models(metadata()["nested"][R"(k"q)"]["x"].as_integer().is_null()), Names({"beta", "gamma", "delta"}));
  EXPECT_EQ(models(metadata()[R"(say "hi")"]["deeper"].as_string().is_not_null()), Names());
}

TEST_P(JsonQuery, ReadsAsSelectedColumnsAndOrderBy) {
  strata::Session s{engine_};
  const auto rows = s.exec(select(col<cat::Model>(&cat::Model::name), metadata()["pricing"]["currency"].as_string(),
                                  metadata()["context_window"].as_integer(), metadata()["open_weights"].as_boolean())
                               .order_by(metadata()["context_window"].as_integer().desc(), col(&cat::Model::id)))
                        .all();
  using Row = std::tuple<std::string, std::optional<std::string>, std::optional<std::int64_t>, std::optional<bool>>;
  // NULLs sort first in DESC on PostgreSQL and last on SQLite: compare the non-NULL head.
  ASSERT_EQ(rows.size(), 4u);
  std::vector<Row> with_window;
  for (const auto& r : rows)
    if (std::get<2>(r)) with_window.push_back(r);
  EXPECT_EQ(with_window, (std::vector<Row>{Row{"alpha", "USD", 128000, false}, Row{"beta", "EUR", 32000, true}}));
  const auto floats = s.exec(select(metadata()["pricing"]["input"].as_float())
                                 .where(col<cat::Model>(&cat::Model::name) == "alpha"))
                          .scalar();
  EXPECT_EQ(floats, std::optional<double>(2.5));
}

TEST_P(JsonQuery, TagAny) {
  EXPECT_EQ(opinions(tags().any("coding")), Names({"o1"}));
  EXPECT_EQ(opinions(tags().any("math") && tags().any("coding")), Names({"o1"}));
  EXPECT_EQ(opinions(tags().any("nothing")), Names());
}

TEST_P(JsonQuery, TagWithACommaQuoteOrBracesIsOneElement) {
  EXPECT_EQ(opinions(tags().any("a,b")), Names({"o2"}));
  EXPECT_EQ(opinions(tags().any("a")), Names());  // not split at the comma
  EXPECT_EQ(opinions(tags().any(std::string(R"(it's "quoted")"))), Names({"o2"}));
  EXPECT_EQ(opinions(tags().any("{x}")), Names({"o2"}));
}

TEST_P(JsonQuery, NullAndEmptyTagLists) {
  // o3 (NULL) and o4 (empty) hold nothing; NOT any() is NULL for the NULL list
  // on both databases (SQL's `x = ANY(NULL)`), so it is left out there too.
  EXPECT_EQ(opinions(!tags().any("coding")), Names({"o2", "o4"}));
  EXPECT_EQ(opinions(tags().is_null()), Names({"o3"}));
}

TEST_P(JsonQuery, JsonAndTagsTogetherThroughAJoin) {
  strata::Session s{engine_};
  const auto rows =
      s.exec(select(col<cat::Opinion>(&cat::Opinion::content))
                 .join<cat::Model>(col(&cat::Opinion::model_id) == col(&cat::Model::id))
                 .where(metadata()["pricing"]["currency"].as_string() == "USD" && tags().any("math")))
          .all();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::get<0>(rows[0]), "o1");
}

STRATA_INSTANTIATE_BACKENDS(JsonQuery);

}  // namespace
