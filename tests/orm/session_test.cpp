// Session on a real database (a SQLite file and PostgreSQL, parametrized): identity map, dirty tracking, flush order,
// transactions, savepoints, errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "strata/strata.hpp"
#include "support/database.hpp"

namespace {

struct Author {
  std::int64_t id{};
  std::string name;
  std::optional<std::string> bio;
  std::int64_t books{};
  strata::DateTimeTz created_at{};
  strata::DateTimeTz updated_at{};
};
struct Book {
  std::int64_t id{};
  std::string title;
  std::int64_t author_id{};
  double price{};
};

STRATA_TABLE(Author, "author", field<&Author::id>().primary_key().autoincrement(),
             field<&Author::name>().unique().max_length(100),
             field<&Author::books>().check("books >= 0", "books_non_negative"),
             field<&Author::created_at>().server_default(now()),
             field<&Author::updated_at>().server_default(now()).onupdate(now()));
STRATA_TABLE(Book, "book", field<&Book::id>().primary_key().autoincrement(),
             field<&Book::author_id>().foreign_key<&Author::id>().on_delete(Cascade));

using strata::col;
using strata::select;

class SessionTest : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = strata::create_engine(url());
    strata::create_all(engine_, strata::model::metadata_of<Author, Book>());
  }
  /// Counts rows with a connection of its own (what another process would see).
  std::int64_t rows(const std::string& table) {
    auto c = engine_.connect();
    return c.execute("SELECT count(*) FROM \"" + table + "\"").scalar().get_if<std::int64_t>()[0];
  }
  std::shared_ptr<Author> add_author(strata::Session& s, const std::string& name) {
    Author a;
    a.name = name;
    return s.add(a);
  }

  strata::Engine engine_ = strata::create_engine("sqlite://");
};

TEST_P(SessionTest, AddCommitReadsBackAutoincrementAndServerDefaults) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  EXPECT_EQ(a->id, 0);
  s.commit();
  EXPECT_GT(a->id, 0);
  EXPECT_NE(a->created_at, strata::DateTimeTz{});  // filled by DEFAULT CURRENT_TIMESTAMP
  EXPECT_EQ(rows("author"), 1);
}

TEST_P(SessionTest, IdentityMapReturnsOneObjectPerRow) {
  std::int64_t id;
  {
    strata::Session s{engine_};
    auto a = add_author(s, "Ada");
    s.commit();
    id = a->id;
  }
  strata::Session s{engine_};
  auto a1 = s.get<Author>(id);
  auto a2 = s.get<Author>(id);
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1.get(), a2.get());
  auto all = s.exec(select<Author>()).all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].get(), a1.get());
  EXPECT_EQ(s.get<Author>(id + 1000), nullptr);
}

