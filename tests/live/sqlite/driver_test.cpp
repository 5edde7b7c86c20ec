// The SQLite driver on a real database file: PRAGMAs, error mapping, binding,
// statement cache.
#include <sqlite3.h>  // only for the expected extended result codes
#include <gtest/gtest.h>

#include <chrono>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "live/sqlite/live_util.hpp"
#include "support/param_views.hpp"
#include "strata/core/error.hpp"
#include "strata/engine/engine.hpp"

using namespace std::chrono_literals;
using strata::Value;
using strata::engine::create_engine;

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE "user" (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  age INTEGER,
  CONSTRAINT uq_user_email UNIQUE (email),
  CONSTRAINT ck_users_age_positive CHECK (age > 0)
);
CREATE TABLE item (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  owner_id INTEGER REFERENCES "user" (id)
);
CREATE TABLE tag (a TEXT, b TEXT, PRIMARY KEY (a, b));
INSERT INTO "user" (id, email, age) VALUES (1, 'ada@example.com', 36);
)sql";

class SqliteDriver : public strata_live::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    engine_.emplace(create_engine(url()));
    conn_.emplace(engine_->connect());
    conn_->execute_script(kSchema);
  }
  void TearDown() override {
    conn_.reset();
    engine_.reset();
    TempDirTest::TearDown();
  }

  /// Runs `sql` and returns the exception it throws, as type E.
  template <class E>
  E expect_error(std::string_view sql, std::vector<Value> params = {}) {
    try {
      conn_->execute_update(sql, params);
    } catch (const E& e) {
      return e;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "wrong exception type for " << sql << ": " << e.what();
      throw;
    }
    ADD_FAILURE() << "no exception for " << sql;
    throw std::logic_error("no exception");
  }

  std::optional<strata::Engine> engine_;
  std::optional<strata::Connection> conn_;
};

}  // namespace

TEST_F(SqliteDriver, ForeignKeysWalAndSynchronousNormal) {
  EXPECT_EQ(conn_->execute("PRAGMA foreign_keys").scalar(), Value(1));
  EXPECT_EQ(conn_->execute("PRAGMA journal_mode").scalar(), Value("wal"));
  EXPECT_EQ(conn_->execute("PRAGMA synchronous").scalar(), Value(1));  // NORMAL
  EXPECT_TRUE(std::filesystem::exists(path() + "-wal"));
}

TEST_F(SqliteDriver, MemoryDatabaseHasForeignKeysButNoWal) {
  auto engine = create_engine("sqlite://");
  auto conn = engine.connect();
  EXPECT_EQ(conn.execute("PRAGMA foreign_keys").scalar(), Value(1));
  EXPECT_EQ(conn.execute("PRAGMA journal_mode").scalar(), Value("memory"));
}

TEST_F(SqliteDriver, UniqueViolation) {
  const std::string sql = R"(INSERT INTO "user" (email, age) VALUES (?, ?))";
  auto e = expect_error<strata::UniqueViolation>(sql, {"ada@example.com", 20});
  EXPECT_EQ(e.sqlstate(), "23505");
  EXPECT_EQ(e.native_code(), SQLITE_CONSTRAINT_UNIQUE);
  EXPECT_EQ(e.table(), "user");
  EXPECT_EQ(e.constraint(), "user.email");
  EXPECT_EQ(e.driver_message(), "UNIQUE constraint failed: user.email");
  EXPECT_EQ(e.sql(), sql);
  EXPECT_NE(std::string(e.what()).find("[SQL: INSERT INTO"), std::string::npos);
}

TEST_F(SqliteDriver, PrimaryKeyViolationIsUnique) {
  auto e = expect_error<strata::UniqueViolation>(R"(INSERT INTO "user" (id, email) VALUES (1, 'x@y'))");
  EXPECT_EQ(e.native_code(), SQLITE_CONSTRAINT_PRIMARYKEY);
  EXPECT_EQ(e.sqlstate(), "23505");
  EXPECT_EQ(e.table(), "user");
  EXPECT_EQ(e.constraint(), "user.id");

  conn_->execute_update("INSERT INTO tag VALUES ('x', 'y')", {});
  auto c = expect_error<strata::UniqueViolation>("INSERT INTO tag VALUES ('x', 'y')");
  EXPECT_EQ(c.table(), "tag");
  EXPECT_EQ(c.constraint(), "tag.a, tag.b");
}

