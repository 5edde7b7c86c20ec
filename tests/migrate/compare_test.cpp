// autogenerate's compare: in-memory MetaData pairs (each detection, exact
// messages, renames, destructive warnings, op order), and against a live
// SQLite database built by create_all (no false positives).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/dialect/inspector.hpp"
#include "strata/migrate/compare.hpp"
#include "strata/strata.hpp"
#include "support/temp_db.hpp"

namespace {

using strata::SqlType;
namespace schema = strata::schema;
namespace ops = strata::migrate::ops;
using strata::migrate::compare;
using strata::migrate::CompareOptions;
using strata::migrate::Diff;
using strata::migrate::same_server_default;
using Strings = std::vector<std::string>;

schema::Column col(std::string name, SqlType t, bool nullable = true) {
  schema::Column c;
  c.name = std::move(name);
  c.type = std::move(t);
  c.nullable = nullable;
  return c;
}

schema::Table table(std::string name, std::vector<schema::Column> cols) {
  schema::Table t;
  t.name = std::move(name);
  cols.insert(cols.begin(), col("id", SqlType::integer(), false));
  cols.front().primary_key = true;
  t.columns = std::move(cols);
  t.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}};
  return t;
}

schema::MetaData md(std::vector<schema::Table> tables) {
  schema::MetaData m;
  for (auto& t : tables) m.add_table(std::move(t));
  return m;
}

schema::Table user() { return table("user", {col("email", SqlType::string(255), false)}); }
schema::Table item() {
  auto t = table("item", {col("title", SqlType::string(255), false), col("owner_id", SqlType::integer(), false)});
  t.foreign_keys = {{{}, {"owner_id"}, "user", {"id"}, schema::FkAction::Cascade, schema::FkAction::NoAction}};
  return t;
}

std::string dump(const Diff& d) {
  std::string out = "messages:\n";
  for (const auto& m : d.messages) out += "  " + m + "\n";
  out += "warnings:\n";
  for (const auto& w : d.warnings) out += "  " + w + "\n";
  return out;
}

TEST(Compare, IdenticalSchemasGiveNothing) {
  const Diff d = compare(md({user(), item()}), md({user(), item()}));
  EXPECT_TRUE(d.empty()) << dump(d);
  EXPECT_TRUE(d.messages.empty());
  EXPECT_TRUE(d.warnings.empty());
}

TEST(Compare, AddedTablesInForeignKeyOrderDroppedInReverse) {
  const Diff add = compare(md({}), md({item(), user()}));
  ASSERT_EQ(add.ops.size(), 2u);
  EXPECT_EQ(std::get<ops::CreateTable>(add.ops[0]).table.name, "user");
  EXPECT_EQ(std::get<ops::CreateTable>(add.ops[1]).table.name, "item");
  EXPECT_EQ(add.messages, (Strings{"Detected added table 'user'", "Detected added table 'item'"}));
  EXPECT_TRUE(add.warnings.empty());

  const auto current = md({user(), item()});
  const Diff drop = compare(current, md({}));
  ASSERT_EQ(drop.ops.size(), 2u);
  const auto& d0 = std::get<ops::DropTable>(drop.ops[0]);
  EXPECT_EQ(d0.table_name, "item");
  EXPECT_EQ(d0.table, *current.find_table("item"));  // recorded for reverse()
  EXPECT_EQ(std::get<ops::DropTable>(drop.ops[1]).table_name, "user");
  EXPECT_EQ(drop.messages, (Strings{"Detected removed table 'item'", "Detected removed table 'user'"}));
  EXPECT_EQ(drop.warnings,
            (Strings{"drop table 'item' deletes its rows", "drop table 'user' deletes its rows"}));
}

TEST(Compare, AddedAndRemovedColumns) {
  auto t2 = item();
  t2.columns.push_back(col("is_completed", SqlType::boolean(), false));
  t2.columns.back().server_default = schema::ServerDefault::text("0");
  const Diff d = compare(md({user(), item()}), md({user(), t2}));
  ASSERT_EQ(d.ops.size(), 1u);
  EXPECT_EQ(std::get<ops::AddColumn>(d.ops[0]), (ops::AddColumn{"item", t2.columns.back()}));
  EXPECT_EQ(d.messages, Strings{"Detected added column 'item.is_completed'"});
  EXPECT_TRUE(d.warnings.empty()) << dump(d);

  const Diff back = compare(md({user(), t2}), md({user(), item()}));
  ASSERT_EQ(back.ops.size(), 1u);
  const auto& dc = std::get<ops::DropColumn>(back.ops[0]);
  EXPECT_EQ(dc.column_name, "is_completed");
  EXPECT_EQ(dc.column, t2.columns.back());
  EXPECT_EQ(back.messages, Strings{"Detected removed column 'item.is_completed'"});
  EXPECT_EQ(back.warnings, Strings{"drop column 'item.is_completed' deletes its data"});
}

