// Acceptance tests of issue 2 on seed 000 (full-stack FastAPI template: user /
// item, UUID keys, item.owner_id ON DELETE CASCADE), on a real SQLite file and
// a real PostgreSQL database (parametrized):
// the schema create_all builds (read back from the database), the Session's
// unit of work on it, and every constraint of the schema raising its own
// exception type.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "seed_models.hpp"
#include "seeds_util.hpp"
#include "strata/strata.hpp"
#include "support/database.hpp"

namespace {

using seeds::fullstack::Item;
using seeds::fullstack::User;
using strata::col;
using strata::select;
namespace sl = seed_live;

class SeedFullstack : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = strata::create_engine(url());
    strata::create_all(engine_, strata::model::metadata_of<User, Item>());
  }

  static User make_user(const std::string& email, std::optional<std::string> full_name = std::nullopt) {
    User u;
    u.email = email;
    u.full_name = std::move(full_name);
    u.hashed_password = "hash:" + email;
    return u;
  }
  static Item make_item(const std::string& title, const strata::Uuid& owner) {
    Item i;
    i.title = title;
    i.owner_id = owner;
    return i;
  }
  std::int64_t rows(const std::string& table) { return sl::row_count(engine_, table); }

  strata::Engine engine_ = strata::create_engine("sqlite://");
};

TEST_P(SeedFullstack, CreateAllBuildsTheSeedTables) {
  auto c = engine_.connect();
  EXPECT_EQ(sl::table_names(c), (std::vector<std::string>{"item", "user"}));

  // user: UserBase's fields first, then User's own (SQLModel's column order).
  EXPECT_EQ(sl::column_names(c, "user"),
            (std::vector<std::string>{"email", "full_name", "id", "hashed_password", "is_active"}));
  EXPECT_EQ(sl::notnull_columns(c, "user"), (std::set<std::string>{"email", "id", "hashed_password", "is_active"}));
  EXPECT_EQ(sl::primary_key(c, "user"), (std::vector<std::string>{"id"}));
  EXPECT_TRUE(sl::unique_constraint_on(c, "user", {"email"}).has_value());
  auto ix = sl::index_named(c, "user", "ix_user_email");
  ASSERT_TRUE(ix.has_value());
  EXPECT_FALSE(ix->unique);
  EXPECT_EQ(ix->columns, (std::vector<std::string>{"email"}));
  EXPECT_EQ(sl::unique_constraint_on(c, "user", {"email"})->name, "uq_user_email");
  EXPECT_EQ(sl::column_decl(c, "user", "email"), "VARCHAR(255) NOT NULL");

  EXPECT_EQ(sl::column_names(c, "item"),
            (std::vector<std::string>{"id", "title", "description", "owner_id", "is_completed"}));
  EXPECT_EQ(sl::notnull_columns(c, "item"), (std::set<std::string>{"id", "title", "owner_id", "is_completed"}));
  EXPECT_EQ(sl::primary_key(c, "item"), (std::vector<std::string>{"id"}));
  auto fks = sl::foreign_keys(c, "item");
  ASSERT_EQ(fks.size(), 1u);
  EXPECT_EQ(fks[0].from, "owner_id");
  EXPECT_EQ(fks[0].table, "user");
  EXPECT_EQ(fks[0].to, "id");
  EXPECT_EQ(fks[0].on_delete, "CASCADE");
  EXPECT_EQ(fks[0].on_update, "NO ACTION");
  EXPECT_EQ(fks[0].name, "fk_item_owner_id_user");

  // Foreign keys are enforced on the engine's connections (a PRAGMA on SQLite).
  if (!is_postgresql()) {
    EXPECT_EQ(sl::int_of(c.execute("PRAGMA foreign_keys").scalar()), 1);
  }
  c.close();

  // checkfirst: a second create_all changes nothing and does not fail.
  EXPECT_NO_THROW(strata::create_all(engine_, strata::model::metadata_of<User, Item>()));
}

