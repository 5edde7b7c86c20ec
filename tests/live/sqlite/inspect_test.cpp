// The SQLite inspector on real database files: what create_all builds from
// the seed models (and from a table with every column type) reads back equal
// to the models, up to the losses documented in dialect/inspector.hpp; and
// tables written by hand (quoted names, inline constraints, odd spacing) read
// back as expected.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/dialect/inspector.hpp"
#include "strata/strata.hpp"
#include "support/temp_db.hpp"

namespace {

using strata::SqlType;
using strata::TypeKind;
using strata::dialect::make_sqlite_inspector;
using strata::dialect::parse_sqlite_type;
namespace schema = strata::schema;

std::string dump(const schema::Table& t) {
  std::ostringstream o;
  o << "table " << t.name << "\n";
  for (const auto& c : t.columns) {
    o << "  " << c.name << " " << strata::to_string(c.type.kind) << " len=" << c.type.length.value_or(-1)
      << " p=" << c.type.precision.value_or(-1) << " s=" << c.type.scale.value_or(-1) << " tz=" << c.type.timezone
      << " enum=" << c.type.enum_name << "[";
    for (const auto& v : c.type.enum_values) o << v << ",";
    o << "] null=" << c.nullable << " pk=" << c.primary_key << " autoinc=" << c.autoincrement
      << " default=" << (c.server_default ? (c.server_default->kind == schema::ServerDefault::Kind::Now
                                                 ? std::string("now()")
                                                 : c.server_default->sql)
                                          : std::string("-"))
      << " onupdate=" << c.has_onupdate << " comment=" << c.comment << "\n";
  }
  if (t.primary_key) {
    o << "  pk " << t.primary_key->name << " (";
    for (const auto& c : t.primary_key->columns) o << c << ",";
    o << ")\n";
  }
  for (const auto& u : t.unique_constraints) {
    o << "  unique " << u.name << " (";
    for (const auto& c : u.columns) o << c << ",";
    o << ")\n";
  }
  for (const auto& fk : t.foreign_keys) {
    o << "  fk " << fk.name << " (";
    for (const auto& c : fk.columns) o << c << ",";
    o << ") -> " << fk.referred_table << " (";
    for (const auto& c : fk.referred_columns) o << c << ",";
    o << ") del=" << schema::to_sql(fk.on_delete) << " upd=" << schema::to_sql(fk.on_update) << "\n";
  }
  for (const auto& ck : t.checks) o << "  check " << ck.name << " " << ck.sqltext << "\n";
  for (const auto& ix : t.indexes) {
    o << "  index " << ix.name << " unique=" << ix.unique << " (";
    for (const auto& c : ix.columns) o << c << ",";
    o << ")\n";
  }
  return o.str();
}

// The model's table as SQLite can give it back (see dialect/inspector.hpp).
schema::Table sqlite_view(schema::Table t) {
  for (auto& c : t.columns) {
    if (c.type.kind == TypeKind::StringArray) c.type = SqlType::json();
    if (c.type.kind == TypeKind::DateTime) c.type.timezone = false;
    if (c.type.kind == TypeKind::Enum) c.type.enum_name.clear();
    if (c.autoincrement) c.type = SqlType::integer();
    c.comment.clear();
    c.has_onupdate = false;
  }
  return t;
}

class Inspect : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = strata::testing::TempDb("inspect");
    engine_ = strata::create_engine(db_.url());
  }
  // create_all(md), then every table read back equals the model's.
  void expect_round_trip(const schema::MetaData& md) {
    strata::create_all(engine_, md);
    auto conn = engine_.connect();
    auto insp = make_sqlite_inspector(conn.driver());
    const schema::MetaData back = insp->metadata();
    ASSERT_EQ(back.tables().size(), md.tables().size());
    for (const auto& t : md.tables()) {
      const schema::Table* got = back.find_table(t.name);
      ASSERT_NE(got, nullptr) << t.name;
      const schema::Table want = sqlite_view(t);
      EXPECT_EQ(*got, want) << "inspected:\n" << dump(*got) << "model:\n" << dump(want);
    }
  }
  void exec(const std::string& sql) {
    auto conn = engine_.connect();
    conn.execute_script(sql);
  }
  schema::Table inspect(const std::string& name) {
    auto conn = engine_.connect();
    return make_sqlite_inspector(conn.driver())->table(name);
  }

  strata::testing::TempDb db_;
  strata::Engine engine_ = strata::create_engine("sqlite://");
};

TEST_F(Inspect, SeedFullstackRoundTrips) {
  expect_round_trip(strata::model::metadata_of<seeds::fullstack::User, seeds::fullstack::Item>());
}