TEST(Compare, AddedNotNullColumnWithoutDefaultWarns) {
  auto t2 = user();
  t2.columns.push_back(col("name", SqlType::string(), false));
  const Diff d = compare(md({user()}), md({t2}));
  EXPECT_EQ(d.warnings,
            Strings{"added column 'user.name' is NOT NULL without a server default: fails if the table has rows"});
}

TEST(Compare, TypeChangeAndNarrowing) {
  auto t2 = user();
  t2.columns[1].type = SqlType::string(100);
  const Diff d = compare(md({user()}), md({t2}));
  ASSERT_EQ(d.ops.size(), 1u);
  const auto& a = std::get<ops::AlterColumn>(d.ops[0]);
  EXPECT_EQ(a.table_name, "user");
  EXPECT_EQ(a.column_name, "email");
  EXPECT_EQ(a.type, SqlType::string(100));
  EXPECT_EQ(a.existing_type, SqlType::string(255));
  EXPECT_EQ(a.existing_nullable, false);
  EXPECT_FALSE(a.nullable);
  EXPECT_FALSE(a.server_default);
  EXPECT_EQ(d.messages, Strings{"Detected type change from String(255) to String(100) on 'user.email'"});
  EXPECT_EQ(d.warnings, Strings{"type change of 'user.email' from String(255) to String(100) narrows it: "
                                "existing values may not fit"});

  // Widening is not destructive.
  const Diff wide = compare(md({t2}), md({user()}));
  EXPECT_EQ(wide.ops.size(), 1u);
  EXPECT_TRUE(wide.warnings.empty());

  auto big = user();
  big.columns.push_back(col("n", SqlType::big_integer()));
  auto small = user();
  small.columns.push_back(col("n", SqlType::integer()));
  CompareOptions sqlite;
  sqlite.dialect = &strata::dialect::sqlite_dialect();
  const Diff narrow = compare(md({big}), md({small}), sqlite);
  EXPECT_EQ(narrow.messages, Strings{"Detected type change from BIGINT to INTEGER on 'user.n'"});
  EXPECT_EQ(narrow.warnings.size(), 1u);
}

TEST(Compare, DialectTypesHideWhatTheDatabaseCannotTell) {
  auto a = user();
  a.columns.push_back(col("tags", SqlType::json()));
  a.columns.push_back(col("at", SqlType::datetime(false)));
  a.columns.push_back(col("st", SqlType::enumeration("", {"a", "b"})));
  auto b = user();
  b.columns.push_back(col("tags", SqlType::string_array()));
  b.columns.push_back(col("at", SqlType::datetime(true)));
  b.columns.push_back(col("st", SqlType::enumeration("status", {"a", "b"})));
  EXPECT_EQ(compare(md({a}), md({b})).ops.size(), 3u);  // exact without a dialect
  CompareOptions sqlite;
  sqlite.dialect = &strata::dialect::sqlite_dialect();
  EXPECT_TRUE(compare(md({a}), md({b}), sqlite).empty());
  b.columns.back().type.enum_values.push_back("c");
  const Diff d = compare(md({a}), md({b}), sqlite);
  EXPECT_EQ(d.messages, Strings{"Detected type change from Enum('a', 'b') to Enum('a', 'b', 'c') on 'user.st'"});
  EXPECT_TRUE(d.warnings.empty());
}

TEST(Compare, NullableChanges) {
  auto t2 = user();
  t2.columns[1].nullable = true;
  const Diff d = compare(md({user()}), md({t2}));
  EXPECT_EQ(d.messages, Strings{"Detected NULL on column 'user.email'"});
  EXPECT_EQ(std::get<ops::AlterColumn>(d.ops[0]).nullable, true);
  EXPECT_TRUE(d.warnings.empty());

  const Diff back = compare(md({t2}), md({user()}));
  EXPECT_EQ(back.messages, Strings{"Detected NOT NULL on column 'user.email'"});
  EXPECT_EQ(back.warnings,
            Strings{"column 'user.email' becomes NOT NULL without a server default: fails if a row holds NULL"});

  auto with_default = user();
  with_default.columns[1].server_default = schema::ServerDefault::text("''");
  auto nullable_default = with_default;
  nullable_default.columns[1].nullable = true;
  EXPECT_TRUE(compare(md({nullable_default}), md({with_default})).warnings.empty());
}

