// Engine, Connection and Result on an in-memory SQLite database.
#include <gtest/gtest.h>

#include <filesystem>

#include "strata/core/error.hpp"
#include "strata/core/param.hpp"
#include "strata/engine/engine.hpp"

using strata::Value;
using strata::engine::create_engine;

namespace {

strata::Engine memory_engine_with_items() {
  auto engine = create_engine("sqlite://");
  auto conn = engine.connect();
  conn.execute_script(
      "CREATE TABLE item (id INTEGER PRIMARY KEY, title TEXT NOT NULL);"
      "INSERT INTO item (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c');");
  return engine;
}

}  // namespace

TEST(Engine, DialectAndUrl) {
  auto engine = create_engine("sqlite:///:memory:");
  EXPECT_EQ(engine.dialect().name(), "sqlite");
  EXPECT_EQ(engine.url().database, ":memory:");
  auto conn = engine.connect();
  EXPECT_EQ(&conn.dialect(), &engine.dialect());
}

TEST(Engine, UnknownDriverWithoutDialect) {
  try {
    create_engine("postgresql://u:secret@h/db");
    FAIL() << "expected ArgumentError";
  } catch (const strata::ArgumentError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no dialect for database driver 'postgresql'"), std::string::npos) << m;
    EXPECT_EQ(m.find("secret"), std::string::npos) << m;
  }
  EXPECT_THROW(create_engine("mysql://h/db"), strata::ArgumentError);
}

TEST(Engine, MemoryDatabaseIsSharedByAllConnections) {
  auto engine = memory_engine_with_items();
  auto a = engine.connect();
  auto b = engine.connect();
  a.execute_update("INSERT INTO item (id, title) VALUES (4, 'd')", {});
  EXPECT_EQ(b.execute("SELECT count(*) FROM item").scalar(), Value(4));
}

TEST(Engine, MissingDirectoryIsOperationalErrorNamingThePath) {
  auto engine = create_engine("sqlite:////nonexistent_dir_strata/sub/app.db");
  try {
    auto conn = engine.connect();
    FAIL() << "expected OperationalError";
  } catch (const strata::OperationalError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent_dir_strata/sub/app.db"), std::string::npos) << e.what();
  }
  EXPECT_EQ(engine.pool_status().checked_out, 0u);
}

TEST(Result, AllFirstScalarKeys) {
  auto engine = memory_engine_with_items();
  auto conn = engine.connect();
  auto r = conn.execute("SELECT id, title FROM item ORDER BY id");
  auto rows = r.all();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<Value>{1, "a"}));
  EXPECT_EQ(rows[2], (std::vector<Value>{3, "c"}));
  EXPECT_EQ(r.keys(), (std::vector<std::string>{"id", "title"}));

  auto f = conn.execute("SELECT title FROM item WHERE id > ? ORDER BY id", {1}).first();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ((*f)[0], Value("b"));
  EXPECT_FALSE(conn.execute("SELECT title FROM item WHERE id > 10").first().has_value());
  EXPECT_EQ(conn.execute("SELECT max(id) FROM item").scalar(), Value(3));
  EXPECT_TRUE(conn.execute("SELECT id FROM item WHERE id = 99").scalar().is_null());
  EXPECT_EQ(conn.execute("SELECT id FROM item ORDER BY id").scalars(), (std::vector<Value>{1, 2, 3}));
}

TEST(Result, OneAndOneOrNone) {
  auto engine = memory_engine_with_items();
  auto conn = engine.connect();
  EXPECT_EQ(conn.execute("SELECT title FROM item WHERE id = ?", {2}).one(), (std::vector<Value>{"b"}));
  EXPECT_THROW(conn.execute("SELECT title FROM item WHERE id = 9").one(), strata::NoResultFound);
  EXPECT_THROW(conn.execute("SELECT title FROM item").one(), strata::MultipleResultsFound);
  EXPECT_FALSE(conn.execute("SELECT title FROM item WHERE id = 9").one_or_none().has_value());
  EXPECT_THROW(conn.execute("SELECT title FROM item").one_or_none(), strata::MultipleResultsFound);
  EXPECT_EQ(conn.execute("SELECT title FROM item WHERE id = 3").one_or_none(), (std::vector<Value>{"c"}));
}

TEST(Result, RowAccessAndRowsAffected) {
  auto engine = memory_engine_with_items();
  auto conn = engine.connect();
  auto r = conn.execute("SELECT id, title FROM item WHERE id = 1");
  EXPECT_THROW(r.row(), strata::InvalidRequestError);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.row().get_int64(0), 1);
  EXPECT_EQ(r.row().get_text(1), "a");
  EXPECT_FALSE(r.next());
  EXPECT_THROW(r.row(), strata::InvalidRequestError);
  EXPECT_EQ(conn.execute("UPDATE item SET title = 'x' WHERE id >= ?", {2}).rows_affected(), 2);
  EXPECT_EQ(conn.execute("SELECT * FROM item").rows_affected(), 0);
  std::vector<Value> p{"z"};
  EXPECT_EQ(conn.execute_update("UPDATE item SET title = ?", p), 3);
  EXPECT_EQ(conn.execute_update("CREATE TABLE other (x)", {}), 0);
}