TEST_F(SqliteDriver, NotNullViolation) {
  auto e = expect_error<strata::NotNullViolation>("INSERT INTO item (title) VALUES (?)", {nullptr});
  EXPECT_EQ(e.sqlstate(), "23502");
  EXPECT_EQ(e.native_code(), SQLITE_CONSTRAINT_NOTNULL);
  EXPECT_EQ(e.table(), "item");
  EXPECT_EQ(e.constraint(), "item.title");
}

TEST_F(SqliteDriver, CheckViolationNamesConstraint) {
  auto e = expect_error<strata::CheckViolation>(R"(INSERT INTO "user" (email, age) VALUES ('b@c', -1))");
  EXPECT_EQ(e.sqlstate(), "23514");
  EXPECT_EQ(e.native_code(), SQLITE_CONSTRAINT_CHECK);
  EXPECT_EQ(e.constraint(), "ck_users_age_positive");
  EXPECT_EQ(e.table(), "");
}

TEST_F(SqliteDriver, ForeignKeyViolationNamesNothing) {
  auto e = expect_error<strata::ForeignKeyViolation>("INSERT INTO item (title, owner_id) VALUES ('t', 999)");
  EXPECT_EQ(e.sqlstate(), "23503");
  EXPECT_EQ(e.native_code(), SQLITE_CONSTRAINT_FOREIGNKEY);
  EXPECT_EQ(e.table(), "");
  EXPECT_EQ(e.driver_message(), "FOREIGN KEY constraint failed");
  // All of them are IntegrityErrors.
  EXPECT_THROW(conn_->execute_update("INSERT INTO item (title, owner_id) VALUES ('t', 999)", {}),
               strata::IntegrityError);
}

// The Session's INSERT path: parameters read from members, bound in place.
TEST_F(SqliteDriver, ExecuteUpdateViewsBindsEachKindInPlace) {
  conn_->execute_script("CREATE TABLE kinds (n, b, i, r, t, x)");
  std::string text = "in place";
  const std::vector<strata::ParamView> p = strata::testing::sample_views(text);
  EXPECT_EQ(conn_->execute_update_views("INSERT INTO kinds VALUES (?, ?, ?, ?, ?, ?)", p), 1);
  text = "changed after";  // the statement is done: nothing kept a pointer into it
  auto r = conn_->execute("SELECT typeof(n), b, i, r, t, x FROM kinds");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.row().get_value(0), Value("null"));
  EXPECT_EQ(r.row().get_value(1), Value(1));
  EXPECT_EQ(r.row().get_value(2), Value(-42));
  EXPECT_EQ(r.row().get_value(3), Value(2.5));
  EXPECT_EQ(r.row().get_value(4), Value("in place"));
  EXPECT_EQ(r.row().get_value(5), Value("123e4567e89b12d3a456426614174000"));  // a Uuid Value: 32 hex digits
  // Too few parameters: the count check of execute_update, nothing written.
  try {
    conn_->execute_update_views("INSERT INTO kinds VALUES (?, ?, ?, ?, ?, ?)", std::span(p).first(5));
    ADD_FAILURE() << "no error";
  } catch (const strata::ProgrammingError& e) {
    EXPECT_EQ(e.sqlstate(), "07001");
    EXPECT_NE(e.driver_message().find("uses 6, and 5 were supplied"), std::string::npos);
  }
  EXPECT_EQ(conn_->execute("SELECT count(*) FROM kinds").scalar(), Value(1));
}

