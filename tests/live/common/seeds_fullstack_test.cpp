// Acceptance tests of issue 2 on seed 000 (full-stack FastAPI template: user /
// item, UUID keys, item.owner_id ON DELETE CASCADE), on a real SQLite file and
// a real PostgreSQL database (parametrized):
// the schema create_all builds (read back from the database), the Session's
// unit of work on it, and every constraint of the schema raising its own
// exception type. Issue 6: User.items <-> Item.owner, loaded explicitly
// (joined, selectin, Session::load) and written by the unit of work.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
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
using strata::joined;
using strata::select;
using strata::selectin;
namespace sl = seed_live;

class SeedFullstack : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = counting_engine(statements_, &last_sql_, &sql_log_);
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
  // Statements sent through engine_ (EngineOptions::before_execute).
  int statements_ = 0;
  std::string last_sql_;
  std::vector<std::string> sql_log_;
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

// --- Issue 6: the relationships User.items <-> Item.owner --------------------

// The seed's my_item.owner.email: the item read with its owner joined in the
// same statement (joined(&Item::owner)); without a loader the member is not
// loaded and reading it is a named error, never a query.
TEST_P(SeedFullstack, MyItemOwnerEmail) {
  {
    strata::Session s{engine_};
    auto ada = s.add(make_user("ada@example.com", "Ada"));
    auto alan = s.add(make_user("alan@example.com", "Alan"));
    s.add(make_item("write docs", ada->id));
    s.add(make_item("break codes", alan->id));
    s.commit();
  }
  strata::Session s{engine_};
  statements_ = 0;
  auto my_item = s.exec(select<Item>().where(col(&Item::title) == "write docs").options(joined(&Item::owner))).one();
  EXPECT_EQ(statements_, 1 + 1);  // BEGIN, item LEFT OUTER JOIN user
  EXPECT_TRUE(sl::contains(last_sql_, "LEFT OUTER JOIN \"user\"")) << last_sql_;
  ASSERT_TRUE(my_item->owner.loaded());
  ASSERT_TRUE(my_item->owner);
  EXPECT_EQ(my_item->owner->email, "ada@example.com");
  EXPECT_EQ(my_item->owner->id, my_item->owner_id);
  EXPECT_EQ(my_item->owner.get(), s.get<User>(my_item->owner_id).get());  // the identity map's user
  EXPECT_FALSE(my_item->owner->items.loaded());  // the other direction was not asked for
  EXPECT_EQ(statements_, 2);

  auto other = s.exec(select<Item>().where(col(&Item::title) == "break codes")).one();
  EXPECT_FALSE(other->owner.loaded());
  try {
    (void)other->owner->email;
    ADD_FAILURE() << "expected NotLoadedError";
  } catch (const strata::NotLoadedError& e) {
    EXPECT_TRUE(sl::contains(e.what(), "Item.owner")) << e.what();
  }
  EXPECT_EQ(statements_, 3);  // the SELECT of `other` only
  s.load(other, &Item::owner);
  EXPECT_EQ(other->owner->email, "alan@example.com");
}