TEST_F(Inspect, SeedSchoolRoundTrips) {
  using namespace seeds::school;
  expect_round_trip(strata::model::metadata_of<UserType, User, Course, Enrollment>());
}

TEST_F(Inspect, SeedCatalogRoundTrips) {
  using namespace seeds::catalog;
  expect_round_trip(strata::model::metadata_of<Model, Benchmark, BenchmarkResult, Opinion, UseCase>());
}

schema::MetaData every_type() {
  schema::MetaData md;
  schema::Table parent;
  parent.name = "parent";
  parent.columns = {{"id", SqlType::integer(), false, true, true, {}, false, {}},
                    {"code", SqlType::string(20), false, false, false, {}, false, {}}};
  parent.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}};
  parent.unique_constraints = {{{}, {"code"}}};
  md.add_table(parent);

  schema::Table t;
  t.name = "every type";  // a name that needs quoting
  auto col = [](std::string n, SqlType ty, bool nullable = true) {
    schema::Column c;
    c.name = std::move(n);
    c.type = std::move(ty);
    c.nullable = nullable;
    return c;
  };
  t.columns = {col("k1", SqlType::uuid(), false),
               col("k2", SqlType::small_integer(), false),
               col("b", SqlType::boolean()),
               col("i", SqlType::integer()),
               col("bi", SqlType::big_integer()),
               col("f", SqlType::float_()),
               col("d", SqlType::double_()),
               col("n", SqlType::numeric()),
               col("n10", SqlType::numeric(10)),
               col("n10_2", SqlType::numeric(10, 2)),
               col("s", SqlType::string()),
               col("s255", SqlType::string(255), false),
               col("by", SqlType::bytes()),
               col("dt", SqlType::date()),
               col("tm", SqlType::time()),
               col("ts", SqlType::datetime()),
               col("tstz", SqlType::datetime(true)),
               col("js", SqlType::json()),
               col("arr", SqlType::string_array()),
               col("status", SqlType::enumeration("status", {"draft", "it's", "published"}), false),
               col("parent_id", SqlType::integer())};
  for (auto& c : t.columns)
    if (c.name == "k1" || c.name == "k2") c.primary_key = true;
  t.find_column("b")->server_default = schema::ServerDefault::text("0");
  t.find_column("i")->server_default = schema::ServerDefault::text("-12");
  t.find_column("s")->server_default = schema::ServerDefault::text("'it''s (a) test'");
  t.find_column("ts")->server_default = schema::ServerDefault::now();
  t.find_column("n10_2")->server_default = schema::ServerDefault::text("1.5 * 2");
  t.find_column("status")->server_default = schema::ServerDefault::text("'draft'");
  t.primary_key = schema::PrimaryKeyConstraint{"pk_every", {"k1", "k2"}};
  t.unique_constraints = {{{}, {"s255", "i"}}, {"uq_named", {"bi"}}};
  t.foreign_keys = {{{}, {"parent_id"}, "parent", {"id"}, schema::FkAction::SetNull, schema::FkAction::Cascade}};
  t.checks = {{"positive", "i > 0 AND \"bi\" <> ','"}, {"ck_every type_f", "f < (d + 1)"}};
  t.indexes = {{"ix_z", {"ts"}, false}, {{}, {"f", "d"}, true}, {"ix_a", {"dt"}, false}};
  md.add_table(t);
  return md;
}

TEST_F(Inspect, EveryTypeRoundTrips) { expect_round_trip(every_type()); }

TEST_F(Inspect, TableNamesSkipInternalAndVersionTables) {
  exec("CREATE TABLE strata_version (version_num VARCHAR(32) NOT NULL); CREATE TABLE b (x INTEGER PRIMARY KEY "
       "AUTOINCREMENT); CREATE TABLE \"A b\" (y TEXT)");  // AUTOINCREMENT creates sqlite_sequence
  auto conn = engine_.connect();
  auto insp = make_sqlite_inspector(conn.driver());
  EXPECT_EQ(insp->table_names(), (std::vector<std::string>{"A b", "b"}));
  EXPECT_EQ(insp->table_names({}), (std::vector<std::string>{"A b", "b", "strata_version"}));
  EXPECT_THROW(insp->table("nope"), strata::SchemaError);
}