// Loaded objects come from per-model blocks (16, 32, ... 512 pairs): rows
// spanning several blocks, rows already in the identity map in the middle of a
// result, objects kept after the session closed, and dirty tracking of objects
// of one block each work on their own.
TEST_P(SessionTest, LoadedObjectsSpanningBlocksKeepTheirValuesAndIdentity) {
  constexpr int kRows = 1100;  // blocks of 16 + 32 + 64 + 128 + 256 + 512 + ...
  {
    strata::Session s{engine_};
    for (int i = 0; i < kRows; ++i) {
      Author a;
      a.name = "author " + std::to_string(i);
      if (i % 3 == 0) a.bio = std::string(40, static_cast<char>('a' + i % 26));  // not a short string
      a.books = i;
      s.add(a);
    }
    s.commit();
  }
  std::shared_ptr<Author> kept;
  std::shared_ptr<Author> early;
  {
    strata::SessionOptions opts;
    opts.autoflush = false;  // keep the in-memory change unflushed during the SELECT
    strata::Session s{engine_, opts};
    early = s.exec(select<Author>().where(col(&Author::books) == 700)).one();  // known before the big result
    early->name = "changed in memory";                                         // unflushed: must win
    auto all = s.exec(select<Author>().order_by(col(&Author::books))).all();
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kRows));
    for (int i = 0; i < kRows; ++i) {
      ASSERT_EQ(all[i]->books, i);
      if (i == 700) {
        EXPECT_EQ(all[i].get(), early.get());
        EXPECT_EQ(all[i]->name, "changed in memory");
        continue;
      }
      EXPECT_EQ(all[i]->name, "author " + std::to_string(i));
      EXPECT_EQ(all[i]->bio.has_value(), i % 3 == 0);
    }
    // Objects of one block are tracked each on its own.
    all[701]->books = 5000;
    EXPECT_TRUE(s.is_modified(all[701]));
    EXPECT_FALSE(s.is_modified(all[702]));
    EXPECT_TRUE(s.is_modified(early));
    s.commit();
    EXPECT_FALSE(s.is_modified(all[701]));
    kept = all[1000];
  }  // the session and the result are gone: `kept` still owns its object
  EXPECT_EQ(kept->name, "author 1000");
  EXPECT_EQ(kept->books, 1000);
  EXPECT_EQ(early->name, "changed in memory");
  auto c = engine_.connect();
  EXPECT_EQ(c.execute("SELECT count(*) FROM author WHERE books = 5000").scalar(), strata::Value(1));
  EXPECT_EQ(c.execute("SELECT count(*) FROM author WHERE name = 'changed in memory'").scalar(), strata::Value(1));
}

// An INSERT whose key still maps a stale object (its row was deleted behind
// the identity map) takes the key over; the stale object leaves the session.
TEST_P(SessionTest, InsertOverAKeyDeletedBehindTheIdentityMapReplacesTheStaleObject) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  Book b;
  b.title = "first";
  b.author_id = a->id;
  auto first = s.add(b);
  s.commit();
  const std::int64_t id = first->id;
  // A bulk DELETE does not touch the identity map (synchronize_session=False).
  EXPECT_EQ(s.exec(strata::delete_from<Book>().where(col(&Book::id) == id)), 1);
  EXPECT_TRUE(s.contains(first));
  Book again;
  again.id = id;
  again.title = "second";
  again.author_id = a->id;
  auto second = s.add(again);
  s.commit();
  EXPECT_FALSE(s.contains(first));
  EXPECT_TRUE(s.contains(second));
  EXPECT_EQ(s.get<Book>(id), second);
  EXPECT_EQ(second->title, "second");
  EXPECT_EQ(rows("book"), 1);
}

TEST_P(SessionTest, UpdateSendsOnlyChangedColumns) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  // Another connection changes `bio`; the session changes `books` only.
  {
    auto c = engine_.connect();
    c.execute(sql("UPDATE author SET bio = 'from elsewhere' WHERE id = ?"), {a->id}).rows_affected();
  }
  a->books = 3;
  EXPECT_TRUE(s.is_modified(a));
  s.commit();
  EXPECT_FALSE(s.is_modified(a));
  auto c = engine_.connect();
  auto row = c.execute(sql("SELECT bio, books FROM author WHERE id = ?"), {a->id}).one();
  EXPECT_EQ(row[0], strata::Value("from elsewhere"));  // not overwritten with the stale NULL
  EXPECT_EQ(row[1], strata::Value(3));
}

TEST_P(SessionTest, OnupdateNowIsAppliedAndReadBack) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  {
    auto c = engine_.connect();
    c.execute(sql("UPDATE author SET updated_at = '2000-01-01 00:00:00' WHERE id = ?"), {a->id}).rows_affected();
  }
  s.refresh(a);
  auto before = a->updated_at;
  EXPECT_EQ(strata::to_iso(before), "2000-01-01 00:00:00+00:00");
  a->books = 1;
  s.commit();
  EXPECT_GT(a->updated_at, before);  // set by the UPDATE (CURRENT_TIMESTAMP) and read back
}

