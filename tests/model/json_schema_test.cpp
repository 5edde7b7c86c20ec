// json_schema<T>(): whole schemas of the seeds' API input models compared with
// Pydantic v2's model_json_schema() output, every kind of member and
// constraint on one model, and a structural check of every seed model's schema.
#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/model/json_schema.hpp"

namespace jst {

enum class Shade { light, dark };

/// Every member kind and constraint on one model.
struct Widget {
  int id = 0;
  strata::Uuid key = strata::Uuid::v4();
  std::string code;
  int qty = 0;
  double ratio = 0.5;
  strata::Numeric price;
  std::optional<strata::Numeric> discount;
  Shade shade = Shade::dark;
  strata::Bytes blob;
  std::optional<strata::Date> made;
  strata::DateTime seen;
  strata::Time at;
  strata::Json extra;
  std::vector<std::string> tags;
  std::optional<int> rank = 3;
};
STRATA_TABLE(Widget, "widget", field<&Widget::id>().primary_key().autoincrement(),
             field<&Widget::code>().pattern("^[A-Z]{3}-[0-9]+$").max_length(20),
             field<&Widget::qty>().ge(0).le(1000).multiple_of(5),
             field<&Widget::ratio>().gt(0).lt(1.5).has_default(),
             field<&Widget::price>().numeric(10, 2).ge(0),
             field<&Widget::discount>().numeric(10, 2).lt(0.5),
             field<&Widget::shade>(),
             extra_forbid());

/// Nested models: a single one and a list, as Pydantic's "$defs" / "$ref".
struct Basket {
  std::string label;
  seeds::fullstack::UserCreate owner;
  std::vector<seeds::fullstack::ItemCreate> items;
};
STRATA_MODEL(Basket, field<&Basket::items>().has_default());

}  // namespace jst

namespace {

using nlohmann::json;
namespace sm = strata::model;

/// Structural check of a produced schema: known keywords only, each with a
/// value of the right JSON type; nested schemas checked the same way.
void check_schema(const json& s, const std::string& where) {
  static const std::set<std::string> keywords = {
      "$ref", "$defs", "title", "type", "properties", "required", "additionalProperties", "anyOf", "items", "enum",
      "default", "format", "contentEncoding", "minLength", "maxLength", "pattern", "minimum",
      "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf"};
  static const std::set<std::string> types = {"object", "array", "string", "integer", "number", "boolean", "null"};
  static const std::set<std::string> formats = {"uuid", "date", "date-time", "time", "email"};
  ASSERT_TRUE(s.is_object()) << where;
  for (auto it = s.begin(); it != s.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    const std::string at = where + "/" + k;
    EXPECT_TRUE(keywords.count(k)) << at;
    if (k == "title" || k == "contentEncoding") { EXPECT_TRUE(v.is_string()) << at; }
    if (k == "type") { EXPECT_TRUE(v.is_string() && types.count(v.get<std::string>())) << at; }
    if (k == "format") { EXPECT_TRUE(v.is_string() && formats.count(v.get<std::string>())) << at; }
    if (k == "minLength" || k == "maxLength") { EXPECT_TRUE(v.is_number_integer() && v.get<long long>() >= 0) << at; }
    if (k == "minimum" || k == "exclusiveMinimum" || k == "maximum" || k == "exclusiveMaximum") {
      EXPECT_TRUE(v.is_number()) << at;
    }
    if (k == "multipleOf") { EXPECT_TRUE(v.is_number() && v.get<double>() > 0) << at; }
    if (k == "pattern") {
      ASSERT_TRUE(v.is_string()) << at;
      EXPECT_NO_THROW(std::regex(v.get<std::string>(), std::regex::ECMAScript)) << at;
    }
    if (k == "enum") { EXPECT_TRUE(v.is_array() && !v.empty()) << at; }
    if (k == "additionalProperties") { EXPECT_TRUE(v.is_boolean()) << at; }
    if (k == "items") check_schema(v, at);
    if (k == "$ref") { EXPECT_TRUE(v.is_string() && v.get<std::string>().starts_with("#/$defs/")) << at; }
    if (k == "$defs") {
      ASSERT_TRUE(v.is_object()) << at;
      for (auto d = v.begin(); d != v.end(); ++d) check_schema(d.value(), at + "/" + d.key());
    }
    if (k == "anyOf") {
      ASSERT_TRUE(v.is_array() && v.size() >= 2) << at;
      for (std::size_t i = 0; i < v.size(); ++i) check_schema(v[i], at + "/" + std::to_string(i));
    }
    if (k == "properties") {
      ASSERT_TRUE(v.is_object()) << at;
      for (auto p = v.begin(); p != v.end(); ++p) check_schema(p.value(), at + "/" + p.key());
    }
    if (k == "required") {
      ASSERT_TRUE(v.is_array() && !v.empty()) << at;
      std::set<std::string> seen;
      for (const auto& r : v) {
        ASSERT_TRUE(r.is_string()) << at;
        EXPECT_TRUE(seen.insert(r.get<std::string>()).second) << at << " repeats " << r;
        EXPECT_TRUE(s.contains("properties") && s["properties"].contains(r.get<std::string>())) << at << ": " << r;
      }
    }
  }
  // The text round-trips as JSON.
  EXPECT_EQ(json::parse(s.dump()), s) << where;
}

TEST(JsonSchema, ItemCreateAsPydantic) {
  // Pydantic v2: ItemCreate.model_json_schema() of the template's models.py.
  const json expected = json::parse(R"({
    "title": "ItemCreate", "type": "object",
    "properties": {
      "title": {"type": "string", "minLength": 1, "maxLength": 255, "title": "Title"},
      "description": {"anyOf": [{"type": "string", "maxLength": 255}, {"type": "null"}],
                      "default": null, "title": "Description"}
    },
    "required": ["title"]
  })");
  EXPECT_EQ(sm::json_schema<seeds::fullstack::ItemCreate>(), expected)
      << sm::json_schema<seeds::fullstack::ItemCreate>().dump(2);
}

