// validate<T> / validate_json<T> / to_json / Session::add validation, with the
// seeds' schemas: each case compares the whole list of errors, as Pydantic v2
// reports them (type, loc, msg, input, ctx).
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/validate.hpp"
#include "strata/strata.hpp"
#include "model/validation_util.hpp"
#include "support/temp_db.hpp"

namespace vt {

enum class Color { red, green, blue };

/// Every constraint kind on one (non-table) model.
struct Gadget {
  int id = 0;
  std::string code;
  int qty = 0;
  double ratio = 0.5;
  strata::Numeric price;
  Color color = Color::red;
  std::optional<std::string> note;
  strata::Bytes blob;
  std::optional<strata::Date> made;
  bool active = true;
};
STRATA_MODEL(Gadget, field<&Gadget::id>().has_default(),
             field<&Gadget::code>().pattern("^[A-Z]{3}-[0-9]+$").max_length(20),
             field<&Gadget::qty>().ge(0).le(1000).multiple_of(5),
             field<&Gadget::ratio>().gt(0).lt(1),
             field<&Gadget::price>().numeric(10, 2).ge(0),
             field<&Gadget::color>().has_default(),
             field<&Gadget::note>().validator([](const std::optional<std::string>& n) -> std::optional<std::string> {
               if (n && n->find("TODO") != std::string::npos) return "notes must not contain TODO";
               if (n && *n == "throw") throw std::invalid_argument("thrown by the validator");
               return std::nullopt;
             }),
             field<&Gadget::blob>().has_default(),
             extra_forbid(),
             model_validator([](const Gadget& g) -> std::optional<std::string> {
               if (g.color == Color::blue && g.qty > 100) return "blue gadgets come in lots of at most 100";
               return std::nullopt;
             }));

/// Misused options: SchemaError when the model is first built.
struct MinLengthOnInt {
  int n = 0;
};
STRATA_MODEL(MinLengthOnInt, field<&MinLengthOnInt::n>().min_length(1));
struct BadPattern {
  std::string s;
};
STRATA_MODEL(BadPattern, field<&BadPattern::s>().pattern("(unclosed"));

}  // namespace vt

namespace {

using nlohmann::json;
using strata::ValidationError;
using strata::model::validate;
using strata::model::validate_json;
namespace fs = seeds::fullstack;

using strata_validation_test::errors_of;

json gadget_input() {
  return json{{"code", "ABC-12"}, {"qty", 10}, {"ratio", 0.25}, {"price", "9.99"}};
}

TEST(Validate, ItemCreateWithoutTitle) {
  const json in{{"description", "no title"}};
  EXPECT_EQ(errors_of([&] { validate<fs::ItemCreate>(in); }),
            json::parse(R"([{"type": "missing", "loc": ["title"], "msg": "Field required",
                             "input": {"description": "no title"}}])"));
}

TEST(Validate, ItemCreateWithEmptyTitle) {
  EXPECT_EQ(errors_of([] { validate_json<fs::ItemCreate>(R"({"title": ""})"); }),
            json::parse(R"([{"type": "string_too_short", "loc": ["title"],
                             "msg": "String should have at least 1 character", "input": "",
                             "ctx": {"min_length": 1}}])"));
}

TEST(Validate, ItemCreateWith300CharacterTitle) {
  const std::string title(300, 'x');
  EXPECT_EQ(errors_of([&] { validate<fs::ItemCreate>(json{{"title", title}}); }),
            (json{{{"type", "string_too_long"}, {"loc", {"title"}},
                   {"msg", "String should have at most 255 characters"}, {"input", title},
                   {"ctx", {{"max_length", 255}}}}}));
}

