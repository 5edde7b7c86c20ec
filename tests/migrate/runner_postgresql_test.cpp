// MigrationContext on a real PostgreSQL database, what is PostgreSQL's own
// (tests/support/database.hpp: a fresh database per test; without
// STRATA_TEST_PG_URL skipped, under CI=true a failure): a chain up and down
// through ALTER ... USING and native enums, enum types and values rolled back
// with a failing run, CREATE INDEX CONCURRENTLY after the commit, --sql output
// run by hand, autogenerate's compare after create_all, and eight processes
// upgrading at once. What does not depend on the database (upgrade / downgrade
// / stamp, failing revisions rolled back whole, replay, branches, integer ids
// to UUIDs, two concurrent migrators) is the parametrized suite Runner of
// runner_test.cpp, which runs on PostgreSQL too.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "strata/dialect/inspector.hpp"
#include "strata/engine/engine.hpp"
#include "strata/migrate/apply.hpp"
#include "strata/migrate/command.hpp"
#include "strata/migrate/compare.hpp"
#include "strata/migrate/runner.hpp"
#include "support/database.hpp"

namespace strata::migrate {
namespace {

using Rows = std::vector<std::vector<Value>>;
using Ids = std::vector<std::string>;
using ::strata::testing::Backend;
using ::strata::testing::TestDatabase;

// A BackendTest instantiated for PostgreSQL only: its SetUp skips without a
// server (fails under CI=true) and gives each test a fresh database, db().
class RunnerPostgresql : public ::strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = create_engine(url());
  }
  Engine& engine() { return *engine_; }

  Rows query(std::string_view sql) {
    auto conn = engine().connect();
    return conn.execute(sql).all();
  }
  // Everything of the schema that a revision can change, as rows.
  Rows schema_rows() {
    Rows out;
    auto add = [&](std::string_view sql) {
      for (auto& r : query(sql)) out.push_back(std::move(r));
    };
    add("SELECT table_name::text, column_name::text, data_type::text, udt_name::text, is_nullable::text, "
        "coalesce(column_default, '')::text FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY 1, 2");
    add("SELECT conname::text, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n ON n.oid = "
        "c.connamespace WHERE n.nspname = current_schema() ORDER BY 1");
    add("SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1");
    add("SELECT t.typname::text, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN "
        "pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = "
        "current_schema() GROUP BY 1 ORDER BY 1");
    return out;
  }
  std::string enum_labels(std::string_view type) {
    auto rows = query("SELECT coalesce(string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder), '<none>') FROM "
                      "pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typname = '" +
                      std::string(type) + "'");
    return rows.empty() ? "<none>" : rows[0][0].repr();
  }
  std::string column_type(std::string_view table, std::string_view column) {
    auto rows = query("SELECT udt_name::text FROM information_schema.columns WHERE table_schema = current_schema() "
                      "AND table_name = '" + std::string(table) + "' AND column_name = '" + std::string(column) + "'");
    return rows.empty() ? "<none>" : rows[0][0].repr();
  }
  schema::MetaData live_schema() {
    auto conn = engine().connect();
    return conn.dialect().inspector(conn.driver())->metadata();
  }

  std::optional<Engine> engine_;  // set by SetUp
};

INSTANTIATE_TEST_SUITE_P(Postgresql, RunnerPostgresql, ::testing::Values(Backend::postgresql),
                         [](const ::testing::TestParamInfo<Backend>& i) {
                           return ::strata::testing::backend_name(i.param);
                         });

SqlType status_type(std::vector<std::string> values) { return SqlType::enumeration("item_status", std::move(values)); }

schema::Table user_table() {
  return table("user",
               {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
                column("email", SqlType::string(255), {.nullable = false})},
               {.primary_key = schema::PrimaryKeyConstraint{"pk_user", {"id"}},
                .unique_constraints = {schema::UniqueConstraint{"uq_user_email", {"email"}}}});
}

schema::Table item_table() {
  return table("item",
               {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
                column("title", SqlType::string(50), {.nullable = false}), column("qty", SqlType::string(10)),
                column("owner_id", SqlType::integer(), {.nullable = false}),
                column("status", status_type({"draft", "published"}),
                       {.nullable = false, .server_default = schema::ServerDefault::text("'draft'")})},
               {.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}},
                .foreign_keys = {schema::ForeignKeyConstraint{"fk_item_owner_id_user", {"owner_id"}, "user", {"id"},
                                                              schema::FkAction::Cascade, schema::FkAction::NoAction}},
                .indexes = {schema::Index{"ix_item_title", {"title"}}}});
}

