// The PostgreSQL inspector on a real server (one fresh database per test):
// what create_all builds from a table of every type reads back equal to the
// model, up to the losses documented in src/dialect/postgresql/inspect.cpp;
// tables written by hand read back in the documented canonical forms (types,
// server defaults, identity / serial, constraints, indexes, enums).
//
// This executable does not link strata::migrate, so the round trip compares
// the tables field by field (Table's ==, stricter than migrate::compare,
// which also tolerates other spellings of one server default).
#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "strata/dialect/inspector.hpp"
#include "strata/dialect/postgresql.hpp"
#include "strata/strata.hpp"
#include "support/database.hpp"

namespace {

using strata::SqlType;
using strata::TypeKind;
using strata::dialect::make_postgresql_inspector;
using strata::testing::Backend;
using strata::testing::TestDatabase;
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
      << "\n";
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

schema::Column col(std::string name, SqlType type, bool nullable = true) {
  schema::Column c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.nullable = nullable;
  return c;
}

// The model's table as PostgreSQL gives it back (see inspect.cpp): only what
// the database does not store is cleared.
schema::Table postgresql_view(schema::Table t) {
  for (auto& c : t.columns) {
    c.comment.clear();
    c.has_onupdate = false;
  }
  return t;
}

class PgInspect : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!strata::testing::postgresql_server_url()) {
      if (strata::testing::running_in_ci()) GTEST_FAIL() << "CI=true but no PostgreSQL server: DATABASE_URL is not set";
      GTEST_SKIP() << "no PostgreSQL server (DATABASE_URL is not set; scripts/test starts one)";
    }
    std::string stem = std::string("insp_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& ch : stem)
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    db_ = TestDatabase(Backend::postgresql, stem);
    engine_ = strata::create_engine(db_.url());
  }

  void exec(const std::string& sql) {
    auto conn = engine_->connect();
    conn.execute_script(sql);
  }
  schema::Table inspect(const std::string& name) {
    auto conn = engine_->connect();
    return make_postgresql_inspector(conn.driver())->table(name);
  }
  schema::MetaData inspect_all(const std::vector<std::string>& exclude = {"strata_version"}) {
    auto conn = engine_->connect();
    return make_postgresql_inspector(conn.driver())->metadata(exclude);
  }
  // create_all(md), then every table read back equals the model's.
  void expect_round_trip(const schema::MetaData& md) {
    strata::create_all(*engine_, md);
    const schema::MetaData back = inspect_all();
    ASSERT_EQ(back.tables().size(), md.tables().size());
    for (const auto& t : md.tables()) {
      const schema::Table* got = back.find_table(t.name);
      ASSERT_NE(got, nullptr) << t.name;
      const schema::Table want = postgresql_view(t);
      EXPECT_EQ(*got, want) << "inspected:\n" << dump(*got) << "model:\n" << dump(want);
      // table() reads the same as metadata().
      EXPECT_EQ(inspect(t.name), *got) << t.name;
    }
  }

  TestDatabase db_;
  std::optional<strata::Engine> engine_;
};

