// to_ddl() on PostgreSQL: exact SQL per op, no database (STYLE rule 10);
// the --sql output of a PostgreSQL engine (nothing connects).
#include <gtest/gtest.h>

#include "strata/dialect/postgresql.hpp"
#include "strata/engine/engine.hpp"
#include "strata/migrate/apply.hpp"
#include "strata/migrate/operations.hpp"
#include "strata/migrate/render.hpp"
#include "strata/migrate/reverse.hpp"
#include "strata/migrate/runner.hpp"
#include "strata/migrate/to_ddl.hpp"

using namespace strata;
using namespace strata::migrate;

namespace {

const dialect::Dialect& pg() { return dialect::postgresql_dialect(); }

SqlType status_type(std::vector<std::string> values = {"draft", "published"}) {
  return SqlType::enumeration("item_status", std::move(values));
}

// owner(id), item(id, name, qty, status, owner_id) and archive(id, status):
// item and archive share the enum type item_status.
schema::MetaData fixture() {
  schema::MetaData md;
  migrate::apply(ops::CreateTable{table("owner", {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true})},
                                        {.primary_key = schema::PrimaryKeyConstraint{"pk_owner", {"id"}}})},
                 md);
  migrate::apply(ops::CreateTable{table("item",
                                        {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
                                         column("name", SqlType::string(50), {.nullable = false}),
                                         column("qty", SqlType::string(10)),
                                         column("status", status_type(),
                                                {.nullable = false, .server_default = schema::ServerDefault::text("'draft'")}),
                                         column("owner_id", SqlType::integer())},
                                        {.primary_key = schema::PrimaryKeyConstraint{"pk_item", {"id"}},
                                         .indexes = {schema::Index{"ix_item_name", {"name"}}}})},
                 md);
  migrate::apply(ops::CreateTable{table("archive", {column("id", SqlType::integer(), {.nullable = false}),
                                                    column("status", status_type())})},
                 md);
  return md;
}

std::vector<std::string> sql_of(const ops::Op& op, const schema::MetaData& before = fixture()) {
  std::vector<std::string> out;
  for (const auto& s : to_ddl(op, pg(), before)) out.push_back(s.sql);
  return out;
}

#define EXPECT_SQL(op, ...) EXPECT_EQ(sql_of(op), (std::vector<std::string>{__VA_ARGS__}))

ops::AlterColumn alter(std::string table, std::string column, AlterColumnOptions o) {
  Operations op;
  op.alter_column(std::move(table), std::move(column), std::move(o));
  return std::get<ops::AlterColumn>(op.ops().front());
}

}  // namespace

TEST(MigrateToDdlPostgresql, CreateTableCreatesItsEnumTypeFirst) {
  EXPECT_SQL((ops::CreateTable{table("task", {column("id", SqlType::integer(), {.nullable = false}),
                                              column("state", SqlType::enumeration("task_state", {"open", "it's done"}))},
                                     {.primary_key = schema::PrimaryKeyConstraint{"pk_task", {"id"}},
                                      .indexes = {schema::Index{"ix_task_state", {"state"}}}})}),
             "CREATE TYPE \"task_state\" AS ENUM ('open', 'it''s done')",
             "CREATE TABLE \"task\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"state\" \"task_state\",\n"
             "\tCONSTRAINT \"pk_task\" PRIMARY KEY (\"id\")\n)",
             "CREATE INDEX \"ix_task_state\" ON \"task\" (\"state\")");
}

