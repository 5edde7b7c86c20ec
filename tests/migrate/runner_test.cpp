// MigrationContext on real SQLite files: upgrade / downgrade / stamp, failing
// revisions rolled back whole, offline SQL, replay, branches, concurrency.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "strata/dialect/inspector.hpp"
#include "strata/engine/engine.hpp"
#include "strata/migrate/compare.hpp"
#include "strata/migrate/runner.hpp"
#include "support/temp_db.hpp"

namespace strata::migrate {
namespace {

using Rows = std::vector<std::vector<Value>>;
using Ids = std::vector<std::string>;

constexpr const char* kRev1 = "e2412789c190";
constexpr const char* kRev2 = "3f2a9c1d0b7e";

schema::Column uuid_col(std::string name) { return column(std::move(name), SqlType::uuid(), {.nullable = false}); }

// The seeds' models: user and item, UUID keys, item.owner_id -> user.id ON DELETE CASCADE.
void rev1_up(Operations& op) {
  op.create_table(table("user",
                        {uuid_col("id"), column("email", SqlType::string(255), {.nullable = false}),
                         column("full_name", SqlType::string(255))},
                        {.primary_key = schema::PrimaryKeyConstraint{"pk_user", {"id"}},
                         .unique_constraints = {schema::UniqueConstraint{"uq_user_email", {"email"}}}}));
  op.create_table(table("item",
                        {uuid_col("id"), column("title", SqlType::string(255), {.nullable = false}),
                         uuid_col("owner_id")},
                        {.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}},
                         .foreign_keys = {schema::ForeignKeyConstraint{"fk_item_owner_id_user", {"owner_id"}, "user",
                                                                       {"id"}, schema::FkAction::Cascade,
                                                                       schema::FkAction::NoAction}}}));
}
void rev1_down(Operations& op) {
  op.drop_table("item");
  op.drop_table("user");
}

schema::Column is_completed() {
  return column("is_completed", SqlType::boolean(),
                {.nullable = false, .server_default = schema::ServerDefault::text("0")});
}
void rev2_up(Operations& op) { op.add_column("item", is_completed()); }
void rev2_down(Operations& op) { op.drop_column("item", "is_completed", is_completed()); }

ScriptDirectory seeds() {
  ScriptDirectory dir;
  dir.add(Script{{.id = kRev1, .message = "initialize models"}, rev1_up, rev1_down});
  dir.add(Script{{.id = kRev2, .down_revisions = {kRev1}, .message = "add is_completed to item"}, rev2_up, rev2_down});
  return dir;
}

constexpr const char* kUser1 = "11111111111111111111111111111111";
constexpr const char* kUser2 = "22222222222222222222222222222222";

void insert_seed_rows(Connection& conn) {
  conn.execute_update("INSERT INTO \"user\" (id, email, full_name) VALUES (?, ?, ?)",
                      std::vector<Value>{kUser1, "a@example.com", "Ann"});
  conn.execute_update("INSERT INTO \"user\" (id, email, full_name) VALUES (?, ?, ?)",
                      std::vector<Value>{kUser2, "b@example.com", nullptr});
  conn.execute_update("INSERT INTO item (id, title, owner_id) VALUES (?, ?, ?)",
                      std::vector<Value>{"aaaa0000000000000000000000000001", "one", kUser1});
  conn.execute_update("INSERT INTO item (id, title, owner_id) VALUES (?, ?, ?)",
                      std::vector<Value>{"aaaa0000000000000000000000000002", "two", kUser1});
  conn.execute_update("INSERT INTO item (id, title, owner_id) VALUES (?, ?, ?)",
                      std::vector<Value>{"aaaa0000000000000000000000000003", "three", kUser2});
}

Rows query(Engine& engine, std::string_view sql) {
  auto conn = engine.connect();
  return conn.execute(sql).all();
}

