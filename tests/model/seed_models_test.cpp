// The seeds' schemas as models (tests/seed_models.hpp): the exact tables.
#include "seed_models.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sm = strata::model;
namespace sc = strata::schema;
using strata::SqlType;

namespace {
sc::Column col(std::string name, SqlType t, bool nullable, bool pk = false, bool autoinc = false) {
  sc::Column c;
  c.name = std::move(name);
  c.type = std::move(t);
  c.nullable = nullable;
  c.primary_key = pk;
  c.autoincrement = autoinc;
  return c;
}
std::vector<std::string> members(const sm::ModelInfo& mi) {
  std::vector<std::string> out;
  for (const auto& f : mi.fields) out.push_back(f.member);
  return out;
}
}  // namespace

TEST(model_seed_fullstack, UserTable) {
  const auto& mi = sm::info<seeds::fullstack::User>();
  EXPECT_EQ(mi.model, "User");
  EXPECT_TRUE(mi.is_table);
  sc::Table t;
  t.name = "user";
  t.columns = {col("email", SqlType::string(255), false), col("full_name", SqlType::string(255), true),
               col("id", SqlType::uuid(), false, true), col("hashed_password", SqlType::string(), false),
               col("is_active", SqlType::boolean(), false)};
  t.primary_key = sc::PrimaryKeyConstraint{"pk_user", {"id"}};
  t.unique_constraints = {{"uq_user_email", {"email"}}};
  t.indexes = {{"ix_user_email", {"email"}, false}};
  EXPECT_EQ(mi.table, t);
  EXPECT_EQ(mi.pk, (std::vector<std::size_t>{2}));
  // Inherited members keep the key of their declaring class.
  EXPECT_EQ(mi.fields[0].key, sm::member_key(&seeds::fullstack::UserBase::email));
  EXPECT_EQ(&mi.field(sm::member_key(&seeds::fullstack::User::id)), &mi.fields[2]);
  EXPECT_EQ(mi.find_column("hashed_password")->member, "hashed_password");
}

TEST(model_seed_fullstack, ItemTable) {
  const auto& mi = sm::info<seeds::fullstack::Item>();
  sc::Table t;
  t.name = "item";
  t.columns = {col("id", SqlType::uuid(), false, true), col("title", SqlType::string(255), false),
               col("description", SqlType::string(), true), col("owner_id", SqlType::uuid(), false),
               col("is_completed", SqlType::boolean(), false)};
  t.primary_key = sc::PrimaryKeyConstraint{"pk_item", {"id"}};
  t.foreign_keys = {{"fk_item_owner_id_user", {"owner_id"}, "user", {"id"}, sc::FkAction::Cascade,
                     sc::FkAction::NoAction}};
  EXPECT_EQ(mi.table, t);
  EXPECT_EQ(members(mi), (std::vector<std::string>{"id", "title", "description", "owner_id", "is_completed"}));
}

TEST(model_seed_school, UsersTable) {
  const auto& mi = sm::info<seeds::school::User>();
  auto dt = SqlType::datetime(false);
  sc::Table t;
  t.name = "users";
  t.columns = {col("user_id", SqlType::integer(), false, true, true),
               col("first_name", SqlType::string(50), false),
               col("last_name", SqlType::string(50), false),
               col("email", SqlType::string(100), false),
               col("age", SqlType::integer(), true),
               col("is_active", SqlType::boolean(), false),
               col("created_at", dt, true),
               col("updated_at", dt, true),
               col("last_login", dt, true),
               col("user_type_id", SqlType::integer(), false)};
  t.columns[7].has_onupdate = true;
  t.columns[8].has_onupdate = true;
  t.primary_key = sc::PrimaryKeyConstraint{"pk_users", {"user_id"}};
  // unique=True on email and UniqueConstraint('email', name='uq_users_email') become one constraint.
  t.unique_constraints = {{"uq_users_email", {"email"}}};
  t.foreign_keys = {{"fk_users_user_type_id_user_types", {"user_type_id"}, "user_types", {"user_type_id"},
                     sc::FkAction::NoAction, sc::FkAction::NoAction}};
  t.checks = {{"ck_users_1", "age > 0"}};
  EXPECT_EQ(mi.table, t);
  EXPECT_TRUE(mi.fields[0].autoincrement);
  EXPECT_TRUE(mi.fields[6].default_factory);
  EXPECT_FALSE(mi.fields[6].onupdate);
  EXPECT_TRUE(mi.fields[7].onupdate);
  EXPECT_TRUE(mi.fields[4].nullable);
}

