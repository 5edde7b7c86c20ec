// tests/seed_models.hpp - the schemas of the seed documents as Strata models,
// shared by the model tests and the live-database tests.
//
//   seeds::fullstack  000_8312bb1187d543c2  user / item (UUID keys, ON DELETE CASCADE)
//   seeds::school     003_59dc27ee0f363bab  user_types / users / courses / enrollments
//   seeds::catalog    004_9f559c4a69fc8219  models / benchmarks / benchmark_results /
//                                           opinions / use_cases (TimestampMixin base)
//
// Deliberate readings of the Python sources:
//  * A member initializer equal to the value-initialized state (`bool
//    is_completed = false`) cannot be told from no initializer: such Python
//    defaults are spelled has_default() so that input may leave them out.
//  * fullstack's ItemCreate / UserCreate are the API input models (validation
//    only, no table); their Field() constraints are field<>() options.
//    UserPublic / ItemPublic are the response shapes (project.hpp, to_json<Shape>).
//  * Integer keys are `int` (Integer), numbered by the database (autoincrement(),
//    SQLAlchemy's default for a single Integer primary key); 0 means "not yet
//    inserted".
//  * Python `X | None` members are std::optional<X> (nullable columns).
//  * 003's `default=datetime.utcnow` / `onupdate=datetime.utcnow` are C++
//    default_factory / onupdate callables (no server default, as in the seed).
//  * 004's score (Python float, sa.Float) is double; TimestampMixin's columns
//    both get server_default(now()) as the seed's generated migration shows,
//    and updated_at onupdate(now()).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/core/datetime.hpp"
#include "strata/core/uuid.hpp"
#include "strata/model/model.hpp"

// --- 000: full-stack FastAPI template (SQLModel) ----------------------------
namespace seeds::fullstack {

struct UserBase {
  std::string email;
  std::optional<std::string> full_name;
};
struct Item;
struct User : UserBase {
  strata::Uuid id = strata::Uuid::v4();
  std::string hashed_password;
  bool is_active = true;
  strata::Many<Item> items;  // Relationship(back_populates="owner")
};
struct Item {
  strata::Uuid id = strata::Uuid::v4();
  std::string title;
  std::optional<std::string> description;
  strata::Uuid owner_id;
  bool is_completed = false;
  strata::One<User> owner;  // Relationship(back_populates="items")
};

STRATA_MODEL(UserBase, field<&UserBase::email>().unique().index().max_length(255),
             field<&UserBase::full_name>().max_length(255));
STRATA_TABLE(User, "user", extends<UserBase>(),
             field<&User::id>().primary_key(),
             field<&User::hashed_password>(),
             field<&User::is_active>(),
             relationship<&User::items>().back_populates("owner"));
STRATA_TABLE(Item, "item",
             field<&Item::id>().primary_key(),
             field<&Item::title>().max_length(255),
             field<&Item::owner_id>().foreign_key<&User::id>().on_delete(Cascade),
             field<&Item::is_completed>().has_default(),
             relationship<&Item::owner>().back_populates("items"));

// The template's API input shapes (models.py: ItemBase/ItemCreate, UserBase/UserCreate),
// with their Field() constraints: title min_length=1 max_length=255, EmailStr,
// password min_length=8 max_length=40.
struct ItemCreate {
  std::string title;
  std::optional<std::string> description;
};
STRATA_MODEL(ItemCreate, field<&ItemCreate::title>().min_length(1).max_length(255),
             field<&ItemCreate::description>().max_length(255));

struct UserCreate {
  std::string email;
  bool is_active = true;
  bool is_superuser = false;
  std::optional<std::string> full_name;
  std::string password;
};
STRATA_MODEL(UserCreate, field<&UserCreate::email>().email().max_length(255),
             field<&UserCreate::is_superuser>().has_default(),
             field<&UserCreate::full_name>().max_length(255),
             field<&UserCreate::password>().min_length(8).max_length(40));

// The template's response shapes (models.py: UserPublic(UserBase) adds id;
// ItemPublic(ItemBase) adds id and owner_id), through extends<>(). ItemBase is
// the template's shared base (title, description) with its Field() rules; this
// file's ItemCreate keeps its own members (tests aggregate-initialize it).
struct UserPublic : UserBase {
  strata::Uuid id;
};
STRATA_MODEL(UserPublic, extends<UserBase>(), field<&UserPublic::id>());

struct ItemBase {
  std::string title;
  std::optional<std::string> description;
};
STRATA_MODEL(ItemBase, field<&ItemBase::title>().min_length(1).max_length(255),
             field<&ItemBase::description>().max_length(255));
struct ItemPublic : ItemBase {
  strata::Uuid id;
  strata::Uuid owner_id;
};
STRATA_MODEL(ItemPublic, extends<ItemBase>(), field<&ItemPublic::id>(), field<&ItemPublic::owner_id>());

}  // namespace seeds::fullstack