// Every column type, the four kinds of default the brief names (now(), a
// string, 0, true), an identity key, unique, foreign keys with CASCADE and SET
// NULL, checks in PostgreSQL's own spelling, a composite and a unique index,
// an enum (with a quote in a value), and names that need quoting.
schema::MetaData every_type() {
  schema::MetaData md;
  schema::Table parent;
  parent.name = "parent";
  parent.columns = {col("id", SqlType::integer(), false), col("code", SqlType::string(20), false)};
  parent.columns[0].primary_key = true;
  parent.columns[0].autoincrement = true;
  parent.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}};
  parent.unique_constraints = {{{}, {"code"}}};
  md.add_table(parent);

  schema::Table t;
  t.name = "every type";
  t.columns = {col("id", SqlType::big_integer(), false),
               col("flag", SqlType::boolean(), false),
               col("small", SqlType::small_integer()),
               col("qty", SqlType::integer(), false),
               col("neg", SqlType::integer()),
               col("f", SqlType::float_()),
               col("d", SqlType::double_()),
               col("n", SqlType::numeric()),
               col("n10", SqlType::numeric(10)),
               col("n10_2", SqlType::numeric(10, 2)),
               col("body", SqlType::string()),
               col("title", SqlType::string(255), false),
               col("raw", SqlType::bytes()),
               col("uid", SqlType::uuid()),
               col("day", SqlType::date()),
               col("at", SqlType::time()),
               col("created", SqlType::datetime(), false),
               col("seen", SqlType::datetime(true)),
               col("doc", SqlType::json()),
               col("tags", SqlType::string_array(), false),
               col("status", SqlType::enumeration("status", {"draft", "it's", "published"}), false),
               col("Parent Id", SqlType::integer()),
               col("owner_id", SqlType::integer())};
  t.columns[0].primary_key = true;
  t.columns[0].autoincrement = true;
  auto def = [&](const char* c, schema::ServerDefault d) { t.find_column(c)->server_default = std::move(d); };
  def("flag", schema::ServerDefault::text("true"));
  def("qty", schema::ServerDefault::text("0"));
  def("neg", schema::ServerDefault::text("-12"));
  def("d", schema::ServerDefault::text("2.5"));
  def("n10_2", schema::ServerDefault::text("1.50"));
  def("body", schema::ServerDefault::text("'it''s (a) test'"));
  def("title", schema::ServerDefault::text("'untitled'"));
  def("created", schema::ServerDefault::now());
  def("seen", schema::ServerDefault::now());
  def("doc", schema::ServerDefault::text("'{}'"));
  def("tags", schema::ServerDefault::text("'{}'"));
  def("status", schema::ServerDefault::text("'draft'"));
  t.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}};
  t.unique_constraints = {{{}, {"title", "n10"}}, {"uq_named", {"uid"}}};
  t.foreign_keys = {
      {{}, {"Parent Id"}, "parent", {"id"}, schema::FkAction::Cascade, schema::FkAction::NoAction},
      {"fk_owner", {"owner_id"}, "parent", {"id"}, schema::FkAction::SetNull, schema::FkAction::Cascade}};
  // Written as PostgreSQL prints them back (see inspect.cpp).
  t.checks = {{"qty_positive", "qty >= 0"}, {"body_len", "length(body) > 0 OR body IS NULL"}};
  t.indexes = {{{}, {"created", "day"}, false}, {"ix_uniq_code", {"small", "neg"}, true}};
  md.add_table(t);
  return md;
}

TEST_F(PgInspect, EveryTypeRoundTrips) { expect_round_trip(every_type()); }