TEST_P(SessionTest, FlushInsertsParentsBeforeChildren) {
  strata::Session s{engine_};
  // A book whose author is inserted in the same flush, added first: the Session
  // must still INSERT the author first (the FK is checked immediately).
  Author a;
  a.id = 7;  // a client-chosen key so the child can point at it before the flush
  a.name = "Ada";
  Book b;
  b.title = "Notes";
  b.author_id = 7;
  s.add(b);
  s.add(a);
  s.commit();
  EXPECT_EQ(rows("book"), 1);
}

TEST_P(SessionTest, DeleteRemovesRowAndCascades) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.flush();
  Book b;
  b.title = "Notes";
  b.author_id = a->id;
  s.add(b);
  s.commit();
  EXPECT_EQ(rows("book"), 1);
  s.delete_(a);
  s.commit();
  EXPECT_EQ(rows("author"), 0);
  EXPECT_EQ(rows("book"), 0);  // ON DELETE CASCADE
  EXPECT_FALSE(s.contains(a));
}

TEST_P(SessionTest, RollbackDiscardsPendingAndDetaches) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.flush();
  EXPECT_TRUE(s.contains(a));
  s.rollback();
  EXPECT_FALSE(s.contains(a));
  EXPECT_EQ(rows("author"), 0);
  add_author(s, "Grace");
  s.commit();
  EXPECT_EQ(rows("author"), 1);
}

TEST_P(SessionTest, FailedFlushRollsBackEverythingAndRequiresRollback) {
  strata::Session s{engine_};
  add_author(s, "Ada");
  s.commit();
  add_author(s, "Grace");  // fine on its own
  add_author(s, "Ada");    // duplicate name: UNIQUE fails in the same flush
  try {
    s.commit();
    FAIL() << "expected UniqueViolation";
  } catch (const strata::UniqueViolation& e) {
    EXPECT_EQ(e.table(), "author");
    EXPECT_NE(e.sql().find("INSERT INTO"), std::string::npos);
  }
  EXPECT_THROW(s.flush(), strata::InvalidRequestError);
  s.rollback();
  EXPECT_EQ(rows("author"), 1);  // Grace's INSERT of the failed flush is gone too
  add_author(s, "Grace");
  s.commit();
  EXPECT_EQ(rows("author"), 2);
}

TEST_P(SessionTest, NestedTransactionRollsBackToSavepoint) {
  strata::Session s{engine_};
  add_author(s, "Ada");
  {
    auto nested = s.begin_nested();
    add_author(s, "Grace");
    s.flush();
    nested.rollback();
  }
  {
    auto nested = s.begin_nested();
    add_author(s, "Alan");
    nested.commit();
  }
  s.commit();
  auto names = s.exec(select(col(&Author::name)).order_by(col(&Author::name))).all();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(std::get<0>(names[0]), "Ada");
  EXPECT_EQ(std::get<0>(names[1]), "Alan");
}

TEST_P(SessionTest, RefreshReReadsAndReportsDeletedRows) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  {
    auto c = engine_.connect();
    c.execute(sql("UPDATE author SET books = 42 WHERE id = ?"), {a->id}).rows_affected();
  }
  s.refresh(a);
  EXPECT_EQ(a->books, 42);
  s.commit();  // end the read transaction: SQLite (WAL) reads from a snapshot until then
  {
    auto c = engine_.connect();
    c.execute(sql("DELETE FROM author WHERE id = ?"), {a->id}).rows_affected();
  }
  EXPECT_THROW(s.refresh(a), strata::ObjectDeletedError);
}

TEST_P(SessionTest, ConstraintViolationsRaiseTheirOwnTypes) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  a->books = -1;
  EXPECT_THROW(s.commit(), strata::CheckViolation);
  s.rollback();
  Book orphan;
  orphan.title = "orphan";
  orphan.author_id = 999;
  s.add(orphan);
  EXPECT_THROW(s.commit(), strata::ForeignKeyViolation);
  s.rollback();
  EXPECT_THROW(s.exec(strata::update<Author>().set(&Author::name, std::nullopt)), strata::NotNullViolation);
  s.rollback();
  EXPECT_EQ(rows("book"), 0);
}