// --- 003: student management system (SQLAlchemy declarative) ----------------
namespace seeds::school {

struct User;
struct Course;
struct Enrollment;
struct UserType {
  int user_type_id = 0;
  std::optional<strata::DateTime> created_at;
  std::optional<strata::DateTime> updated_at;
  std::string name;
  strata::Many<User> users;  // relationship('User', back_populates='user_type')
};
struct User {
  int user_id = 0;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::optional<int> age;
  bool is_active = true;
  std::optional<strata::DateTime> created_at;
  std::optional<strata::DateTime> updated_at;
  std::optional<strata::DateTime> last_login;
  int user_type_id = 0;
  strata::One<UserType> user_type;      // relationship('UserType', back_populates='users')
  strata::Many<Enrollment> enrollments;  // relationship('Enrollment', back_populates='user')
  strata::Many<Course> courses;          // through enrollments, loading only (not in the seed)
};
struct Course {
  int course_id = 0;
  std::string name;
  std::optional<std::string> description;
  strata::Date start_date;
  strata::Date end_date;
  std::optional<strata::DateTime> created_at;
  std::optional<strata::DateTime> updated_at;
  bool is_active = true;
  strata::Many<Enrollment> enrollments;  // relationship('Enrollment', back_populates='course')
};
struct Enrollment {
  int enrollment_id = 0;
  std::optional<strata::DateTime> enrolled_date;
  std::optional<strata::DateTime> end_date;
  std::optional<strata::DateTime> updated_at;
  std::optional<std::string> associative_data;
  int user_id = 0;
  int course_id = 0;
  strata::One<User> user;      // relationship('User', back_populates='enrollments')
  strata::One<Course> course;  // relationship('Course', back_populates='enrollments')
};

STRATA_TABLE(UserType, "user_types",
             field<&UserType::user_type_id>().primary_key().autoincrement(),
             field<&UserType::created_at>().default_factory(&strata::local_now_utc),
             field<&UserType::updated_at>().default_factory(&strata::local_now_utc)
                 .onupdate(&strata::local_now_utc),
             field<&UserType::name>().max_length(50).unique(),
             relationship<&UserType::users>().back_populates("user_type"));
STRATA_TABLE(User, "users",
             field<&User::user_id>().primary_key().autoincrement(),
             field<&User::first_name>().max_length(50),
             field<&User::last_name>().max_length(50),
             field<&User::email>().max_length(100).unique(),
             field<&User::age>().check("age > 0"),
             field<&User::created_at>().default_factory(&strata::local_now_utc),
             field<&User::updated_at>().default_factory(&strata::local_now_utc)
                 .onupdate(&strata::local_now_utc),
             field<&User::last_login>().default_factory(&strata::local_now_utc)
                 .onupdate(&strata::local_now_utc),
             field<&User::user_type_id>().foreign_key<&UserType::user_type_id>(),
             relationship<&User::user_type>().back_populates("users"),
             relationship<&User::enrollments>().back_populates("user"),
             relationship<&User::courses>().secondary<Enrollment>().viewonly().order_by<&Course::course_id>(),
             unique_constraint<&User::email>("uq_users_email"));
STRATA_TABLE(Course, "courses",
             field<&Course::course_id>().primary_key().autoincrement(),
             field<&Course::name>().max_length(100),
             field<&Course::created_at>().default_factory(&strata::local_now_utc),
             field<&Course::updated_at>().default_factory(&strata::local_now_utc)
                 .onupdate(&strata::local_now_utc),
             relationship<&Course::enrollments>().back_populates("course"));
STRATA_TABLE(Enrollment, "enrollments",
             field<&Enrollment::enrollment_id>().primary_key().autoincrement(),
             field<&Enrollment::enrolled_date>().default_factory(&strata::local_now_utc),
             field<&Enrollment::updated_at>().default_factory(&strata::local_now_utc)
                 .onupdate(&strata::local_now_utc),
             field<&Enrollment::user_id>().foreign_key<&User::user_id>(),
             field<&Enrollment::course_id>().foreign_key<&Course::course_id>(),
             relationship<&Enrollment::user>().back_populates("enrollments"),
             relationship<&Enrollment::course>().back_populates("enrollments"));

}  // namespace seeds::school