TEST(Compare, ServerDefaultsCanonical) {
  using SD = schema::ServerDefault;
  EXPECT_TRUE(same_server_default(SD::now(), SD::text("CURRENT_TIMESTAMP")));
  EXPECT_TRUE(same_server_default(SD::now(), SD::text("now()")));
  EXPECT_TRUE(same_server_default(SD::text("(now( ))"), SD::text("current_timestamp")));
  EXPECT_TRUE(same_server_default(SD::text("0"), SD::text("'0'")));
  EXPECT_TRUE(same_server_default(SD::text("1.0"), SD::text("(1)")));
  EXPECT_TRUE(same_server_default(SD::text("TRUE"), SD::text("1")));
  EXPECT_TRUE(same_server_default(SD::text("'draft'"), SD::text("('draft')")));
  EXPECT_TRUE(same_server_default(SD::text("lower( 'X' )"), SD::text("(LOWER('X'))")));
  EXPECT_TRUE(same_server_default(std::nullopt, std::nullopt));
  EXPECT_FALSE(same_server_default(SD::text("'X'"), SD::text("'x'")));
  EXPECT_FALSE(same_server_default(SD::text("1"), SD::text("2")));
  EXPECT_FALSE(same_server_default(SD::text("0"), std::nullopt));

  auto a = user();
  a.columns.push_back(col("n", SqlType::integer()));
  auto b = a;
  b.columns.back().server_default = SD::text("0");
  const Diff add = compare(md({a}), md({b}));
  EXPECT_EQ(add.messages, Strings{"Detected server default on column 'user.n'"});
  const auto& alter = std::get<ops::AlterColumn>(add.ops[0]);
  EXPECT_EQ(alter.server_default, std::optional<std::optional<SD>>(SD::text("0")));
  EXPECT_EQ(alter.existing_server_default, std::optional<std::optional<SD>>(std::optional<SD>{}));
  const Diff removed = compare(md({b}), md({a}));
  EXPECT_EQ(removed.messages, Strings{"Detected removed server default on column 'user.n'"});
  EXPECT_EQ(std::get<ops::AlterColumn>(removed.ops[0]).server_default,
            std::optional<std::optional<SD>>(std::optional<SD>{}));
}

TEST(Compare, IndexesUniquesForeignKeysChecks) {
  auto t2 = item();
  t2.indexes = {{{}, {"title"}, false}};
  t2.unique_constraints = {{"uq_item_owner_id_title", {"owner_id", "title"}}};
  t2.foreign_keys[0].on_delete = schema::FkAction::SetNull;
  t2.checks = {{"title_len", "length(title) > 0"}};
  const Diff d = compare(md({user(), item()}), md({user(), t2}));
  EXPECT_EQ(d.messages, (Strings{"Detected removed foreign key 'fk_item_owner_id_user' on 'item'",
                                 "Detected added unique constraint 'uq_item_owner_id_title' on 'item' (owner_id, title)",
                                 "Detected added foreign key 'fk_item_owner_id_user' on 'item' (owner_id) -> user (id)",
                                 "Detected added check constraint 'ck_item_title_len' on 'item'",
                                 "Detected added index 'ix_item_title' on 'item' (title)"}))
      << dump(d);
  ASSERT_EQ(d.ops.size(), 5u);
  EXPECT_EQ(std::get<ops::DropConstraint>(d.ops[0]).kind, ops::ConstraintKind::ForeignKey);
  EXPECT_TRUE(std::holds_alternative<ops::CreateUniqueConstraint>(d.ops[1]));
  EXPECT_EQ(std::get<ops::CreateForeignKey>(d.ops[2]).constraint.on_delete, schema::FkAction::SetNull);
  EXPECT_EQ(std::get<ops::CreateCheckConstraint>(d.ops[3]).constraint.sqltext, "length(title) > 0");
  EXPECT_EQ(std::get<ops::CreateIndex>(d.ops[4]).index.name, "ix_item_title");

  const Diff back = compare(md({user(), t2}), md({user(), item()}));
  EXPECT_EQ(back.messages, (Strings{"Detected removed index 'ix_item_title' on 'item'",
                                    "Detected removed foreign key 'fk_item_owner_id_user' on 'item'",
                                    "Detected removed unique constraint 'uq_item_owner_id_title' on 'item'",
                                    "Detected removed check constraint 'ck_item_title_len' on 'item'",
                                    "Detected added foreign key 'fk_item_owner_id_user' on 'item' (owner_id) -> user (id)"}))
      << dump(back);
  const auto& dropped = std::get<ops::DropConstraint>(back.ops[2]);
  EXPECT_EQ(dropped.constraint, ops::AnyConstraint{t2.unique_constraints[0]});
  // Same check, other spacing: no change.
  auto t3 = t2;
  t3.checks[0].sqltext = "length(title)  >\n0 ";
  EXPECT_TRUE(compare(md({user(), t2}), md({user(), t3})).empty());
}