schema::Column is_completed() {
  return column("is_completed", SqlType::boolean(),
                {.nullable = false, .server_default = schema::ServerDefault::text("false")});
}

// The chain: every kind of op that has PostgreSQL-specific SQL.
ScriptDirectory chain() {
  ScriptDirectory dir;
  dir.add(Script{{.id = "c1000000000a", .message = "create user and item"},
                 [](Operations& op) {
                   op.create_table(user_table());
                   op.create_table(item_table());
                 },
                 [](Operations& op) {
                   op.drop_table("item", item_table());
                   op.drop_table("user", user_table());
                 }});
  dir.add(Script{{.id = "c1000000000b", .down_revisions = {"c1000000000a"}, .message = "seed rows"},
                 [](Operations& op) {
                   op.bulk_insert("user", {"id", "email"}, {{1, "ann@example.com"}, {2, "bob@example.com"}});
                   op.bulk_insert("item", {"id", "title", "qty", "owner_id"},
                                  {{1, "one", "1", 1}, {2, "two", "22", 1}, {3, "three", nullptr, 2}});
                   op.execute("SELECT setval(pg_get_serial_sequence('item', 'id'), ?)", {Value(3)});
                 },
                 [](Operations& op) {
                   op.execute("DELETE FROM item");
                   op.execute("DELETE FROM \"user\"");
                 }});
  dir.add(Script{{.id = "c1000000000c", .down_revisions = {"c1000000000b"}, .message = "columns"},
                 [](Operations& op) {
                   op.add_column("item", is_completed());
                   // VARCHAR -> INTEGER: Strata adds USING "qty"::INTEGER.
                   op.alter_column("item", "qty", {.type = SqlType::integer(), .existing_type = SqlType::string(10)});
                   op.alter_column("item", "title", {.new_column_name = "name"});
                   op.alter_column("item", "qty", {.nullable = false, .server_default = schema::ServerDefault::text("0"),
                                                   .existing_nullable = true,
                                                   .existing_server_default = std::optional<schema::ServerDefault>{}});
                 },
                 [](Operations& op) {
                   op.alter_column("item", "qty", {.nullable = true,
                                                   .server_default = std::optional<schema::ServerDefault>{}});
                   op.alter_column("item", "name", {.new_column_name = "title"});
                   op.alter_column("item", "qty", {.type = SqlType::string(10)});
                   op.drop_column("item", "is_completed", is_completed());
                 }});
  dir.add(Script{{.id = "c1000000000d", .down_revisions = {"c1000000000c"}, .message = "constraints"},
                 [](Operations& op) {
                   op.create_check_constraint("ck_item_qty_positive", "item", "qty >= 0");
                   op.create_unique_constraint("uq_item_owner_id_name", "item", {"owner_id", "name"});
                 },
                 [](Operations& op) {
                   op.drop_constraint("uq_item_owner_id_name", "item", ops::ConstraintKind::Unique);
                   op.drop_constraint("ck_item_qty_positive", "item", ops::ConstraintKind::Check);
                 }});
  dir.add(Script{{.id = "c1000000000e", .down_revisions = {"c1000000000d"}, .message = "enum value"},
                 [](Operations& op) {
                   op.alter_column("item", "status", {.type = status_type({"draft", "published", "archived"}),
                                                      .existing_type = status_type({"draft", "published"})});
                 },
                 [](Operations& op) {
                   op.alter_column("item", "status", {.type = status_type({"draft", "published"}),
                                                      .existing_type = status_type({"draft", "published", "archived"})});
                 }});
  dir.add(Script{{.id = "c1000000000f", .down_revisions = {"c1000000000e"}, .message = "use it, drop qty"},
                 [](Operations& op) {
                   op.execute("UPDATE item SET status = ? WHERE id = ?", {Value("archived"), Value(3)},
                              "UPDATE item SET status = 'draft' WHERE status = 'archived'");
                   op.drop_constraint("ck_item_qty_positive", "item", ops::ConstraintKind::Check);
                   op.drop_column("item", "qty");
                   op.create_index("ix_item_owner_id", "item", {"owner_id"}, {.postgresql_concurrently = true});
                 },
                 [](Operations& op) {
                   op.drop_index("ix_item_owner_id", "item", {}, false, true);
                   op.add_column("item", column("qty", SqlType::integer(),
                                                {.nullable = false, .server_default = schema::ServerDefault::text("0")}));
                   op.create_check_constraint("ck_item_qty_positive", "item", "qty >= 0");
                   op.execute("UPDATE item SET status = 'draft' WHERE status = 'archived'");
                 }});
  return dir;
}