TEST_P(SeedFullstack, UuidKeysRoundTrip) {
  strata::Uuid user_id, item_id;
  {
    strata::Session s{engine_};
    auto u = s.add(make_user("ada@example.com", "Ada Lovelace"));
    auto i = s.add(make_item("write docs", u->id));
    EXPECT_FALSE(u->id.is_nil());
    s.commit();
    user_id = u->id;
    item_id = i->id;
  }
  EXPECT_NE(user_id, item_id);
  {
    // Stored as 32 hex digits (the SQLite form of a Uuid); a native UUID on PostgreSQL.
    auto c = engine_.connect();
    const strata::Value stored = pick(strata::Value(user_id.hex()), strata::Value(user_id.str()));
    auto row = c.execute("SELECT id FROM \"user\"").one();
    EXPECT_EQ(row[0], stored);
    auto owner = c.execute(sql("SELECT owner_id FROM item WHERE id = ?"), {item_id}).scalar();
    EXPECT_EQ(owner, stored);
  }
  strata::Session s{engine_};
  auto u = s.get<User>(user_id);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->id, user_id);
  EXPECT_EQ(u->email, "ada@example.com");
  EXPECT_EQ(u->full_name, std::optional<std::string>("Ada Lovelace"));
  EXPECT_EQ(u->hashed_password, "hash:ada@example.com");
  EXPECT_TRUE(u->is_active);
  auto i = s.get<Item>(item_id);
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->owner_id, user_id);
  EXPECT_EQ(i->description, std::nullopt);
  EXPECT_FALSE(i->is_completed);
  EXPECT_EQ(s.get<User>(strata::Uuid::v4()), nullptr);
  // A Uuid parameter matches the stored key.
  auto by_owner = s.exec(select<Item>().where(col(&Item::owner_id) == user_id)).all();
  ASSERT_EQ(by_owner.size(), 1u);
  EXPECT_EQ(by_owner[0].get(), i.get());  // identity map
}

TEST_P(SeedFullstack, FlushInsertsTheOwnerBeforeItsItems) {
  strata::Session s{engine_};
  User u = make_user("grace@example.com");
  s.add(make_item("added before its owner", u.id));
  s.add(u);
  s.commit();
  EXPECT_EQ(rows("user"), 1);
  EXPECT_EQ(rows("item"), 1);
}

TEST_P(SeedFullstack, QueriesFilterOrderAndJoin) {
  strata::Session s{engine_};
  auto ada = s.add(make_user("ada@example.com", "Ada"));
  auto alan = s.add(make_user("alan@example.com", "Alan"));
  for (const char* t : {"c-notes", "a-engine", "b-tables"}) s.add(make_item(t, ada->id));
  s.add(make_item("z-machine", alan->id));
  s.commit();
  auto done = s.exec(select<Item>().where(col(&Item::title) == "b-tables")).one();
  done->is_completed = true;
  s.commit();

  auto open = s.exec(select<Item>()
                         .where(col(&Item::owner_id) == ada->id && !col(&Item::is_completed))
                         .order_by(col(&Item::title)))
                  .all();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0]->title, "a-engine");
  EXPECT_EQ(open[1]->title, "c-notes");

  auto desc = s.exec(select<Item>().order_by(col(&Item::title).desc()).limit(2).offset(1)).all();
  ASSERT_EQ(desc.size(), 2u);
  EXPECT_EQ(desc[0]->title, "c-notes");
  EXPECT_EQ(desc[1]->title, "b-tables");

  // JOIN: items with their owner, for one owner's e-mail.
  auto joined = s.exec(select<Item, User>()
                           .join<User>(col(&Item::owner_id) == col(&User::id))
                           .where(col<User>(&User::email) == "alan@example.com"))
                    .all();
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(std::get<0>(joined[0])->title, "z-machine");
  EXPECT_EQ(std::get<1>(joined[0]).get(), alan.get());  // the session's object

  // Items per owner, through the join.
  auto per_owner = s.exec(select(col<User>(&User::email), strata::count())
                              .join<Item>(col(&Item::owner_id) == col(&User::id))
                              .group_by(col<User>(&User::email))
                              .order_by(col<User>(&User::email)))
                       .all();
  ASSERT_EQ(per_owner.size(), 2u);
  EXPECT_EQ(per_owner[0], std::make_tuple(std::string("ada@example.com"), std::int64_t{3}));
  EXPECT_EQ(per_owner[1], std::make_tuple(std::string("alan@example.com"), std::int64_t{1}));
  EXPECT_EQ(s.count(select<Item>().where(col(&Item::is_completed))), 1);
}