TEST_F(PgInspect, EveryTypeFieldByField) {
  strata::create_all(*engine_, every_type());
  const schema::Table t = inspect("every type");
  SCOPED_TRACE(dump(t));
  ASSERT_EQ(t.columns.size(), 23u);
  EXPECT_EQ(t.columns[0].name, "id");
  EXPECT_EQ(t.columns[0].type, SqlType::big_integer());
  EXPECT_TRUE(t.columns[0].primary_key);
  EXPECT_TRUE(t.columns[0].autoincrement);
  EXPECT_FALSE(t.columns[0].server_default);
  EXPECT_FALSE(t.columns[0].nullable);
  EXPECT_EQ(t.columns[1].server_default, schema::ServerDefault::text("true"));
  EXPECT_EQ(t.columns[3].server_default, schema::ServerDefault::text("0"));
  EXPECT_EQ(t.columns[4].server_default, schema::ServerDefault::text("-12"));  // PostgreSQL: '-12'::integer
  EXPECT_EQ(t.columns[8].type, SqlType::numeric(10));
  EXPECT_EQ(t.columns[9].type, SqlType::numeric(10, 2));
  EXPECT_EQ(t.columns[10].server_default, schema::ServerDefault::text("'it''s (a) test'"));
  EXPECT_EQ(t.columns[11].type, SqlType::string(255));
  EXPECT_FALSE(t.columns[11].nullable);
  EXPECT_EQ(t.columns[11].server_default, schema::ServerDefault::text("'untitled'"));
  EXPECT_EQ(t.columns[16].type, SqlType::datetime(false));
  EXPECT_EQ(t.columns[16].server_default, schema::ServerDefault::now());
  EXPECT_EQ(t.columns[17].type, SqlType::datetime(true));
  EXPECT_EQ(t.columns[18].type, SqlType::json());
  EXPECT_EQ(t.columns[19].type, SqlType::string_array());
  EXPECT_EQ(t.columns[19].server_default, schema::ServerDefault::text("'{}'"));
  EXPECT_EQ(t.columns[20].type, SqlType::enumeration("status", {"draft", "it's", "published"}));
  EXPECT_EQ(t.columns[20].server_default, schema::ServerDefault::text("'draft'"));
  EXPECT_EQ(t.columns[21].name, "Parent Id");
  ASSERT_TRUE(t.primary_key);
  EXPECT_EQ(t.primary_key->name, "pk_every type");
  ASSERT_EQ(t.unique_constraints.size(), 2u);
  EXPECT_EQ(t.unique_constraints[0], (schema::UniqueConstraint{"uq_every type_title_n10", {"title", "n10"}}));
  EXPECT_EQ(t.unique_constraints[1], (schema::UniqueConstraint{"uq_named", {"uid"}}));
  ASSERT_EQ(t.foreign_keys.size(), 2u);
  EXPECT_EQ(t.foreign_keys[0].name, "fk_every type_Parent Id_parent");
  EXPECT_EQ(t.foreign_keys[0].columns, std::vector<std::string>{"Parent Id"});
  EXPECT_EQ(t.foreign_keys[0].referred_table, "parent");
  EXPECT_EQ(t.foreign_keys[0].referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(t.foreign_keys[0].on_delete, schema::FkAction::Cascade);
  EXPECT_EQ(t.foreign_keys[0].on_update, schema::FkAction::NoAction);
  EXPECT_EQ(t.foreign_keys[1].on_delete, schema::FkAction::SetNull);
  EXPECT_EQ(t.foreign_keys[1].on_update, schema::FkAction::Cascade);
  ASSERT_EQ(t.checks.size(), 2u);
  EXPECT_EQ(t.checks[0], (schema::CheckConstraint{"ck_every type_qty_positive", "qty >= 0"}));
  ASSERT_EQ(t.indexes.size(), 2u);
  EXPECT_EQ(t.indexes[0], (schema::Index{"ix_every type_created_day", {"created", "day"}, false}));
  EXPECT_EQ(t.indexes[1], (schema::Index{"ix_uniq_code", {"small", "neg"}, true}));
}

TEST_F(PgInspect, TableNamesSkipVersionTableViewsAndOtherSchemas) {
  exec(R"(CREATE TABLE strata_version (version_num VARCHAR(32) NOT NULL);
CREATE TABLE b (x INTEGER);
CREATE TABLE "A b" (y TEXT);
CREATE VIEW v AS SELECT x FROM b;
CREATE SEQUENCE s;
CREATE SCHEMA other;
CREATE TABLE other.hidden (z INTEGER);
CREATE TABLE measure (at DATE NOT NULL, v INTEGER) PARTITION BY RANGE (at);
CREATE TABLE measure_2024 PARTITION OF measure FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');)");
  auto conn = engine_->connect();
  auto insp = make_postgresql_inspector(conn.driver());
  EXPECT_EQ(insp->table_names(), (std::vector<std::string>{"A b", "b", "measure"}));
  EXPECT_EQ(insp->table_names({}), (std::vector<std::string>{"A b", "b", "measure", "strata_version"}));
  EXPECT_EQ(insp->table_names({"b", "measure"}), (std::vector<std::string>{"A b", "strata_version"}));
  EXPECT_THROW(insp->table("nope"), strata::SchemaError);
  EXPECT_THROW(insp->table("hidden"), strata::SchemaError);
  EXPECT_THROW(insp->table("v"), strata::SchemaError);
  const schema::MetaData md = insp->metadata();
  ASSERT_EQ(md.tables().size(), 3u);
  EXPECT_EQ(md.tables()[0].name, "A b");
  EXPECT_EQ(md.tables()[2].columns.size(), 2u);
  EXPECT_EQ(insp->metadata({}).tables().size(), 4u);
}

TEST_F(PgInspect, TypesWrittenByHand) {
  exec(R"(CREATE DOMAIN short_text AS VARCHAR(5);
CREATE TYPE "Mood" AS ENUM ('ok');
CREATE TABLE t (
  n NUMERIC(10, 0), n2 numeric(4,1), n3 NUMERIC, v VARCHAR, c CHAR(3), tz TIMETZ, ts3 TIMESTAMP(3),
  tstz TIMESTAMPTZ, j JSON, jb JSONB, va VARCHAR(3)[], ia INTEGER[], iv INTERVAL, dom short_text,
  m "Mood", b BOOL, i2 INT2, i8 INT8, r FLOAT4, d FLOAT8, by BYTEA, u UUID, dt DATE, tm TIME NOT NULL))");
  const schema::Table t = inspect("t");
  SCOPED_TRACE(dump(t));
  const std::vector<SqlType> want = {SqlType::numeric(10),
                                     SqlType::numeric(4, 1),
                                     SqlType::numeric(),
                                     SqlType::string(),
                                     SqlType::string(3),
                                     SqlType::time(),
                                     SqlType::datetime(false),
                                     SqlType::datetime(true),
                                     SqlType::json(),
                                     SqlType::json(),
                                     SqlType::string_array(),
                                     SqlType::string(),  // integer[]: no such kind
                                     SqlType::string(),  // interval: no such kind
                                     SqlType::string(5),  // the domain's base type
                                     SqlType::enumeration("Mood", {"ok"}),
                                     SqlType::boolean(),
                                     SqlType::small_integer(),
                                     SqlType::big_integer(),
                                     SqlType::float_(),
                                     SqlType::double_(),
                                     SqlType::bytes(),
                                     SqlType::uuid(),
                                     SqlType::date(),
                                     SqlType::time()};
  ASSERT_EQ(t.columns.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(t.columns[i].type, want[i]) << t.columns[i].name;
    EXPECT_EQ(t.columns[i].nullable, i + 1 != want.size()) << t.columns[i].name;
    EXPECT_FALSE(t.columns[i].primary_key);
    EXPECT_FALSE(t.columns[i].server_default) << t.columns[i].name;
  }
  EXPECT_FALSE(t.primary_key);
}

TEST_F(PgInspect, ServerDefaultsInCanonicalForm) {
  exec(R"(CREATE TYPE st AS ENUM ('new', 'old');
CREATE TABLE t (
  a INTEGER DEFAULT -12, b BIGINT DEFAULT 7, c DOUBLE PRECISION DEFAULT -2.5, d NUMERIC(5, 2) DEFAULT 1.50,
  e VARCHAR(10) DEFAULT 'abc', f TEXT DEFAULT 'it''s', g st DEFAULT 'old', h TEXT[] DEFAULT '{}',
  i TEXT[] DEFAULT ARRAY['a', 'b'], j JSONB DEFAULT '{"k": 1}', k BOOLEAN DEFAULT false,
  l TIMESTAMP DEFAULT CURRENT_TIMESTAMP, m TIMESTAMPTZ DEFAULT transaction_timestamp(), n TIMESTAMPTZ DEFAULT NOW(),
  o TIMESTAMPTZ DEFAULT clock_timestamp(), p DATE DEFAULT CURRENT_DATE, q NUMERIC DEFAULT 1.5 * 2,
  r VARCHAR(10) DEFAULT 'x'::text, s INTEGER GENERATED ALWAYS AS (a * 2) STORED, u UUID DEFAULT gen_random_uuid(),
  v TEXT DEFAULT '', w SMALLINT DEFAULT '-3', x BYTEA DEFAULT '\x00', y TEXT DEFAULT '12'))");
  const schema::Table t = inspect("t");
  SCOPED_TRACE(dump(t));
  using D = schema::ServerDefault;
  auto dflt = [&](const char* name) { return t.column(name).server_default; };
  EXPECT_EQ(dflt("a"), D::text("-12"));
  EXPECT_EQ(dflt("b"), D::text("7"));
  EXPECT_EQ(dflt("c"), D::text("-2.5"));
  EXPECT_EQ(dflt("d"), D::text("1.50"));
  EXPECT_EQ(dflt("e"), D::text("'abc'"));
  EXPECT_EQ(dflt("f"), D::text("'it''s'"));
  EXPECT_EQ(dflt("g"), D::text("'old'"));
  EXPECT_EQ(dflt("h"), D::text("'{}'"));
  EXPECT_EQ(dflt("i"), D::text("ARRAY['a'::text, 'b'::text]"));
  EXPECT_EQ(dflt("j"), D::text("'{\"k\": 1}'"));
  EXPECT_EQ(dflt("k"), D::text("false"));
  EXPECT_EQ(dflt("l"), D::now());
  EXPECT_EQ(dflt("m"), D::now());
  EXPECT_EQ(dflt("n"), D::now());
  EXPECT_EQ(dflt("o"), D::text("clock_timestamp()"));
  EXPECT_EQ(dflt("p"), D::text("CURRENT_DATE"));
  EXPECT_EQ(dflt("q"), D::text("(1.5 * (2)::numeric)"));  // PostgreSQL's rewrite, kept
  EXPECT_EQ(dflt("r"), D::text("'x'::text"));              // a cast to another type stays
  EXPECT_EQ(dflt("s"), std::nullopt);                      // a generated column has no default
  EXPECT_EQ(dflt("u"), D::text("gen_random_uuid()"));
  EXPECT_EQ(dflt("v"), D::text("''"));
  EXPECT_EQ(dflt("w"), D::text("-3"));
  EXPECT_EQ(dflt("x"), D::text("'\\x00'"));
  EXPECT_EQ(dflt("y"), D::text("'12'"));  // a text column keeps its quotes
}

TEST_F(PgInspect, IdentityAndSerialKeysAreAutoincrement) {
  exec(R"(CREATE TABLE a (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n INTEGER);
CREATE TABLE b (id SERIAL PRIMARY KEY, seq BIGSERIAL, ident INTEGER GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE c (k1 SERIAL, k2 INTEGER, PRIMARY KEY (k1, k2));
CREATE TABLE d (id SMALLINT GENERATED BY DEFAULT AS IDENTITY, CONSTRAINT d_key PRIMARY KEY (id)))");
  const schema::Table a = inspect("a");
  EXPECT_TRUE(a.columns[0].autoincrement);
  EXPECT_TRUE(a.columns[0].primary_key);
  EXPECT_EQ(a.columns[0].server_default, std::nullopt);
  EXPECT_FALSE(a.columns[1].autoincrement);
  ASSERT_TRUE(a.primary_key);
  EXPECT_EQ(a.primary_key->name, "a_pkey");  // PostgreSQL's own name

  const schema::Table b = inspect("b");
  SCOPED_TRACE(dump(b));
  EXPECT_TRUE(b.columns[0].autoincrement);
  EXPECT_EQ(b.columns[0].server_default, std::nullopt);
  // Not the key: a serial keeps its nextval() default, an identity reads plain.
  EXPECT_FALSE(b.columns[1].autoincrement);
  EXPECT_EQ(b.columns[1].server_default, schema::ServerDefault::text("nextval('b_seq_seq'::regclass)"));
  EXPECT_FALSE(b.columns[2].autoincrement);
  EXPECT_EQ(b.columns[2].server_default, std::nullopt);
  EXPECT_FALSE(b.columns[2].nullable);

  const schema::Table c = inspect("c");  // a composite key numbers nothing
  EXPECT_FALSE(c.columns[0].autoincrement);
  EXPECT_TRUE(c.columns[0].primary_key);
  EXPECT_TRUE(c.columns[1].primary_key);
  EXPECT_EQ(c.primary_key->columns, (std::vector<std::string>{"k1", "k2"}));

  const schema::Table d = inspect("d");
  EXPECT_TRUE(d.columns[0].autoincrement);
  EXPECT_EQ(d.columns[0].type, SqlType::small_integer());
  EXPECT_EQ(d.primary_key->name, "d_key");
}

TEST_F(PgInspect, ConstraintsAndIndexesWrittenByHand) {
  exec(R"(CREATE TABLE p (a INTEGER, b INTEGER, c TEXT UNIQUE, PRIMARY KEY (a, b));
CREATE TABLE t (
  id INTEGER PRIMARY KEY,
  x INTEGER, y INTEGER, z INTEGER, w INTEGER DEFAULT 1,
  s VARCHAR(20),
  CONSTRAINT fk_xy FOREIGN KEY (y, x) REFERENCES p (b, a) ON DELETE RESTRICT ON UPDATE SET DEFAULT,
  FOREIGN KEY (z) REFERENCES t (id),
  CONSTRAINT positive CHECK (x > 0 AND y > 0),
  CHECK (s IN ('a', 'b')),
  CONSTRAINT multi CHECK (CASE WHEN x > 0 THEN y > 0 ELSE true END),
  UNIQUE (z, y),
  CONSTRAINT uq_s UNIQUE (s)
);
CREATE INDEX ix_b_desc ON t (y DESC, x);
CREATE UNIQUE INDEX ux_w ON t (w);
CREATE INDEX ix_expr ON t (lower(s));
CREATE INDEX ix_partial ON t (x) WHERE x > 10;
CREATE INDEX ix_incl ON t (z) INCLUDE (w);
CREATE INDEX ix_gin ON t USING hash (s);
ALTER TABLE t ADD CONSTRAINT late CHECK (w <> 3) NOT VALID;)");
  const schema::Table t = inspect("t");
  SCOPED_TRACE(dump(t));
  ASSERT_TRUE(t.primary_key);
  EXPECT_EQ(t.primary_key->name, "t_pkey");
  EXPECT_TRUE(t.columns[0].primary_key);
  EXPECT_FALSE(t.columns[0].autoincrement);  // a plain integer key

  ASSERT_EQ(t.foreign_keys.size(), 2u);
  EXPECT_EQ(t.foreign_keys[0].name, "fk_xy");
  EXPECT_EQ(t.foreign_keys[0].columns, (std::vector<std::string>{"y", "x"}));
  EXPECT_EQ(t.foreign_keys[0].referred_table, "p");
  EXPECT_EQ(t.foreign_keys[0].referred_columns, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(t.foreign_keys[0].on_delete, schema::FkAction::Restrict);
  EXPECT_EQ(t.foreign_keys[0].on_update, schema::FkAction::SetDefault);
  EXPECT_EQ(t.foreign_keys[1],
            (schema::ForeignKeyConstraint{"t_z_fkey", {"z"}, "t", {"id"}, schema::FkAction::NoAction,
                                          schema::FkAction::NoAction}));

  ASSERT_EQ(t.unique_constraints.size(), 2u);
  EXPECT_EQ(t.unique_constraints[0], (schema::UniqueConstraint{"t_z_y_key", {"z", "y"}}));
  EXPECT_EQ(t.unique_constraints[1], (schema::UniqueConstraint{"uq_s", {"s"}}));

  // PostgreSQL's spelling of the expressions (see inspect.cpp), creation order.
  ASSERT_EQ(t.checks.size(), 4u);
  EXPECT_EQ(t.checks[0], (schema::CheckConstraint{"positive", "x > 0 AND y > 0"}));
  EXPECT_EQ(t.checks[1],
            (schema::CheckConstraint{"t_s_check", "s::text = ANY (ARRAY['a'::character varying, 'b'::character "
                                                  "varying]::text[])"}));
  EXPECT_EQ(t.checks[2], (schema::CheckConstraint{"multi", "CASE WHEN x > 0 THEN y > 0 ELSE true END"}));
  EXPECT_EQ(t.checks[3], (schema::CheckConstraint{"late", "w <> 3"}));

  // Constraint-backed, expression and partial indexes are not listed; the
  // sort order, INCLUDE columns and access method are not kept.
  ASSERT_EQ(t.indexes.size(), 4u);
  EXPECT_EQ(t.indexes[0], (schema::Index{"ix_b_desc", {"y", "x"}, false}));
  EXPECT_EQ(t.indexes[1], (schema::Index{"ux_w", {"w"}, true}));
  EXPECT_EQ(t.indexes[2], (schema::Index{"ix_incl", {"z"}, false}));
  EXPECT_EQ(t.indexes[3], (schema::Index{"ix_gin", {"s"}, false}));

  // metadata() keeps the database's names (no naming-convention rewrite).
  const schema::MetaData md = inspect_all();
  const schema::Table& again = md.table("t");
  EXPECT_EQ(again, t);
  EXPECT_EQ(md.table("p").unique_constraints.at(0).name, "p_c_key");
}

TEST_F(PgInspect, AddedEnumValueIsSeen) {
  schema::MetaData md;
  schema::Table t;
  t.name = "post";
  t.columns = {col("id", SqlType::integer(), false),
               col("status", SqlType::enumeration("post_status", {"draft", "published"}), false)};
  t.columns[0].primary_key = true;
  t.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}};
  md.add_table(t);
  strata::create_all(*engine_, md);
  EXPECT_EQ(inspect("post").columns[1].type, SqlType::enumeration("post_status", {"draft", "published"}));

  exec("ALTER TYPE post_status ADD VALUE 'archived'");
  exec("ALTER TYPE post_status ADD VALUE 'idea' BEFORE 'draft'");
  EXPECT_EQ(inspect("post").columns[1].type,
            SqlType::enumeration("post_status", {"idea", "draft", "published", "archived"}));
}

TEST_F(PgInspect, ManyTablesWithOneStatementPerCatalogKind) {
  std::string ddl = "CREATE TYPE kind AS ENUM ('a', 'b');\n";
  for (int i = 0; i < 60; ++i) {
    const std::string n = "t" + std::to_string(i);
    ddl += "CREATE TABLE " + n + " (id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, k kind DEFAULT 'a', " +
           "name VARCHAR(50) NOT NULL UNIQUE, at TIMESTAMP DEFAULT now(), CHECK (id > 0)" +
           (i ? ", parent INTEGER REFERENCES t" + std::to_string(i - 1) + " (id) ON DELETE CASCADE" : "") + ");\n";
    ddl += "CREATE INDEX ix_" + n + " ON " + n + " (at, name);\n";
  }
  exec(ddl);
  auto conn = engine_->connect();
  auto insp = make_postgresql_inspector(conn.driver());
  const std::size_t before = conn.driver().cached_statements();
  const schema::MetaData md = insp->metadata();
  const std::size_t after = conn.driver().cached_statements();
  // One statement per catalog kind: tables, columns, enums, constraints, indexes.
  EXPECT_GE(after - before, 1u);
  EXPECT_LE(after - before, 5u);
  ASSERT_EQ(md.tables().size(), 60u);
  const schema::Table& t = md.table("t42");
  SCOPED_TRACE(dump(t));
  EXPECT_EQ(t.columns.size(), 5u);
  EXPECT_TRUE(t.columns[0].autoincrement);
  EXPECT_EQ(t.columns[1].type, SqlType::enumeration("kind", {"a", "b"}));
  EXPECT_EQ(t.columns[3].server_default, schema::ServerDefault::now());
  ASSERT_EQ(t.foreign_keys.size(), 1u);
  EXPECT_EQ(t.foreign_keys[0].referred_table, "t41");
  EXPECT_EQ(t.foreign_keys[0].on_delete, schema::FkAction::Cascade);
  EXPECT_EQ(t.unique_constraints.size(), 1u);
  EXPECT_EQ(t.checks.size(), 1u);
  EXPECT_EQ(t.indexes, (std::vector<schema::Index>{{"ix_t42", {"at", "name"}, false}}));
  // table() reuses the same statements.
  EXPECT_EQ(insp->table("t42"), t);
  EXPECT_EQ(conn.driver().cached_statements(), after);
}

}  // namespace