TEST(JsonSchema, UserCreateAsPydantic) {
  const json expected = json::parse(R"({
    "title": "UserCreate", "type": "object",
    "properties": {
      "email": {"type": "string", "format": "email", "maxLength": 255, "title": "Email"},
      "is_active": {"type": "boolean", "default": true, "title": "Is Active"},
      "is_superuser": {"type": "boolean", "default": false, "title": "Is Superuser"},
      "full_name": {"anyOf": [{"type": "string", "maxLength": 255}, {"type": "null"}],
                    "default": null, "title": "Full Name"},
      "password": {"type": "string", "minLength": 8, "maxLength": 40, "title": "Password"}
    },
    "required": ["email", "password"]
  })");
  EXPECT_EQ(sm::json_schema<seeds::fullstack::UserCreate>(), expected)
      << sm::json_schema<seeds::fullstack::UserCreate>().dump(2);
}

TEST(JsonSchema, EveryKindAndConstraint) {
  const json expected = json::parse(R"({
    "title": "Widget", "type": "object", "additionalProperties": false,
    "properties": {
      "id": {"type": "integer", "title": "Id"},
      "key": {"type": "string", "format": "uuid", "title": "Key"},
      "code": {"type": "string", "maxLength": 20, "pattern": "^[A-Z]{3}-[0-9]+$", "title": "Code"},
      "qty": {"type": "integer", "minimum": 0, "maximum": 1000, "multipleOf": 5, "title": "Qty"},
      "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5, "default": 0.5, "title": "Ratio"},
      "price": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}], "title": "Price"},
      "discount": {"anyOf": [{"type": "number", "exclusiveMaximum": 0.5}, {"type": "string"}, {"type": "null"}],
                   "default": null, "title": "Discount"},
      "shade": {"type": "string", "enum": ["light", "dark"], "default": "dark", "title": "Shade"},
      "blob": {"type": "string", "contentEncoding": "base64", "title": "Blob"},
      "made": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}], "default": null, "title": "Made"},
      "seen": {"type": "string", "format": "date-time", "title": "Seen"},
      "at": {"type": "string", "format": "time", "title": "At"},
      "extra": {"title": "Extra"},
      "tags": {"type": "array", "items": {"type": "string"}, "title": "Tags"},
      "rank": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": 3, "title": "Rank"}
    },
    "required": ["code", "qty", "price", "blob", "seen", "at", "extra", "tags"]
  })");
  const json got = sm::json_schema<jst::Widget>();
  EXPECT_EQ(got, expected) << got.dump(2);
  check_schema(got, "Widget");
}