TEST_P(SessionTest, AutoflushBeforeQuery) {
  strata::Session s{engine_};
  add_author(s, "Ada");
  EXPECT_EQ(s.count(select<Author>()), 1);
  auto a = s.exec(select<Author>()).one();
  a->name = "Ada L.";
  auto found = s.exec(select<Author>().where(col(&Author::name) == "Ada L.")).one_or_none();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->get(), a.get());
}

TEST_P(SessionTest, GetAfterItsAutoflushReturnsTheAddedObject) {
  // get() probes the identity map before its autoflush; the INSERT of that
  // flush maps the key, so the row it then reads must be the added object.
  strata::Session s{engine_};
  auto a = std::make_shared<Author>();
  a->id = 42;
  a->name = "Ada";
  s.add(a);
  auto got = s.get<Author>(42);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got.get(), a.get());
  a->name = "Ada L.";  // and it stays the one object of that identity
  EXPECT_EQ(s.get<Author>(42)->name, "Ada L.");
  s.commit();
  strata::Session fresh{engine_};
  EXPECT_EQ(fresh.get<Author>(42)->name, "Ada L.");
}

TEST_P(SessionTest, GetDoesNotSeeDeletedObjects) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  s.delete_(a);
  EXPECT_EQ(s.get<Author>(a->id), nullptr);
}

TEST_P(SessionTest, ErrorsNameTheModel) {
  strata::Session s{engine_};
  Author a;
  a.name = "never added";
  auto p = std::make_shared<Author>(a);
  try {
    s.delete_(p);
    FAIL();
  } catch (const strata::InvalidRequestError& e) {
    EXPECT_NE(std::string(e.what()).find("'Author'"), std::string::npos);
  }
  EXPECT_THROW(s.get<Author>(std::vector<strata::Value>{1, 2}), strata::ArgumentError);
}

STRATA_INSTANTIATE_BACKENDS(SessionTest);

}  // namespace

namespace {

class MetaDataDdl : public strata::testing::BackendTest {};

TEST_P(MetaDataDdl, CreateAllAndDropAllInForeignKeyOrderWithCheckfirst) {
  auto engine = strata::create_engine(url());
  auto md = strata::model::metadata_of<Book, Author>();  // child first: create_all must still order
  strata::create_all(engine, md);
  strata::create_all(engine, md);  // checkfirst: existing tables are skipped
  {
    auto c = engine.connect();
    EXPECT_TRUE(strata::engine::has_table(c, "author"));
    EXPECT_TRUE(strata::engine::has_table(c, "book"));
    c.execute("INSERT INTO author (name, books) VALUES ('Ada', 0)").rows_affected();
    c.execute("INSERT INTO book (title, author_id, price) VALUES ('Notes', 1, 1.5)").rows_affected();
  }
  EXPECT_THROW(strata::create_all(engine, md, /*checkfirst=*/false), strata::ProgrammingError);
  strata::drop_all(engine, md);  // book before author, or the FK would refuse
  auto c = engine.connect();
  EXPECT_FALSE(strata::engine::has_table(c, "author"));
  EXPECT_FALSE(strata::engine::has_table(c, "book"));
  c.close();
  strata::drop_all(engine, md);  // checkfirst: nothing to drop is fine
  EXPECT_THROW(strata::drop_all(engine, md, /*checkfirst=*/false), strata::ProgrammingError);
}

STRATA_INSTANTIATE_BACKENDS(MetaDataDdl);

}  // namespace

namespace {

class SessionEdgeTest : public SessionTest {};

TEST_P(SessionEdgeTest, UpdateOfARowDeletedElsewhereIsStaleData) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  EXPECT_EQ(s.exec(strata::delete_from<Author>().where(col(&Author::id) == a->id)), 1);
  a->books = 5;
  EXPECT_THROW(s.commit(), strata::StaleDataError);
  s.rollback();
  EXPECT_EQ(rows("author"), 1);  // the bulk delete was rolled back with the failed flush
}