TEST(MigrateToDdlPostgresql, CreateTableReusesAnExistingEnumType) {
  EXPECT_SQL((ops::CreateTable{table("log", {column("status", status_type())})}),
             "CREATE TABLE \"log\" (\n\t\"status\" \"item_status\"\n)");
  // The same name with other values cannot be the same type.
  try {
    (void)to_ddl(ops::CreateTable{table("log", {column("status", status_type({"draft"}))})}, pg(), fixture());
    FAIL() << "expected MigrationError";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("enum type 'item_status' exists with values ('draft', 'published')"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(e.table(), "log");
  }
}

TEST(MigrateToDdlPostgresql, DropTableDropsTheEnumTypesOnlyItUses) {
  // archive still uses item_status: only the table goes.
  EXPECT_SQL((ops::DropTable{"item", std::nullopt}), "DROP TABLE \"item\"");
  schema::MetaData md = fixture();
  migrate::apply(ops::DropTable{"archive", std::nullopt}, md);
  EXPECT_EQ(sql_of(ops::DropTable{"item", std::nullopt}, md),
            (std::vector<std::string>{"DROP TABLE \"item\"", "DROP TYPE \"item_status\""}));
  EXPECT_EQ(sql_of(ops::DropTable{"item", std::nullopt, true}, md),
            (std::vector<std::string>{"DROP TABLE IF EXISTS \"item\"", "DROP TYPE IF EXISTS \"item_status\""}));
  EXPECT_SQL((ops::DropTable{"gone", std::nullopt, true}), "DROP TABLE IF EXISTS \"gone\"");
  EXPECT_SQL((ops::RenameTable{"item", "thing"}), "ALTER TABLE \"item\" RENAME TO \"thing\"");
}

TEST(MigrateToDdlPostgresql, AddColumn) {
  EXPECT_SQL((ops::AddColumn{"item", column("note", SqlType::string())}), "ALTER TABLE \"item\" ADD COLUMN \"note\" TEXT");
  // NOT NULL with a server default: PostgreSQL fills existing rows with it.
  EXPECT_SQL((ops::AddColumn{"item", column("is_completed", SqlType::boolean(),
                                            {.nullable = false, .server_default = schema::ServerDefault::text("false")})}),
             "ALTER TABLE \"item\" ADD COLUMN \"is_completed\" BOOLEAN DEFAULT false NOT NULL");
  EXPECT_SQL((ops::AddColumn{"item", column("created", SqlType::datetime(true),
                                            {.nullable = false, .server_default = schema::ServerDefault::now()})}),
             "ALTER TABLE \"item\" ADD COLUMN \"created\" TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL");
  // An Enum column: its type first, unless it exists.
  EXPECT_SQL((ops::AddColumn{"item", column("prio", SqlType::enumeration("prio", {"low", "high"}))}),
             "CREATE TYPE \"prio\" AS ENUM ('low', 'high')", "ALTER TABLE \"item\" ADD COLUMN \"prio\" \"prio\"");
  EXPECT_SQL((ops::AddColumn{"owner", column("status", status_type())}),
             "ALTER TABLE \"owner\" ADD COLUMN \"status\" \"item_status\"");
}

TEST(MigrateToDdlPostgresql, DropColumnDropsAnEnumTypeWithItsLastColumn) {
  EXPECT_SQL((ops::DropColumn{"item", "qty", std::nullopt}), "ALTER TABLE \"item\" DROP COLUMN \"qty\"");
  EXPECT_SQL((ops::DropColumn{"item", "status", std::nullopt}), "ALTER TABLE \"item\" DROP COLUMN \"status\"");
  schema::MetaData md = fixture();
  migrate::apply(ops::DropColumn{"archive", "status", std::nullopt}, md);
  EXPECT_EQ(sql_of(ops::DropColumn{"item", "status", std::nullopt}, md),
            (std::vector<std::string>{"ALTER TABLE \"item\" DROP COLUMN \"status\"", "DROP TYPE \"item_status\""}));
}

TEST(MigrateToDdlPostgresql, AlterColumnTypeAddsUsingOnlyWhereNeeded) {
  // No assignment cast from VARCHAR to INTEGER: USING "qty"::INTEGER.
  EXPECT_SQL(alter("item", "qty", {.type = SqlType::integer(), .existing_type = SqlType::string(10)}),
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE INTEGER USING \"qty\"::INTEGER");
  EXPECT_SQL(alter("item", "qty", {.type = SqlType::uuid()}),
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE UUID USING \"qty\"::UUID");
  // Assignment casts: a longer VARCHAR, a wider integer, anything to TEXT. An
  // explicit cast to VARCHAR(n) would truncate silently, so none is added.
  EXPECT_SQL(alter("item", "name", {.type = SqlType::string(20)}),
             "ALTER TABLE \"item\" ALTER COLUMN \"name\" TYPE VARCHAR(20)");
  EXPECT_SQL(alter("item", "owner_id", {.type = SqlType::big_integer()}),
             "ALTER TABLE \"item\" ALTER COLUMN \"owner_id\" TYPE BIGINT");
  EXPECT_SQL(alter("item", "owner_id", {.type = SqlType::numeric(12, 2)}),
             "ALTER TABLE \"item\" ALTER COLUMN \"owner_id\" TYPE NUMERIC(12, 2)");
  EXPECT_SQL(alter("item", "owner_id", {.type = SqlType::string()}),
             "ALTER TABLE \"item\" ALTER COLUMN \"owner_id\" TYPE TEXT");
  // The user's USING wins.
  EXPECT_SQL(alter("item", "qty", {.type = SqlType::integer(), .postgresql_using = "nullif(qty, '')::integer"}),
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE INTEGER USING nullif(qty, '')::integer");
  // The reverse goes back with the automatic rule, not with the way-up USING.
  const ops::Op up = alter("item", "qty", {.type = SqlType::uuid(), .existing_type = SqlType::string(10),
                                           .postgresql_using = "md5(qty)::uuid"});
  schema::MetaData md = fixture();
  migrate::apply(up, md);
  EXPECT_EQ(sql_of(reverse(up), md),
            (std::vector<std::string>{"ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE VARCHAR(10)"}));
  // A column unknown to `before` and without existing_type: PostgreSQL decides.
  EXPECT_SQL(alter("item", "ghost", {.type = SqlType::integer()}),
             "ALTER TABLE \"item\" ALTER COLUMN \"ghost\" TYPE INTEGER");
}

TEST(MigrateToDdlPostgresql, AlterColumnTypeWithUsingMovesTheDefaultAside) {
  schema::MetaData md = fixture();
  migrate::apply(alter("item", "qty", {.server_default = schema::ServerDefault::text("'0'")}), md);
  EXPECT_EQ(sql_of(alter("item", "qty", {.type = SqlType::integer()}), md),
            (std::vector<std::string>{"ALTER TABLE \"item\" ALTER COLUMN \"qty\" DROP DEFAULT",
                                      "ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE INTEGER USING \"qty\"::INTEGER",
                                      "ALTER TABLE \"item\" ALTER COLUMN \"qty\" SET DEFAULT '0'"}));
  EXPECT_EQ(sql_of(alter("item", "qty", {.type = SqlType::integer(), .server_default = schema::ServerDefault::text("7")}),
                   md),
            (std::vector<std::string>{"ALTER TABLE \"item\" ALTER COLUMN \"qty\" DROP DEFAULT",
                                      "ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE INTEGER USING \"qty\"::INTEGER",
                                      "ALTER TABLE \"item\" ALTER COLUMN \"qty\" SET DEFAULT 7"}));
}

TEST(MigrateToDdlPostgresql, AlterColumnNullableDefaultRename) {
  EXPECT_SQL(alter("item", "qty", {.nullable = true}), "ALTER TABLE \"item\" ALTER COLUMN \"qty\" DROP NOT NULL");
  EXPECT_SQL(alter("item", "qty", {.nullable = false}), "ALTER TABLE \"item\" ALTER COLUMN \"qty\" SET NOT NULL");
  EXPECT_SQL(alter("item", "qty", {.server_default = schema::ServerDefault::text("'1'")}),
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" SET DEFAULT '1'");
  EXPECT_SQL(alter("item", "status", {.server_default = std::optional<schema::ServerDefault>{}}),
             "ALTER TABLE \"item\" ALTER COLUMN \"status\" DROP DEFAULT");
  EXPECT_SQL(alter("item", "qty", {.new_column_name = "quantity"}),
             "ALTER TABLE \"item\" RENAME COLUMN \"qty\" TO \"quantity\"");
  // NOT NULL with a default: rows holding NULL take it first (as SQLite's
  // rebuild COALESCEs), then the constraint; the rename comes last.
  EXPECT_SQL(alter("item", "qty", {.type = SqlType::string(20), .nullable = false,
                                   .server_default = schema::ServerDefault::text("'none'"),
                                   .new_column_name = "quantity"}),
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE VARCHAR(20)",
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" SET DEFAULT 'none'",
             "UPDATE \"item\" SET \"qty\" = DEFAULT WHERE \"qty\" IS NULL",
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" SET NOT NULL",
             "ALTER TABLE \"item\" RENAME COLUMN \"qty\" TO \"quantity\"");
}

TEST(MigrateToDdlPostgresql, EnumValuesAddedInPlace) {
  EXPECT_SQL(alter("item", "status", {.type = status_type({"draft", "published", "archived"})}),
             "ALTER TYPE \"item_status\" ADD VALUE IF NOT EXISTS 'archived'");
  // Each new value where the new list puts it.
  EXPECT_SQL(alter("item", "status", {.type = status_type({"new", "draft", "review", "published", "gone", "x"})}),
             "ALTER TYPE \"item_status\" ADD VALUE IF NOT EXISTS 'new' BEFORE 'draft'",
             "ALTER TYPE \"item_status\" ADD VALUE IF NOT EXISTS 'review' BEFORE 'published'",
             "ALTER TYPE \"item_status\" ADD VALUE IF NOT EXISTS 'gone'",
             "ALTER TYPE \"item_status\" ADD VALUE IF NOT EXISTS 'x'");
  // The same values: nothing to do.
  EXPECT_SQL(alter("item", "status", {.type = status_type()}));
}

TEST(MigrateToDdlPostgresql, EnumValueRemovedRecreatesTheType) {
  // Every column of the type is converted (archive.status too), each default
  // moved aside around the conversion.
  EXPECT_SQL(alter("item", "status", {.type = status_type({"published", "draft"})}),
             "ALTER TYPE \"item_status\" RENAME TO \"item_status_old\"",
             "CREATE TYPE \"item_status\" AS ENUM ('published', 'draft')",
             "ALTER TABLE \"item\" ALTER COLUMN \"status\" DROP DEFAULT",
             "ALTER TABLE \"item\" ALTER COLUMN \"status\" TYPE \"item_status\" USING \"status\"::text::\"item_status\"",
             "ALTER TABLE \"item\" ALTER COLUMN \"status\" SET DEFAULT 'draft'",
             "ALTER TABLE \"archive\" ALTER COLUMN \"status\" TYPE \"item_status\" USING \"status\"::text::\"item_status\"",
             "DROP TYPE \"item_status_old\"");
  // The reverse of an added value is such a removal.
  const ops::Op up = alter("item", "status", {.type = status_type({"draft", "published", "archived"}),
                                              .existing_type = status_type()});
  schema::MetaData md = fixture();
  migrate::apply(up, md);
  const auto down = sql_of(reverse(up), md);
  ASSERT_EQ(down.size(), 7u);
  EXPECT_EQ(down[1], "CREATE TYPE \"item_status\" AS ENUM ('draft', 'published')");
}

TEST(MigrateToDdlPostgresql, EnumValueRemovedWithANewDefaultPutsTheNewDefaultBack) {
  // The old default ('draft') is no value of the new type: putting it back
  // would fail even on an empty table.
  const auto stmts = sql_of(alter("item", "status", {.type = status_type({"published", "archived"}),
                                                     .server_default = schema::ServerDefault::text("'published'")}),
                            fixture());
  ASSERT_GE(stmts.size(), 5u);
  EXPECT_EQ(stmts[4], "ALTER TABLE \"item\" ALTER COLUMN \"status\" SET DEFAULT 'published'");
  for (const auto& s : stmts) EXPECT_EQ(s.find("'draft'"), std::string::npos) << s;
}

TEST(MigrateToDdlPostgresql, EnumToAndFromOtherTypes) {
  // VARCHAR -> a new enum type: created first, cast through text.
  EXPECT_SQL(alter("item", "qty", {.type = SqlType::enumeration("size", {"s", "m"})}),
             "CREATE TYPE \"size\" AS ENUM ('s', 'm')",
             "ALTER TABLE \"item\" ALTER COLUMN \"qty\" TYPE \"size\" USING \"qty\"::text::\"size\"");
  // enum -> VARCHAR: the default (a cast to the enum) moves aside; archive
  // still uses the type, so it stays.
  EXPECT_SQL(alter("item", "status", {.type = SqlType::string(20)}),
             "ALTER TABLE \"item\" ALTER COLUMN \"status\" DROP DEFAULT",
             "ALTER TABLE \"item\" ALTER COLUMN \"status\" TYPE VARCHAR(20)",
             "ALTER TABLE \"item\" ALTER COLUMN \"status\" SET DEFAULT 'draft'");
  schema::MetaData md = fixture();
  migrate::apply(ops::DropTable{"archive", std::nullopt}, md);
  EXPECT_EQ(sql_of(alter("item", "status", {.type = SqlType::string(20)}), md).back(), "DROP TYPE \"item_status\"");
}

TEST(MigrateToDdlPostgresql, Constraints) {
  EXPECT_SQL((ops::CreateUniqueConstraint{"item", {"uq_item_name", {"name"}}}),
             "ALTER TABLE \"item\" ADD CONSTRAINT \"uq_item_name\" UNIQUE (\"name\")");
  EXPECT_SQL((ops::CreateForeignKey{"item", {"fk_item_owner_id_owner", {"owner_id"}, "owner", {"id"},
                                             schema::FkAction::Cascade, schema::FkAction::NoAction}}),
             "ALTER TABLE \"item\" ADD CONSTRAINT \"fk_item_owner_id_owner\" FOREIGN KEY(\"owner_id\") REFERENCES "
             "\"owner\" (\"id\") ON DELETE CASCADE");
  EXPECT_SQL((ops::CreateCheckConstraint{"item", {"ck_item_name_len", "length(name) > 0"}}),
             "ALTER TABLE \"item\" ADD CONSTRAINT \"ck_item_name_len\" CHECK (length(name) > 0)");
  EXPECT_SQL((ops::CreatePrimaryKey{"archive", {"pk_archive", {"id"}}}),
             "ALTER TABLE \"archive\" ADD CONSTRAINT \"pk_archive\" PRIMARY KEY (\"id\")");
  EXPECT_SQL((ops::DropConstraint{"item", "pk_item", ops::ConstraintKind::PrimaryKey, std::nullopt}),
             "ALTER TABLE \"item\" DROP CONSTRAINT \"pk_item\"");
}

TEST(MigrateToDdlPostgresql, ConcurrentIndexRunsOutsideTheTransaction) {
  Operations op;
  op.create_index("ix_item_qty", "item", {"qty"}, {.unique = true, .if_not_exists = true, .postgresql_concurrently = true});
  op.drop_index("ix_item_name", "item", schema::Index{"ix_item_name", {"name"}}, false, true);
  op.create_index("ix_item_owner", "item", {"owner_id"});
  auto create = to_ddl(op.ops()[0], pg(), fixture());
  ASSERT_EQ(create.size(), 1u);
  EXPECT_EQ(create[0].sql, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"ix_item_qty\" ON \"item\" (\"qty\")");
  EXPECT_TRUE(create[0].outside_transaction);
  auto drop = to_ddl(op.ops()[1], pg(), fixture());
  ASSERT_EQ(drop.size(), 1u);
  EXPECT_EQ(drop[0].sql, "DROP INDEX CONCURRENTLY \"ix_item_name\"");
  EXPECT_TRUE(drop[0].outside_transaction);
  auto plain = to_ddl(op.ops()[2], pg(), fixture());
  EXPECT_EQ(plain[0].sql, "CREATE INDEX \"ix_item_owner\" ON \"item\" (\"owner_id\")");
  EXPECT_FALSE(plain[0].outside_transaction);
  // SQLite has no concurrent build: the option is ignored there.
  auto lite = to_ddl(op.ops()[0], dialect::sqlite_dialect(), fixture());
  EXPECT_EQ(lite[0].sql, "CREATE UNIQUE INDEX IF NOT EXISTS \"ix_item_qty\" ON \"item\" (\"qty\")");
  EXPECT_FALSE(lite[0].outside_transaction);
  // reverse() keeps the option both ways; render() writes it.
  const auto back = std::get<ops::DropIndex>(reverse(op.ops()[0]));
  EXPECT_TRUE(back.postgresql_concurrently);
  EXPECT_TRUE(std::get<ops::CreateIndex>(reverse(back)).postgresql_concurrently);
  EXPECT_EQ(render(op.ops()[0], 0),
            "op.create_index(\"ix_item_qty\", \"item\", {\"qty\"}, {.unique = true, .if_not_exists = true, "
            ".postgresql_concurrently = true});\n");
  EXPECT_EQ(render(op.ops()[1], 0),
            "op.drop_index(\"ix_item_name\", \"item\", strata::schema::Index{\"ix_item_name\", {\"name\"}}, false, "
            "true);\n");
}

TEST(MigrateToDdlPostgresql, ExecuteTranslatesBindMarkers) {
  auto one = [](std::string sql, std::vector<Value> params) {
    auto s = to_ddl(ops::Execute{std::move(sql), std::move(params), std::nullopt}, pg(), fixture());
    EXPECT_EQ(s.size(), 1u);
    return s.front();
  };
  const Statement s = one("UPDATE item SET qty = ? WHERE id = ?", {"5", 1});
  EXPECT_EQ(s.sql, "UPDATE item SET qty = $1 WHERE id = $2");
  EXPECT_EQ(s.params, (std::vector<Value>{"5", 1}));
  // Not in literals, quoted identifiers, comments or dollar quotes.
  EXPECT_EQ(one("UPDATE \"a?\" SET b = '?', c = E'\\'?', d = ? -- why?\n/* what? /* nested? */ ? */ WHERE e = $$?$$ "
                "AND f = $x$ ? $x$ AND g = ?",
                {1, 2})
                .sql,
            "UPDATE \"a?\" SET b = '?', c = E'\\'?', d = $1 -- why?\n/* what? /* nested? */ ? */ WHERE e = $$?$$ "
            "AND f = $x$ ? $x$ AND g = $2");
  // Without parameters the SQL runs as written (jsonb's ? operator).
  EXPECT_EQ(one("SELECT '{\"a\":1}'::jsonb ? 'a'", {}).sql, "SELECT '{\"a\":1}'::jsonb ? 'a'");
  // The counts must agree.
  EXPECT_THROW((void)to_ddl(ops::Execute{"UPDATE item SET qty = ?", {1, 2}, std::nullopt}, pg(), fixture()),
               MigrationError);
  // SQLite keeps its own '?' untouched.
  EXPECT_EQ(to_ddl(ops::Execute{"UPDATE item SET qty = ?", {1}, std::nullopt}, dialect::sqlite_dialect(), fixture())
                .front()
                .sql,
            "UPDATE item SET qty = ?");
}

TEST(MigrateToDdlPostgresql, BulkInsertUsesNumberedPlaceholders) {
  auto bi = to_ddl(ops::BulkInsert{"item", {"id", "name"}, {{1, "a"}, {2, "b"}}}, pg(), fixture());
  ASSERT_EQ(bi.size(), 1u);
  EXPECT_EQ(bi[0].sql, "INSERT INTO \"item\" (\"id\", \"name\") VALUES ($1, $2), ($3, $4)");
  EXPECT_EQ(bi[0].params, (std::vector<Value>{1, "a", 2, "b"}));
  // Chunks of at most 65535 values (the protocol's limit), numbered from $1 in each.
  ops::BulkInsert big{"item", {"id", "name", "qty"}, {}};
  for (std::int64_t i = 0; i < 21845 + 2; ++i) big.rows.push_back({i, "n", "q"});
  auto stmts = to_ddl(big, pg(), fixture());
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[0].params.size(), 65535u);
  EXPECT_EQ(stmts[1].sql, "INSERT INTO \"item\" (\"id\", \"name\", \"qty\") VALUES ($1, $2, $3), ($4, $5, $6)");
}

namespace {

ScriptDirectory offline_scripts() {
  ScriptDirectory dir;
  dir.add(Script{{.id = "a1a1a1a1a1a1", .message = "create note"},
                 [](Operations& op) {
                   op.create_table(table("note",
                                         {column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
                                          column("body", SqlType::string(200)),
                                          column("kind", SqlType::enumeration("note_kind", {"a", "b"}))},
                                         {.primary_key = schema::PrimaryKeyConstraint{"pk_note", {"id"}}}));
                 },
                 [](Operations& op) { op.drop_table("note"); }});
  dir.add(Script{{.id = "b2b2b2b2b2b2", .down_revisions = {"a1a1a1a1a1a1"}, .message = "seed note"},
                 [](Operations& op) {
                   op.add_column("note", column("done", SqlType::boolean()));
                   op.execute("INSERT INTO note (id, body, done) VALUES (?, ?, ?)", {Value(1), Value("it's"), Value(true)});
                   op.create_index("ix_note_body", "note", {"body"}, {.postgresql_concurrently = true});
                 },
                 [](Operations& op) {
                   op.drop_index("ix_note_body", "note", {}, false, true);
                   op.drop_column("note", "done");
                 }});
  return dir;
}

}  // namespace

TEST(MigrateOfflinePostgresql, UpgradeSqlHasATransactionPerRevision) {
  auto dir = offline_scripts();
  MigrationContext ctx(create_engine("postgresql://nobody@127.0.0.1:1/never"), dir);  // never connects
  const std::string version_table =
      "CREATE TABLE \"strata_version\" (\n\t\"version_num\" VARCHAR(32) NOT NULL,\n"
      "\tCONSTRAINT \"strata_version_pkc\" PRIMARY KEY (\"version_num\")\n);\n\n";
  const std::string second =
      "BEGIN;\n\n"
      "-- Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2\n\n"
      "ALTER TABLE \"note\" ADD COLUMN \"done\" BOOLEAN;\n\n"
      "INSERT INTO note (id, body, done) VALUES (1, 'it''s', true);\n\n"
      "UPDATE \"strata_version\" SET \"version_num\" = 'b2b2b2b2b2b2' "
      "WHERE \"strata_version\".\"version_num\" = 'a1a1a1a1a1a1';\n\n"
      "COMMIT;\n\n"
      "CREATE INDEX CONCURRENTLY \"ix_note_body\" ON \"note\" (\"body\");\n\n";
  EXPECT_EQ(ctx.upgrade_sql("base", "head"),
            "BEGIN;\n\n" + version_table +
                "-- Running upgrade  -> a1a1a1a1a1a1\n\n"
                "CREATE TYPE \"note_kind\" AS ENUM ('a', 'b');\n\n"
                "CREATE TABLE \"note\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"body\" VARCHAR(200),\n"
                "\t\"kind\" \"note_kind\",\n\tCONSTRAINT \"pk_note\" PRIMARY KEY (\"id\")\n);\n\n"
                "INSERT INTO \"strata_version\" (\"version_num\") VALUES ('a1a1a1a1a1a1');\n\n"
                "COMMIT;\n\n" +
                second);
  EXPECT_EQ(ctx.upgrade_sql("a1a1a1a1a1a1", "head"), second);
  EXPECT_EQ(ctx.downgrade_sql("head", "base"),
            "BEGIN;\n\n"
            "-- Running downgrade b2b2b2b2b2b2 -> a1a1a1a1a1a1\n\n"
            "ALTER TABLE \"note\" DROP COLUMN \"done\";\n\n"
            "UPDATE \"strata_version\" SET \"version_num\" = 'a1a1a1a1a1a1' "
            "WHERE \"strata_version\".\"version_num\" = 'b2b2b2b2b2b2';\n\n"
            "COMMIT;\n\n"
            "DROP INDEX CONCURRENTLY \"ix_note_body\";\n\n"
            "BEGIN;\n\n"
            "-- Running downgrade a1a1a1a1a1a1 -> \n\n"
            "DROP TABLE \"note\";\n\n"
            "DROP TYPE \"note_kind\";\n\n"
            "DELETE FROM \"strata_version\" WHERE \"strata_version\".\"version_num\" = 'a1a1a1a1a1a1';\n\n"
            "DROP TABLE \"strata_version\";\n\n"
            "COMMIT;\n\n");
  // One transaction for the whole run when asked.
  MigrationContext whole(create_engine("postgresql://nobody@127.0.0.1:1/never"), dir,
                         {.transaction_per_revision = false});
  const std::string sql = whole.upgrade_sql("base", "head");
  EXPECT_EQ(sql.find("COMMIT;"), sql.rfind("COMMIT;")) << sql;
  EXPECT_TRUE(sql.ends_with("COMMIT;\n\nCREATE INDEX CONCURRENTLY \"ix_note_body\" ON \"note\" (\"body\");\n\n")) << sql;
}