TEST(Compare, ColumnRenameIsACandidateUntilConfirmed) {
  auto before = user();
  before.columns.push_back(col("name", SqlType::string(50)));
  auto after = user();
  after.columns.push_back(col("full_name", SqlType::string(50)));
  const Diff d = compare(md({before}), md({after}));
  ASSERT_EQ(d.ops.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ops::AddColumn>(d.ops[0]));
  EXPECT_TRUE(std::holds_alternative<ops::DropColumn>(d.ops[1]));
  EXPECT_EQ(d.warnings, (Strings{"possible rename of column 'user.name' to 'user.full_name': confirm with --rename "
                                 "user.name:full_name",
                                 "drop column 'user.name' deletes its data"}));

  CompareOptions opt;
  opt.confirmed_renames = {{"user.name", "full_name"}};
  after.columns.back().type = SqlType::string(100);
  const Diff r = compare(md({before}), md({after}), opt);
  ASSERT_EQ(r.ops.size(), 2u) << dump(r);
  const auto& rename = std::get<ops::AlterColumn>(r.ops[0]);
  EXPECT_EQ(rename.column_name, "name");
  EXPECT_EQ(rename.new_column_name, "full_name");
  EXPECT_EQ(rename.existing_type, SqlType::string(50));
  EXPECT_EQ(std::get<ops::AlterColumn>(r.ops[1]).column_name, "full_name");
  EXPECT_EQ(r.messages, (Strings{"Detected renamed column 'user.name' to 'user.full_name'",
                                 "Detected type change from String(50) to String(100) on 'user.full_name'"}));
  EXPECT_TRUE(r.warnings.empty()) << dump(r);
}

TEST(Compare, RenamedColumnKeepsItsIndex) {
  auto before = user();
  before.columns.push_back(col("name", SqlType::string(50)));
  before.unique_constraints = {{"uq_user_name", {"name"}}};
  auto after = user();
  after.columns.push_back(col("full_name", SqlType::string(50)));
  after.unique_constraints = {{"uq_user_name", {"full_name"}}};
  CompareOptions opt;
  opt.confirmed_renames = {{"user.name", "full_name"}};
  const Diff r = compare(md({before}), md({after}), opt);
  EXPECT_EQ(r.ops.size(), 1u) << dump(r);
}

TEST(Compare, TableRenameIsACandidateUntilConfirmed) {
  auto users = user();
  users.name = "users";
  const Diff d = compare(md({user()}), md({users}));
  ASSERT_EQ(d.ops.size(), 2u);
  EXPECT_EQ(d.warnings, (Strings{"possible rename of table 'user' to 'users': confirm with --rename user:users",
                                 "drop table 'user' deletes its rows"}));
  CompareOptions opt;
  opt.confirmed_renames = {{"user", "users"}};
  const Diff r = compare(md({user()}), md({users}), opt);
  ASSERT_EQ(r.ops.size(), 1u) << dump(r);
  EXPECT_EQ(std::get<ops::RenameTable>(r.ops[0]), (ops::RenameTable{"user", "users"}));
  EXPECT_EQ(r.messages, Strings{"Detected renamed table 'user' to 'users'"});
  EXPECT_TRUE(r.warnings.empty());

  opt.confirmed_renames = {{"nope", "users"}};
  const Diff bad = compare(md({user()}), md({users}), opt);
  EXPECT_EQ(bad.warnings.front(),
            "confirmed rename of table 'nope' to 'users' does not match a removed and an added table; ignored");
}