TEST(JsonSchema, NestedModelsInDefs) {
  const json got = sm::json_schema<jst::Basket>();
  const json expected = json{
      {"title", "Basket"},
      {"type", "object"},
      {"properties", json::parse(R"({
        "label": {"type": "string", "title": "Label"},
        "owner": {"$ref": "#/$defs/UserCreate"},
        "items": {"type": "array", "items": {"$ref": "#/$defs/ItemCreate"}, "title": "Items"}
      })")},
      {"required", json::parse(R"(["label", "owner"])")},
      {"$defs", json{{"UserCreate", sm::json_schema<seeds::fullstack::UserCreate>()},
                     {"ItemCreate", sm::json_schema<seeds::fullstack::ItemCreate>()}}}};
  EXPECT_EQ(got, expected) << got.dump(2);
  check_schema(got, "Basket");
}

TEST(JsonSchema, TitlesAndTableDefaults) {
  const json user = sm::json_schema<seeds::fullstack::User>();
  // Uuid id = Uuid::v4() is a factory: no default, not required.
  EXPECT_FALSE(user["properties"]["id"].contains("default")) << user.dump(2);
  EXPECT_EQ(user["required"], json::parse(R"(["email", "hashed_password"])"));
  EXPECT_EQ(user["properties"]["is_active"]["default"], true);
  const json model = sm::json_schema<seeds::catalog::Model>();
  EXPECT_EQ(model["properties"]["metadata_"]["title"], "Metadata");
  EXPECT_EQ(model["properties"]["metadata_"]["anyOf"], json::parse(R"([{}, {"type": "null"}])"));
  // Server defaults and autoincrement keys have no "default".
  EXPECT_FALSE(model["properties"]["created_at"].contains("default"));
  EXPECT_FALSE(model["properties"]["id"].contains("default"));
  EXPECT_EQ(model["required"], json::parse(R"(["name", "organization"])"));
}

TEST(JsonSchema, EverySeedSchemaIsWellFormed) {
  using namespace seeds;
  const std::vector<std::pair<std::string, json>> all = {
      {"fullstack::User", sm::json_schema<fullstack::User>()},
      {"fullstack::Item", sm::json_schema<fullstack::Item>()},
      {"fullstack::UserBase", sm::json_schema<fullstack::UserBase>()},
      {"fullstack::ItemCreate", sm::json_schema<fullstack::ItemCreate>()},
      {"fullstack::UserCreate", sm::json_schema<fullstack::UserCreate>()},
      {"school::UserType", sm::json_schema<school::UserType>()},
      {"school::User", sm::json_schema<school::User>()},
      {"school::Course", sm::json_schema<school::Course>()},
      {"school::Enrollment", sm::json_schema<school::Enrollment>()},
      {"catalog::Model", sm::json_schema<catalog::Model>()},
      {"catalog::Benchmark", sm::json_schema<catalog::Benchmark>()},
      {"catalog::BenchmarkResult", sm::json_schema<catalog::BenchmarkResult>()},
      {"catalog::Opinion", sm::json_schema<catalog::Opinion>()},
      {"catalog::UseCase", sm::json_schema<catalog::UseCase>()},
  };
  for (const auto& [name, s] : all) {
    SCOPED_TRACE(name);
    check_schema(s, name);
    EXPECT_EQ(s["type"], "object");
    EXPECT_TRUE(s["properties"].is_object());
  }
}

}  // namespace
