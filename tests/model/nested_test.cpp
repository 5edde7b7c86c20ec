// Members holding a model or a list of models (non-table models): validate
// with loc paths such as ["items", 2, "title"], and to_json.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "model/validation_util.hpp"
#include "seed_models.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/validate.hpp"

namespace nt {

namespace fs = seeds::fullstack;

/// A request body holding a list of the seeds' ItemCreate and one UserCreate.
struct Order {
  std::string reference;
  fs::UserCreate buyer;
  std::vector<fs::ItemCreate> items;
  std::vector<fs::ItemCreate> gifts;
};
STRATA_MODEL(Order, field<&Order::reference>().min_length(1), field<&Order::gifts>().has_default(), extra_forbid());

/// Nested twice.
struct Batch {
  std::vector<Order> orders;
};
STRATA_MODEL(Batch);

}  // namespace nt

namespace {

using nlohmann::json;
using strata::ValidationError;
using strata::model::validate;

using strata_validation_test::errors_of;

const char* kBuyer = R"({"email": "ada@example.com", "password": "secret-pw"})";

TEST(Nested, ValidatesAndDumps) {
  const json in = {{"reference", "r1"},
                   {"buyer", json::parse(kBuyer)},
                   {"items", {{{"title", "a"}}, {{"title", "b"}, {"description", "bee"}}}}};
  const nt::Order o = validate<nt::Order>(in);
  EXPECT_EQ(o.buyer.email, "ada@example.com");
  ASSERT_EQ(o.items.size(), 2U);
  EXPECT_EQ(o.items[1].description, "bee");
  EXPECT_TRUE(o.gifts.empty());
  EXPECT_EQ(strata::model::to_json(o, {.exclude_none = true}),
            json::parse(R"({"reference": "r1", "gifts": [],
                            "buyer": {"email": "ada@example.com", "password": "secret-pw", "is_active": true,
                                      "is_superuser": false},
                            "items": [{"title": "a"}, {"title": "b", "description": "bee"}]})"));
  EXPECT_EQ(strata::model::to_json(o, {.include = {"reference", "items"}}),
            json::parse(R"({"reference": "r1", "items": [{"title": "a", "description": null},
                                                         {"title": "b", "description": "bee"}]})"));
  EXPECT_EQ(strata::model::to_json(validate<nt::Order>(strata::model::to_json(o))), strata::model::to_json(o));
}

TEST(Nested, ErrorsCarryThePath) {
  const json in = json::parse(R"({"reference": "",
    "buyer": {"email": "no-at-sign", "password": "secret-pw"},
    "items": [{"title": "a"}, {"title": "b"}, {"title": ""}, {}, "x"],
    "gifts": {}, "extra": 1})");
  EXPECT_EQ(errors_of([&] { validate<nt::Order>(in); }), json::parse(R"([
    {"type": "string_too_short", "loc": ["reference"], "msg": "String should have at least 1 character",
     "input": "", "ctx": {"min_length": 1}},
    {"type": "value_error", "loc": ["buyer", "email"],
     "msg": "value is not a valid email address: An email address must have an @-sign.",
     "input": "no-at-sign", "ctx": {"reason": "An email address must have an @-sign."}},
    {"type": "string_too_short", "loc": ["items", 2, "title"], "msg": "String should have at least 1 character",
     "input": "", "ctx": {"min_length": 1}},
    {"type": "missing", "loc": ["items", 3, "title"], "msg": "Field required", "input": {}},
    {"type": "model_type", "loc": ["items", 4], "msg": "Input should be a valid dictionary or instance of ItemCreate",
     "input": "x", "ctx": {"class_name": "ItemCreate"}},
    {"type": "list_type", "loc": ["gifts"], "msg": "Input should be a valid list", "input": {}},
    {"type": "extra_forbidden", "loc": ["extra"], "msg": "Extra inputs are not permitted", "input": 1}])"));

  EXPECT_EQ(errors_of([] { validate<nt::Order>(json{{"reference", "r"}}); }), json::parse(R"([
    {"type": "missing", "loc": ["buyer"], "msg": "Field required", "input": {"reference": "r"}},
    {"type": "missing", "loc": ["items"], "msg": "Field required", "input": {"reference": "r"}}])"));

  EXPECT_EQ(errors_of([&] {
              validate<nt::Batch>(json{{"orders", {{{"reference", "ok"}, {"buyer", json::parse(kBuyer)},
                                                    {"items", {{{"title", std::string(256, 't')}}}}}}}});
            }),
            (json{{{"type", "string_too_long"}, {"loc", {"orders", 0, "items", 0, "title"}},
                   {"msg", "String should have at most 255 characters"}, {"input", std::string(256, 't')},
                   {"ctx", {{"max_length", 255}}}}}));
}

TEST(Nested, CheckWalksNestedObjects) {
  nt::Order o;
  o.reference = "r";
  o.buyer.email = "ada@example.com";
  o.buyer.password = "secret-pw";
  o.items = {{"a", std::nullopt}, {"", std::nullopt}};
  EXPECT_EQ(errors_of([&] { strata::model::check(o); }),
            json::parse(R"([{"type": "string_too_short", "loc": ["items", 1, "title"],
                             "msg": "String should have at least 1 character", "input": "",
                             "ctx": {"min_length": 1}}])"));
  o.items[1].title = "b";
  EXPECT_NO_THROW(strata::model::check(o));
}

}  // namespace