TEST_P(RunnerPostgresql, ChainUpAndDown) {
  auto dir = chain();
  std::ostringstream out;
  MigrationContext ctx(engine(), dir, {.out = &out});
  EXPECT_TRUE(ctx.current_heads().empty());
  ctx.upgrade("c1000000000b");
  EXPECT_EQ(query("SELECT id, title, qty, owner_id, status::text FROM item ORDER BY id"),
            (Rows{{1, "one", "1", 1, "draft"}, {2, "two", "22", 1, "draft"}, {3, "three", nullptr, 2, "draft"}}));
  const Rows schema_b = schema_rows();

  ctx.upgrade("c1000000000d");
  // add_column NOT NULL with a default filled the rows; qty became INTEGER
  // (USING), its NULL took the new default before SET NOT NULL; title renamed.
  EXPECT_EQ(query("SELECT id, name, qty, is_completed FROM item ORDER BY id"),
            (Rows{{1, "one", 1, false}, {2, "two", 22, false}, {3, "three", 0, false}}));
  EXPECT_EQ(column_type("item", "qty"), "'int4'");
  EXPECT_THROW(query("INSERT INTO item (name, qty, owner_id) VALUES ('neg', -1, 1)"), IntegrityError);
  EXPECT_THROW(query("INSERT INTO item (name, qty, owner_id) VALUES ('one', 5, 1)"), UniqueViolation);

  ctx.upgrade("head");
  EXPECT_EQ(enum_labels("item_status"), "'draft,published,archived'");
  EXPECT_EQ(query("SELECT id, status::text FROM item ORDER BY id"),
            (Rows{{1, "draft"}, {2, "draft"}, {3, "archived"}}));
  EXPECT_EQ(column_type("item", "qty"), "<none>");
  EXPECT_EQ(query("SELECT indexname::text FROM pg_indexes WHERE indexname = 'ix_item_owner_id'"),
            (Rows{{"ix_item_owner_id"}}));
  EXPECT_EQ(ctx.current_heads(), Ids{"c1000000000f"});
  EXPECT_EQ(out.str().find("Running upgrade c1000000000e -> c1000000000f, use it, drop qty\n") != std::string::npos,
            true)
      << out.str();
  // The history replayed in memory is what the database holds.
  const Diff drift = compare(live_schema(), ctx.replay(), {.dialect = &engine().dialect()});
  EXPECT_TRUE(drift.empty()) << ::testing::PrintToString(drift.messages);

  // Down, one revision at a time: the archived row goes back to draft, the
  // value leaves the type (re-created), the constraints and columns go.
  ctx.downgrade("-1");
  EXPECT_EQ(query("SELECT id, qty, status::text FROM item ORDER BY id"),
            (Rows{{1, 0, "draft"}, {2, 0, "draft"}, {3, 0, "draft"}}));
  ctx.downgrade("-1");
  EXPECT_EQ(enum_labels("item_status"), "'draft,published'");
  ctx.downgrade("c1000000000b");
  EXPECT_EQ(query("SELECT id, title, qty FROM item ORDER BY id"),
            (Rows{{1, "one", "0"}, {2, "two", "0"}, {3, "three", "0"}}));
  EXPECT_EQ(column_type("item", "qty"), "'varchar'");
  EXPECT_EQ(column_type("item", "is_completed"), "<none>");
  ctx.downgrade("base");
  EXPECT_TRUE(ctx.current_heads().empty());
  EXPECT_EQ(query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename <> "
                  "'strata_version'"),
            (Rows{{0}}));
  EXPECT_EQ(enum_labels("item_status"), "'<none>'");  // dropped with its last table
  // And up again from nothing.
  ctx.upgrade("c1000000000b");
  EXPECT_EQ(schema_rows(), schema_b);
  // Up, down past the re-creation of the enum type and up again, on the same
  // pooled connection: the UPDATE of c1000000000f, prepared with a parameter
  // of the dropped type, is prepared again rather than reused ("cache lookup
  // failed for type").
  ctx.upgrade("head");
  ctx.downgrade("c1000000000d");
  ctx.upgrade("head");
  EXPECT_EQ(query("SELECT id, status::text FROM item ORDER BY id"),
            (Rows{{1, "draft"}, {2, "draft"}, {3, "archived"}}));
}

