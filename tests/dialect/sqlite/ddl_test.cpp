// Golden DDL for the SQLite dialect (no database).
#include <gtest/gtest.h>

#include "strata/core/error.hpp"
#include "strata/dialect/sqlite.hpp"
#include "strata/schema/metadata.hpp"

namespace {

using namespace strata::schema;
using strata::SqlType;
using strata::TypeKind;

const strata::dialect::Dialect& d = strata::dialect::sqlite_dialect();

Column col(std::string name, SqlType t, bool nullable = true) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(t);
  c.nullable = nullable;
  return c;
}

TEST(SqliteTypes, EveryKind) {
  EXPECT_EQ(d.type_name(SqlType::boolean()), "BOOLEAN");
  EXPECT_EQ(d.type_name(SqlType::small_integer()), "SMALLINT");
  EXPECT_EQ(d.type_name(SqlType::integer()), "INTEGER");
  EXPECT_EQ(d.type_name(SqlType::big_integer()), "BIGINT");
  EXPECT_EQ(d.type_name(SqlType::float_()), "FLOAT");
  EXPECT_EQ(d.type_name(SqlType::double_()), "DOUBLE");
  EXPECT_EQ(d.type_name(SqlType::numeric()), "NUMERIC");
  EXPECT_EQ(d.type_name(SqlType::numeric(10)), "NUMERIC(10)");
  EXPECT_EQ(d.type_name(SqlType::numeric(10, 2)), "NUMERIC(10, 2)");
  EXPECT_EQ(d.type_name(SqlType::string()), "TEXT");
  EXPECT_EQ(d.type_name(SqlType::string(255)), "VARCHAR(255)");
  EXPECT_EQ(d.type_name(SqlType::bytes()), "BLOB");
  EXPECT_EQ(d.type_name(SqlType::uuid()), "CHAR(32)");
  EXPECT_EQ(d.type_name(SqlType::date()), "DATE");
  EXPECT_EQ(d.type_name(SqlType::time()), "TIME");
  EXPECT_EQ(d.type_name(SqlType::datetime()), "DATETIME");
  EXPECT_EQ(d.type_name(SqlType::datetime(true)), "DATETIME");
  EXPECT_EQ(d.type_name(SqlType::json()), "JSON");
  EXPECT_EQ(d.type_name(SqlType::string_array()), "JSON");
  EXPECT_EQ(d.type_name(SqlType::enumeration("status", {"draft", "published", "gone"})), "VARCHAR(9)");
  EXPECT_EQ(d.type_name(SqlType::enumeration("empty", {})), "VARCHAR(1)");
}

TEST(SqliteDefaults, ServerDefaultSql) {
  EXPECT_EQ(d.server_default_sql(ServerDefault::now()), "CURRENT_TIMESTAMP");
  for (const char* verbatim : {"0", "-1", "3.25", "1e-3", "'draft'", "'it''s'", "X'00FF'", "NULL", "true",
                               "CURRENT_DATE", "(datetime('now'))", "(1 + 2) * (3)"}) {
    const std::string want = std::string(verbatim) == "(1 + 2) * (3)" ? "((1 + 2) * (3))" : verbatim;
    EXPECT_EQ(d.server_default_sql(ServerDefault::text(verbatim)), want) << verbatim;
  }
  EXPECT_EQ(d.server_default_sql(ServerDefault::text("datetime('now')")), "(datetime('now'))");
  EXPECT_EQ(d.server_default_sql(ServerDefault::text("'a' || 'b'")), "('a' || 'b')");
  EXPECT_EQ(d.server_default_sql(ServerDefault::text("1 + 1")), "(1 + 1)");
  EXPECT_EQ(d.server_default_sql(ServerDefault::text("lower('X')")), "(lower('X'))");
}