TEST(Validate, ItemCreateValid) {
  auto item = validate_json<fs::ItemCreate>(R"({"title": "Buy milk", "unknown": 1})");  // extra ignored
  EXPECT_EQ(item.title, "Buy milk");
  EXPECT_EQ(item.description, std::nullopt);
  // Lengths count characters, not bytes: 255 two-byte characters fit.
  std::string accents;
  for (int i = 0; i < 255; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(validate<fs::ItemCreate>(json{{"title", accents}}).title, accents);
}

TEST(Validate, UserCreateWithBadEmail) {
  EXPECT_EQ(errors_of([] { validate_json<fs::UserCreate>(R"({"email": "ada.example.com", "password": "correct horse"})"); }),
            json::parse(R"([{"type": "value_error", "loc": ["email"],
                             "msg": "value is not a valid email address: An email address must have an @-sign.",
                             "input": "ada.example.com",
                             "ctx": {"reason": "An email address must have an @-sign."}}])"));
  for (const char* bad : {"ada@", "@example.com", "ada@example", "a..b@example.com", "ada@@example.com",
                          "ada lovelace@example.com", "ada@exa_mple.com", ".ada@example.com", "ada@example.123"})
    EXPECT_THROW(validate<fs::UserCreate>(json{{"email", bad}, {"password", "correct horse"}}), ValidationError)
        << bad;
  for (const char* good : {"ada@example.com", "ada.lovelace+tag@mail.example.co.uk", "o'neil@x.io"})
    EXPECT_EQ(validate<fs::UserCreate>(json{{"email", good}, {"password", "correct horse"}}).email, good);
}

TEST(Validate, UserCreateDefaults) {
  auto u = validate<fs::UserCreate>(json{{"email", "ada@example.com"}, {"password", "correct horse"}});
  EXPECT_TRUE(u.is_active);
  EXPECT_FALSE(u.is_superuser);
  EXPECT_EQ(u.full_name, std::nullopt);
}

TEST(Validate, BenchmarkResultWithScoreNotANumber) {
  const json in{{"score", "ninety"}, {"model_id", 1}, {"benchmark_id", 2}};
  EXPECT_EQ(errors_of([&] { validate<seeds::catalog::BenchmarkResult>(in); }),
            json::parse(R"([{"type": "float_parsing", "loc": ["score"],
                             "msg": "Input should be a valid number, unable to parse string as a number",
                             "input": "ninety"}])"));
  auto ok = validate<seeds::catalog::BenchmarkResult>(
      json{{"score", "86.5"}, {"model_id", "1"}, {"benchmark_id", 2.0}, {"date_tested", "2024-05-01"}});
  EXPECT_EQ(ok.score, 86.5);
  EXPECT_EQ(ok.model_id, 1);
  EXPECT_EQ(ok.benchmark_id, 2);
  EXPECT_EQ(ok.date_tested, (strata::Date{std::chrono::year{2024} / 5 / 1}));
}

TEST(Validate, SeveralErrorsAtOnce) {
  const json in{{"email", 42}, {"full_name", std::string(256, 'n')}, {"is_active", "maybe"}, {"password", "short"}};
  EXPECT_EQ(errors_of([&] { validate<fs::UserCreate>(in); }),
            json::parse(R"([
      {"type": "string_type", "loc": ["email"], "msg": "Input should be a valid string", "input": 42},
      {"type": "bool_parsing", "loc": ["is_active"], "msg": "Input should be a valid boolean, unable to interpret input",
       "input": "maybe"},
      {"type": "string_too_long", "loc": ["full_name"], "msg": "String should have at most 255 characters",
       "input": ")" + std::string(256, 'n') + R"(", "ctx": {"max_length": 255}},
      {"type": "string_too_short", "loc": ["password"], "msg": "String should have at least 8 characters",
       "input": "short", "ctx": {"min_length": 8}}])"));
  // Missing fields all reported, the input being the whole object.
  EXPECT_EQ(errors_of([] { validate<fs::UserCreate>(json::object()); }),
            json::parse(R"([{"type": "missing", "loc": ["email"], "msg": "Field required", "input": {}},
                            {"type": "missing", "loc": ["password"], "msg": "Field required", "input": {}}])"));
}

TEST(Validate, FastApiBodyAndSummary) {
  try {
    validate<fs::ItemCreate>(json{{"title", nullptr}});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.model(), "ItemCreate");
    EXPECT_EQ(e.json(), json::parse(R"({"detail": [{"type": "string_type", "loc": ["body", "title"],
                                        "msg": "Input should be a valid string", "input": null}]})"));
    EXPECT_EQ(std::string(e.what()),
              "1 validation error for ItemCreate\ntitle\n  Input should be a valid string [type=string_type]");
  }
}

