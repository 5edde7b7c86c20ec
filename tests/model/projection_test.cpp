// project<To>(from) and to_json<Shape>(obj): the Create -> table -> Public
// projections of the seeds' fullstack models.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/model/project.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/validate.hpp"

namespace pt {
/// Same member name as ItemCreate::title, another kind of type.
struct NumberedTitle {
  int title = 0;
};
STRATA_MODEL(NumberedTitle, field<&NumberedTitle::title>());
}  // namespace pt

namespace {

using nlohmann::json;
using strata::model::project;
using strata::model::to_json;
namespace fs = seeds::fullstack;

TEST(Projection, CreateToTable) {
  const auto in = strata::model::validate_json<fs::ItemCreate>(R"({"title": "Buy milk", "description": "2 l"})");
  const strata::Uuid owner = strata::Uuid::v4();
  fs::Item item = project<fs::Item>(in);
  item.owner_id = owner;  // Pydantic's update={"owner_id": ...}
  EXPECT_EQ(item.title, "Buy milk");
  EXPECT_EQ(item.description, "2 l");
  EXPECT_FALSE(item.id.is_nil());  // Item's initializer: Uuid::v4()
  EXPECT_FALSE(item.is_completed);
  EXPECT_NE(project<fs::Item>(in).id, item.id);  // a fresh id each time

  fs::UserCreate uc;
  uc.email = "ada@example.com";
  uc.full_name = "Ada";
  uc.password = "secret-pw";
  uc.is_active = false;
  fs::User user = project<fs::User>(uc);  // email, full_name (UserBase) and is_active; no password member
  EXPECT_EQ(user.email, "ada@example.com");
  EXPECT_EQ(user.full_name, "Ada");
  EXPECT_FALSE(user.is_active);
  EXPECT_EQ(user.hashed_password, "");
}

TEST(Projection, MembersTheSourceLacksKeepTheirInitializers) {
  fs::UserPublic from_user_base = project<fs::UserPublic>(fs::UserBase{"e@example.com", std::nullopt});
  EXPECT_EQ(from_user_base.full_name, std::nullopt);
  EXPECT_TRUE(from_user_base.id.is_nil());  // UserBase has no id
}

TEST(Projection, TableToPublic) {
  fs::User user;
  user.email = "ada@example.com";
  user.hashed_password = "$2b$secret";
  const json pub = to_json<fs::UserPublic>(user);
  EXPECT_EQ(pub, (json{{"email", "ada@example.com"}, {"full_name", nullptr}, {"id", user.id.str()}}));
  const fs::UserPublic up = project<fs::UserPublic>(user);
  EXPECT_EQ(up.id, user.id);
  EXPECT_EQ(to_json(up), pub);

  fs::Item a;
  a.title = "a";
  a.owner_id = user.id;
  fs::Item b = a;
  b.id = strata::Uuid::v4();
  b.title = "b";
  b.description = "bee";
  b.is_completed = true;
  EXPECT_EQ(to_json<fs::ItemPublic>(a),
            (json{{"id", a.id.str()}, {"title", "a"}, {"description", nullptr}, {"owner_id", user.id.str()}}));
  EXPECT_EQ(to_json<fs::ItemPublic>(std::vector<fs::Item>{a, b}, {.exclude_none = true}),
            (json{{{"id", a.id.str()}, {"title", "a"}, {"owner_id", user.id.str()}},
                  {{"id", b.id.str()}, {"title", "b"}, {"description", "bee"}, {"owner_id", user.id.str()}}}));
  std::vector<std::shared_ptr<fs::Item>> shared{std::make_shared<fs::Item>(b), nullptr};
  EXPECT_EQ(to_json<fs::ItemPublic>(shared, {.include = {"title"}}), json::parse(R"([{"title": "b"}, null])"));
  // The Public shape validates as its own model.
  EXPECT_EQ(strata::model::validate<fs::ItemPublic>(to_json<fs::ItemPublic>(b)).owner_id, user.id);
}

TEST(Projection, IncompatibleSameNamedMemberIsSchemaError) {
  try {
    project<pt::NumberedTitle>(fs::ItemCreate{"t", std::nullopt});
    FAIL() << "no SchemaError";
  } catch (const strata::SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "project<NumberedTitle>(ItemCreate): member 'title' is String in ItemCreate and Integer in NumberedTitle");
  }
}

}  // namespace
