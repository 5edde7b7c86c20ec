// fullstack_app: the user / item app of the full-stack FastAPI template
// (seed 000) in C++, without the HTTP layer (examples/catalog has an API).
//
//   fullstack_app --url <database URL>
//
// At start-up it upgrades the database to the newest revision of
// examples/fullstack/migrations (the template's prestart step), then: input
// validated as the API would (UserCreate with a bad email -> the 422 body),
// a user created from a valid UserCreate, items added through user.items,
// `my_item.owner.email` after loading the owner, a PATCH that changes only the
// fields it carries, the public shape without hashed_password, and deleting
// the user, whose items go with it (ON DELETE CASCADE). Each run uses a new
// email, so it can run again on the same database.
// Exit status 0, or 1 with "FAILED: ..." on stderr.
#include <cstdio>
#include <functional>
#include <string>

#include "fullstack/models.hpp"
#include "strata/migrate/runner.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/patch.hpp"
#include "strata/model/project.hpp"
#include "strata/model/validate.hpp"
#include "strata/strata.hpp"

namespace {

using namespace fullstack;
using strata::col;

/// Not a password hash: the template uses passlib's bcrypt. A demo stand-in.
std::string fake_hash(const std::string& password) {
  return "demo-only:" + std::to_string(std::hash<std::string>{}(password));
}

int run(const std::string& url) {
  auto engine = strata::create_engine(url);
  strata::migrate::upgrade(engine);  // prestart: alembic upgrade head
  std::printf("database upgraded to head\n");

  // 1. Input is validated before anything is written: FastAPI's 422 body.
  try {
    strata::model::validate_json<UserCreate>(R"({"email": "not-an-email", "password": "short"})");
    throw std::runtime_error("a bad UserCreate was accepted");
  } catch (const strata::ValidationError& e) {
    std::printf("POST /users with a bad email and a short password -> 422\n%s\n", e.json().dump(2).c_str());
  }

  // 2. A valid UserCreate becomes a User (the template's crud.create_user).
  const std::string email = "user-" + strata::Uuid::v4().str().substr(0, 8) + "@example.com";
  auto user_in = strata::model::validate_json<UserCreate>(
      nlohmann::json{{"email", email}, {"password", "correct horse"}, {"full_name", "Demo User"}}.dump());
  strata::Session s{engine};
  User u = strata::model::project<User>(user_in);
  u.hashed_password = fake_hash(user_in.password);
  auto user = s.add(std::move(u));

  // 3. Items through the user's collection: one flush inserts the user first
  //    and fills each item's owner_id.
  for (const char* title : {"write the docs", "ship the demo"}) {
    auto item_in = strata::model::validate_json<ItemCreate>(nlohmann::json{{"title", title}}.dump());
    user->items.push_back(strata::model::project<Item>(item_in));
  }
  s.commit();
  std::printf("created %s with %zu items\n", user->email.c_str(), user->items.size());

  // 4. my_item.owner.email: the owner is loaded explicitly (no hidden I/O).
  strata::Session reader{engine};
  auto my_item = reader.exec(strata::select<Item>()
                                 .where(col(&Item::title) == "write the docs" && col(&Item::owner_id) == user->id)
                                 .options(strata::selectin(&Item::owner)))
                     .one();
  std::printf("my_item.owner.email = %s\n", my_item->owner->email.c_str());
  if (my_item->owner->email != email) throw std::runtime_error("the item's owner is not the user");

  // 5. PATCH /items/{id} {"description": ...}: only the sent field changes.
  auto patch = strata::model::validate_json<strata::model::Patch<Item>>(R"({"description": "patched"})");
  patch.apply(*my_item);
  reader.commit();
  auto again = strata::Session{engine}.get<Item>(my_item->id);
  std::printf("after PATCH: title=%s description=%s\n", again->title.c_str(), again->description.value_or("-").c_str());
  if (again->title != "write the docs" || again->description != "patched")
    throw std::runtime_error("the PATCH changed more or less than the description");

  // 6. The public shape leaves hashed_password out.
  std::printf("GET /users/me -> %s\n", strata::model::to_json<UserPublic>(*user).dump().c_str());

  // 7. DELETE /users/{id}: the database removes the items (ON DELETE CASCADE).
  s.delete_(user);
  s.commit();
  auto left = strata::Session{engine}.count(strata::select<Item>().where(col(&Item::owner_id) == user->id));
  std::printf("deleted the user; items left: %lld\n", static_cast<long long>(left));
  if (left != 0) throw std::runtime_error("the user's items survived the delete");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--url") {
    std::fprintf(stderr, "usage: %s --url <database URL>\n", argv[0]);
    return 2;
  }
  try {
    return run(argv[2]);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "FAILED: %s\n", e.what());
    return 1;
  }
}