TEST_F(SqliteDriver, ProgrammingErrors) {
  auto e = expect_error<strata::ProgrammingError>("SELECT * FROM nope");
  EXPECT_EQ(e.sqlstate(), "42P01");
  EXPECT_EQ(e.driver_message(), "no such table: nope");
  EXPECT_EQ(e.sql(), "SELECT * FROM nope");
  EXPECT_EQ(expect_error<strata::ProgrammingError>("SELEC 1").sqlstate(), "42601");
  EXPECT_EQ(expect_error<strata::ProgrammingError>("SELECT nope FROM item").sqlstate(), "42703");
  EXPECT_EQ(expect_error<strata::ProgrammingError>("CREATE TABLE item (x)").sqlstate(), "42P07");
  auto count = expect_error<strata::ProgrammingError>("SELECT ?", {1, 2});
  EXPECT_EQ(count.sqlstate(), "07001");
  EXPECT_NE(count.driver_message().find("uses 1, and 2 were supplied"), std::string::npos);
  EXPECT_NE(expect_error<strata::ProgrammingError>("SELECT 1; SELECT 2").driver_message().find("one statement"),
            std::string::npos);
  expect_error<strata::ProgrammingError>("   ");
  conn_->execute_update("SELECT 1; -- trailing comment", {});  // not a second statement
  EXPECT_THROW(conn_->execute_script("CREATE TABLE broken (;"), strata::ProgrammingError);
  // The cursor path maps errors too.
  EXPECT_THROW(conn_->execute("SELECT * FROM nope"), strata::ProgrammingError);
  EXPECT_THROW(conn_->execute("INSERT INTO item (title) VALUES (NULL)").rows_affected(), strata::NotNullViolation);
}

TEST_F(SqliteDriver, FailedStatementInTransactionThenRollbackLeavesNothing) {
  conn_->begin();
  conn_->execute_update("INSERT INTO item (title, owner_id) VALUES ('kept?', 1)", {});
  EXPECT_THROW(conn_->execute_update("INSERT INTO item (title, owner_id) VALUES ('bad', 999)", {}),
               strata::ForeignKeyViolation);
  EXPECT_TRUE(conn_->in_transaction());
  conn_->rollback();
  EXPECT_EQ(conn_->execute("SELECT count(*) FROM item").scalar(), Value(0));
}

TEST_F(SqliteDriver, SavepointsRollBack) {
  conn_->begin();
  conn_->execute_update("INSERT INTO item (title) VALUES ('outer')", {});
  conn_->savepoint("sp_1");
  conn_->execute_update("INSERT INTO item (title) VALUES ('inner')", {});
  conn_->rollback_to_savepoint("sp_1");
  conn_->release_savepoint("sp_1");
  conn_->savepoint("sp_2");
  conn_->execute_update("INSERT INTO item (title) VALUES ('inner kept')", {});
  conn_->release_savepoint("sp_2");
  conn_->commit();
  auto titles = conn_->execute("SELECT title FROM item ORDER BY id").scalars();
  EXPECT_EQ(titles, (std::vector<Value>{"outer", "inner kept"}));
}

TEST_F(SqliteDriver, BindingEachValueKindRoundTrips) {
  using namespace std::chrono;
  conn_->execute_script("CREATE TABLE v (x)");  // no affinity: what is bound is stored
  const auto uuid = strata::Uuid::parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  const strata::Date date{year{2024}, month{3}, day{1}};
  const strata::Time time{13h + 45min + 250ms};
  const strata::DateTime dt = local_days{date} + 13h + 45min + 250000us;
  const strata::DateTimeTz dttz = sys_days{date} + 13h + 45min + 250000us;
  const strata::Bytes blob{std::byte{0}, std::byte{0xff}, std::byte{7}};
  struct Case {
    Value in;
    Value stored;
    const char* type;
  };
  const std::vector<Case> cases = {
      {Value(), Value(), "null"},
      {Value(true), Value(1), "integer"},
      {Value(false), Value(0), "integer"},
      {Value(std::int64_t{9223372036854775807}), Value(std::int64_t{9223372036854775807}), "integer"},
      {Value(-2.5), Value(-2.5), "real"},
      {Value("héllo 'quoted'"), Value("héllo 'quoted'"), "text"},
      {Value(""), Value(""), "text"},
      {Value(blob), Value(blob), "blob"},
      {Value(strata::Bytes{}), Value(strata::Bytes{}), "blob"},
      {Value(uuid), Value("1b4e28ba2fa111d2883f0016d3cca427"), "text"},
      {Value(date), Value("2024-03-01"), "text"},
      {Value(time), Value("13:45:00.250000"), "text"},
      {Value(dt), Value("2024-03-01 13:45:00.250000"), "text"},
      {Value(dttz), Value("2024-03-01 13:45:00.250000+00:00"), "text"},
      {Value(strata::Numeric{"86.40"}), Value("86.40"), "text"},
      {Value(strata::JsonText{R"({"a": [1, 2]})"}), Value(R"({"a": [1, 2]})"), "text"},
      {Value(strata::StringList{"a", "b\"c"}), Value(R"(["a","b\"c"])"), "text"},
  };
  for (const auto& c : cases) {
    conn_->execute_update("DELETE FROM v", {});
    std::vector<Value> p{c.in};
    ASSERT_EQ(conn_->execute_update("INSERT INTO v (x) VALUES (?)", p), 1);
    auto row = conn_->execute("SELECT x, typeof(x) FROM v").one();
    EXPECT_EQ(row[0], c.stored) << c.in.repr();
    EXPECT_EQ(row[1], Value(c.type)) << c.in.repr();
    // The same through the cursor path (bound with SQLITE_TRANSIENT).
    EXPECT_EQ(conn_->execute("SELECT ?", {c.in}).scalar(), c.stored) << c.in.repr();
  }
  // A Uuid parameter finds the row stored as 32 hex digits.
  conn_->execute_update("DELETE FROM v", {});
  conn_->execute("INSERT INTO v (x) VALUES (?)", {uuid}).rows_affected();
  EXPECT_EQ(conn_->execute("SELECT count(*) FROM v WHERE x = ?", {uuid}).scalar(), Value(1));
}

