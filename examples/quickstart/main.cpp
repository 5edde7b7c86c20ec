// The user / item app of the seeds (full-stack FastAPI's SQLModel chapter) in C++:
// models -> tables, a Session that writes and reads them, type-safe queries,
// and the ON DELETE CASCADE of item.owner_id.
// Usage: strata_quickstart <database URL>   (scripts/demo passes a SQLite file)
#include <cstdio>
#include <optional>
#include <string>

#include "strata/strata.hpp"

struct UserBase {  // shared fields, not a table
  std::string email;
  bool is_active = true;
  bool is_superuser = false;
  std::optional<std::string> full_name;
};
struct User : UserBase {  // the table
  strata::Uuid id = strata::Uuid::v4();
  std::string hashed_password;
};
struct Item {
  strata::Uuid id = strata::Uuid::v4();
  std::string title;
  std::optional<std::string> description;
  strata::Uuid owner_id;
};

STRATA_MODEL(UserBase, field<&UserBase::email>().unique().index().max_length(255),
             field<&UserBase::full_name>().max_length(255));
STRATA_TABLE(User, "user", extends<UserBase>(), field<&User::id>().primary_key(),
             field<&User::hashed_password>());
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(), field<&Item::title>().max_length(255),
             field<&Item::description>().max_length(255),
             field<&Item::owner_id>().foreign_key<&User::id>().on_delete(Cascade));

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <database URL>\n", argv[0]);
    return 2;
  }
  try {
    auto engine = strata::create_engine(argv[1]);
    auto metadata = strata::model::metadata_of<User, Item>();
    strata::create_all(engine, metadata);
    std::printf("created tables:");
    for (const auto& t : metadata.tables()) std::printf(" %s", t.name.c_str());
    std::printf("\n");

    strata::Session session{engine};
    User ada{{"ada@example.com", true, true, "Ada Lovelace"}, strata::Uuid::v4(), "not-a-real-hash"};
    User alan{{"alan@example.com", true, false, std::nullopt}, strata::Uuid::v4(), "not-a-real-hash"};
    session.add(ada);
    auto alan_p = session.add(alan);
    for (int i = 1; i <= 5; ++i)
      session.add(Item{strata::Uuid::v4(), "note " + std::to_string(i), std::nullopt, i <= 3 ? ada.id : alan.id});
    session.commit();
    std::printf("inserted 2 users and 5 items\n");

    auto adas = session
                    .exec(strata::select<Item>()
                              .where(strata::col(&Item::owner_id) == ada.id)
                              .order_by(strata::col(&Item::title).desc())
                              .limit(10))
                    .all();
    std::printf("ada's items, newest title first:");
    for (const auto& it : adas) std::printf(" '%s'", it->title.c_str());
    std::printf("\n");

    adas.front()->description = "edited through the session";
    session.commit();  // UPDATE "item" SET "description" = ? WHERE "item"."id" = ?
    std::int64_t described =
        session.count(strata::select<Item>().where(strata::col(&Item::description).is_not_null()));
    std::printf("items with a description: %lld\n", static_cast<long long>(described));

    try {
      session.add(User{{"ada@example.com", true, false, std::nullopt}, strata::Uuid::v4(), "x"});
      session.commit();
    } catch (const strata::UniqueViolation& e) {
      session.rollback();
      std::printf("a second ada@example.com is refused: UniqueViolation on '%s'\n", e.constraint().c_str());
    }

    auto alan_again = session.get<User>(alan_p->id);
    session.delete_(alan_again);
    session.commit();  // ON DELETE CASCADE removes alan's items
    std::int64_t left = session.count(strata::select<Item>());
    std::printf("after deleting alan, items left: %lld (cascade removed his 2)\n", static_cast<long long>(left));
    return left == 3 ? 0 : 1;
  } catch (const strata::Error& e) {
    std::fprintf(stderr, "strata_quickstart: %s\n", e.what());
    return 1;
  }
}
