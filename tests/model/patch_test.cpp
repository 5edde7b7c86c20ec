// Patch<T>: validate<Patch<T>> / validate_json<Patch<T>>, apply, is_set,
// fields, to_json, and a Patch<Item> applied through a Session on a real
// SQLite file (only the sent column is written).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/patch.hpp"
#include "strata/model/validate.hpp"
#include "strata/strata.hpp"
#include "model/validation_util.hpp"
#include "support/temp_db.hpp"

namespace {

using nlohmann::json;
using strata::ValidationError;
using strata::model::Patch;
using strata::model::validate;
using strata::model::validate_json;
namespace fs = seeds::fullstack;

using strata_validation_test::errors_of;

TEST(Patch, OnlySentFieldsAreValidatedAndSet) {
  const auto p = validate_json<Patch<fs::Item>>(R"({"description": "new text"})");
  EXPECT_TRUE(p.is_set(&fs::Item::description));
  EXPECT_FALSE(p.is_set(&fs::Item::title));
  EXPECT_TRUE(p.is_set("description"));
  EXPECT_FALSE(p.is_set("owner_id"));
  EXPECT_FALSE(p.is_set("no_such_member"));
  EXPECT_EQ(p.fields(), std::vector<std::string>{"description"});
  EXPECT_FALSE(p.empty());
  EXPECT_EQ(strata::model::to_json(p), json::parse(R"({"description": "new text"})"));

  const auto none = validate<Patch<fs::Item>>(json::object());
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(strata::model::to_json(none), json::object());

  // A sent null: fine for an optional member (and dumped), an error for a required one.
  const auto cleared = validate<Patch<fs::Item>>(json::parse(R"({"description": null})"));
  EXPECT_EQ(strata::model::to_json(cleared), json::parse(R"({"description": null})"));
  EXPECT_EQ(strata::model::to_json(cleared, {.exclude_none = true}), json::object());
}

TEST(Patch, ErrorsAreValidatesErrors) {
  const std::string long_title(300, 't');
  EXPECT_EQ(errors_of([&] {
              validate<Patch<fs::Item>>(json{{"title", long_title}, {"owner_id", nullptr}, {"is_completed", "maybe"}});
            }),
            (json{{{"type", "string_too_long"}, {"loc", {"title"}},
                   {"msg", "String should have at most 255 characters"}, {"input", long_title},
                   {"ctx", {{"max_length", 255}}}},
                  {{"type", "uuid_type"}, {"loc", {"owner_id"}},
                   {"msg", "UUID input should be a string, bytes or UUID object"}, {"input", nullptr}},
                  {{"type", "bool_parsing"}, {"loc", {"is_completed"}},
                   {"msg", "Input should be a valid boolean, unable to interpret input"}, {"input", "maybe"}}}));

  try {
    validate_json<Patch<fs::UserCreate>>(R"({"email": "not-an-email", "password": "short"})");
    FAIL() << "no ValidationError";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.model(), "UserCreate");
    EXPECT_EQ(e.errors_json(), json::parse(R"([
      {"type": "value_error", "loc": ["email"],
       "msg": "value is not a valid email address: An email address must have an @-sign.",
       "input": "not-an-email", "ctx": {"reason": "An email address must have an @-sign."}},
      {"type": "string_too_short", "loc": ["password"], "msg": "String should have at least 8 characters",
       "input": "short", "ctx": {"min_length": 8}}])"));
  }

  EXPECT_EQ(errors_of([] { validate_json<Patch<fs::Item>>("{"); }).at(0).at("type"), "json_invalid");
  EXPECT_EQ(errors_of([] { validate<Patch<fs::Item>>(json::array()); }),
            json::parse(R"([{"type": "model_type", "loc": [], "msg": "Input should be a valid dictionary or instance of Item",
                             "input": [], "ctx": {"class_name": "Item"}}])"));
  // Lists of patches: loc starts with the index.
  EXPECT_EQ(errors_of([] { validate<std::vector<Patch<fs::ItemCreate>>>(json::parse(R"([{}, {"title": ""}])")); }),
            json::parse(R"([{"type": "string_too_short", "loc": [1, "title"],
                             "msg": "String should have at least 1 character", "input": "",
                             "ctx": {"min_length": 1}}])"));
}

TEST(Patch, ApplyChangesOnlySentMembers) {
  fs::User u;
  u.email = "ada@example.com";
  u.full_name = "Ada";
  u.hashed_password = "hash";
  const auto before = u;
  auto p = validate_json<Patch<fs::User>>(R"({"full_name": null, "is_active": false})");
  EXPECT_EQ(p.fields(), (std::vector<std::string>{"full_name", "is_active"}));
  EXPECT_TRUE(p.is_set(&fs::User::full_name));  // a UserBase member, reached through User
  p.apply(u);
  EXPECT_EQ(u.full_name, std::nullopt);
  EXPECT_FALSE(u.is_active);
  EXPECT_EQ(u.email, before.email);
  EXPECT_EQ(u.id, before.id);
  EXPECT_EQ(u.hashed_password, "hash");

  Patch<fs::User> q;
  q.set(&fs::User::email, "grace@example.com").set(&fs::User::hashed_password, std::string("h2"));
  EXPECT_EQ(q.fields(), (std::vector<std::string>{"email", "hashed_password"}));
  q.apply(u);
  EXPECT_EQ(u.email, "grace@example.com");
  EXPECT_EQ(u.hashed_password, "h2");
  EXPECT_FALSE(u.is_active);
  EXPECT_EQ(strata::model::to_json(q, {.exclude = {"hashed_password"}}), json::parse(R"({"email": "grace@example.com"})"));
}

TEST(Patch, SessionUpdatesOnlyTheSentColumn) {
  strata::testing::TempDb db("patch");
  auto engine = strata::create_engine(db.url());
  strata::create_all(engine, strata::model::metadata_of<fs::User, fs::Item>());

  fs::User owner;
  owner.email = "ada@example.com";
  fs::Item item;
  item.title = "first";
  item.description = "old";
  item.owner_id = owner.id;
  {
    strata::Session s{engine};
    s.add(owner);
    s.add(item);
    s.commit();
  }

  const auto patch = validate_json<Patch<fs::Item>>(R"({"description": "new"})");
  strata::Session s{engine};
  auto loaded = s.get<fs::Item>(item.id);
  ASSERT_NE(loaded, nullptr);
  s.commit();  // ends the read transaction; the object stays persistent with its values
  {
    // Someone else changes the title after the object was loaded.
    auto other = engine.connect();
    EXPECT_EQ(other.execute("UPDATE item SET title = 'changed elsewhere', is_completed = 1").rows_affected(), 1);
  }
  patch.apply(*loaded);
  EXPECT_EQ(loaded->title, "first");  // the session's copy is stale; only description is dirty
  s.commit();

  auto c = engine.connect();
  EXPECT_EQ(c.execute("SELECT title FROM item").scalar(), strata::Value(std::string("changed elsewhere")));
  EXPECT_EQ(c.execute("SELECT description FROM item").scalar(), strata::Value(std::string("new")));
  EXPECT_EQ(c.execute("SELECT is_completed FROM item").scalar(), strata::Value(std::int64_t{1}));
  EXPECT_EQ(c.execute("SELECT count(*) FROM item").scalar(), strata::Value(std::int64_t{1}));
}

}  // namespace