TEST(Validate, ListsLocateTheElement) {
  const json in = json::array({json{{"title", "a"}}, json{{"title", ""}}, json{{"title", "c"}}});
  EXPECT_EQ(errors_of([&] { validate<std::vector<fs::ItemCreate>>(in); }),
            json::parse(R"([{"type": "string_too_short", "loc": [1, "title"],
                             "msg": "String should have at least 1 character", "input": "",
                             "ctx": {"min_length": 1}}])"));
  EXPECT_EQ(validate<std::vector<fs::ItemCreate>>(json::array({json{{"title", "a"}}})).size(), 1U);
  EXPECT_EQ(errors_of([] { validate<fs::ItemCreate>(json::array()); }),
            json::parse(R"([{"type": "model_type", "loc": [],
                             "msg": "Input should be a valid dictionary or instance of ItemCreate", "input": [],
                             "ctx": {"class_name": "ItemCreate"}}])"));
}

TEST(Validate, InvalidJsonText) {
  const json errors = errors_of([] { validate_json<fs::ItemCreate>(R"({"title": )"); });
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0]["type"], "json_invalid");
  EXPECT_EQ(errors[0]["loc"], json::array());
  EXPECT_EQ(errors[0]["input"], R"({"title": )");
  EXPECT_EQ(errors[0]["msg"].get<std::string>().rfind("Invalid JSON: ", 0), 0U);
}

TEST(Validate, LaxModeAsPydantic) {
  json in = gadget_input();
  in["qty"] = "15";
  in["id"] = 7.0;
  in["active"] = "no";
  in["ratio"] = "0.5";
  in["color"] = "blue";
  in["price"] = 12;
  auto g = validate<vt::Gadget>(in);
  EXPECT_EQ(g.qty, 15);
  EXPECT_EQ(g.id, 7);
  EXPECT_FALSE(g.active);
  EXPECT_EQ(g.ratio, 0.5);
  EXPECT_EQ(g.color, vt::Color::blue);
  EXPECT_EQ(g.price.text, "12");

  in = gadget_input();
  in["id"] = 1.5;
  in["qty"] = "many";
  in["active"] = nullptr;
  in["made"] = "2024-13-01";
  in["blob"] = "not base64!";
  EXPECT_EQ(errors_of([&] { validate<vt::Gadget>(in); }), json::parse(R"([
      {"type": "int_from_float", "loc": ["id"], "msg": "Input should be a valid integer, got a number with a fractional part", "input": 1.5},
      {"type": "int_parsing", "loc": ["qty"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "many"},
      {"type": "bytes_invalid_encoding", "loc": ["blob"], "msg": "Data should be valid base64", "input": "not base64!", "ctx": {"encoding": "base64"}},
      {"type": "date_parsing", "loc": ["made"], "msg": "Input should be a valid date in the format YYYY-MM-DD, month value is outside expected range of 1-12", "input": "2024-13-01", "ctx": {"error": "month value is outside expected range of 1-12"}},
      {"type": "bool_type", "loc": ["active"], "msg": "Input should be a valid boolean", "input": null}])"));
}

// A constraint error shows the input as given, as Pydantic v2 does: the
// string "-5" (valid for an int in lax mode), not the converted -5.
TEST(Validate, ConstraintErrorsShowTheInputAsGiven) {
  json in = gadget_input();
  in["qty"] = "-5";
  in["ratio"] = "2";
  const json errors = errors_of([&] { validate<vt::Gadget>(in); });
  EXPECT_EQ(errors, json::parse(R"([
      {"type": "greater_than_equal", "loc": ["qty"], "msg": "Input should be greater than or equal to 0", "input": "-5", "ctx": {"ge": 0}},
      {"type": "less_than", "loc": ["ratio"], "msg": "Input should be less than 1", "input": "2", "ctx": {"lt": 1}}])"));
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_TRUE(errors[0]["input"].is_string());  // nlohmann::json compares 1 and 1.0 equal, not "1" and 1
  EXPECT_EQ(errors_of([&] { validate_json<vt::Gadget>(in.dump()); }), errors);
}

TEST(Validate, NumberPatternEnumAndCustomConstraints) {
  json in = gadget_input();
  in["code"] = "abc";
  in["qty"] = 7;
  in["ratio"] = 1;
  in["price"] = "-1.50";
  in["color"] = "purple";
  in["note"] = "TODO: price";
  EXPECT_EQ(errors_of([&] { validate<vt::Gadget>(in); }), json::parse(R"([
      {"type": "string_pattern_mismatch", "loc": ["code"], "msg": "String should match pattern '^[A-Z]{3}-[0-9]+$'", "input": "abc", "ctx": {"pattern": "^[A-Z]{3}-[0-9]+$"}},
      {"type": "multiple_of", "loc": ["qty"], "msg": "Input should be a multiple of 5", "input": 7, "ctx": {"multiple_of": 5}},
      {"type": "less_than", "loc": ["ratio"], "msg": "Input should be less than 1", "input": 1, "ctx": {"lt": 1}},
      {"type": "greater_than_equal", "loc": ["price"], "msg": "Input should be greater than or equal to 0", "input": "-1.50", "ctx": {"ge": 0}},
      {"type": "enum", "loc": ["color"], "msg": "Input should be 'red', 'green' or 'blue'", "input": "purple", "ctx": {"expected": "'red', 'green' or 'blue'"}},
      {"type": "value_error", "loc": ["note"], "msg": "Value error, notes must not contain TODO", "input": "TODO: price", "ctx": {"error": "notes must not contain TODO"}}])"));

  in = gadget_input();
  in["qty"] = 1005;
  in["ratio"] = 0;
  in["note"] = "throw";
  EXPECT_EQ(errors_of([&] { validate<vt::Gadget>(in); }), json::parse(R"([
      {"type": "less_than_equal", "loc": ["qty"], "msg": "Input should be less than or equal to 1000", "input": 1005, "ctx": {"le": 1000}},
      {"type": "greater_than", "loc": ["ratio"], "msg": "Input should be greater than 0", "input": 0, "ctx": {"gt": 0}},
      {"type": "value_error", "loc": ["note"], "msg": "Value error, thrown by the validator", "input": "throw", "ctx": {"error": "thrown by the validator"}}])"));
}

TEST(Validate, ModelValidatorRunsWhenFieldsAreValid) {
  json in = gadget_input();
  in["color"] = "blue";
  in["qty"] = 500;
  EXPECT_EQ(errors_of([&] { validate<vt::Gadget>(in); }), (json{{{"type", "value_error"}, {"loc", json::array()},
                  {"msg", "Value error, blue gadgets come in lots of at most 100"}, {"input", in},
                  {"ctx", {{"error", "blue gadgets come in lots of at most 100"}}}}}));
  in["code"] = "bad";  // a field error: the model validator does not run
  EXPECT_EQ(errors_of([&] { validate<vt::Gadget>(in); }).size(), 1U);
}

TEST(Validate, ExtraForbidden) {
  json in = gadget_input();
  in["colour"] = "red";
  EXPECT_EQ(errors_of([&] { validate<vt::Gadget>(in); }),
            json::parse(R"([{"type": "extra_forbidden", "loc": ["colour"], "msg": "Extra inputs are not permitted",
                             "input": "red"}])"));
}

