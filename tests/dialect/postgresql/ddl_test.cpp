// Golden DDL for the PostgreSQL dialect (no database). The tables mirror
// tests/dialect/sqlite/ddl_test.cpp so the two files can be read side by side.
#include <gtest/gtest.h>

#include "strata/core/error.hpp"
#include "strata/dialect/postgresql.hpp"
#include "strata/schema/metadata.hpp"

namespace {

using namespace strata::schema;
using strata::SqlType;
using strata::TypeKind;

const strata::dialect::Dialect& d = strata::dialect::postgresql_dialect();
const auto& pg = static_cast<const strata::dialect::PostgresqlDialect&>(d);

Column col(std::string name, SqlType t, bool nullable = true) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(t);
  c.nullable = nullable;
  return c;
}

std::string error_of(const auto& f) {
  try {
    f();
  } catch (const strata::SchemaError& e) {
    return e.what();
  }
  return "no SchemaError";
}

TEST(PostgresqlTypes, EveryKind) {
  EXPECT_EQ(d.type_name(SqlType::boolean()), "BOOLEAN");
  EXPECT_EQ(d.type_name(SqlType::small_integer()), "SMALLINT");
  EXPECT_EQ(d.type_name(SqlType::integer()), "INTEGER");
  EXPECT_EQ(d.type_name(SqlType::big_integer()), "BIGINT");
  EXPECT_EQ(d.type_name(SqlType::float_()), "REAL");
  EXPECT_EQ(d.type_name(SqlType::double_()), "DOUBLE PRECISION");
  EXPECT_EQ(d.type_name(SqlType::numeric()), "NUMERIC");
  EXPECT_EQ(d.type_name(SqlType::numeric(10)), "NUMERIC(10)");
  EXPECT_EQ(d.type_name(SqlType::numeric(10, 2)), "NUMERIC(10, 2)");
  EXPECT_EQ(d.type_name(SqlType::string()), "TEXT");
  EXPECT_EQ(d.type_name(SqlType::string(255)), "VARCHAR(255)");
  EXPECT_EQ(d.type_name(SqlType::bytes()), "BYTEA");
  EXPECT_EQ(d.type_name(SqlType::uuid()), "UUID");
  EXPECT_EQ(d.type_name(SqlType::date()), "DATE");
  EXPECT_EQ(d.type_name(SqlType::time()), "TIME WITHOUT TIME ZONE");
  EXPECT_EQ(d.type_name(SqlType::datetime()), "TIMESTAMP WITHOUT TIME ZONE");
  EXPECT_EQ(d.type_name(SqlType::datetime(true)), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(d.type_name(SqlType::json()), "JSONB");
  EXPECT_EQ(d.type_name(SqlType::string_array()), "TEXT[]");
  EXPECT_EQ(d.type_name(SqlType::enumeration("status", {"draft", "published"})), R"("status")");
  EXPECT_EQ(d.type_name(SqlType::enumeration("My\"Enum", {"a"})), R"("My""Enum")");
  EXPECT_THROW((void)d.type_name(SqlType::enumeration("", {"a"})), strata::SchemaError);
}

TEST(PostgresqlDefaults, ServerDefaultSql) {
  EXPECT_EQ(d.server_default_sql(ServerDefault::now()), "now()");
  for (const char* verbatim : {"0", "-1", "3.25", "'draft'", "'it''s'", "NULL", "true", "CURRENT_DATE",
                               "gen_random_uuid()", "'{}'::jsonb", "1 + 1"})
    EXPECT_EQ(d.server_default_sql(ServerDefault::text(verbatim)), verbatim) << verbatim;
}

TEST(PostgresqlDdl, EveryType) {
  Table t;
  t.name = "everything";
  t.columns = {col("b", SqlType::boolean()),        col("si", SqlType::small_integer()),
               col("i", SqlType::integer(), false), col("bi", SqlType::big_integer()),
               col("f", SqlType::float_()),         col("dbl", SqlType::double_()),
               col("n", SqlType::numeric(10, 2)),   col("s", SqlType::string(50)),
               col("txt", SqlType::string()),       col("by", SqlType::bytes()),
               col("u", SqlType::uuid()),           col("d", SqlType::date()),
               col("t", SqlType::time()),           col("dt", SqlType::datetime()),
               col("dtz", SqlType::datetime(true)), col("j", SqlType::json()),
               col("arr", SqlType::string_array())};
  EXPECT_EQ(d.create_table(t), std::vector<std::string>{
                                   "CREATE TABLE \"everything\" (\n"
                                   "\t\"b\" BOOLEAN,\n"
                                   "\t\"si\" SMALLINT,\n"
                                   "\t\"i\" INTEGER NOT NULL,\n"
                                   "\t\"bi\" BIGINT,\n"
                                   "\t\"f\" REAL,\n"
                                   "\t\"dbl\" DOUBLE PRECISION,\n"
                                   "\t\"n\" NUMERIC(10, 2),\n"
                                   "\t\"s\" VARCHAR(50),\n"
                                   "\t\"txt\" TEXT,\n"
                                   "\t\"by\" BYTEA,\n"
                                   "\t\"u\" UUID,\n"
                                   "\t\"d\" DATE,\n"
                                   "\t\"t\" TIME WITHOUT TIME ZONE,\n"
                                   "\t\"dt\" TIMESTAMP WITHOUT TIME ZONE,\n"
                                   "\t\"dtz\" TIMESTAMP WITH TIME ZONE,\n"
                                   "\t\"j\" JSONB,\n"
                                   "\t\"arr\" TEXT[]\n"
                                   ")"});
  EXPECT_EQ(d.drop_table(t), std::vector<std::string>{"DROP TABLE \"everything\""});
}

// The user / item pair of DESIGN.md, through MetaData so the naming convention applies.
MetaData design_schema() {
  MetaData md;
  Table user;
  user.name = "user";
  user.columns = {col("id", SqlType::uuid(), false), col("email", SqlType::string(255), false),
                  col("full_name", SqlType::string(255)), col("hashed_password", SqlType::string(), false),
                  col("is_active", SqlType::boolean(), false)};
  user.columns[0].primary_key = true;
  user.columns[4].server_default = ServerDefault::text("true");
  user.primary_key = PrimaryKeyConstraint{"", {"id"}};
  user.indexes = {Index{"", {"email"}, true}};
  md.add_table(user);

  Table item;
  item.name = "item";
  item.columns = {col("id", SqlType::integer(), false),
                  col("title", SqlType::string(255), false),
                  col("status", SqlType::enumeration("status", {"draft", "published"}), false),
                  col("created_at", SqlType::datetime(true), false),
                  col("owner_id", SqlType::uuid(), false),
                  col("parent_id", SqlType::integer())};
  item.columns[0].primary_key = true;
  item.columns[0].autoincrement = true;
  item.columns[2].server_default = ServerDefault::text("'draft'");
  item.columns[3].server_default = ServerDefault::now();
  item.primary_key = PrimaryKeyConstraint{"", {"id"}};
  item.unique_constraints = {UniqueConstraint{"", {"owner_id", "title"}}};
  item.foreign_keys = {
      ForeignKeyConstraint{"", {"owner_id"}, "user", {"id"}, FkAction::Cascade, FkAction::NoAction},
      ForeignKeyConstraint{"", {"parent_id"}, "item", {"id"}, FkAction::SetNull, FkAction::Cascade}};
  item.checks = {CheckConstraint{"title_len", "length(title) > 0"}};
  item.indexes = {Index{"", {"created_at"}, false}, Index{"", {"status", "created_at"}, false}};
  md.add_table(item);
  return md;
}

TEST(PostgresqlDdl, UserTableWithUniqueIndexAndDefault) {
  MetaData md = design_schema();
  EXPECT_EQ(d.create_table(md.table("user")),
            (std::vector<std::string>{"CREATE TABLE \"user\" (\n"
                                      "\t\"id\" UUID NOT NULL,\n"
                                      "\t\"email\" VARCHAR(255) NOT NULL,\n"
                                      "\t\"full_name\" VARCHAR(255),\n"
                                      "\t\"hashed_password\" TEXT NOT NULL,\n"
                                      "\t\"is_active\" BOOLEAN DEFAULT true NOT NULL,\n"
                                      "\tCONSTRAINT \"pk_user\" PRIMARY KEY (\"id\")\n"
                                      ")",
                                      "CREATE UNIQUE INDEX \"ix_user_email\" ON \"user\" (\"email\")"}));
}

TEST(PostgresqlDdl, ItemTableIdentityEnumEveryConstraintKind) {
  MetaData md = design_schema();
  EXPECT_EQ(d.create_table(md.table("item"), true),
            (std::vector<std::string>{
                "CREATE TYPE \"status\" AS ENUM ('draft', 'published')",
                "CREATE TABLE IF NOT EXISTS \"item\" (\n"
                "\t\"id\" INTEGER NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
                "\t\"title\" VARCHAR(255) NOT NULL,\n"
                "\t\"status\" \"status\" DEFAULT 'draft' NOT NULL,\n"
                "\t\"created_at\" TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,\n"
                "\t\"owner_id\" UUID NOT NULL,\n"
                "\t\"parent_id\" INTEGER,\n"
                "\tCONSTRAINT \"pk_item\" PRIMARY KEY (\"id\"),\n"
                "\tCONSTRAINT \"uq_item_owner_id_title\" UNIQUE (\"owner_id\", \"title\"),\n"
                "\tCONSTRAINT \"fk_item_owner_id_user\" FOREIGN KEY(\"owner_id\") REFERENCES \"user\" (\"id\") "
                "ON DELETE CASCADE,\n"
                "\tCONSTRAINT \"fk_item_parent_id_item\" FOREIGN KEY(\"parent_id\") REFERENCES \"item\" (\"id\") "
                "ON DELETE SET NULL ON UPDATE CASCADE,\n"
                "\tCONSTRAINT \"ck_item_title_len\" CHECK (length(title) > 0)\n"
                ")",
                "CREATE INDEX IF NOT EXISTS \"ix_item_created_at\" ON \"item\" (\"created_at\")",
                "CREATE INDEX IF NOT EXISTS \"ix_item_status_created_at\" ON \"item\" (\"status\", \"created_at\")"}));
  EXPECT_EQ(d.drop_table(md.table("item")),
            (std::vector<std::string>{"DROP TABLE \"item\"", "DROP TYPE \"status\""}));
  EXPECT_EQ(d.drop_table(md.table("item"), true),
            (std::vector<std::string>{"DROP TABLE IF EXISTS \"item\"", "DROP TYPE IF EXISTS \"status\""}));
}

TEST(PostgresqlDdl, EnumTypesCreatedOncePerNameInColumnOrder) {
  Table t;
  t.name = "task";
  t.columns = {col("state", SqlType::enumeration("state", {"todo", "done"}), false),
               col("prio", SqlType::enumeration("prio", {"low", "high"})),
               col("prev_state", SqlType::enumeration("state", {"todo", "done"}))};
  t.checks = {CheckConstraint{"ck_task_moved", "\"state\" != \"prev_state\""}};
  EXPECT_EQ(d.create_table(t), (std::vector<std::string>{"CREATE TYPE \"state\" AS ENUM ('todo', 'done')",
                                                         "CREATE TYPE \"prio\" AS ENUM ('low', 'high')",
                                                         "CREATE TABLE \"task\" (\n"
                                                         "\t\"state\" \"state\" NOT NULL,\n"
                                                         "\t\"prio\" \"prio\",\n"
                                                         "\t\"prev_state\" \"state\",\n"
                                                         "\tCONSTRAINT \"ck_task_moved\" CHECK (\"state\" != "
                                                         "\"prev_state\")\n"
                                                         ")"}));
  EXPECT_EQ(d.drop_table(t), (std::vector<std::string>{"DROP TABLE \"task\"", "DROP TYPE \"state\"",
                                                       "DROP TYPE \"prio\""}));
}

TEST(PostgresqlDdl, EnumErrorsNameTableAndColumn) {
  Table t;
  t.name = "task";
  t.columns = {col("state", SqlType::enumeration("state", {"todo", "done"})),
               col("other", SqlType::enumeration("state", {"todo"}))};
  EXPECT_EQ(error_of([&] { (void)d.create_table(t); }),
            "table 'task' column 'other': enum type 'state' is used with different values by another column");
  t.columns = {col("state", SqlType::enumeration("", {"todo"}))};
  EXPECT_EQ(error_of([&] { (void)d.create_table(t); }),
            "table 'task' column 'state': an Enum needs a type name on postgresql");
  EXPECT_THROW((void)pg.create_type_sql(SqlType::integer()), strata::SchemaError);
}

TEST(PostgresqlDdl, CompositePrimaryKeyCompositeUniqueAndRestrictSetDefault) {
  Table link;
  link.name = "item_tag";
  link.columns = {col("item_id", SqlType::integer()), col("tag_id", SqlType::big_integer()),
                  col("position", SqlType::small_integer(), false)};
  link.primary_key = PrimaryKeyConstraint{"pk_item_tag", {"item_id", "tag_id"}};
  link.unique_constraints = {UniqueConstraint{"uq_item_tag_item_id_position", {"item_id", "position"}}};
  link.foreign_keys = {
      ForeignKeyConstraint{"fk_a", {"item_id"}, "item", {"id"}, FkAction::Restrict, FkAction::Restrict},
      ForeignKeyConstraint{"fk_b", {"tag_id"}, "tag", {"id"}, FkAction::SetDefault, FkAction::NoAction}};
  link.checks = {CheckConstraint{"ck_item_tag_position", "position >= 0"}};
  link.indexes = {Index{"ix_item_tag_tag_id_item_id", {"tag_id", "item_id"}, true}};
  EXPECT_EQ(d.create_table(link),
            (std::vector<std::string>{
                "CREATE TABLE \"item_tag\" (\n"
                "\t\"item_id\" INTEGER NOT NULL,\n"
                "\t\"tag_id\" BIGINT NOT NULL,\n"
                "\t\"position\" SMALLINT NOT NULL,\n"
                "\tCONSTRAINT \"pk_item_tag\" PRIMARY KEY (\"item_id\", \"tag_id\"),\n"
                "\tCONSTRAINT \"uq_item_tag_item_id_position\" UNIQUE (\"item_id\", \"position\"),\n"
                "\tCONSTRAINT \"fk_a\" FOREIGN KEY(\"item_id\") REFERENCES \"item\" (\"id\") ON DELETE RESTRICT "
                "ON UPDATE RESTRICT,\n"
                "\tCONSTRAINT \"fk_b\" FOREIGN KEY(\"tag_id\") REFERENCES \"tag\" (\"id\") ON DELETE SET DEFAULT,\n"
                "\tCONSTRAINT \"ck_item_tag_position\" CHECK (position >= 0)\n"
                ")",
                "CREATE UNIQUE INDEX \"ix_item_tag_tag_id_item_id\" ON \"item_tag\" (\"tag_id\", \"item_id\")"}));
}

TEST(PostgresqlDdl, UnnamedConstraintsAndPkFromFlags) {
  Table t;
  t.name = "raw";
  t.columns = {col("k", SqlType::string(10)), col("v", SqlType::integer())};
  t.columns[0].primary_key = true;
  t.unique_constraints = {UniqueConstraint{"", {"v"}}};
  t.checks = {CheckConstraint{"", "v >= 0"}};
  EXPECT_EQ(d.create_table(t), std::vector<std::string>{"CREATE TABLE \"raw\" (\n"
                                                        "\t\"k\" VARCHAR(10) NOT NULL,\n"
                                                        "\t\"v\" INTEGER,\n"
                                                        "\tPRIMARY KEY (\"k\"),\n"
                                                        "\tUNIQUE (\"v\"),\n"
                                                        "\tCHECK (v >= 0)\n"
                                                        ")"});
}

TEST(PostgresqlDdl, IdentityKeepsBigIntAndPrimaryKey) {
  Table t;
  t.name = "event";
  t.columns = {col("id", SqlType::big_integer(), false), col("payload", SqlType::json())};
  t.columns[0].primary_key = true;
  t.columns[0].autoincrement = true;
  t.primary_key = PrimaryKeyConstraint{"pk_event", {"id"}};
  EXPECT_EQ(d.create_table(t), std::vector<std::string>{"CREATE TABLE \"event\" (\n"
                                                        "\t\"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
                                                        "\t\"payload\" JSONB,\n"
                                                        "\tCONSTRAINT \"pk_event\" PRIMARY KEY (\"id\")\n"
                                                        ")"});
}

TEST(PostgresqlDdl, MisplacedAutoincrementThrowsNamingColumn) {
  Table t;
  t.name = "pair";
  t.columns = {col("a", SqlType::integer()), col("b", SqlType::integer())};
  t.columns[0].autoincrement = true;
  t.primary_key = PrimaryKeyConstraint{"pk_pair", {"a", "b"}};
  EXPECT_EQ(error_of([&] { (void)d.create_table(t); }),
            "table 'pair' column 'a': autoincrement needs a single-column integer primary key");
  t.primary_key = PrimaryKeyConstraint{"pk_pair", {"a"}};
  t.columns[0].type = SqlType::string(5);
  EXPECT_THROW((void)d.create_table(t), strata::SchemaError);
  t.columns[0].type = SqlType::integer();
  t.columns[0].server_default = ServerDefault::text("0");
  EXPECT_EQ(error_of([&] { (void)d.create_table(t); }),
            "table 'pair' column 'a': autoincrement (identity) cannot have a server default");
}

TEST(PostgresqlDdl, IndexesAndTypes) {
  Index ix{"ix_user_a_b", {"a", "b"}, false};
  EXPECT_EQ(d.create_index("user", ix), R"(CREATE INDEX "ix_user_a_b" ON "user" ("a", "b"))");
  ix.unique = true;
  EXPECT_EQ(d.create_index("user", ix, true),
            R"(CREATE UNIQUE INDEX IF NOT EXISTS "ix_user_a_b" ON "user" ("a", "b"))");
  EXPECT_EQ(d.drop_index("user", ix), R"(DROP INDEX "ix_user_a_b")");
  EXPECT_EQ(d.drop_index("user", ix, true), R"(DROP INDEX IF EXISTS "ix_user_a_b")");
  EXPECT_EQ(pg.create_type_sql(SqlType::enumeration("mood", {"it's", "ok", "back\\slash"})),
            R"(CREATE TYPE "mood" AS ENUM ('it''s', 'ok', 'back\slash'))");
  EXPECT_EQ(pg.drop_type_sql("mood"), R"(DROP TYPE "mood")");
  EXPECT_EQ(pg.drop_type_sql("mood", true), R"(DROP TYPE IF EXISTS "mood")");
}

TEST(PostgresqlDdl, QuotedIdentifiers) {
  Table t;
  t.name = "we\"ird";
  t.columns = {col("mood", SqlType::enumeration("my mood", {"it's", "ok"}), false)};
  EXPECT_EQ(d.create_table(t), (std::vector<std::string>{"CREATE TYPE \"my mood\" AS ENUM ('it''s', 'ok')",
                                                         "CREATE TABLE \"we\"\"ird\" (\n"
                                                         "\t\"mood\" \"my mood\" NOT NULL\n"
                                                         ")"}));
}

TEST(PostgresqlDdl, ColumnSpecForAddColumn) {
  Table t;
  t.name = "item";
  Column c = col("done", SqlType::boolean(), false);
  c.server_default = ServerDefault::text("false");
  EXPECT_EQ(pg.column_spec(t, c), R"("done" BOOLEAN DEFAULT false NOT NULL)");
  Column tags = col("tags", SqlType::string_array(), false);
  tags.server_default = ServerDefault::text("'{}'");
  EXPECT_EQ(pg.column_spec(t, tags), R"("tags" TEXT[] DEFAULT '{}' NOT NULL)");
}

}  // namespace