TEST_P(SeedFullstack, DirtyTrackingUpdatesChangedMembersOnly) {
  strata::Uuid item_id;
  {
    strata::Session s{engine_};
    auto u = s.add(make_user("ada@example.com"));
    item_id = s.add(make_item("draft", u->id))->id;
    s.commit();
  }
  strata::Session s{engine_};
  auto item = s.get<Item>(item_id);
  ASSERT_NE(item, nullptr);
  EXPECT_FALSE(s.is_modified(item));
  s.commit();  // ends the read transaction; `item` stays persistent
  {
    // Someone else changes the description meanwhile.
    auto c = engine_.connect();
    c.execute_update("UPDATE item SET description = 'from elsewhere'");
  }
  item->is_completed = true;
  item->title = "final";
  EXPECT_TRUE(s.is_modified(item));
  s.commit();
  EXPECT_FALSE(s.is_modified(item));
  auto c = engine_.connect();
  auto row = c.execute(sql("SELECT title, description, is_completed FROM item WHERE id = ?"), {item_id}).one();
  EXPECT_EQ(row[0], strata::Value("final"));
  EXPECT_EQ(row[1], strata::Value("from elsewhere"));  // an unchanged member is not written
  EXPECT_EQ(row[2], pick(strata::Value(1), strata::Value(true)));
}

TEST_P(SeedFullstack, DeletingAUserDeletesTheirItems) {
  strata::Session s{engine_};
  auto ada = s.add(make_user("ada@example.com"));
  auto alan = s.add(make_user("alan@example.com"));
  s.add(make_item("a1", ada->id));
  s.add(make_item("a2", ada->id));
  auto kept = s.add(make_item("b1", alan->id));
  s.commit();
  ASSERT_EQ(rows("item"), 3);

  s.delete_(ada);
  s.commit();
  EXPECT_FALSE(s.contains(ada));
  EXPECT_EQ(rows("user"), 1);
  EXPECT_EQ(rows("item"), 1);  // ON DELETE CASCADE removed a1 and a2
  {
    auto c = engine_.connect();
    EXPECT_EQ(c.execute("SELECT title FROM item").scalar(), strata::Value("b1"));
  }

  // A bulk DELETE statement cascades too.
  EXPECT_EQ(s.exec(strata::delete_from<User>().where(col(&User::id) == alan->id)), 1);
  s.commit();
  EXPECT_EQ(rows("user"), 0);
  EXPECT_EQ(rows("item"), 0);
  (void)kept;
}

TEST_P(SeedFullstack, DuplicateEmailRaisesUniqueViolationAndCommitsNothing) {
  strata::Session s{engine_};
  s.add(make_user("ada@example.com"));
  s.commit();

  s.add(make_user("grace@example.com"));  // valid, in the same flush
  s.add(make_user("ada@example.com"));
  auto e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "user");
  EXPECT_EQ(e->constraint(), pick("user.email", "uq_user_email"));
  EXPECT_EQ(e->sqlstate(), "23505");
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"user\"")) << e->sql();
  sl::expect_rollback_required(s);
  EXPECT_EQ(rows("user"), 1);  // grace's INSERT of the failed flush is gone too

  s.add(make_user("grace@example.com"));
  s.commit();
  EXPECT_EQ(rows("user"), 2);

  // Changing an email to a taken one (UPDATE through dirty tracking).
  auto grace = s.exec(select<User>().where(col<User>(&User::email) == "grace@example.com")).one();
  grace->email = "ada@example.com";
  e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->constraint(), pick("user.email", "uq_user_email"));
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"user\"")) << e->sql();
  sl::expect_rollback_required(s);
  auto c = engine_.connect();
  EXPECT_EQ(sl::int_of(c.execute("SELECT count(*) FROM \"user\" WHERE email = 'grace@example.com'").scalar()), 1);
}