TEST(Validate, UuidErrors) {
  json in{{"title", "t"}, {"owner_id", "1234"}};
  EXPECT_EQ(errors_of([&] { validate<fs::Item>(in); }),
            json::parse(R"([{"type": "uuid_parsing", "loc": ["owner_id"],
                             "msg": "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 4",
                             "input": "1234", "ctx": {"error": "invalid length: expected length 32 for simple format, found 4"}}])"));
  in["owner_id"] = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  EXPECT_EQ(validate<fs::Item>(in).owner_id.str(), "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
}

TEST(ToJson, ShapesAndRoundTrip) {
  vt::Gadget g;
  g.id = 3;
  g.code = "ABC-1";
  g.qty = 10;
  g.price = strata::Numeric{"86.40"};
  g.color = vt::Color::green;
  g.blob = {std::byte{'h'}, std::byte{'i'}};
  g.made = strata::Date{std::chrono::year{2024} / 5 / 1};
  const json j = strata::model::to_json(g);
  EXPECT_EQ(j, json::parse(R"({"id": 3, "code": "ABC-1", "qty": 10, "ratio": 0.5, "price": "86.40",
                               "color": "green", "note": null, "blob": "aGk=", "made": "2024-05-01",
                               "active": true})"));
  const vt::Gadget back = validate<vt::Gadget>(j);
  EXPECT_EQ(strata::model::to_json(back), j);
  EXPECT_EQ(back.blob, g.blob);

  EXPECT_EQ(strata::model::to_json(g, {.include = {"id", "code", "note"}, .exclude = {"code"}, .exclude_none = true}),
            json::parse(R"({"id": 3})"));
}

