// compare() against what the PostgreSQL inspector gives back, without a
// database: CHECK conditions and server defaults in PostgreSQL's spelling,
// native enum types (tests/migrate/runner_postgresql_test.cpp does the same
// against a live server).
#include <gtest/gtest.h>

#include "strata/dialect/postgresql.hpp"
#include "strata/migrate/compare.hpp"
#include "strata/migrate/operations.hpp"

using namespace strata;
using namespace strata::migrate;

namespace {

const CompareOptions& pg() {
  static const CompareOptions opt{.dialect = &dialect::postgresql_dialect()};
  return opt;
}

schema::MetaData one_table(std::vector<schema::Column> columns, std::vector<schema::CheckConstraint> checks = {}) {
  schema::MetaData md;
  md.add_table(table("t", std::move(columns), {.checks = std::move(checks)}));
  return md;
}

Diff checks(const std::string& model, const std::string& database) {
  const auto cols = std::vector<schema::Column>{column("age", SqlType::integer()), column("code", SqlType::string(8)),
                                                column("lo", SqlType::integer()), column("hi", SqlType::integer())};
  return compare(one_table(cols, {{"positive", database}}), one_table(cols, {{"positive", model}}), pg());
}

Diff defaults(SqlType type, const std::string& model, const std::string& database) {
  return compare(one_table({column("c", type, {.server_default = schema::ServerDefault::text(database)})}),
                 one_table({column("c", type, {.server_default = schema::ServerDefault::text(model)})}), pg());
}

}  // namespace

TEST(ComparePostgresql, CheckInPostgresqlSpellingIsTheSame) {
  // What pg_get_expr(conbin, conrelid, true) prints for the model's text.
  EXPECT_TRUE(checks("age > 0", "(age > 0)").empty());
  EXPECT_TRUE(checks("age > 0 AND age < 200", "((age > 0) AND (age < 200))").empty());
  EXPECT_TRUE(checks("age>0   and age<200", "age > 0 AND age < 200").empty());
  EXPECT_TRUE(checks("length(code) > 2", "length(code::text) > 2").empty());
  EXPECT_TRUE(checks("length(code) > 2", "length((code)::text) > 2").empty());
  EXPECT_TRUE(checks("\"code\" <> ''", "code::text <> ''::text").empty());
  EXPECT_TRUE(checks("code != 'x'", "code::text <> 'x'::text").empty());
  EXPECT_TRUE(checks("code IN ('a', 'b')",
                     "code::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])")
                  .empty());
  EXPECT_TRUE(checks("code NOT IN ('a', 'b')",
                     "(code)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[])")
                  .empty());
  EXPECT_TRUE(checks("(lo + 1) * 2 > hi", "((lo + 1) * 2) > hi").empty());
  EXPECT_TRUE(checks("age IS NULL OR age > 0 AND age < 5", "age IS NULL OR (age > 0 AND age < 5)").empty());
  EXPECT_TRUE(checks("NOT (age > 0)", "NOT age > 0").empty());
  // Negative literals, LIKE / ILIKE: as PostgreSQL 15 prints them (checked with psql).
  EXPECT_TRUE(checks("age > -1", "age > '-1'::integer").empty());
  EXPECT_TRUE(checks("code LIKE 'A%'", "code::text ~~ 'A%'::text").empty());
  EXPECT_TRUE(checks("code NOT ILIKE 'b%'", "code::text !~~* 'b%'::text").empty());
  EXPECT_TRUE(checks("age >= -1.5 * 2", "age::numeric >= ('-1.5'::numeric * 2::numeric)").empty());
  EXPECT_FALSE(checks("age > -1", "age > '-2'::integer").empty());
  EXPECT_FALSE(checks("code LIKE 'A%'", "code::text ~~* 'A%'::text").empty());
}