// Runner.FailingRevisionLeavesEverythingAsBefore and
// Runner.OneTransactionForTheWholeRun check on both databases that a failing
// revision (or run) is rolled back whole, rows and version rows included; here
// the same for PostgreSQL's own objects: an enum type created by the run (CREATE
// TYPE) and a value added to one (ALTER TYPE ... ADD VALUE) roll back too.
TEST_P(RunnerPostgresql, FailureRollsBackEnumTypesAndValues) {
  {
    auto dir = chain();
    dir.add(Script{{.id = "c10000000010", .down_revisions = {"c1000000000f"}, .message = "broken"},
                   [](Operations& op) { op.execute("INSERT INTO nowhere VALUES (1)"); }, {}});
    MigrationContext ctx(engine(), dir, {.transaction_per_revision = false});
    EXPECT_THROW(ctx.upgrade("head"), MigrationFailed);
    EXPECT_TRUE(ctx.current_heads().empty());
    EXPECT_EQ(query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"), (Rows{{0}}));
    EXPECT_EQ(enum_labels("item_status"), "'<none>'");  // the CREATE TYPE of the first revision
  }
  auto dir = chain();
  dir.add(Script{{.id = "c10000000010", .down_revisions = {"c1000000000f"}, .message = "broken"},
                 [](Operations& op) {
                   op.create_table(table("tag", {column("id", SqlType::integer(), {.nullable = false})},
                                         {.primary_key = schema::PrimaryKeyConstraint{"pk_tag", {"id"}}}));
                   op.add_column("item", column("note", SqlType::string(100)));
                   op.alter_column("item", "status", {.type = status_type({"draft", "published", "archived", "x"})});
                   op.execute("UPDATE item SET note = ?", {Value("touched")});
                   op.execute("INSERT INTO \"user\" (id, email) VALUES (?, ?)", {Value(1), Value("dup@example.com")});
                   op.add_column("item", column("never", SqlType::integer()));
                 },
                 {}});
  MigrationContext ctx(engine(), dir);
  ctx.upgrade("c1000000000f");
  const Rows schema_before = schema_rows();
  const Rows items_before = query("SELECT * FROM item ORDER BY id");
  try {
    ctx.upgrade("head");
    FAIL() << "expected MigrationFailed";
  } catch (const MigrationFailed& e) {
    EXPECT_EQ(e.revision(), "c10000000010");
    EXPECT_EQ(e.statement(), "INSERT INTO \"user\" (id, email) VALUES ($1, $2)");
    EXPECT_THROW(std::rethrow_exception(e.original()), UniqueViolation);
  }
  EXPECT_EQ(schema_rows(), schema_before);  // no tag table, no note column, no enum value 'x'
  EXPECT_EQ(enum_labels("item_status"), "'draft,published,archived'");
  EXPECT_EQ(query("SELECT * FROM item ORDER BY id"), items_before);
  EXPECT_EQ(ctx.current_heads(), Ids{"c1000000000f"});
}

// Another process's migration re-creates the enum type: a statement this
// engine prepared with a parameter of the old type fails once outside a
// transaction ("cache lookup failed for type", a stale plan) and is prepared
// again and run.
TEST_P(RunnerPostgresql, StatementOfARecreatedEnumTypeIsPreparedAgain) {
  auto dir = chain();
  MigrationContext(engine(), dir).upgrade("head");
  auto conn = engine().connect();
  const std::string update = "UPDATE item SET status = $1 WHERE id = $2";
  EXPECT_EQ(conn.execute_update(update, std::vector<Value>{"published", 1}), 1);
  {
    Engine other = create_engine(url());
    MigrationContext(other, dir).downgrade("c1000000000d");  // ALTER TYPE RENAME, CREATE TYPE, DROP TYPE
  }
  EXPECT_EQ(enum_labels("item_status"), "'draft,published'");
  EXPECT_EQ(conn.execute_update(update, std::vector<Value>{"draft", 1}), 1);
  EXPECT_EQ(query("SELECT status::text FROM item WHERE id = 1"), (Rows{{"draft"}}));
}

// CREATE INDEX CONCURRENTLY runs after its revision committed: when it fails,
// the revision stays recorded and the error says so.
TEST_P(RunnerPostgresql, ConcurrentIndexFailsAfterTheCommit) {
  auto dir = chain();
  dir.add(Script{{.id = "c10000000010", .down_revisions = {"c1000000000f"}, .message = "unique owner"},
                 [](Operations& op) {
                   op.create_index("uq_item_owner", "item", {"owner_id"},
                                   {.unique = true, .postgresql_concurrently = true});
                   op.execute("UPDATE item SET name = ? WHERE id = ?", {Value("first"), Value(1)});
                 },
                 {}});
  MigrationContext ctx(engine(), dir);
  try {
    ctx.upgrade("head");  // owner 1 has two items
    FAIL() << "expected MigrationFailed";
  } catch (const MigrationFailed& e) {
    EXPECT_EQ(e.revision(), "c10000000010");
    EXPECT_EQ(e.statement(), "CREATE UNIQUE INDEX CONCURRENTLY \"uq_item_owner\" ON \"item\" (\"owner_id\")");
    EXPECT_NE(std::string(e.what()).find("after its transaction committed"), std::string::npos) << e.what();
    EXPECT_THROW(std::rethrow_exception(e.original()), UniqueViolation);
  }
  EXPECT_EQ(ctx.current_heads(), Ids{"c10000000010"});
  EXPECT_EQ(query("SELECT name FROM item WHERE id = 1"), (Rows{{"first"}}));
}

// Splits a --sql script at its ";\n\n" ends, skipping comment lines.
std::vector<std::string> statements_of(const std::string& script) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find(";\n\n", start);
    std::string chunk = script.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? script.size() : end + 3;
    while (chunk.rfind("-- ", 0) == 0) {
      const std::size_t nl = chunk.find("\n\n");
      chunk = nl == std::string::npos ? std::string{} : chunk.substr(nl + 2);
    }
    if (!chunk.empty()) out.push_back(chunk);
  }
  return out;
}