TEST_F(Inspect, HandWrittenTable) {
  exec(R"(CREATE TABLE "Owner" ("Id" integer primary key, name text);
CREATE TABLE [weird "t"] (
  id INTEGER NOT NULL CONSTRAINT pk_w PRIMARY KEY,  -- comment, with (parens
  `Owner Id` int REFERENCES "Owner" ON DELETE CASCADE,
  code varchar( 12 ) UNIQUE DEFAULT ( 'a,b' ),
  amount decimal(8,3) default (1.50) check (amount >= 0),
  flag BOOLEAN DEFAULT TRUE,
  made timestamp DEFAULT (current_timestamp),
  /* block comment ) */ CONSTRAINT "ck_w" CHECK (length(code) > 2 AND code <> ')')
);
CREATE INDEX ix_w_made ON [weird "t"] (made DESC);
CREATE INDEX ix_expr ON [weird "t"] (lower(code));)");
  const schema::Table t = inspect("weird \"t\"");
  SCOPED_TRACE(dump(t));
  ASSERT_EQ(t.columns.size(), 6u);
  EXPECT_EQ(t.columns[0].name, "id");
  EXPECT_TRUE(t.columns[0].primary_key);
  EXPECT_FALSE(t.columns[0].autoincrement);
  EXPECT_EQ(t.columns[1].name, "Owner Id");
  EXPECT_EQ(t.columns[1].type, SqlType::integer());
  EXPECT_EQ(t.columns[2].type, SqlType::string(12));
  EXPECT_EQ(t.columns[2].server_default, schema::ServerDefault::text("'a,b'"));
  EXPECT_EQ(t.columns[3].type, SqlType::numeric(8, 3));
  EXPECT_EQ(t.columns[3].server_default, schema::ServerDefault::text("1.50"));
  EXPECT_EQ(t.columns[4].server_default, schema::ServerDefault::text("TRUE"));
  EXPECT_EQ(t.columns[5].type, SqlType::datetime());
  EXPECT_EQ(t.columns[5].server_default, schema::ServerDefault::now());
  ASSERT_TRUE(t.primary_key);
  EXPECT_EQ(t.primary_key->name, "pk_w");
  ASSERT_EQ(t.foreign_keys.size(), 1u);
  EXPECT_EQ(t.foreign_keys[0].columns, std::vector<std::string>{"Owner Id"});
  EXPECT_EQ(t.foreign_keys[0].referred_table, "Owner");
  EXPECT_EQ(t.foreign_keys[0].referred_columns, std::vector<std::string>{"Id"});  // implicit: the key
  EXPECT_EQ(t.foreign_keys[0].on_delete, schema::FkAction::Cascade);
  ASSERT_EQ(t.unique_constraints.size(), 1u);
  EXPECT_EQ(t.unique_constraints[0].name, "");
  EXPECT_EQ(t.unique_constraints[0].columns, std::vector<std::string>{"code"});
  ASSERT_EQ(t.checks.size(), 2u);
  EXPECT_EQ(t.checks[0].name, "");
  EXPECT_EQ(t.checks[0].sqltext, "amount >= 0");
  EXPECT_EQ(t.checks[1].name, "ck_w");
  EXPECT_EQ(t.checks[1].sqltext, "length(code) > 2 AND code <> ')'");
  ASSERT_EQ(t.indexes.size(), 1u);  // the expression index is skipped
  EXPECT_EQ(t.indexes[0].name, "ix_w_made");
  EXPECT_EQ(t.indexes[0].columns, std::vector<std::string>{"made"});
}

// metadata() reads every table's pragmas in one statement per pragma (joined
// with sqlite_master); table() alone reads them per table. Both give the same
// tables, whatever the shapes.
TEST_F(Inspect, MetadataReadsEachTableAsTableDoes) {
  exec(R"(CREATE TABLE "Owner" ("Id" integer primary key, name text, UNIQUE (name, "Id"));
CREATE TABLE [weird "t"] (
  id INTEGER NOT NULL CONSTRAINT pk_w PRIMARY KEY,  -- comment, with (parens
  `Owner Id` int REFERENCES "Owner" ON DELETE CASCADE,
  code varchar( 12 ) UNIQUE DEFAULT ( 'a,b' ),
  amount decimal(8,3) default (1.50) check (amount >= 0),
  flag BOOLEAN DEFAULT TRUE,
  made timestamp DEFAULT (current_timestamp),
  /* block comment ) */ CONSTRAINT "ck_w" CHECK (length(code) > 2 AND code <> ')')
);
CREATE INDEX ix_w_made ON [weird "t"] (made DESC);
CREATE INDEX ix_expr ON [weird "t"] (lower(code));
CREATE UNIQUE INDEX ix_w_code_flag ON [weird "t"] (flag, code);
CREATE TABLE kv (k TEXT NOT NULL, v BLOB, n INTEGER, CONSTRAINT pk_kv PRIMARY KEY (k, n)) WITHOUT ROWID;
CREATE TABLE link (
  a TEXT, b INTEGER, parent INTEGER REFERENCES link, owner INTEGER,
  CONSTRAINT fk_link_kv FOREIGN KEY (a, b) REFERENCES kv (k, n) ON UPDATE SET NULL,
  FOREIGN KEY (owner) REFERENCES "Owner"
);
CREATE INDEX ix_link_partial ON link (a) WHERE b > 0;
CREATE INDEX ix_link_b ON link (b);
CREATE TABLE empty_idx (x INTEGER);
CREATE TABLE status (s VARCHAR(5) CONSTRAINT ck_status_s_enum CHECK (s IN ('on', 'off')));)");
  auto conn = engine_.connect();
  auto insp = make_sqlite_inspector(conn.driver());
  const schema::MetaData all = insp->metadata();
  ASSERT_EQ(all.tables().size(), 6u);
  for (const auto& name : insp->table_names()) {
    const schema::Table* got = all.find_table(name);
    ASSERT_NE(got, nullptr) << name;
    schema::MetaData one;  // the same naming convention fills the names the database does not keep
    one.add_table(insp->table(name));
    EXPECT_EQ(*got, one.table(name)) << "metadata():\n" << dump(*got) << "table():\n" << dump(one.table(name));
  }
  const schema::Table& link = all.table("link");
  ASSERT_EQ(link.foreign_keys.size(), 3u);
  EXPECT_EQ(link.foreign_keys[0].referred_table, "link");  // a self-reference, to a table without a declared key
  EXPECT_EQ(link.foreign_keys[1].name, "fk_link_kv");
  EXPECT_EQ(link.foreign_keys[1].referred_columns, (std::vector<std::string>{"k", "n"}));
  EXPECT_EQ(link.foreign_keys[2].referred_columns, std::vector<std::string>{"Id"});  // implicit: the key
  ASSERT_EQ(all.table("kv").primary_key->columns, (std::vector<std::string>{"k", "n"}));
  EXPECT_EQ(all.table("status").columns[0].type, SqlType::enumeration({}, {"on", "off"}));
  const schema::Table& w = all.table("weird \"t\"");
  ASSERT_EQ(w.indexes.size(), 2u);  // the expression index is skipped, the others in creation order
  EXPECT_EQ(w.indexes[0].name, "ix_w_made");
  EXPECT_EQ(w.indexes[1].name, "ix_w_code_flag");
  EXPECT_TRUE(w.indexes[1].unique);
}

TEST(ParseSqliteType, StrataSpellingsAndAffinity) {
  EXPECT_EQ(parse_sqlite_type("INTEGER"), SqlType::integer());
  EXPECT_EQ(parse_sqlite_type("bigint"), SqlType::big_integer());
  EXPECT_EQ(parse_sqlite_type("SMALLINT"), SqlType::small_integer());
  EXPECT_EQ(parse_sqlite_type("BOOLEAN"), SqlType::boolean());
  EXPECT_EQ(parse_sqlite_type("FLOAT"), SqlType::float_());
  EXPECT_EQ(parse_sqlite_type("DOUBLE"), SqlType::double_());
  EXPECT_EQ(parse_sqlite_type("double  precision"), SqlType::double_());
  EXPECT_EQ(parse_sqlite_type("NUMERIC"), SqlType::numeric());
  EXPECT_EQ(parse_sqlite_type("NUMERIC(10)"), SqlType::numeric(10));
  EXPECT_EQ(parse_sqlite_type("NUMERIC(10, 2)"), SqlType::numeric(10, 2));
  EXPECT_EQ(parse_sqlite_type("VARCHAR(255)"), SqlType::string(255));
  EXPECT_EQ(parse_sqlite_type("TEXT"), SqlType::string());
  EXPECT_EQ(parse_sqlite_type("BLOB"), SqlType::bytes());
  EXPECT_EQ(parse_sqlite_type(""), SqlType::bytes());
  EXPECT_EQ(parse_sqlite_type("CHAR(32)"), SqlType::uuid());
  EXPECT_EQ(parse_sqlite_type("CHAR(2)"), SqlType::string(2));
  EXPECT_EQ(parse_sqlite_type("DATE"), SqlType::date());
  EXPECT_EQ(parse_sqlite_type("TIME"), SqlType::time());
  EXPECT_EQ(parse_sqlite_type("DATETIME"), SqlType::datetime());
  EXPECT_EQ(parse_sqlite_type("JSON"), SqlType::json());
  EXPECT_EQ(parse_sqlite_type("UNSIGNED BIG INT"), SqlType::integer());
  EXPECT_EQ(parse_sqlite_type("NATIVE CHARACTER(70)"), SqlType::string(70));
  EXPECT_EQ(parse_sqlite_type("WEIRDREAL"), SqlType::double_());
}

}  // namespace