TEST(ToJson, SeedModelsAndLists) {
  fs::User u;
  u.email = "ada@example.com";
  u.hashed_password = "x";
  const json j = strata::model::to_json(u, {.exclude = {"hashed_password"}});
  // A new object's relationship members are loaded and empty: "items" is [].
  EXPECT_EQ(j, (json{{"email", "ada@example.com"},
                     {"full_name", nullptr},
                     {"id", u.id.str()},
                     {"is_active", true},
                     {"items", json::array()}}));
  EXPECT_EQ(validate<fs::User>(strata::model::to_json(u)).id, u.id);

  std::vector<fs::ItemCreate> items{{"a", std::nullopt}, {"b", "bee"}};
  EXPECT_EQ(strata::model::to_json(items, {.exclude_none = true}),
            json::parse(R"([{"title": "a"}, {"title": "b", "description": "bee"}])"));
  std::vector<std::shared_ptr<fs::ItemCreate>> shared{std::make_shared<fs::ItemCreate>(items[1]), nullptr};
  EXPECT_EQ(strata::model::to_json(shared), json::parse(R"([{"title": "b", "description": "bee"}, null])"));

  seeds::catalog::BenchmarkResult r;
  r.score = 1.5;
  r.created_at = strata::DateTimeTz{};
  EXPECT_EQ(strata::model::to_json(r, {.include = {"score", "created_at"}}),
            json::parse(R"({"score": 1.5, "created_at": "1970-01-01T00:00:00Z"})"));
}

TEST(Check, TypedObjects) {
  fs::ItemCreate ok{"fine", std::nullopt};
  EXPECT_NO_THROW(strata::model::check(ok));
  fs::ItemCreate empty{"", std::nullopt};
  EXPECT_EQ(errors_of([&] { strata::model::check(empty); }),
            json::parse(R"([{"type": "string_too_short", "loc": ["title"],
                             "msg": "String should have at least 1 character", "input": "",
                             "ctx": {"min_length": 1}}])"));
  EXPECT_TRUE(strata::model::info<fs::Item>().has_rules);  // title max_length(255)
  EXPECT_FALSE(strata::model::info<seeds::school::Enrollment>().has_rules);
  EXPECT_FALSE(strata::model::info<vt::Gadget>().fields[0].required);  // has_default()
  EXPECT_TRUE(strata::model::info<vt::Gadget>().fields[1].required);
  EXPECT_FALSE(strata::model::info<fs::Item>().fields[0].required);  // id = Uuid::v4()
}

TEST(Check, MisusedOptionsAreSchemaErrors) {
  try {
    strata::model::info<vt::MinLengthOnInt>();
    FAIL();
  } catch (const strata::SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "model 'MinLengthOnInt' member 'n': min_length() applies to string members, this one is Integer");
  }
  try {
    strata::model::info<vt::BadPattern>();
    FAIL();
  } catch (const strata::SchemaError& e) {
    EXPECT_NE(std::string(e.what()).find("model 'BadPattern' member 's': pattern(\"(unclosed\") is not a valid "
                                         "ECMAScript regex"),
              std::string::npos)
        << e.what();
  }
}

TEST(SessionValidation, AddRefusesInvalidTableModelUnlessSwitchedOff) {
  strata::testing::TempDb db("validate");
  auto engine = strata::create_engine(db.url());
  strata::create_all(engine, strata::model::metadata_of<fs::User, fs::Item>());

  fs::User owner;
  owner.email = "ada@example.com";
  fs::Item item;
  item.title = std::string(300, 't');
  item.owner_id = owner.id;
  {
    strata::Session s{engine};
    s.add(owner);
    try {
      s.add(item);
      FAIL() << "no ValidationError";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.model(), "Item");
      EXPECT_EQ(e.errors_json(), (json{{{"type", "string_too_long"}, {"loc", {"title"}},
                                        {"msg", "String should have at most 255 characters"},
                                        {"input", item.title}, {"ctx", {{"max_length", 255}}}}}));
    }
    s.commit();  // the user only
  }
  {
    strata::Session s{engine, strata::SessionOptions{.autoflush = true, .validate = false}};
    s.add(item);
    s.commit();
  }
  {
    strata::Session s{engine};
    s.set_validate(false);
    fs::Item again = item;
    again.id = strata::Uuid::v4();
    s.add(again);
    s.set_validate(true);
    fs::Item bad = item;
    bad.id = strata::Uuid::v4();
    EXPECT_THROW(s.add(bad), ValidationError);
    s.commit();
  }
  auto c = engine.connect();
  EXPECT_EQ(c.execute("SELECT count(*) FROM item").scalar(), strata::Value(std::int64_t{2}));
}

}  // namespace