TEST(Connection, TransactionCommitRollbackAndState) {
  auto engine = memory_engine_with_items();
  auto conn = engine.connect();
  EXPECT_FALSE(conn.in_transaction());
  conn.begin();
  EXPECT_TRUE(conn.in_transaction());
  EXPECT_THROW(conn.begin(), strata::InvalidRequestError);
  conn.execute_update("DELETE FROM item", {});
  conn.rollback();
  EXPECT_FALSE(conn.in_transaction());
  EXPECT_EQ(conn.execute("SELECT count(*) FROM item").scalar(), Value(3));
  conn.begin_immediate();
  conn.execute_update("DELETE FROM item WHERE id = 1", {});
  conn.commit();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM item").scalar(), Value(2));
  conn.commit();    // no-op without a transaction
  conn.rollback();  // no-op
}

TEST(Connection, DestructorRollsBackOpenTransaction) {
  auto engine = memory_engine_with_items();
  {
    auto conn = engine.connect();
    conn.begin();
    conn.execute_update("DELETE FROM item", {});
  }
  auto conn = engine.connect();
  EXPECT_FALSE(conn.in_transaction());
  EXPECT_EQ(conn.execute("SELECT count(*) FROM item").scalar(), Value(3));
}

TEST(Connection, NestedCheckoutOnSharedMemoryConnectionKeepsOuterTransaction) {
  auto engine = memory_engine_with_items();
  auto outer = engine.connect();
  outer.begin();
  outer.execute_update("DELETE FROM item WHERE id = 1", {});
  {
    auto inner = engine.connect();
    EXPECT_TRUE(inner.in_transaction());  // the shared connection's state
    EXPECT_THROW(inner.begin(), strata::InvalidRequestError);
  }  // does not roll back what `outer` began
  EXPECT_TRUE(outer.in_transaction());
  outer.commit();
  EXPECT_EQ(outer.execute("SELECT count(*) FROM item").scalar(), Value(2));
}

TEST(Connection, SavepointAutobeginsAndRollsBack) {
  auto engine = memory_engine_with_items();
  auto conn = engine.connect();
  conn.savepoint("sp1");
  EXPECT_TRUE(conn.in_transaction());
  conn.execute_update("DELETE FROM item WHERE id = 1", {});
  conn.rollback_to_savepoint("sp1");
  conn.release_savepoint("sp1");
  conn.commit();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM item").scalar(), Value(3));
}

TEST(Connection, MoveAndClose) {
  auto engine = memory_engine_with_items();
  auto a = engine.connect();
  auto b = std::move(a);
  EXPECT_TRUE(a.closed());  // NOLINT(bugprone-use-after-move): moved-from state is documented
  EXPECT_THROW(a.driver(), strata::InvalidRequestError);
  EXPECT_EQ(b.execute("SELECT 1").scalar(), Value(1));
  b.close();
  b.close();
  EXPECT_THROW(b.execute("SELECT 1"), strata::InvalidRequestError);
  EXPECT_EQ(engine.pool_status().checked_out, 0u);
}

TEST(Connection, EchoPrintsSqlAndParameters) {
  strata::engine::EngineOptions o;
  o.echo = true;
  auto engine = create_engine("sqlite://", o);
  auto conn = engine.connect();
  testing::internal::CaptureStderr();
  conn.execute("SELECT ?, ?", {1, "x"}).all();
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find("SELECT ?, ?"), std::string::npos) << out;
  EXPECT_NE(out.find("1"), std::string::npos) << out;
  EXPECT_NE(out.find("'x'"), std::string::npos) << out;
}

// The Session's INSERT path (parameters bound from members) echoes them as Values.
TEST(Connection, EchoPrintsParameterViewsAsValues) {
  strata::engine::EngineOptions o;
  o.echo = true;
  auto engine = create_engine("sqlite://", o);
  auto conn = engine.connect();
  conn.execute_update("CREATE TABLE t (a, b, c)");
  const std::string text = "viewed";
  std::vector<strata::ParamView> p(3);
  p[0].kind = strata::ParamView::Kind::Integer;
  p[0].integer = 41;
  p[1].kind = strata::ParamView::Kind::Text;
  p[1].text = text;  // p[2] stays Null
  testing::internal::CaptureStderr();
  EXPECT_EQ(conn.execute_update_views("INSERT INTO t VALUES (?, ?, ?)", p), 1);
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find("INSERT INTO t VALUES (?, ?, ?)"), std::string::npos) << out;
  EXPECT_NE(out.find("41"), std::string::npos) << out;
  EXPECT_NE(out.find("'viewed'"), std::string::npos) << out;
  EXPECT_NE(out.find("(41, 'viewed', NULL)"), std::string::npos) << out;
  EXPECT_EQ(conn.execute("SELECT a || b FROM t WHERE c IS NULL").scalar(), Value("41viewed"));
}