TEST(Compare, OpOrderWithinATableAndAcrossTables) {
  auto cur_item = item();
  cur_item.columns.push_back(col("old", SqlType::integer()));
  cur_item.indexes = {{"ix_old", {"old"}, false}};
  auto cur_zeta = table("zeta", {});
  auto tgt_item = item();
  tgt_item.columns[1].nullable = true;
  tgt_item.columns.push_back(col("new", SqlType::string()));
  tgt_item.indexes = {{"ix_new", {"new"}, false}};
  auto tgt_alpha = table("alpha", {col("item_id", SqlType::integer())});
  tgt_alpha.foreign_keys = {{{}, {"item_id"}, "item", {"id"}, schema::FkAction::NoAction, schema::FkAction::NoAction}};
  const Diff d = compare(md({user(), cur_item, cur_zeta}), md({tgt_alpha, user(), tgt_item}));
  EXPECT_EQ(d.messages, (Strings{"Detected added table 'alpha'", "Detected removed index 'ix_old' on 'item'",
                                 "Detected added column 'item.new'", "Detected NULL on column 'item.title'",
                                 "Detected removed column 'item.old'", "Detected added index 'ix_new' on 'item' (new)",
                                 "Detected removed table 'zeta'"}))
      << dump(d);
  EXPECT_EQ(d.ops.size(), d.messages.size());
}

// --- against a live SQLite database ---------------------------------------------

template <class... T>
void expect_no_drift() {
  strata::testing::TempDb db("compare_live");
  auto engine = strata::create_engine(db.url());
  const auto models = strata::model::metadata_of<T...>();
  strata::create_all(engine, models);
  auto conn = engine.connect();
  const auto current = strata::dialect::make_sqlite_inspector(conn.driver())->metadata();
  CompareOptions opt;
  opt.dialect = &conn.dialect();
  const Diff d = compare(current, models, opt);
  EXPECT_TRUE(d.empty()) << dump(d);
  EXPECT_TRUE(d.warnings.empty()) << dump(d);
}

TEST(CompareLive, SeedSchemasHaveNoFalsePositives) {
  expect_no_drift<seeds::fullstack::User, seeds::fullstack::Item>();
  using namespace seeds::school;
  expect_no_drift<UserType, User, Course, Enrollment>();
  using namespace seeds::catalog;
  expect_no_drift<Model, Benchmark, BenchmarkResult, Opinion, UseCase>();
}

TEST(CompareLive, HandWrittenSchemaMatchesEquivalentModel) {
  strata::testing::TempDb db("compare_hand");
  auto engine = strata::create_engine(db.url());
  {
    auto c = engine.connect();
    c.execute_script(
        "CREATE TABLE \"user\" (id INTEGER NOT NULL PRIMARY KEY, email varchar(255) NOT NULL, "
        "active boolean DEFAULT (TRUE) NOT NULL, score numeric(5, 2) DEFAULT '1.50', "
        "created datetime DEFAULT (datetime('now')));"
        "CREATE UNIQUE INDEX ix_user_email ON \"user\" (email)");
  }
  auto t = table("user", {col("email", SqlType::string(255), false), col("active", SqlType::boolean(), false),
                          col("score", SqlType::numeric(5, 2)), col("created", SqlType::datetime())});
  t.find_column("active")->server_default = schema::ServerDefault::text("1");
  t.find_column("score")->server_default = schema::ServerDefault::text("1.5");
  t.find_column("created")->server_default = schema::ServerDefault::now();
  t.indexes = {{{}, {"email"}, true}};
  const auto target = md({t});
  auto conn = engine.connect();
  CompareOptions opt;
  opt.dialect = &conn.dialect();
  const Diff d = compare(strata::dialect::make_sqlite_inspector(conn.driver())->metadata(), target, opt);
  EXPECT_TRUE(d.empty()) << dump(d);

  // A real change on top is found.
  t.find_column("email")->type = SqlType::string(100);
  const Diff change = compare(strata::dialect::make_sqlite_inspector(conn.driver())->metadata(), md({t}), opt);
  EXPECT_EQ(change.messages, Strings{"Detected type change from VARCHAR(255) to VARCHAR(100) on 'user.email'"});
}

}  // namespace