TEST_P(SessionEdgeTest, ExpungeAllKeepsTheSavepoint) {
  strata::Session s{engine_};
  auto nested = s.begin_nested();
  add_author(s, "Ada");
  s.flush();
  s.expunge_all();
  nested.rollback();  // must still ROLLBACK TO the savepoint
  s.commit();
  EXPECT_EQ(rows("author"), 0);
}

TEST_P(SessionEdgeTest, NestedTransactionOutlivingItsSessionIsInactive) {
  std::optional<strata::NestedTransaction> nested;
  {
    strata::Session s{engine_};
    nested.emplace(s.begin_nested());
    EXPECT_TRUE(nested->is_active());
  }
  EXPECT_FALSE(nested->is_active());
  EXPECT_THROW(nested->rollback(), strata::InvalidRequestError);
}  // and its destructor does nothing

TEST_P(SessionEdgeTest, IntegerOperandsAreNotNarrowedToTheColumnType) {
  strata::Session s{engine_};
  auto a = add_author(s, "Ada");
  s.commit();
  // books is int64; a smaller column would wrap 2^40 if the operand were cast.
  auto q = select<Author>().where(col(&Author::books) < (std::int64_t{1} << 40));
  EXPECT_EQ(s.exec(q).all().size(), 1u);
  EXPECT_EQ(s.exec(select<Author>().where(col(&Author::books) < 4294967296ull)).all().size(), 1u);
  EXPECT_THROW(select<Author>().where(col(&Author::books) < ~0ull), strata::ArgumentError);
}

TEST_P(SessionEdgeTest, AddingANullPointerIsAnArgumentError) {
  strata::Session s{engine_};
  EXPECT_THROW(s.add(std::shared_ptr<Author>{}), strata::ArgumentError);
}

}  // namespace

namespace {

TEST_P(SessionEdgeTest, LoadedObjectsAreFoundByAddress) {
  std::int64_t ada_id, grace_id;
  {
    strata::Session s{engine_};
    auto a = add_author(s, "Ada");
    auto g = add_author(s, "Grace");
    s.commit();
    ada_id = a->id;
    grace_id = g->id;
  }
  strata::Session s{engine_};
  auto loaded = s.exec(select<Author>().order_by(col(&Author::id))).all();  // address index built lazily
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_TRUE(s.contains(loaded[0]));
  s.add(loaded[1]);  // already persistent: no second INSERT
  s.delete_(loaded[0]);
  auto fresh = s.get<Author>(grace_id);
  EXPECT_EQ(fresh.get(), loaded[1].get());
  s.commit();
  EXPECT_EQ(rows("author"), 1);
  EXPECT_EQ(s.get<Author>(ada_id), nullptr);
  EXPECT_FALSE(s.contains(loaded[0]));
}

// add() of a temporary skips the lookup by address (no one else can hold it,
// so it cannot be in the session); add() of an object the caller holds looks
// it up, and the address index, completed lazily, knows every pending object.
TEST_P(SessionEdgeTest, AddingAnObjectTwiceInsertsItOnce) {
  strata::Session s{engine_};
  std::vector<std::shared_ptr<Author>> added;
  for (int i = 0; i < 50; ++i) {
    auto a = std::make_shared<Author>();
    a->name = "author " + std::to_string(i);
    added.push_back(s.add(std::move(a)));  // a temporary: the only owner
  }
  for (const auto& a : added) EXPECT_TRUE(s.contains(a));
  for (const auto& a : added) EXPECT_EQ(s.add(a), a);  // held by the caller: found, nothing added
  s.expunge(added[7]);
  EXPECT_FALSE(s.contains(added[7]));
  s.add(added[7]);  // back in, once
  auto extra = std::make_shared<Author>();
  extra->name = "extra";
  s.add(extra);
  s.add(extra);
  s.commit();
  EXPECT_EQ(rows("author"), 51);
  for (const auto& a : added) EXPECT_NE(a->id, 0);
  s.add(added[3]);  // persistent now: no second INSERT
  s.commit();
  EXPECT_EQ(rows("author"), 51);
}

STRATA_INSTANTIATE_BACKENDS(SessionEdgeTest);

}  // namespace