Rows master(Engine& engine) { return query(engine, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"); }

class Runner : public ::testing::Test {
 protected:
  ::strata::testing::TempDb db{"runner"};
  Engine engine = create_engine(db.url());
};

TEST_F(Runner, UpgradeHeadFromEmpty) {
  auto dir = seeds();
  std::ostringstream out;
  MigrationContext ctx(engine, dir, {.out = &out});
  EXPECT_TRUE(ctx.current_heads().empty());
  EXPECT_TRUE(query(engine, "SELECT name FROM sqlite_master WHERE name = 'strata_version'").empty());
  ctx.upgrade("head");
  EXPECT_EQ(out.str(),
            "Running upgrade  -> e2412789c190, initialize models\n"
            "Running upgrade e2412789c190 -> 3f2a9c1d0b7e, add is_completed to item\n");
  EXPECT_EQ(ctx.current_heads(), Ids{kRev2});
  EXPECT_EQ(query(engine, "SELECT version_num FROM strata_version"), (Rows{{Value(kRev2)}}));
  // Upgrading again does nothing.
  out.str("");
  ctx.upgrade("head");
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(ctx.current_heads(), Ids{kRev2});
}

TEST_F(Runner, VersionTableDdl) {
  auto dir = seeds();
  MigrationContext ctx(engine, dir, {.version_table = "alembic_version"});
  ctx.upgrade(kRev1);
  auto sql = query(engine, "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'");
  ASSERT_EQ(sql.size(), 1u);
  const std::string ddl = *sql[0][0].get_if<std::string>();
  EXPECT_NE(ddl.find("VARCHAR(32) NOT NULL"), std::string::npos) << ddl;
  EXPECT_NE(ddl.find("alembic_version_pkc"), std::string::npos) << ddl;
  EXPECT_EQ(ctx.current_heads(), Ids{kRev1});
  EXPECT_TRUE(query(engine, "SELECT name FROM sqlite_master WHERE name = 'strata_version'").empty());
}

TEST_F(Runner, SeedsFlowKeepsRows) {
  auto dir = seeds();
  std::ostringstream out;
  MigrationContext ctx(engine, dir, {.out = &out});
  ctx.upgrade(kRev1);
  {
    auto conn = engine.connect();
    insert_seed_rows(conn);
  }
  ctx.upgrade("head");
  EXPECT_EQ(query(engine, "SELECT title, is_completed FROM item ORDER BY title"),
            (Rows{{Value("one"), Value(0)}, {Value("three"), Value(0)}, {Value("two"), Value(0)}}));

  out.str("");
  ctx.downgrade("-1");
  EXPECT_EQ(out.str(), "Running downgrade 3f2a9c1d0b7e -> e2412789c190, add is_completed to item\n");
  EXPECT_EQ(ctx.current_heads(), Ids{kRev1});
  for (const auto& row : query(engine, "PRAGMA table_info(item)")) EXPECT_NE(row[1], Value("is_completed"));
  // Every row kept, links included (the rebuild's DROP TABLE fired no cascade).
  EXPECT_EQ(query(engine, "SELECT i.title, u.email FROM item i JOIN \"user\" u ON u.id = i.owner_id ORDER BY i.title"),
            (Rows{{Value("one"), Value("a@example.com")},
                  {Value("three"), Value("b@example.com")},
                  {Value("two"), Value("a@example.com")}}));
  EXPECT_EQ(query(engine, "SELECT count(*) FROM \"user\""), (Rows{{Value(2)}}));
  // The foreign key still works (and was turned back on for the pooled connection).
  {
    auto conn = engine.connect();
    EXPECT_EQ(conn.execute("PRAGMA foreign_keys").scalar(), Value(1));
    conn.execute_update("DELETE FROM \"user\" WHERE id = ?", std::vector<Value>{kUser2});
    EXPECT_EQ(conn.execute("SELECT count(*) FROM item").scalar(), Value(2));
  }

  ctx.upgrade("head");
  EXPECT_EQ(ctx.current_heads(), Ids{kRev2});
  EXPECT_EQ(query(engine, "SELECT count(*) FROM item WHERE is_completed = 0"), (Rows{{Value(2)}}));

  ctx.downgrade("base");
  EXPECT_TRUE(ctx.current_heads().empty());
  EXPECT_EQ(query(engine, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
            (Rows{{Value("strata_version")}}));
}

TEST_F(Runner, Stamp) {
  auto dir = seeds();
  std::ostringstream out;
  MigrationContext ctx(engine, dir, {.out = &out});
  ctx.stamp("head");
  EXPECT_EQ(out.str(), "Running stamp_revision  -> 3f2a9c1d0b7e\n");
  EXPECT_EQ(ctx.current_heads(), Ids{kRev2});
  // Only the version table was written.
  EXPECT_EQ(query(engine, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
            (Rows{{Value("strata_version")}}));
  ctx.stamp(kRev1);
  EXPECT_EQ(ctx.current_heads(), Ids{kRev1});
  ctx.stamp("base");
  EXPECT_TRUE(ctx.current_heads().empty());
  ctx.stamp(kRev2, true);
  EXPECT_EQ(ctx.current_heads(), Ids{kRev2});
}

// rev3 fails in the middle: CREATE TABLE, ADD COLUMN, then a duplicate key.
void rev3_up(Operations& op) {
  op.create_table(table("tag", {column("id", SqlType::integer(), {.nullable = false, .primary_key = true})},
                        {.primary_key = schema::PrimaryKeyConstraint{"pk_tag", {"id"}}}));
  op.add_column("item", column("note", SqlType::string(100)));
  op.execute("UPDATE item SET note = ?", {Value("touched")});
  op.execute("INSERT INTO \"user\" (id, email) VALUES (?, ?)", {Value(kUser1), Value("dup@example.com")});
  op.add_column("item", column("never", SqlType::integer()));
}

TEST_F(Runner, FailingRevisionLeavesEverythingAsBefore) {
  auto dir = seeds();
  dir.add(Script{{.id = "c0ffee000003", .down_revisions = {kRev2}, .message = "broken"}, rev3_up, {}});
  MigrationContext ctx(engine, dir);
  ctx.upgrade(kRev1);
  {
    auto conn = engine.connect();
    insert_seed_rows(conn);
  }
  ctx.upgrade(kRev2);
  const Rows schema_before = master(engine);
  const Rows users_before = query(engine, "SELECT * FROM \"user\" ORDER BY id");
  const Rows items_before = query(engine, "SELECT * FROM item ORDER BY id");
  const Rows version_before = query(engine, "SELECT * FROM strata_version");

  try {
    ctx.upgrade("head");
    FAIL() << "expected MigrationFailed";
  } catch (const MigrationFailed& e) {
    EXPECT_EQ(e.revision(), "c0ffee000003");
    EXPECT_EQ(e.direction(), "upgrade");
    EXPECT_EQ(e.statement(), "INSERT INTO \"user\" (id, email) VALUES (?, ?)");
    EXPECT_NE(e.cause().find("UNIQUE"), std::string::npos) << e.cause();
    EXPECT_NE(std::string(e.what()).find("c0ffee000003"), std::string::npos) << e.what();
    EXPECT_THROW(std::rethrow_exception(e.original()), IntegrityError);
  }
  EXPECT_EQ(master(engine), schema_before);
  EXPECT_EQ(query(engine, "SELECT * FROM \"user\" ORDER BY id"), users_before);
  EXPECT_EQ(query(engine, "SELECT * FROM item ORDER BY id"), items_before);
  EXPECT_EQ(query(engine, "SELECT * FROM strata_version"), version_before);
  EXPECT_EQ(ctx.current_heads(), Ids{kRev2});
}

TEST_F(Runner, FailureKeepsEarlierRevisionsOfTheRun) {
  auto dir = seeds();
  dir.add(Script{{.id = "c0ffee000003", .down_revisions = {kRev2}, .message = "broken"},
                 [](Operations& op) { op.execute("INSERT INTO nowhere VALUES (1)"); }, {}});
  MigrationContext ctx(engine, dir);
  EXPECT_THROW(ctx.upgrade("head"), MigrationFailed);
  EXPECT_EQ(ctx.current_heads(), Ids{kRev2});
  EXPECT_EQ(query(engine, "SELECT count(*) FROM sqlite_master WHERE name = 'item'"), (Rows{{Value(1)}}));
}

TEST_F(Runner, OneTransactionForTheWholeRun) {
  auto dir = seeds();
  dir.add(Script{{.id = "c0ffee000003", .down_revisions = {kRev2}, .message = "broken"},
                 [](Operations& op) { op.execute("INSERT INTO nowhere VALUES (1)"); }, {}});
  MigrationContext ctx(engine, dir, {.transaction_per_revision = false});
  EXPECT_THROW(ctx.upgrade("head"), MigrationFailed);
  EXPECT_TRUE(ctx.current_heads().empty());
  EXPECT_TRUE(master(engine).empty());
}

TEST_F(Runner, RunCallableAndDowngradeOps) {
  ScriptDirectory dir = seeds();
  dir.add(Script{{.id = "da7a00000003", .down_revisions = {kRev2}, .message = "data"},
                 [](Operations& op) {
                   op.run_callable(
                       "complete all",
                       [](Connection& c) { c.execute_update("UPDATE item SET is_completed = 1"); },
                       [](Connection& c) { c.execute_update("UPDATE item SET is_completed = 0"); });
                 },
                 [](Operations& op) {
                   op.run_callable("undo complete all",
                                   [](Connection& c) { c.execute_update("UPDATE item SET title = 'undone'"); });
                 }});
  MigrationContext ctx(engine, dir);
  ctx.upgrade(kRev1);
  {
    auto conn = engine.connect();
    insert_seed_rows(conn);
  }
  ctx.upgrade("head");
  EXPECT_EQ(query(engine, "SELECT DISTINCT is_completed FROM item"), (Rows{{Value(1)}}));
  ctx.downgrade("-1");
  EXPECT_EQ(query(engine, "SELECT DISTINCT title FROM item"), (Rows{{Value("undone")}}));
}

TEST_F(Runner, UpgradeSqlGolden) {
  ScriptDirectory dir;
  dir.add(Script{{.id = "a1a1a1a1a1a1", .message = "create note"},
                 [](Operations& op) {
                   op.create_table(table("note",
                                         {column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
                                          column("body", SqlType::string(200))},
                                         {.primary_key = schema::PrimaryKeyConstraint{"pk_note", {"id"}}}));
                 },
                 [](Operations& op) { op.drop_table("note"); }});
  dir.add(Script{{.id = "b2b2b2b2b2b2", .down_revisions = {"a1a1a1a1a1a1"}, .message = "seed note"},
                 [](Operations& op) {
                   op.add_column("note", column("done", SqlType::boolean()));
                   op.execute("INSERT INTO note (id, body) VALUES (?, ?)", {Value(1), Value("it's")});
                 },
                 [](Operations& op) { op.drop_column("note", "done"); }});
  MigrationContext ctx(engine, dir);
  const std::string sql = ctx.upgrade_sql("base", "head");
  const std::string create_note =
      "CREATE TABLE \"note\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"body\" VARCHAR(200),\n"
      "\tCONSTRAINT \"pk_note\" PRIMARY KEY (\"id\")\n);\n\n";
  const std::string second =
      "-- Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2\n\n"
      "ALTER TABLE \"note\" ADD COLUMN \"done\" BOOLEAN;\n\n"
      "INSERT INTO note (id, body) VALUES (1, 'it''s');\n\n"
      "UPDATE \"strata_version\" SET \"version_num\" = 'b2b2b2b2b2b2' "
      "WHERE \"strata_version\".\"version_num\" = 'a1a1a1a1a1a1';\n\n";
  // SQLite rebuilds tables: the script turns foreign keys off around the
  // transaction and checks every reference before COMMIT, as the online run does.
  const std::string open = "PRAGMA foreign_keys=OFF;\n\nBEGIN;\n\n";
  const std::string close = "PRAGMA foreign_key_check;\n\nCOMMIT;\n\nPRAGMA foreign_keys=ON;\n\n";
  EXPECT_EQ(sql,
            open +
            "CREATE TABLE \"strata_version\" (\n\t\"version_num\" VARCHAR(32) NOT NULL,\n"
            "\tCONSTRAINT \"strata_version_pkc\" PRIMARY KEY (\"version_num\")\n);\n\n"
            "-- Running upgrade  -> a1a1a1a1a1a1\n\n" +
                create_note +
                "INSERT INTO \"strata_version\" (\"version_num\") VALUES ('a1a1a1a1a1a1');\n\n" + second +
                close)
      << sql;
  // From a revision: no CREATE TABLE of the version table (as Alembic's "a1:head" --sql).
  EXPECT_EQ(ctx.upgrade_sql("a1a1a1a1a1a1", "head"), open + second + close);
  const std::string down = ctx.downgrade_sql("head", "base");
  EXPECT_EQ(down,
            open +
            "-- Running downgrade b2b2b2b2b2b2 -> a1a1a1a1a1a1\n\n"
            "PRAGMA defer_foreign_keys=ON;\n\n"
            "CREATE TABLE \"_strata_tmp_note\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"body\" VARCHAR(200),\n"
            "\tCONSTRAINT \"pk_note\" PRIMARY KEY (\"id\")\n);\n\n"
            "INSERT INTO \"_strata_tmp_note\" (\"id\", \"body\") SELECT \"id\", \"body\" FROM \"note\";\n\n"
            "DROP TABLE \"note\";\n\n"
            "ALTER TABLE \"_strata_tmp_note\" RENAME TO \"note\";\n\n"
            "PRAGMA foreign_key_check(\"note\");\n\n"
            "UPDATE \"strata_version\" SET \"version_num\" = 'a1a1a1a1a1a1' "
            "WHERE \"strata_version\".\"version_num\" = 'b2b2b2b2b2b2';\n\n"
            "-- Running downgrade a1a1a1a1a1a1 -> \n\n"
            "DROP TABLE \"note\";\n\n"
            "DELETE FROM \"strata_version\" WHERE \"strata_version\".\"version_num\" = 'a1a1a1a1a1a1';\n\n"
            "DROP TABLE \"strata_version\";\n\n" +
                close)
      << down;
  // Nothing was executed.
  EXPECT_TRUE(master(engine).empty());
}

TEST_F(Runner, ReplayEqualsLiveSchema) {
  auto dir = seeds();
  MigrationContext ctx(engine, dir);
  ctx.upgrade("head");
  auto conn = engine.connect();
  schema::MetaData live = dialect::make_sqlite_inspector(conn.driver())->metadata();
  schema::MetaData replayed = ctx.replay();
  EXPECT_EQ(replayed.tables().size(), 2u);
  CompareOptions options;  // (CompareOptions{.dialect = ...} warns: confirmed_renames has no initializer)
  options.dialect = &dialect::sqlite_dialect();
  auto diff = compare(live, replayed, options);
  EXPECT_TRUE(diff.empty()) << diff.ops.size() << " op(s), first: " << ops::describe(diff.ops.front());
  EXPECT_EQ(ctx.replay(kRev1).find_table("item")->columns.size(), 3u);
  EXPECT_TRUE(ctx.replay("base").tables().empty());
}

Script exec_script(std::string id, Ids down, std::string table_name) {
  return Script{{.id = id, .down_revisions = std::move(down), .message = "rev " + id},
                [table_name](Operations& op) {
                  op.create_table(table(table_name, {column("id", SqlType::integer(), {.nullable = false})},
                                        {.primary_key = schema::PrimaryKeyConstraint{"pk_" + table_name, {"id"}}}));
                },
                [table_name](Operations& op) { op.drop_table(table_name); }};
}

TEST_F(Runner, BranchesAndMerge) {
  ScriptDirectory dir;
  dir.add(exec_script("aaaa00000001", {}, "t_a"));
  dir.add(exec_script("bbbb00000002", {"aaaa00000001"}, "t_b"));
  dir.add(exec_script("cccc00000003", {"aaaa00000001"}, "t_c"));
  std::ostringstream out;
  MigrationContext ctx(engine, dir, {.out = &out});
  try {
    ctx.upgrade("head");
    FAIL() << "expected MultipleHeads";
  } catch (const MultipleHeads& e) {
    EXPECT_EQ(e.heads().size(), 2u);
  }
  EXPECT_TRUE(ctx.current_heads().empty());
  ctx.upgrade("heads");
  EXPECT_EQ(ctx.current_heads(), (Ids{"bbbb00000002", "cccc00000003"}));
  EXPECT_EQ(query(engine, "SELECT count(*) FROM strata_version"), (Rows{{Value(2)}}));

  // A merge revision: one row again.
  dir.add(exec_script("dddd00000004", {"bbbb00000002", "cccc00000003"}, "t_d"));
  MigrationContext merged(engine, dir, {.out = &out});
  out.str("");
  merged.upgrade("head");
  EXPECT_EQ(out.str(), "Running upgrade bbbb00000002, cccc00000003 -> dddd00000004, rev dddd00000004\n");
  EXPECT_EQ(merged.current_heads(), Ids{"dddd00000004"});
  // "-1" from a merge point is ambiguous (RevisionMap): name the revision.
  EXPECT_THROW(merged.downgrade("-1"), RevisionError);
  merged.downgrade("bbbb00000002");
  EXPECT_EQ(merged.current_heads(), (Ids{"bbbb00000002", "cccc00000003"}));
  EXPECT_EQ(query(engine, "SELECT count(*) FROM strata_version"), (Rows{{Value(2)}}));
  merged.downgrade("aaaa00000001");
  EXPECT_EQ(merged.current_heads(), Ids{"aaaa00000001"});
  merged.downgrade("base");
  EXPECT_TRUE(merged.current_heads().empty());
  EXPECT_EQ(query(engine, "SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'"), (Rows{{Value(0)}}));
}

// Issue 3 acceptance: integer ids of user and item become UUIDs, in a
// hand-written revision, every link kept.
void int_ids_up(Operations& op) {
  op.create_table(table("user",
                        {column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
                         column("email", SqlType::string(255), {.nullable = false})},
                        {.primary_key = schema::PrimaryKeyConstraint{"pk_user", {"id"}}}));
  op.create_table(table("item",
                        {column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
                         column("title", SqlType::string(255), {.nullable = false}),
                         column("owner_id", SqlType::integer(), {.nullable = false})},
                        {.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}},
                         .foreign_keys = {schema::ForeignKeyConstraint{"fk_item_owner_id_user", {"owner_id"}, "user",
                                                                       {"id"}, schema::FkAction::Cascade,
                                                                       schema::FkAction::NoAction}}}));
}

std::string uuid_hex(std::int64_t n, char tag) {
  std::string s = std::to_string(n);
  return std::string(1, tag) + std::string(31 - s.size(), '0') + s;
}

void to_uuid_up(Operations& op) {
  op.add_column("user", column("new_id", SqlType::uuid()));
  op.add_column("item", column("new_id", SqlType::uuid()));
  op.add_column("item", column("new_owner_id", SqlType::uuid()));
  op.run_callable("fill uuids", [](Connection& c) {
    for (const Value& id : c.execute("SELECT id FROM \"user\"").scalars())
      c.execute_update("UPDATE \"user\" SET new_id = ? WHERE id = ?",
                       std::vector<Value>{uuid_hex(*id.get_if<std::int64_t>(), 'a'), id});
    for (const Value& id : c.execute("SELECT id FROM item").scalars())
      c.execute_update("UPDATE item SET new_id = ? WHERE id = ?",
                       std::vector<Value>{uuid_hex(*id.get_if<std::int64_t>(), 'b'), id});
  });
  op.execute("UPDATE item SET new_owner_id = (SELECT u.new_id FROM \"user\" u WHERE u.id = item.owner_id)");
  // Move the foreign key: drop the old one and the old columns, rename the new ones.
  op.drop_constraint("fk_item_owner_id_user", "item", ops::ConstraintKind::ForeignKey);
  op.drop_column("item", "owner_id");
  op.drop_column("item", "id");
  op.drop_column("user", "id");
  op.alter_column("user", "new_id", {.nullable = false, .new_column_name = "id"});
  op.create_primary_key("pk_user", "user", {"id"});
  op.alter_column("item", "new_id", {.nullable = false, .new_column_name = "id"});
  op.create_primary_key("pk_item", "item", {"id"});
  op.alter_column("item", "new_owner_id", {.nullable = false, .new_column_name = "owner_id"});
  op.create_foreign_key("fk_item_owner_id_user", "item", "user", {"owner_id"}, {"id"},
                        {.ondelete = schema::FkAction::Cascade});
}

TEST_F(Runner, IntegerIdsToUuidsKeepEveryLink) {
  ScriptDirectory dir;
  dir.add(Script{{.id = "1d1d1d1d1d1d", .message = "integer ids"}, int_ids_up, {}});
  dir.add(Script{{.id = "00b1d0000002", .down_revisions = {"1d1d1d1d1d1d"}, .message = "ids to uuid"}, to_uuid_up, {}});
  MigrationContext ctx(engine, dir);
  ctx.upgrade("1d1d1d1d1d1d");
  {
    auto conn = engine.connect();
    for (int u = 1; u <= 3; ++u)
      conn.execute_update("INSERT INTO \"user\" (id, email) VALUES (?, ?)",
                          std::vector<Value>{u, "u" + std::to_string(u) + "@example.com"});
    for (int i = 1; i <= 5; ++i)
      conn.execute_update("INSERT INTO item (id, title, owner_id) VALUES (?, ?, ?)",
                          std::vector<Value>{i, "item " + std::to_string(i), 1 + i % 3});
  }
  const char* links = "SELECT i.title, u.email FROM item i JOIN \"user\" u ON u.id = i.owner_id ORDER BY i.title";
  const Rows before = query(engine, links);
  ASSERT_EQ(before.size(), 5u);

  ctx.upgrade("head");
  EXPECT_EQ(query(engine, links), before);
  EXPECT_EQ(query(engine, "SELECT id FROM \"user\" ORDER BY id"),
            (Rows{{Value(uuid_hex(1, 'a'))}, {Value(uuid_hex(2, 'a'))}, {Value(uuid_hex(3, 'a'))}}));
  EXPECT_EQ(query(engine, "SELECT count(*) FROM item WHERE length(id) = 32 AND length(owner_id) = 32"),
            (Rows{{Value(5)}}));
  auto conn = engine.connect();
  auto live = dialect::make_sqlite_inspector(conn.driver())->table("item");
  ASSERT_EQ(live.foreign_keys.size(), 1u);
  EXPECT_EQ(live.foreign_keys[0].columns, Ids{"owner_id"});
  EXPECT_EQ(live.foreign_keys[0].referred_table, "user");
  EXPECT_EQ(live.foreign_keys[0].on_delete, schema::FkAction::Cascade);
  ASSERT_TRUE(live.primary_key.has_value());
  EXPECT_EQ(live.primary_key->columns, Ids{"id"});
  // The cascade works on the new keys.
  conn.execute_update("DELETE FROM \"user\" WHERE id = ?", std::vector<Value>{uuid_hex(1, 'a')});
  EXPECT_EQ(conn.execute("SELECT count(*) FROM item").scalar(), Value(4));
}

TEST_F(Runner, TwoProcessesApplyEachRevisionOnce) {
  ScriptDirectory dir;
  dir.add(Script{{.id = "1000000000a0", .message = "log"},
                 [](Operations& op) {
                   op.create_table(table("log", {column("rev", SqlType::string(32), {.nullable = false})}));
                   op.execute("INSERT INTO log (rev) VALUES (?)", {Value("1000000000a0")});
                 },
                 {}});
  std::string prev = "1000000000a0";
  for (int i = 1; i < 6; ++i) {
    std::string id = "1000000000a" + std::to_string(i);
    dir.add(Script{{.id = id, .down_revisions = {prev}, .message = "step"},
                   [id](Operations& op) {
                     op.execute("INSERT INTO log (rev) VALUES (?)", {Value(id)});
                     op.run_callable("pause", [](Connection&) { std::this_thread::sleep_for(std::chrono::milliseconds(5)); });
                   },
                   {}});
    prev = id;
  }
  auto run = [&] {
    Engine own = create_engine(db.url());  // a separate engine: as another process
    MigrationContext(own, dir).upgrade("head");
  };
  // The file exists before the race: two connections that both switch a brand-new
  // file to WAL can fail with "database is locked" in the driver's connect (PRAGMA
  // journal_mode=WAL does not always wait on the busy handler); reported to the lead.
  engine.connect().close();
  std::exception_ptr e1, e2;
  std::thread t1([&] { try { run(); } catch (...) { e1 = std::current_exception(); } });
  std::thread t2([&] { try { run(); } catch (...) { e2 = std::current_exception(); } });
  t1.join();
  t2.join();
  if (e1) std::rethrow_exception(e1);
  if (e2) std::rethrow_exception(e2);
  EXPECT_EQ(query(engine, "SELECT count(*), count(DISTINCT rev) FROM log"), (Rows{{Value(6), Value(6)}}));
  EXPECT_EQ(MigrationContext(engine, dir).current_heads(), Ids{"1000000000a5"});
}


// Review findings: the schema carried between revisions must not miss what raw
// SQL did, a type change must not CAST data away, and depends_on must not
// remove a head's version row.
TEST(RunnerReview, RebuildAfterRawSqlKeepsTheColumnItAdded) {
  ::strata::testing::TempDb db("runner_review");
  Engine engine = create_engine(db.url());
  ScriptDirectory dir;
  dir.add(Script{{.id = "aa01"}, [](Operations& op) {
                   op.create_table(table("t", {column("id", SqlType::integer(), {.nullable = false}),
                                               column("code", SqlType::string())},
                                         {.primary_key = schema::PrimaryKeyConstraint{"pk_t", {"id"}}}));
                 }, {}});
  dir.add(Script{{.id = "aa02", .down_revisions = {"aa01"}}, [](Operations& op) {
                   op.execute("ALTER TABLE t ADD COLUMN note TEXT");
                   op.execute("INSERT INTO t (id, code, note) VALUES (1, '42', 'keep me'), (2, 'abc', 'me too')");
                 }, {}});
  // A rebuild of t (type change of code to INTEGER) after the raw ADD COLUMN.
  dir.add(Script{{.id = "aa03", .down_revisions = {"aa02"}}, [](Operations& op) {
                   op.alter_column("t", "code", {.type = SqlType::integer(), .existing_type = SqlType::string()});
                 }, {}});
  MigrationContext ctx(engine, dir);
  ctx.upgrade("head");  // aa02 and aa03 in one run: the schema carried from aa02 must know `note`
  Rows rows = query(engine, "SELECT id, code, note FROM t ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], Value(42));              // converted by the INTEGER affinity, without loss
  EXPECT_EQ(rows[0][2], Value("keep me"));       // the raw SQL's column survived the rebuild
  EXPECT_EQ(rows[1][1], Value("abc"));           // kept as it was, not CAST to 0
  EXPECT_EQ(rows[1][2], Value("me too"));
}

TEST(RunnerReview, DependsOnDoesNotRemoveAHeadRow) {
  ::strata::testing::TempDb db("runner_review");
  Engine engine = create_engine(db.url());
  ScriptDirectory dir;
  dir.add(Script{{.id = "ba01"}, {}, {}});
  dir.add(Script{{.id = "ba02", .down_revisions = {"ba01"}}, {}, {}});
  dir.add(Script{{.id = "bx01", .branch_labels = {"other"}}, {}, {}});
  dir.add(Script{{.id = "ba03", .down_revisions = {"ba02"}, .depends_on = {"bx01"}}, {}, {}});
  MigrationContext ctx(engine, dir);
  ctx.upgrade("heads");
  EXPECT_EQ(ctx.current_heads(), (Ids{"ba03", "bx01"}));  // as map.heads(): bx01 stays a head
  ctx.downgrade("ba02");
  EXPECT_EQ(ctx.current_heads(), (Ids{"ba02", "bx01"}));
  ctx.downgrade("base");
  EXPECT_EQ(ctx.current_heads(), Ids{});
}


TEST(RunnerReview, RebuildThatWouldDropATriggerIsRefused) {
  ::strata::testing::TempDb db("runner_review");
  Engine engine = create_engine(db.url());
  ScriptDirectory dir;
  dir.add(Script{{.id = "ca01"}, [](Operations& op) {
                   op.create_table(table("t", {column("id", SqlType::integer(), {.nullable = false}),
                                               column("code", SqlType::string())},
                                         {.primary_key = schema::PrimaryKeyConstraint{"pk_t", {"id"}}}));
                   op.execute("CREATE TABLE audit (msg TEXT)");
                   op.execute("CREATE TRIGGER t_audit AFTER INSERT ON t BEGIN INSERT INTO audit VALUES ('x'); END");
                 }, {}});
  dir.add(Script{{.id = "ca02", .down_revisions = {"ca01"}},
                 [](Operations& op) { op.drop_column("t", "code"); }, {}});
  MigrationContext ctx(engine, dir);
  ctx.upgrade("ca01");
  try {
    ctx.upgrade("head");
    FAIL() << "expected MigrationFailed";
  } catch (const MigrationFailed& e) {
    EXPECT_NE(std::string(e.what()).find("would lose its trigger 't_audit'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ctx.current_heads(), Ids{"ca01"});
  EXPECT_EQ(query(engine, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")[0][0], Value(1));
}

}  // namespace
}  // namespace strata::migrate