TEST_P(RunnerPostgresql, OfflineSqlDoesWhatTheOnlineRunDoes) {
  auto dir = chain();
  MigrationContext ctx(engine(), dir);
  const std::string sql = ctx.upgrade_sql("base", "head");
  // One transaction per revision; the concurrent index after its COMMIT.
  std::size_t commits = 0;
  for (std::size_t at = sql.find("COMMIT;"); at != std::string::npos; at = sql.find("COMMIT;", at + 1)) ++commits;
  EXPECT_EQ(commits, 6u) << sql;
  EXPECT_TRUE(sql.ends_with("COMMIT;\n\nCREATE INDEX CONCURRENTLY \"ix_item_owner_id\" ON \"item\" (\"owner_id\");\n\n"))
      << sql;
  EXPECT_NE(sql.find("UPDATE item SET status = 'archived' WHERE id = 3;"), std::string::npos) << sql;
  EXPECT_NE(sql.find("INSERT INTO \"item\" (\"id\", \"title\", \"qty\", \"owner_id\") VALUES (1, 'one', '1', 1), "
                     "(2, 'two', '22', 1), (3, 'three', NULL, 2);"),
            std::string::npos)
      << sql;
  EXPECT_TRUE(query("SELECT 1 FROM pg_tables WHERE tablename = 'strata_version'").empty());  // nothing ran

  // Run by hand, statement by statement (as psql would), it gives the schema,
  // rows and version the online run gives.
  {
    auto conn = engine().connect();
    for (const auto& s : statements_of(sql)) conn.driver().execute_script(s);  // BEGIN / COMMIT as written
  }
  const Rows offline_schema = schema_rows();
  const Rows offline_rows = query("SELECT * FROM item ORDER BY id");
  EXPECT_EQ(ctx.current_heads(), Ids{"c1000000000f"});
  TestDatabase online_db(Backend::postgresql, "mig_offline_online");
  Engine online = create_engine(online_db.url());
  MigrationContext(online, dir).upgrade("head");
  std::swap(*engine_, online);
  EXPECT_EQ(schema_rows(), offline_schema);
  EXPECT_EQ(query("SELECT * FROM item ORDER BY id"), offline_rows);
  std::swap(*engine_, online);
}