TEST(SqliteDdl, EveryType) {
  Table t;
  t.name = "everything";
  t.columns = {col("b", SqlType::boolean()),        col("si", SqlType::small_integer()),
               col("i", SqlType::integer(), false), col("bi", SqlType::big_integer()),
               col("f", SqlType::float_()),         col("dbl", SqlType::double_()),
               col("n", SqlType::numeric(10, 2)),   col("s", SqlType::string(50)),
               col("txt", SqlType::string()),       col("by", SqlType::bytes()),
               col("u", SqlType::uuid()),           col("d", SqlType::date()),
               col("t", SqlType::time()),           col("dt", SqlType::datetime()),
               col("j", SqlType::json()),           col("arr", SqlType::string_array())};
  EXPECT_EQ(d.create_table(t), std::vector<std::string>{
                                   "CREATE TABLE \"everything\" (\n"
                                   "\t\"b\" BOOLEAN,\n"
                                   "\t\"si\" SMALLINT,\n"
                                   "\t\"i\" INTEGER NOT NULL,\n"
                                   "\t\"bi\" BIGINT,\n"
                                   "\t\"f\" FLOAT,\n"
                                   "\t\"dbl\" DOUBLE,\n"
                                   "\t\"n\" NUMERIC(10, 2),\n"
                                   "\t\"s\" VARCHAR(50),\n"
                                   "\t\"txt\" TEXT,\n"
                                   "\t\"by\" BLOB,\n"
                                   "\t\"u\" CHAR(32),\n"
                                   "\t\"d\" DATE,\n"
                                   "\t\"t\" TIME,\n"
                                   "\t\"dt\" DATETIME,\n"
                                   "\t\"j\" JSON,\n"
                                   "\t\"arr\" JSON\n"
                                   ")"});
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
  user.columns[4].server_default = ServerDefault::text("1");
  user.primary_key = PrimaryKeyConstraint{"", {"id"}};
  user.indexes = {Index{"", {"email"}, true}};
  md.add_table(user);

  Table item;
  item.name = "item";
  item.columns = {col("id", SqlType::integer(), false),
                  col("title", SqlType::string(255), false),
                  col("status", SqlType::enumeration("status", {"draft", "published"}), false),
                  col("created_at", SqlType::datetime(), false),
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

TEST(SqliteDdl, UserTableWithUniqueIndexAndDefault) {
  MetaData md = design_schema();
  EXPECT_EQ(d.create_table(md.table("user")),
            (std::vector<std::string>{"CREATE TABLE \"user\" (\n"
                                      "\t\"id\" CHAR(32) NOT NULL,\n"
                                      "\t\"email\" VARCHAR(255) NOT NULL,\n"
                                      "\t\"full_name\" VARCHAR(255),\n"
                                      "\t\"hashed_password\" TEXT NOT NULL,\n"
                                      "\t\"is_active\" BOOLEAN DEFAULT 1 NOT NULL,\n"
                                      "\tCONSTRAINT \"pk_user\" PRIMARY KEY (\"id\")\n"
                                      ")",
                                      "CREATE UNIQUE INDEX \"ix_user_email\" ON \"user\" (\"email\")"}));
}

TEST(SqliteDdl, ItemTableEveryConstraintKind) {
  MetaData md = design_schema();
  EXPECT_EQ(d.create_table(md.table("item"), true),
            (std::vector<std::string>{
                "CREATE TABLE IF NOT EXISTS \"item\" (\n"
                "\t\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                "\t\"title\" VARCHAR(255) NOT NULL,\n"
                "\t\"status\" VARCHAR(9) DEFAULT 'draft' NOT NULL,\n"
                "\t\"created_at\" DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,\n"
                "\t\"owner_id\" CHAR(32) NOT NULL,\n"
                "\t\"parent_id\" INTEGER,\n"
                "\tCONSTRAINT \"uq_item_owner_id_title\" UNIQUE (\"owner_id\", \"title\"),\n"
                "\tCONSTRAINT \"fk_item_owner_id_user\" FOREIGN KEY(\"owner_id\") REFERENCES \"user\" (\"id\") "
                "ON DELETE CASCADE,\n"
                "\tCONSTRAINT \"fk_item_parent_id_item\" FOREIGN KEY(\"parent_id\") REFERENCES \"item\" (\"id\") "
                "ON DELETE SET NULL ON UPDATE CASCADE,\n"
                "\tCONSTRAINT \"ck_item_title_len\" CHECK (length(title) > 0),\n"
                "\tCONSTRAINT \"ck_item_status_enum\" CHECK (\"status\" IN ('draft', 'published'))\n"
                ")",
                "CREATE INDEX IF NOT EXISTS \"ix_item_created_at\" ON \"item\" (\"created_at\")",
                "CREATE INDEX IF NOT EXISTS \"ix_item_status_created_at\" ON \"item\" (\"status\", \"created_at\")"}));
}

TEST(SqliteDdl, CompositePrimaryKeyAndRestrictSetDefault) {
  Table link;
  link.name = "item_tag";
  link.columns = {col("item_id", SqlType::integer()), col("tag_id", SqlType::big_integer())};
  link.primary_key = PrimaryKeyConstraint{"pk_item_tag", {"item_id", "tag_id"}};
  link.foreign_keys = {
      ForeignKeyConstraint{"fk_a", {"item_id"}, "item", {"id"}, FkAction::Restrict, FkAction::Restrict},
      ForeignKeyConstraint{"fk_b", {"tag_id"}, "tag", {"id"}, FkAction::SetDefault, FkAction::NoAction}};
  EXPECT_EQ(d.create_table(link),
            std::vector<std::string>{
                "CREATE TABLE \"item_tag\" (\n"
                "\t\"item_id\" INTEGER NOT NULL,\n"
                "\t\"tag_id\" BIGINT NOT NULL,\n"
                "\tCONSTRAINT \"pk_item_tag\" PRIMARY KEY (\"item_id\", \"tag_id\"),\n"
                "\tCONSTRAINT \"fk_a\" FOREIGN KEY(\"item_id\") REFERENCES \"item\" (\"id\") ON DELETE RESTRICT "
                "ON UPDATE RESTRICT,\n"
                "\tCONSTRAINT \"fk_b\" FOREIGN KEY(\"tag_id\") REFERENCES \"tag\" (\"id\") ON DELETE SET DEFAULT\n"
                ")"});
}

TEST(SqliteDdl, UnnamedConstraintsAndPkFromFlags) {
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

TEST(SqliteDdl, AutoincrementBigIntegerBecomesInteger) {
  Table t;
  t.name = "event";
  t.columns = {col("id", SqlType::big_integer(), false), col("payload", SqlType::json())};
  t.columns[0].primary_key = true;
  t.columns[0].autoincrement = true;
  t.primary_key = PrimaryKeyConstraint{"pk_event", {"id"}};
  EXPECT_EQ(d.create_table(t), std::vector<std::string>{"CREATE TABLE \"event\" (\n"
                                                        "\t\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                                                        "\t\"payload\" JSON\n"
                                                        ")"});
}

TEST(SqliteDdl, MisplacedAutoincrementThrowsNamingColumn) {
  Table t;
  t.name = "pair";
  t.columns = {col("a", SqlType::integer()), col("b", SqlType::integer())};
  t.columns[0].autoincrement = true;
  t.primary_key = PrimaryKeyConstraint{"pk_pair", {"a", "b"}};
  try {
    (void)d.create_table(t);
    FAIL() << "no throw";
  } catch (const strata::SchemaError& e) {
    EXPECT_STREQ(e.what(), "table 'pair' column 'a': autoincrement needs a single-column integer primary key");
  }
  t.primary_key = PrimaryKeyConstraint{"pk_pair", {"a"}};
  t.columns[0].type = SqlType::string(5);
  EXPECT_THROW((void)d.create_table(t), strata::SchemaError);
}

TEST(SqliteDdl, DropAndIndexes) {
  Table t;
  t.name = "user";
  EXPECT_EQ(d.drop_table(t), std::vector<std::string>{"DROP TABLE \"user\""});
  EXPECT_EQ(d.drop_table(t, true), std::vector<std::string>{"DROP TABLE IF EXISTS \"user\""});
  Index ix{"ix_user_a_b", {"a", "b"}, false};
  EXPECT_EQ(d.create_index("user", ix), R"(CREATE INDEX "ix_user_a_b" ON "user" ("a", "b"))");
  ix.unique = true;
  EXPECT_EQ(d.create_index("user", ix, true), R"(CREATE UNIQUE INDEX IF NOT EXISTS "ix_user_a_b" ON "user" ("a", "b"))");
  EXPECT_EQ(d.drop_index("user", ix), R"(DROP INDEX "ix_user_a_b")");
  EXPECT_EQ(d.drop_index("user", ix, true), R"(DROP INDEX IF EXISTS "ix_user_a_b")");
}

TEST(SqliteDdl, QuotedIdentifiersAndEnumValuesEscaped) {
  Table t;
  t.name = "we\"ird";
  t.columns = {col("mood", SqlType::enumeration("mood", {"it's", "ok"}), false)};
  EXPECT_EQ(d.create_table(t), std::vector<std::string>{"CREATE TABLE \"we\"\"ird\" (\n"
                                                        "\t\"mood\" VARCHAR(4) NOT NULL,\n"
                                                        "\tCONSTRAINT \"ck_we\"\"ird_mood_enum\" CHECK (\"mood\" IN "
                                                        "('it''s', 'ok'))\n"
                                                        ")"});
}

TEST(SqliteDdl, ColumnSpecForAddColumn) {
  const auto& sd = static_cast<const strata::dialect::SqliteDialect&>(d);
  Table t;
  t.name = "item";
  Column c = col("done", SqlType::boolean(), false);
  c.server_default = ServerDefault::text("0");
  EXPECT_EQ(sd.column_spec(t, c), R"("done" BOOLEAN DEFAULT 0 NOT NULL)");
  EXPECT_EQ(sd.enum_check_sql(c), "");
}

}  // namespace