TEST_F(SqliteDriver, CursorGetters) {
  auto r = conn_->execute("SELECT 42, 2.5, 'txt', X'0102', NULL");
  ASSERT_TRUE(r.next());
  const auto& row = r.row();
  EXPECT_EQ(row.column_count(), 5);
  EXPECT_EQ(row.column_name(2), "'txt'");
  EXPECT_EQ(row.get_int64(0), 42);
  EXPECT_EQ(row.get_text(0), "42");
  EXPECT_DOUBLE_EQ(row.get_double(1), 2.5);
  EXPECT_EQ(row.get_text(2), "txt");
  ASSERT_EQ(row.get_bytes(3).size(), 2u);
  EXPECT_EQ(row.get_bytes(3)[1], std::byte{2});
  EXPECT_TRUE(row.is_null(4));
  EXPECT_FALSE(row.is_null(0));
  EXPECT_EQ(row.get_text(4), "");
  EXPECT_TRUE(row.get_value(4).is_null());
  EXPECT_FALSE(r.next());
}

// The cursor keeps a row's cells inline up to 16 columns and on the heap
// beyond: both read right, row after row; an index out of range reads as NULL.
TEST_F(SqliteDriver, CursorReadsWideRowsAndOutOfRangeAsNull) {
  std::string sql = "SELECT ";
  for (int i = 0; i < 20; ++i) sql += (i ? ", " : "") + std::string("x + ") + std::to_string(i);
  sql += " FROM (SELECT 100 AS x UNION ALL SELECT 200) ORDER BY 1";
  auto r = conn_->execute(sql);
  for (std::int64_t base : {100, 200}) {
    ASSERT_TRUE(r.next());
    const auto& row = r.row();
    ASSERT_EQ(row.column_count(), 20);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(row.get_int64(i), base + i) << "column " << i;
    EXPECT_EQ(row.get_text(19), std::to_string(base + 19));
    EXPECT_TRUE(row.is_null(20));
    EXPECT_TRUE(row.is_null(-1));
    EXPECT_EQ(row.get_int64(25), 0);
    EXPECT_EQ(row.get_text(25), "");
    EXPECT_TRUE(row.get_value(25).is_null());
  }
  EXPECT_FALSE(r.next());
}

TEST_F(SqliteDriver, StatementCacheGrowsOncePerDistinctSql) {
  auto& d = conn_->driver();
  const auto base = d.cached_statements();
  for (int i = 0; i < 10; ++i) {
    std::vector<Value> p{"t" + std::to_string(i)};
    d.execute_update("INSERT INTO item (title) VALUES (?)", p);
  }
  EXPECT_EQ(d.cached_statements(), base + 1);
  for (int i = 0; i < 10; ++i) conn_->execute("SELECT title FROM item WHERE id = ?", {i}).first();
  EXPECT_EQ(d.cached_statements(), base + 2);
  d.execute_update("INSERT INTO item (title) VALUES (?)", std::vector<Value>{"again"});
  EXPECT_EQ(d.cached_statements(), base + 2);
}