// --- 004: AI model catalogue (SQLModel, PostgreSQL JSONB / ARRAY) ------------
namespace seeds::catalog {

struct TimestampMixin {
  std::optional<strata::DateTimeTz> created_at;
  std::optional<strata::DateTimeTz> updated_at;
};
STRATA_MODEL(TimestampMixin, field<&TimestampMixin::created_at>().server_default(now()),
             field<&TimestampMixin::updated_at>().server_default(now()).onupdate(now()));

struct ModelBase {
  std::string name;
  std::string organization;
  std::optional<strata::Date> release_date;
  std::optional<std::string> description;  // Text
  std::optional<std::string> license;
};
struct BenchmarkResult;
struct Opinion;
struct UseCase;
struct Model : ModelBase, TimestampMixin {
  int id = 0;
  std::optional<strata::Json> metadata_;  // column "metadata" (JSONB)
  // Relationships (cascade "all, delete-orphan", as the seed's sa_relationship_kwargs)
  strata::Many<BenchmarkResult> benchmark_results;
  strata::Many<Opinion> opinions;
  strata::Many<UseCase> use_cases;
};
STRATA_MODEL(ModelBase, field<&ModelBase::name>().max_length(255).index().unique(),
             field<&ModelBase::organization>().max_length(255),
             field<&ModelBase::license>().max_length(255));
STRATA_TABLE(Model, "models", extends<ModelBase, TimestampMixin>(),
             field<&Model::id>().primary_key().autoincrement(),
             field<&Model::metadata_>().name("metadata"),
             relationship<&Model::benchmark_results>().back_populates("model").cascade("all, delete-orphan"),
             relationship<&Model::opinions>().back_populates("model").cascade("all, delete-orphan"),
             relationship<&Model::use_cases>().back_populates("model").cascade("all, delete-orphan"));

struct BenchmarkBase {
  std::string name;
  std::optional<std::string> category;
  std::optional<std::string> description;  // Text
  std::optional<std::string> url;
};
struct Benchmark : BenchmarkBase, TimestampMixin {
  int id = 0;
  strata::Many<BenchmarkResult> results;
};
STRATA_MODEL(BenchmarkBase, field<&BenchmarkBase::name>().max_length(255).index().unique(),
             field<&BenchmarkBase::category>().max_length(100).index(),
             field<&BenchmarkBase::url>().max_length(500));
STRATA_TABLE(Benchmark, "benchmarks", extends<BenchmarkBase, TimestampMixin>(),
             field<&Benchmark::id>().primary_key().autoincrement(),
             relationship<&Benchmark::results>().back_populates("benchmark").cascade("all, delete-orphan"));

struct BenchmarkResultBase {
  double score = 0;
  std::optional<strata::Date> date_tested;
  std::optional<std::string> source;
};
struct BenchmarkResult : BenchmarkResultBase, TimestampMixin {
  int id = 0;
  int model_id = 0;
  int benchmark_id = 0;
  strata::One<Model> model;
  strata::One<Benchmark> benchmark;
};
STRATA_MODEL(BenchmarkResultBase, field<&BenchmarkResultBase::source>().max_length(255));
STRATA_TABLE(BenchmarkResult, "benchmark_results", extends<BenchmarkResultBase, TimestampMixin>(),
             field<&BenchmarkResult::id>().primary_key().autoincrement(),
             field<&BenchmarkResult::model_id>().foreign_key<&Model::id>().index(),
             field<&BenchmarkResult::benchmark_id>().foreign_key<&Benchmark::id>().index(),
             relationship<&BenchmarkResult::model>().back_populates("benchmark_results"),
             relationship<&BenchmarkResult::benchmark>().back_populates("results"),
             unique_constraint<&BenchmarkResult::model_id, &BenchmarkResult::benchmark_id,
                               &BenchmarkResult::date_tested>("uix_model_benchmark_date"),
             index<&BenchmarkResult::model_id, &BenchmarkResult::benchmark_id>(
                 "ix_benchmark_results_model_benchmark"));

struct OpinionBase {
  std::string content;  // Text, NOT NULL
  std::optional<std::string> sentiment;
  std::optional<std::string> source;
  std::optional<std::string> author;
  std::optional<strata::Date> date_published;
};
struct Opinion : OpinionBase, TimestampMixin {
  int id = 0;
  int model_id = 0;
  std::optional<std::vector<std::string>> tags;  // ARRAY(String)
  strata::One<Model> model;
};
STRATA_MODEL(OpinionBase, field<&OpinionBase::sentiment>().max_length(50),
             field<&OpinionBase::source>().max_length(255),
             field<&OpinionBase::author>().max_length(255),
             field<&OpinionBase::date_published>().index());
STRATA_TABLE(Opinion, "opinions", extends<OpinionBase, TimestampMixin>(),
             field<&Opinion::id>().primary_key().autoincrement(),
             field<&Opinion::model_id>().foreign_key<&Model::id>().index(),
             field<&Opinion::tags>(),
             relationship<&Opinion::model>().back_populates("opinions"));

struct UseCaseBase {
  std::string use_case;
  std::optional<std::string> description;  // Text
  std::optional<std::string> mentioned_by;
};
struct UseCase : UseCaseBase, TimestampMixin {
  int id = 0;
  int model_id = 0;
  strata::One<Model> model;
};
STRATA_MODEL(UseCaseBase, field<&UseCaseBase::use_case>().max_length(255),
             field<&UseCaseBase::mentioned_by>().max_length(255));
STRATA_TABLE(UseCase, "use_cases", extends<UseCaseBase, TimestampMixin>(),
             field<&UseCase::id>().primary_key().autoincrement(),
             field<&UseCase::model_id>().foreign_key<&Model::id>().index(),
             relationship<&UseCase::model>().back_populates("use_cases"));

}  // namespace seeds::catalog