TEST(model_seed_school, OtherTables) {
  const auto& ut = sm::info<seeds::school::UserType>().table;
  EXPECT_EQ(ut.unique_constraints, (std::vector<sc::UniqueConstraint>{{"uq_user_types_name", {"name"}}}));
  EXPECT_EQ(ut.column("name").type, SqlType::string(50));
  const auto& c = sm::info<seeds::school::Course>().table;
  EXPECT_EQ(c.column("start_date"), col("start_date", SqlType::date(), false));
  EXPECT_EQ(c.column("description"), col("description", SqlType::string(), true));
  const auto& e = sm::info<seeds::school::Enrollment>().table;
  ASSERT_EQ(e.foreign_keys.size(), 2u);
  EXPECT_EQ(e.foreign_keys[0].name, "fk_enrollments_user_id_users");
  EXPECT_EQ(e.foreign_keys[1].name, "fk_enrollments_course_id_courses");
  EXPECT_EQ(e.foreign_keys[1].referred_columns, std::vector<std::string>{"course_id"});
}

TEST(model_seed_catalog, ModelsTable) {
  const auto& mi = sm::info<seeds::catalog::Model>();
  auto tz = SqlType::datetime(true);
  sc::Table t;
  t.name = "models";
  t.columns = {col("name", SqlType::string(255), false),
               col("organization", SqlType::string(255), false),
               col("release_date", SqlType::date(), true),
               col("description", SqlType::string(), true),
               col("license", SqlType::string(255), true),
               col("created_at", tz, true),
               col("updated_at", tz, true),
               col("id", SqlType::integer(), false, true, true),
               col("metadata", SqlType::json(), true)};
  t.columns[5].server_default = sc::ServerDefault::now();
  t.columns[6].server_default = sc::ServerDefault::now();
  t.columns[6].has_onupdate = true;
  t.primary_key = sc::PrimaryKeyConstraint{"pk_models", {"id"}};
  t.unique_constraints = {{"uq_models_name", {"name"}}};
  t.indexes = {{"ix_models_name", {"name"}, false}};
  EXPECT_EQ(mi.table, t);
  EXPECT_EQ(mi.fields[8].member, "metadata_");
  EXPECT_EQ(mi.fields[8].column, "metadata");
  EXPECT_TRUE(mi.fields[5].has_server_default);
  EXPECT_EQ(mi.fields[6].onupdate_sql, sc::ServerDefault::now());
}

TEST(model_seed_catalog, BenchmarkResultsTable) {
  const auto& t = sm::info<seeds::catalog::BenchmarkResult>().table;
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"score", "date_tested", "source", "created_at", "updated_at", "id",
                                             "model_id", "benchmark_id"}));
  EXPECT_EQ(t.column("score").type, SqlType::double_());
  EXPECT_FALSE(t.column("model_id").nullable);
  EXPECT_EQ(t.unique_constraints,
            (std::vector<sc::UniqueConstraint>{{"uix_model_benchmark_date", {"model_id", "benchmark_id", "date_tested"}}}));
  EXPECT_EQ(t.indexes, (std::vector<sc::Index>{{"ix_benchmark_results_model_id", {"model_id"}, false},
                                               {"ix_benchmark_results_benchmark_id", {"benchmark_id"}, false},
                                               {"ix_benchmark_results_model_benchmark", {"model_id", "benchmark_id"}, false}}));
  ASSERT_EQ(t.foreign_keys.size(), 2u);
  EXPECT_EQ(t.foreign_keys[0], (sc::ForeignKeyConstraint{"fk_benchmark_results_model_id_models", {"model_id"}, "models",
                                                         {"id"}, sc::FkAction::NoAction, sc::FkAction::NoAction}));
  EXPECT_EQ(t.foreign_keys[1].referred_table, "benchmarks");
}

TEST(model_seed_catalog, OpinionsAndUseCases) {
  const auto& o = sm::info<seeds::catalog::Opinion>().table;
  EXPECT_EQ(o.column("content"), col("content", SqlType::string(), false));
  EXPECT_EQ(o.column("tags"), col("tags", SqlType::string_array(), true));
  EXPECT_EQ(o.column("sentiment").type, SqlType::string(50));
  std::vector<std::string> ix;
  for (const auto& i : o.indexes) ix.push_back(i.name);
  EXPECT_EQ(ix, (std::vector<std::string>{"ix_opinions_date_published", "ix_opinions_model_id"}));
  const auto& u = sm::info<seeds::catalog::UseCase>().table;
  EXPECT_EQ(u.columns.size(), 7u);
  EXPECT_EQ(u.foreign_keys.at(0).name, "fk_use_cases_model_id_models");
  const auto& b = sm::info<seeds::catalog::Benchmark>().table;
  EXPECT_EQ(b.column("url").type, SqlType::string(500));
  EXPECT_EQ(b.indexes.size(), 2u);
}