// What create_all makes, read back by the PostgreSQL inspector, compares equal
// to the models: defaults and CHECKs in PostgreSQL's own spelling included.
schema::MetaData models(std::vector<std::string> kinds = {"book", "paper"}, std::string age_check = "age > 0") {
  schema::MetaData md;
  md.add_table(table(
      "author",
      {column("id", SqlType::big_integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
       column("name", SqlType::string(100), {.nullable = false}),
       column("code", SqlType::string(8), {.nullable = false, .server_default = schema::ServerDefault::text("'x'")}),
       column("age", SqlType::integer()),
       column("score", SqlType::numeric(10, 2), {.server_default = schema::ServerDefault::text("0.5")}),
       column("active", SqlType::boolean(), {.nullable = false, .server_default = schema::ServerDefault::text("true")}),
       column("created_at", SqlType::datetime(true), {.nullable = false, .server_default = schema::ServerDefault::now()}),
       column("tags", SqlType::string_array(), {.server_default = schema::ServerDefault::text("'{}'")}),
       column("meta", SqlType::json(), {.server_default = schema::ServerDefault::text("'{}'::jsonb")}),
       column("kind", SqlType::enumeration("work_kind", std::move(kinds)),
              {.nullable = false, .server_default = schema::ServerDefault::text("'book'")})},
      {.primary_key = schema::PrimaryKeyConstraint{"pk_author", {"id"}},
       .unique_constraints = {schema::UniqueConstraint{"uq_author_name", {"name"}}},
       .checks = {schema::CheckConstraint{"ck_author_age", std::move(age_check)},
                  schema::CheckConstraint{"ck_author_code_len", "length(code) > 0 AND (age IS NULL OR age < 200)"},
                  schema::CheckConstraint{"ck_author_code_in", "code IN ('x', 'y', 'z')"}},
       .indexes = {schema::Index{"ix_author_age", {"age"}}}}));
  md.add_table(table("work",
                     {column("id", SqlType::uuid(), {.nullable = false, .primary_key = true,
                                                     .server_default = schema::ServerDefault::text("gen_random_uuid()")}),
                      column("author_id", SqlType::big_integer(), {.nullable = false}),
                      column("title", SqlType::string(), {.nullable = false})},
                     {.primary_key = schema::PrimaryKeyConstraint{"pk_work", {"id"}},
                      .foreign_keys = {schema::ForeignKeyConstraint{"fk_work_author_id_author", {"author_id"}, "author",
                                                                    {"id"}, schema::FkAction::Cascade,
                                                                    schema::FkAction::NoAction}}}));
  return md;
}

TEST_P(RunnerPostgresql, CompareAfterCreateAllIsEmpty) {
  {
    auto conn = engine().connect();
    const schema::MetaData md = models();
    for (const schema::Table* t : md.sorted_tables())
      for (const auto& sql : conn.dialect().create_table(*t)) conn.execute_script(sql);
  }
  const schema::MetaData live = live_schema();
  const CompareOptions opt{.dialect = &engine().dialect()};
  const Diff same = compare(live, models(), opt);
  EXPECT_TRUE(same.empty()) << ::testing::PrintToString(same.messages);

  // An added enum value is a change of the column's type, run as ADD VALUE.
  const Diff added = compare(live, models({"book", "paper", "film"}), opt);
  ASSERT_EQ(added.ops.size(), 1u) << ::testing::PrintToString(added.messages);
  EXPECT_EQ(added.messages,
            (std::vector<std::string>{"Detected type change from Enum('book', 'paper') to Enum('book', 'paper', 'film') "
                                      "on 'author.kind'"}));
  const auto stmts = to_ddl(added.ops, engine().dialect(), live);
  ASSERT_EQ(stmts.size(), 1u);
  EXPECT_EQ(stmts[0].sql, "ALTER TYPE \"work_kind\" ADD VALUE IF NOT EXISTS 'film'");
  {
    auto conn = engine().connect();
    run_in_transaction(conn, stmts);
  }
  EXPECT_TRUE(compare(live_schema(), models({"book", "paper", "film"}), opt).empty());

  // A CHECK that really changed is detected.
  const Diff check = compare(live_schema(), models({"book", "paper", "film"}, "age > 1"), opt);
  EXPECT_EQ(check.messages, (std::vector<std::string>{"Detected removed check constraint 'ck_author_age' on 'author'",
                                                      "Detected added check constraint 'ck_author_age' on 'author'"}));
}

// Eight processes run `upgrade head` at once on one database: each revision
// is applied exactly once (fork(), as the SQLite test's two engines, but real
// processes here: the advisory lock is per session).
TEST_P(RunnerPostgresql, EightProcessesApplyEachRevisionOnce) {
  ScriptDirectory dir;
  dir.add(Script{{.id = "2000000000a0", .message = "log"},
                 [](Operations& op) {
                   op.create_table(table("log", {column("rev", SqlType::string(32), {.nullable = false}),
                                                 column("pid", SqlType::integer(), {.nullable = false})}));
                   op.execute("INSERT INTO log (rev, pid) VALUES (?, pg_backend_pid())", {Value("2000000000a0")});
                 },
                 {}});
  std::string prev = "2000000000a0";
  for (int i = 1; i < 8; ++i) {
    std::string id = "2000000000a" + std::to_string(i);
    dir.add(Script{{.id = id, .down_revisions = {prev}, .message = "step"},
                   [id](Operations& op) {
                     op.execute("INSERT INTO log (rev, pid) VALUES (?, pg_backend_pid())", {Value(id)});
                     op.execute("SELECT pg_sleep(0.02)");
                     op.add_column("log", column("c_" + id, SqlType::integer()));
                   },
                   {}});
    prev = id;
  }
  (void)dir.map();  // built before fork: the children only read it

  constexpr int kProcesses = 8;
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child: wait for the start signal, upgrade on its own engine, and
      // leave with _exit (no destructors: the parent's connections are shared
      // sockets that must not be closed from here).
      ::close(go[1]);
      char c;
      (void)!::read(go[0], &c, 1);
      int status = 0;
      try {
        Engine own = create_engine(url());
        MigrationContext(own, dir).upgrade("head");
      } catch (const std::exception& e) {
        std::cerr << "child " << ::getpid() << ": " << e.what() << std::endl;
        status = 1;
      }
      std::_Exit(status);
    }
    children.push_back(pid);
  }
  ::close(go[0]);
  ::close(go[1]);  // EOF: every child starts now
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child " << pid << " status " << status;
  }
  EXPECT_EQ(query("SELECT count(*), count(DISTINCT rev) FROM log"), (Rows{{8, 8}}));
  EXPECT_EQ(query("SELECT rev, count(*) FROM log GROUP BY rev HAVING count(*) <> 1"), Rows{});
  EXPECT_EQ(query("SELECT version_num FROM strata_version"), (Rows{{"2000000000a7"}}));
  // Several processes did the work (the lock hands revisions on, it does not
  // make one process do everything) - not asserted: scheduling decides.
}