TEST_F(SqliteDriver, SameSqlWhileCursorIsLiveGetsItsOwnStatement) {
  for (int i = 0; i < 3; ++i) conn_->execute_update("INSERT INTO item (title) VALUES ('x')", {});
  const auto base = conn_->driver().cached_statements();
  const std::string sql = "SELECT id FROM item WHERE id >= ? ORDER BY id";
  auto a = conn_->execute(sql, {1});
  auto b = conn_->execute(sql, {2});  // `a` holds the cached statement
  EXPECT_EQ(conn_->driver().cached_statements(), base + 1);
  ASSERT_TRUE(a.next());
  ASSERT_TRUE(b.next());
  EXPECT_EQ(a.row().get_int64(0), 1);
  EXPECT_EQ(b.row().get_int64(0), 2);
  EXPECT_EQ(a.scalars().size(), 2u);
  EXPECT_EQ(b.scalars().size(), 1u);
  a.close();
  b.close();
  EXPECT_EQ(conn_->execute(sql, {3}).scalar(), Value(3));
  EXPECT_EQ(conn_->driver().cached_statements(), base + 1);
}

TEST_F(SqliteDriver, QueryFirstPassesTheFirstRowAndReleasesTheStatement) {
  for (const char* t : {"a", "b", "c"})
    conn_->execute_update("INSERT INTO item (title) VALUES (?)", std::vector<Value>{Value(t)});
  const std::string sql = "SELECT id, title FROM item WHERE title >= ? ORDER BY title";
  const auto base = conn_->driver().cached_statements();
  std::vector<std::string> seen;
  auto read = [&](const strata::CellSource& row) { seen.emplace_back(row.get_text(1)); };
  {
    // A parameter that dies with the call: bound in place, read before it goes.
    const std::vector<Value> p{Value(std::string("b"))};
    EXPECT_TRUE(conn_->query_first(sql, p, read));
  }
  EXPECT_EQ(seen, std::vector<std::string>{"b"});  // the first row only
  EXPECT_FALSE(conn_->query_first(sql, std::vector<Value>{Value("z")}, read));
  EXPECT_EQ(seen.size(), 1u);  // no row: on_row is not called
  // Released: the same text reuses the one cached statement, no cursor holds it.
  EXPECT_EQ(conn_->driver().cached_statements(), base + 1);
  EXPECT_EQ(conn_->execute(sql, {Value("c")}).scalar(), Value(3));
  EXPECT_EQ(conn_->driver().cached_statements(), base + 1);
  // What on_row throws reaches the caller, and the statement is released all the same.
  EXPECT_THROW(conn_->query_first(sql, std::vector<Value>{Value("a")},
                                  [](const strata::CellSource&) { throw std::runtime_error("stop"); }),
               std::runtime_error);
  EXPECT_TRUE(conn_->query_first(sql, std::vector<Value>{Value("a")}, read));
  EXPECT_EQ(seen.back(), "a");
  // A wrong parameter count is the same ProgrammingError as execute()'s.
  EXPECT_THROW(conn_->query_first(sql, {}, read), strata::ProgrammingError);
  EXPECT_TRUE(conn_->query_first(sql, std::vector<Value>{Value("c")}, read));
  EXPECT_EQ(seen.back(), "c");
}

TEST_F(SqliteDriver, StatementCacheIsBounded) {
  for (int i = 0; i < 300; ++i) conn_->execute_update("SELECT " + std::to_string(i), {});
  EXPECT_LE(conn_->driver().cached_statements(), 256u);
  EXPECT_GE(conn_->driver().cached_statements(), 200u);
  // Evicted statements are re-prepared transparently.
  EXPECT_EQ(conn_->execute("SELECT 0").scalar(), Value(0));
}

TEST_F(SqliteDriver, RollbackWithoutTransactionIsHarmless) {
  EXPECT_EQ(conn_->driver().execute_update("ROLLBACK", {}), 0);
  conn_->driver().execute_script("ROLLBACK");
}

TEST_F(SqliteDriver, PingAnswers) { EXPECT_TRUE(conn_->driver().ping()); }