TEST(model_seed_models, NonTableModels) {
  const auto& mi = sm::info<seeds::catalog::TimestampMixin>();
  EXPECT_FALSE(mi.is_table);
  EXPECT_EQ(mi.table.name, "");
  EXPECT_EQ(members(mi), (std::vector<std::string>{"created_at", "updated_at"}));
  static_assert(!sm::is_table_model_v<seeds::catalog::TimestampMixin>);
  static_assert(sm::is_table_model_v<seeds::catalog::Model>);
  static_assert(!sm::is_table_model_v<int>);
}

TEST(model_seed_models, RegistryAndMetaData) {
  const auto& all = sm::registered_tables();
  auto has = [&](const char* table) {
    return std::any_of(all.begin(), all.end(), [&](const sm::ModelInfo* m) { return m->table.name == table; });
  };
  for (const char* t : {"user", "item", "user_types", "users", "courses", "enrollments", "models", "benchmarks",
                        "benchmark_results", "opinions", "use_cases"})
    EXPECT_TRUE(has(t)) << t;
  auto md = sm::metadata_of<seeds::catalog::Model, seeds::catalog::Benchmark, seeds::catalog::BenchmarkResult,
                            seeds::catalog::Opinion, seeds::catalog::UseCase>();
  EXPECT_EQ(md.tables().size(), 5u);
  EXPECT_EQ(md.table("benchmark_results"), sm::info<seeds::catalog::BenchmarkResult>().table);
  auto sorted = md.sorted_tables();
  EXPECT_EQ(sorted.front()->name, "models");
  // An incomplete set fails validation: item references user.
  EXPECT_THROW(sm::metadata_of<seeds::fullstack::Item>(), strata::SchemaError);
}

TEST(model_seed_models, GetSetRoundTrip) {
  const auto& mi = sm::info<seeds::fullstack::User>();
  seeds::fullstack::User u;
  u.email = "ada@example.com";
  u.hashed_password = "x";
  EXPECT_EQ(mi.fields[0].get(&u), strata::Value("ada@example.com"));
  EXPECT_EQ(mi.fields[1].get(&u), strata::Value());
  EXPECT_EQ(mi.fields[2].get(&u), strata::Value(u.id));
  mi.fields[1].set(&u, strata::Value("Ada"));
  EXPECT_EQ(u.full_name, "Ada");
  auto id = strata::Uuid::v4();
  mi.fields[2].set(&u, strata::Value(id.hex()));  // SQLite's CHAR(32) form
  EXPECT_EQ(u.id, id);
  mi.fields[4].set(&u, strata::Value(0));
  EXPECT_FALSE(u.is_active);

  auto copy = mi.clone(&u);
  for (const auto& f : mi.fields) EXPECT_TRUE(f.equal(&u, copy.get())) << f.member;
  mi.fields[0].set(copy.get(), strata::Value("grace@example.com"));
  EXPECT_FALSE(mi.fields[0].equal(&u, copy.get()));
  EXPECT_TRUE(mi.fields[1].equal(&u, copy.get()));
  mi.assign(copy.get(), &u);
  EXPECT_EQ(static_cast<seeds::fullstack::User*>(copy.get())->email, "ada@example.com");
  auto fresh = mi.make_shared();
  EXPECT_TRUE(static_cast<seeds::fullstack::User*>(fresh.get())->is_active);
}

TEST(model_seed_models, GetSetThroughSecondBase) {
  const auto& mi = sm::info<seeds::catalog::Opinion>();
  seeds::catalog::Opinion o;
  const auto* updated = mi.find_column("updated_at");
  ASSERT_NE(updated, nullptr);
  updated->set(&o, strata::Value("2024-03-01 10:00:00+00:00"));
  ASSERT_TRUE(o.updated_at.has_value());
  EXPECT_EQ(updated->get(&o), strata::Value(*o.updated_at));
  const auto* tags = mi.find_column("tags");
  tags->set(&o, strata::Value("{coding,creative-writing}"));
  EXPECT_EQ(o.tags, (std::vector<std::string>{"coding", "creative-writing"}));
  EXPECT_EQ(tags->get(&o), strata::Value(strata::StringList{"coding", "creative-writing"}));

  const auto& mm = sm::info<seeds::catalog::Model>();
  seeds::catalog::Model m;
  mm.find_column("metadata")->set(&m, strata::Value(R"({"context_window": 200000})"));
  EXPECT_EQ((*m.metadata_)["context_window"], 200000);
  EXPECT_EQ(mm.find_column("metadata")->get(&m), strata::Value(strata::JsonText{R"({"context_window":200000})"}));
}

TEST(model_seed_models, FactoriesProduceMemberValues) {
  const auto& mi = sm::info<seeds::school::UserType>();
  strata::Value v = mi.fields[1].default_factory();
  EXPECT_TRUE(v.holds<strata::DateTime>());
  EXPECT_TRUE(mi.fields[2].onupdate().holds<strata::DateTime>());
}