TEST(ComparePostgresql, CheckThatChangedIsDetected) {
  EXPECT_FALSE(checks("age > 1", "(age > 0)").empty());
  // Grouping that changes the meaning is kept.
  EXPECT_FALSE(checks("(age IS NULL OR age > 0) AND age < 5", "age IS NULL OR age > 0 AND age < 5").empty());
  EXPECT_FALSE(checks("lo - (hi - 1) > 0", "lo - hi - 1 > 0").empty());
  EXPECT_FALSE(checks("lo * (hi + 1) > 0", "lo * hi + 1 > 0").empty());
  EXPECT_FALSE(checks("code IN ('a', 'b')", "code::text = ANY (ARRAY['a'::character varying]::text[])").empty());
  // A quoted name that folding would change is another name.
  EXPECT_FALSE(checks("\"Age\" > 0", "age > 0").empty());
  // Literals keep their case and blanks.
  EXPECT_FALSE(checks("code <> 'A b'", "code <> 'a b'").empty());
  const Diff d = checks("age > 1", "(age > 0)");
  // (MetaData::add_table names it by the naming convention: ck_<table>_<name>.)
  EXPECT_EQ(d.messages, (std::vector<std::string>{"Detected removed check constraint 'ck_t_positive' on 't'",
                                                  "Detected added check constraint 'ck_t_positive' on 't'"}));
}

TEST(ComparePostgresql, ServerDefaultsWithCasts) {
  EXPECT_TRUE(defaults(SqlType::string(8), "'x'", "'x'::character varying").empty());
  EXPECT_TRUE(defaults(SqlType::json(), "'{}'::jsonb", "'{}'").empty());
  EXPECT_TRUE(defaults(SqlType::string_array(), "'{}'", "'{}'::text[]").empty());
  EXPECT_TRUE(defaults(SqlType::numeric(10, 2), "0.50", "0.5").empty());
  EXPECT_TRUE(defaults(SqlType::numeric(10, 2), "'1'", "'1'::numeric(10,2)").empty());
  EXPECT_TRUE(defaults(SqlType::datetime(), "CURRENT_TIMESTAMP", "now()").empty());
  EXPECT_TRUE(defaults(SqlType::datetime(), "'2020-01-01 00:00:00'",
                       "'2020-01-01 00:00:00'::timestamp without time zone")
                  .empty());
  EXPECT_TRUE(defaults(SqlType::boolean(), "false", "false").empty());
  EXPECT_TRUE(defaults(SqlType::enumeration("e", {"a", "b"}), "'a'", "'a'::\"e\"").empty());
  EXPECT_FALSE(defaults(SqlType::string(8), "'y'", "'x'::character varying").empty());
}

TEST(ComparePostgresql, EnumValueAddedIsATypeChange) {
  const auto with = [](std::vector<std::string> values) {
    return one_table({column("s", SqlType::enumeration("state", std::move(values)), {.nullable = false})});
  };
  EXPECT_TRUE(compare(with({"a", "b"}), with({"a", "b"}), pg()).empty());
  const Diff added = compare(with({"a", "b"}), with({"a", "b", "c"}), pg());
  ASSERT_EQ(added.ops.size(), 1u);
  const auto& alter = std::get<ops::AlterColumn>(added.ops[0]);
  EXPECT_EQ(alter.type, SqlType::enumeration("state", {"a", "b", "c"}));
  EXPECT_EQ(alter.existing_type, SqlType::enumeration("state", {"a", "b"}));
  EXPECT_EQ(added.messages,
            (std::vector<std::string>{"Detected type change from Enum('a', 'b') to Enum('a', 'b', 'c') on 't.s'"}));
  EXPECT_TRUE(added.warnings.empty()) << ::testing::PrintToString(added.warnings);
  // A removed value narrows the type: warned.
  const Diff removed = compare(with({"a", "b"}), with({"a"}), pg());
  ASSERT_EQ(removed.ops.size(), 1u);
  EXPECT_EQ(removed.warnings.size(), 1u);
  // Another type name is another type on PostgreSQL.
  EXPECT_EQ(compare(with({"a", "b"}), one_table({column("s", SqlType::enumeration("other", {"a", "b"}),
                                                         {.nullable = false})}),
                    pg())
                .ops.size(),
            1u);
}