// user.items, loaded with selectin: one statement for every user's items, and
// each item's owner is its user (back_populates) without another query.
TEST_P(SeedFullstack, UserItemsLoadWithSelectin) {
  {
    strata::Session s{engine_};
    auto ada = s.add(make_user("ada@example.com"));
    auto alan = s.add(make_user("alan@example.com"));
    s.add(make_user("grace@example.com"));  // no items
    for (const char* t : {"a1", "a2", "a3"}) s.add(make_item(t, ada->id));
    s.add(make_item("b1", alan->id));
    s.commit();
  }
  strata::Session s{engine_};
  statements_ = 0;
  auto users = s.exec(select<User>().order_by(col<User>(&User::email)).options(selectin(&User::items))).all();
  EXPECT_EQ(statements_, 1 + 2);  // BEGIN, users, items WHERE owner_id IN (...)
  EXPECT_TRUE(sl::contains(last_sql_, " IN (")) << last_sql_;
  ASSERT_EQ(users.size(), 3u);
  std::multiset<std::string> titles;
  for (const auto& item : users[0]->items) {
    titles.insert(item->title);
    EXPECT_EQ(item->owner_id, users[0]->id);
    EXPECT_EQ(item->owner.get(), users[0].get());
    EXPECT_EQ(item->owner->email, "ada@example.com");
  }
  EXPECT_EQ(titles, (std::multiset<std::string>{"a1", "a2", "a3"}));
  ASSERT_EQ(users[1]->items.size(), 1u);
  EXPECT_EQ(users[1]->items[0]->title, "b1");
  EXPECT_EQ(users[1]->items[0]->owner->email, "alan@example.com");
  EXPECT_TRUE(users[2]->items.loaded());
  EXPECT_TRUE(users[2]->items.empty());
  EXPECT_EQ(statements_, 3);

  // session.load() on a user in hand: one statement.
  strata::Session other{engine_};
  auto ada = other.exec(select<User>().where(col<User>(&User::email) == "ada@example.com")).one();
  EXPECT_THROW((void)ada->items.size(), strata::NotLoadedError);
  statements_ = 0;
  other.load(ada, &User::items);
  EXPECT_EQ(statements_, 1);
  EXPECT_EQ(ada->items.size(), 3u);
}

// A new user with new items, appended to user->items, written by one flush:
// the user is inserted first and the flush fills each item's owner_id.
TEST_P(SeedFullstack, NewUserWithNewItemsInOneFlush) {
  strata::Session s{engine_};
  auto user = s.add(make_user("new@example.com", "New User"));
  Item first;
  first.title = "first";
  auto a = user->items.push_back(first);
  Item second;
  second.title = "second";
  second.description = "with a description";
  auto b = user->items.push_back(std::make_shared<Item>(second));
  EXPECT_TRUE(a->owner_id.is_nil());
  EXPECT_TRUE(b->owner_id.is_nil());

  sql_log_.clear();
  s.flush();
  EXPECT_TRUE(s.contains(a));
  EXPECT_TRUE(s.contains(b));
  EXPECT_EQ(a->owner_id, user->id);
  EXPECT_EQ(b->owner_id, user->id);
  EXPECT_EQ(a->owner.get(), user.get());  // back_populates kept in step
  EXPECT_EQ(b->owner.get(), user.get());
  // The user's INSERT first, then the items'.
  std::size_t user_insert = sql_log_.size(), item_insert = sql_log_.size();
  for (std::size_t i = 0; i < sql_log_.size(); ++i) {
    if (sl::contains(sql_log_[i], "INSERT INTO \"user\"") && user_insert == sql_log_.size()) user_insert = i;
    if (sl::contains(sql_log_[i], "INSERT INTO \"item\"") && item_insert == sql_log_.size()) item_insert = i;
  }
  ASSERT_LT(user_insert, sql_log_.size());
  ASSERT_LT(item_insert, sql_log_.size());
  EXPECT_LT(user_insert, item_insert);
  s.commit();

  EXPECT_EQ(rows("user"), 1);
  EXPECT_EQ(rows("item"), 2);
  {
    auto c = engine_.connect();
    EXPECT_EQ(sl::int_of(c.execute(sql("SELECT count(*) FROM item WHERE owner_id = ?"), {user->id}).scalar()), 2);
  }
  strata::Session q{engine_};
  auto back = q.exec(select<User>().options(selectin(&User::items))).one();
  EXPECT_EQ(back->email, "new@example.com");
  std::set<std::string> titles;
  for (const auto& item : back->items) titles.insert(item->title);
  EXPECT_EQ(titles, (std::set<std::string>{"first", "second"}));
}

STRATA_INSTANTIATE_BACKENDS(SeedFullstack);

}  // namespace