// The verbs on PostgreSQL: check reads the database through the dialect's
// inspector; revision --autogenerate renders what changed.
TEST_P(RunnerPostgresql, CommandCheckAndAutogenerate) {
  auto dir = chain();
  const std::filesystem::path where =
      std::filesystem::temp_directory_path() / ("strata_pg_cmd_" + std::to_string(::getpid()));
  std::filesystem::remove_all(where);
  std::ostringstream out;
  Config cfg;
  cfg.url = url();
  cfg.script_location = where;
  cfg.out = &out;
  cfg.scripts = &dir;
  cfg.target_metadata = [this, &dir] { return MigrationContext(engine(), dir).replay(); };
  command::upgrade(cfg, "head");
  EXPECT_TRUE(command::check(cfg).ok()) << out.str();

  // The models gain an enum value and a column: check reports it, and an
  // autogenerated revision holds the alter_column and the add_column.
  cfg.target_metadata = [this, &dir] {
    schema::MetaData md = MigrationContext(engine(), dir).replay();
    Operations op;
    op.alter_column("item", "status", {.type = status_type({"draft", "published", "archived", "deleted"})});
    op.add_column("item", column("note", SqlType::string()));
    apply(op.ops(), md);
    return md;
  };
  out.str("");
  const command::CheckResult drift = command::check(cfg);
  EXPECT_TRUE(drift.database_drift()) << out.str();
  EXPECT_NE(out.str().find("Detected added column 'item.note'"), std::string::npos) << out.str();
  const auto path = command::revision(cfg, {.message = "more", .autogenerate = true, .rev_id = "c1000000001a"});
  std::ifstream f(path);
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("op.add_column(\"item\", strata::migrate::column(\"note\", strata::SqlType::string()));"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"deleted\"}"), std::string::npos) << text;
  std::filesystem::remove_all(where);
}

}  // namespace
}  // namespace strata::migrate