TEST_P(SeedFullstack, DuplicatePrimaryKeysRaiseUniqueViolation) {
  User first = make_user("ada@example.com");
  Item item = make_item("one", first.id);
  {
    strata::Session s{engine_};
    s.add(first);
    s.add(item);
    s.commit();
  }
  strata::Session s{engine_};
  User same_id = make_user("other@example.com");
  same_id.id = first.id;
  s.add(same_id);
  auto e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "user");
  EXPECT_EQ(e->constraint(), pick("user.id", "pk_user"));
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"user\""));
  sl::expect_rollback_required(s);

  Item same_item = make_item("two", first.id);
  same_item.id = item.id;
  s.add(same_item);
  e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "item");
  EXPECT_EQ(e->constraint(), pick("item.id", "pk_item"));
  sl::expect_rollback_required(s);

  EXPECT_EQ(rows("user"), 1);
  EXPECT_EQ(rows("item"), 1);
  s.add(make_item("two", first.id));  // usable again
  s.commit();
  EXPECT_EQ(rows("item"), 2);
}

TEST_P(SeedFullstack, DanglingOwnerRaisesForeignKeyViolation) {
  strata::Session s{engine_};
  auto ada = s.add(make_user("ada@example.com"));
  auto item = s.add(make_item("mine", ada->id));
  s.commit();

  s.add(make_item("orphan", strata::Uuid::v4()));
  auto e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->sqlstate(), "23503");
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"item\"")) << e->sql();
  sl::expect_rollback_required(s);
  EXPECT_EQ(rows("item"), 1);

  // Re-pointing an existing item at no user (UPDATE through dirty tracking).
  item = s.get<Item>(item->id);  // rollback() detached it
  ASSERT_NE(item, nullptr);
  item->owner_id = strata::Uuid::v4();
  e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"item\"")) << e->sql();
  sl::expect_rollback_required(s);
  auto c = engine_.connect();
  EXPECT_EQ(c.execute("SELECT owner_id FROM item").scalar(), pick(strata::Value(ada->id.hex()), strata::Value(ada->id.str())));
}

TEST_P(SeedFullstack, NullInNotNullColumnsRaisesNotNullViolation) {
  strata::Session s{engine_};
  auto ada = s.add(make_user("ada@example.com"));
  s.add(make_item("mine", ada->id));
  s.commit();

  // Typed bulk UPDATE with a NULL.
  auto e = sl::catch_as<strata::NotNullViolation>(
      [&] { s.exec(strata::update<Item>().set(&Item::title, std::nullopt)); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "item");
  EXPECT_EQ(e->constraint(), "item.title");
  EXPECT_EQ(e->sqlstate(), "23502");
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"item\"")) << e->sql();
  s.rollback();

  // Raw INSERT through the session's connection, without hashed_password.
  e = sl::catch_as<strata::NotNullViolation>([&] {
    s.connection().execute_update("INSERT INTO \"user\" (id, email, is_active) VALUES ('" +
                                  strata::Uuid::v4().hex() + "', 'x@example.com', true)");
  });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "user");
  EXPECT_EQ(e->constraint(), "user.hashed_password");
  s.rollback();

  // Every NOT NULL column of the schema.
  sl::expect_every_not_null_enforced(engine_, "user");
  sl::expect_every_not_null_enforced(engine_, "item");

  // The session is usable and nothing changed.
  auto items = s.exec(select<Item>()).all();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->title, "mine");
  s.add(make_user("grace@example.com"));
  s.commit();
  EXPECT_EQ(rows("user"), 2);
}

STRATA_INSTANTIATE_BACKENDS(SeedFullstack);

}  // namespace
