// Acceptance tests of issue 2 on seed 003 (student management system:
// user_types, users with CHECK (age > 0) and a unique e-mail, courses,
// enrollments), on a real SQLite file and a real PostgreSQL database
// (parametrized): the schema create_all builds (read back
// from the database), the Session's unit of work on it, and every constraint of
// the schema raising its own exception type. Issue 6: relationships loaded
// with one statement per level.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "seed_models.hpp"
#include "seeds_util.hpp"
#include "strata/strata.hpp"
#include "support/database.hpp"

namespace {

using seeds::school::Course;
using seeds::school::Enrollment;
using seeds::school::User;
using seeds::school::UserType;
using strata::col;
using strata::select;
using strata::selectin;
namespace sl = seed_live;

strata::Date ymd(int y, unsigned m, unsigned d) {
  return strata::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

class SeedSchool : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = counting_engine(statements_);
    strata::create_all(engine_, strata::model::metadata_of<UserType, User, Course, Enrollment>());
  }

  static UserType make_type(const std::string& name) {
    UserType t;
    t.name = name;
    return t;
  }
  static User make_user(const std::string& first, const std::string& last, int type_id,
                        std::optional<int> age = std::nullopt) {
    User u;
    u.first_name = first;
    u.last_name = last;
    u.email = first + "." + last + "@school.test";
    u.age = age;
    u.user_type_id = type_id;
    return u;
  }
  static Course make_course(const std::string& name, strata::Date start, strata::Date end) {
    Course c;
    c.name = name;
    c.start_date = start;
    c.end_date = end;
    return c;
  }
  static Enrollment make_enrollment(int user_id, int course_id) {
    Enrollment e;
    e.user_id = user_id;
    e.course_id = course_id;
    return e;
  }
  std::int64_t rows(const std::string& table) { return sl::row_count(engine_, table); }

  /// One user type, two users, two courses, three enrollments; committed.
  struct Fixture {
    std::shared_ptr<UserType> student;
    std::shared_ptr<User> ada, alan;
    std::shared_ptr<Course> databases, compilers;
  };
  Fixture populate(strata::Session& s) {
    Fixture f;
    f.student = s.add(make_type("student"));
    s.flush();
    f.ada = s.add(make_user("ada", "lovelace", f.student->user_type_id, 36));
    f.alan = s.add(make_user("alan", "turing", f.student->user_type_id, 41));
    f.databases = s.add(make_course("Databases", ymd(2024, 9, 2), ymd(2024, 12, 20)));
    f.compilers = s.add(make_course("Compilers", ymd(2025, 1, 13), ymd(2025, 5, 30)));
    s.flush();
    s.add(make_enrollment(f.ada->user_id, f.databases->course_id));
    s.add(make_enrollment(f.alan->user_id, f.databases->course_id));
    s.add(make_enrollment(f.ada->user_id, f.compilers->course_id));
    s.commit();
    return f;
  }

  strata::Engine engine_ = strata::create_engine("sqlite://");
  int statements_ = 0;  ///< statements sent through engine_ (EngineOptions::before_execute)
};

TEST_P(SeedSchool, CreateAllBuildsTheSeedTables) {
  auto c = engine_.connect();
  EXPECT_EQ(sl::table_names(c), (std::vector<std::string>{"courses", "enrollments", "user_types", "users"}));

  // Columns in the order of the seed's generated migration.
  EXPECT_EQ(sl::column_names(c, "user_types"),
            (std::vector<std::string>{"user_type_id", "created_at", "updated_at", "name"}));
  EXPECT_EQ(sl::notnull_columns(c, "user_types"), (std::set<std::string>{"user_type_id", "name"}));
  EXPECT_EQ(sl::primary_key(c, "user_types"), (std::vector<std::string>{"user_type_id"}));
  EXPECT_TRUE(sl::unique_constraint_on(c, "user_types", {"name"}).has_value());

  EXPECT_EQ(sl::column_names(c, "users"),
            (std::vector<std::string>{"user_id", "first_name", "last_name", "email", "age", "is_active",
                                      "created_at", "updated_at", "last_login", "user_type_id"}));
  EXPECT_EQ(sl::notnull_columns(c, "users"),
            (std::set<std::string>{"user_id", "first_name", "last_name", "email", "is_active", "user_type_id"}));
  EXPECT_EQ(sl::primary_key(c, "users"), (std::vector<std::string>{"user_id"}));
  // unique=True and UniqueConstraint('email', name='uq_users_email') are one constraint.
  int email_uniques = 0;
  for (const auto& ix : sl::indexes(c, "users"))
    if (ix.unique && ix.columns == std::vector<std::string>{"email"}) ++email_uniques;
  EXPECT_EQ(email_uniques, 1);
  EXPECT_EQ(sl::unique_constraint_on(c, "users", {"email"})->name, "uq_users_email");
  EXPECT_EQ(sl::check_sql(c, "users", "ck_users_1"), "age>0");
  auto user_fks = sl::foreign_keys(c, "users");
  ASSERT_EQ(user_fks.size(), 1u);
  EXPECT_EQ(user_fks[0].from, "user_type_id");
  EXPECT_EQ(user_fks[0].table, "user_types");
  EXPECT_EQ(user_fks[0].to, "user_type_id");
  EXPECT_EQ(user_fks[0].on_delete, "NO ACTION");  // the seed declares no ondelete

  EXPECT_EQ(sl::column_names(c, "courses"),
            (std::vector<std::string>{"course_id", "name", "description", "start_date", "end_date", "created_at",
                                      "updated_at", "is_active"}));
  EXPECT_EQ(sl::notnull_columns(c, "courses"),
            (std::set<std::string>{"course_id", "name", "start_date", "end_date", "is_active"}));

  EXPECT_EQ(sl::column_names(c, "enrollments"),
            (std::vector<std::string>{"enrollment_id", "enrolled_date", "end_date", "updated_at", "associative_data",
                                      "user_id", "course_id"}));
  EXPECT_EQ(sl::notnull_columns(c, "enrollments"),
            (std::set<std::string>{"enrollment_id", "user_id", "course_id"}));
  auto enr_fks = sl::foreign_keys(c, "enrollments");
  ASSERT_EQ(enr_fks.size(), 2u);  // ordered by "from"
  EXPECT_EQ(enr_fks[0].from, "course_id");
  EXPECT_EQ(enr_fks[0].table, "courses");
  EXPECT_EQ(enr_fks[0].to, "course_id");
  EXPECT_EQ(enr_fks[1].from, "user_id");
  EXPECT_EQ(enr_fks[1].table, "users");
  EXPECT_EQ(enr_fks[1].to, "user_id");
  for (const auto& fk : enr_fks) EXPECT_EQ(fk.on_delete, "NO ACTION");
}

TEST_P(SeedSchool, AddGetAndClientDefaults) {
  int user_id = 0, course_id = 0;
  std::optional<strata::DateTime> created;
  {
    strata::Session s{engine_};
    auto f = populate(s);
    EXPECT_GT(f.student->user_type_id, 0);
    EXPECT_GT(f.ada->user_id, 0);
    EXPECT_NE(f.ada->user_id, f.alan->user_id);
    // default_factory(utcnow) filled the unset timestamps at INSERT.
    ASSERT_TRUE(f.ada->created_at.has_value());
    ASSERT_TRUE(f.ada->updated_at.has_value());
    ASSERT_TRUE(f.ada->last_login.has_value());
    ASSERT_TRUE(f.student->created_at.has_value());
    ASSERT_TRUE(f.databases->created_at.has_value());
    user_id = f.ada->user_id;
    course_id = f.databases->course_id;
    created = f.ada->created_at;
  }
  strata::Session s{engine_};
  auto ada = s.get<User>(user_id);
  ASSERT_NE(ada, nullptr);
  EXPECT_EQ(ada->first_name, "ada");
  EXPECT_EQ(ada->email, "ada.lovelace@school.test");
  EXPECT_EQ(ada->age, std::optional<int>(36));
  EXPECT_TRUE(ada->is_active);
  EXPECT_EQ(ada->created_at, created);  // the timestamp round trips exactly
  auto db = s.get<Course>(course_id);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->start_date, ymd(2024, 9, 2));
  EXPECT_EQ(db->end_date, ymd(2024, 12, 20));
  EXPECT_EQ(db->description, std::nullopt);
  {
    auto c = engine_.connect();
    EXPECT_EQ(c.execute(sql("SELECT start_date FROM courses WHERE course_id = ?"), {course_id}).scalar(),
              strata::Value("2024-09-02"));
  }
  auto enrollments = s.exec(select<Enrollment>().where(col(&Enrollment::user_id) == user_id)).all();
  ASSERT_EQ(enrollments.size(), 2u);
  for (const auto& e : enrollments) {
    EXPECT_TRUE(e->enrolled_date.has_value());
    EXPECT_EQ(e->end_date, std::nullopt);  // no default in the seed
  }
}

TEST_P(SeedSchool, QueriesFilterOrderAndJoin) {
  strata::Session s{engine_};
  auto f = populate(s);
  s.add(make_user("grace", "hopper", f.student->user_type_id));  // enrolled nowhere

  // Users enrolled in Databases, through enrollments.
  auto in_databases = s.exec(select<User>()
                                 .join<Enrollment>(col(&Enrollment::user_id) == col(&User::user_id))
                                 .join<Course>(col(&Course::course_id) == col(&Enrollment::course_id))
                                 .where(col(&Course::name) == "Databases")
                                 .order_by(col(&User::last_name).desc()))
                          .all();
  ASSERT_EQ(in_databases.size(), 2u);
  EXPECT_EQ(in_databases[0].get(), f.alan.get());
  EXPECT_EQ(in_databases[1].get(), f.ada.get());

  // Enrollments with their course, for one user.
  auto rows_ = s.exec(select<Enrollment, Course>()
                          .join<Course>(col(&Course::course_id) == col(&Enrollment::course_id))
                          .where(col(&Enrollment::user_id) == f.ada->user_id)
                          .order_by(col(&Course::start_date)))
                   .all();
  ASSERT_EQ(rows_.size(), 2u);
  EXPECT_EQ(std::get<1>(rows_[0]).get(), f.databases.get());
  EXPECT_EQ(std::get<1>(rows_[1]).get(), f.compilers.get());

  // Dates compare as dates.
  auto starting_2025 =
      s.exec(select<Course>().where(col(&Course::start_date).between(ymd(2025, 1, 1), ymd(2025, 12, 31)))).all();
  ASSERT_EQ(starting_2025.size(), 1u);
  EXPECT_EQ(starting_2025[0]->name, "Compilers");

  // Enrollment counts per course, and users without any enrollment (outer join).
  auto counts = s.exec(select(col(&Course::name), strata::count())
                           .join<Enrollment>(col(&Enrollment::course_id) == col(&Course::course_id))
                           .group_by(col(&Course::name))
                           .order_by(col(&Course::name)))
                    .all();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0], std::make_tuple(std::string("Compilers"), std::int64_t{1}));
  EXPECT_EQ(counts[1], std::make_tuple(std::string("Databases"), std::int64_t{2}));
  auto loners = s.exec(select<User>()
                           .outerjoin<Enrollment>(col(&Enrollment::user_id) == col(&User::user_id))
                           .where(col(&Enrollment::enrollment_id).is_null()))
                    .all();
  ASSERT_EQ(loners.size(), 1u);
  EXPECT_EQ(loners[0]->first_name, "grace");
  EXPECT_EQ(s.count(select<User>().where(col(&User::age).is_null())), 1);
  EXPECT_EQ(s.count(select<User>().where(col(&User::age) > 40)), 1);
}

TEST_P(SeedSchool, UpdateTracksChangesAndRunsOnupdateCallables) {
  strata::Session s{engine_};
  auto f = populate(s);
  const int id = f.ada->user_id;
  {
    auto c = engine_.connect();
    c.execute_update("UPDATE users SET updated_at = '2000-01-01 00:00:00', last_login = '2000-01-01 00:00:00'");
  }
  s.refresh(f.ada);
  const auto old = strata::parse_datetime("2000-01-01 00:00:00");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(f.ada->updated_at, old);
  const auto created = f.ada->created_at;

  f.ada->age = 37;
  f.ada->is_active = false;
  EXPECT_TRUE(s.is_modified(f.ada));
  EXPECT_FALSE(s.is_modified(f.alan));
  s.commit();
  EXPECT_FALSE(s.is_modified(f.ada));
  // onupdate=datetime.utcnow ran for updated_at and last_login; created_at kept.
  ASSERT_TRUE(f.ada->updated_at.has_value());
  EXPECT_GT(*f.ada->updated_at, *old);
  ASSERT_TRUE(f.ada->last_login.has_value());
  EXPECT_GT(*f.ada->last_login, *old);
  EXPECT_EQ(f.ada->created_at, created);

  auto c = engine_.connect();
  auto row = c.execute(sql("SELECT age, is_active, updated_at FROM users WHERE user_id = ?"), {id}).one();
  EXPECT_EQ(row[0], strata::Value(37));
  EXPECT_EQ(row[1], pick(strata::Value(0), strata::Value(false)));
  EXPECT_EQ(strata::parse_datetime(sl::text_of(row[2])), f.ada->updated_at);
  // alan was not written: his timestamps are still the old ones.
  EXPECT_EQ(c.execute(sql("SELECT updated_at FROM users WHERE user_id = ?"), {f.alan->user_id}).scalar(),
            strata::Value("2000-01-01 00:00:00"));
}

TEST_P(SeedSchool, DeleteRemovesRowsAndReferencedRowsAreProtected) {
  strata::Session s{engine_};
  auto f = populate(s);
  const auto before_users = rows("users");

  // ada is enrolled: the seed has no ON DELETE, so the DELETE is refused
  // (User.enrollments has no delete cascade, and User.courses is viewonly:
  // the session leaves the enrollments alone).
  s.delete_(f.ada);
  auto e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->sqlstate(), "23503");
  EXPECT_TRUE(sl::contains(e->sql(), "DELETE FROM \"users\"")) << e->sql();
  sl::expect_rollback_required(s);
  EXPECT_EQ(rows("users"), before_users);
  EXPECT_EQ(rows("enrollments"), 3);

  // A user type still used by users cannot go either.
  auto student = s.get<UserType>(f.student->user_type_id);
  ASSERT_NE(student, nullptr);
  s.delete_(student);
  e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(sl::contains(e->sql(), "DELETE FROM \"user_types\"")) << e->sql();
  sl::expect_rollback_required(s);

  // Nor a course with enrollments, by a bulk DELETE.
  e = sl::catch_as<strata::ForeignKeyViolation>([&] {
    s.exec(strata::delete_from<Course>().where(col(&Course::name) == "Databases"));
  });
  ASSERT_TRUE(e.has_value());
  s.rollback();
  EXPECT_EQ(rows("courses"), 2);

  // Children first, then the parent: both go.
  auto ada = s.get<User>(f.ada->user_id);
  ASSERT_NE(ada, nullptr);
  for (auto& en : s.exec(select<Enrollment>().where(col(&Enrollment::user_id) == ada->user_id)).all())
    s.delete_(en);
  s.delete_(ada);
  s.commit();
  EXPECT_EQ(rows("users"), before_users - 1);
  EXPECT_EQ(rows("enrollments"), 1);
  EXPECT_EQ(s.get<User>(f.ada->user_id), nullptr);
}

TEST_P(SeedSchool, UniqueEmailNameAndPrimaryKeysRaiseUniqueViolation) {
  strata::Session s{engine_};
  auto f = populate(s);
  const int type_id = f.student->user_type_id;

  // users.email (uq_users_email), with a valid user in the same flush.
  s.add(make_user("grace", "hopper", type_id));
  User dup = make_user("x", "y", type_id);
  dup.email = f.ada->email;
  s.add(dup);
  auto e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "users");
  EXPECT_EQ(e->constraint(), pick("users.email", "uq_users_email"));
  EXPECT_EQ(e->sqlstate(), "23505");
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"users\"")) << e->sql();
  sl::expect_rollback_required(s);
  EXPECT_EQ(rows("users"), 2);  // grace is not there either

  // user_types.name
  s.add(make_type("student"));
  e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "user_types");
  EXPECT_EQ(e->constraint(), pick("user_types.name", "uq_user_types_name"));
  sl::expect_rollback_required(s);

  // Primary keys of the four tables, in fresh sessions (nothing loaded).
  auto expect_pk = [&](auto obj, const std::string& table, const std::string& column) {
    strata::Session fresh{engine_};
    fresh.add(obj);
    auto pe = sl::catch_as<strata::UniqueViolation>([&] { fresh.commit(); });
    ASSERT_TRUE(pe.has_value()) << table;
    EXPECT_EQ(pe->table(), table);
    EXPECT_EQ(pe->constraint(), is_postgresql() ? "pk_" + table : table + "." + column);
    EXPECT_TRUE(sl::contains(pe->sql(), "INSERT INTO \"" + table + "\"")) << pe->sql();
    sl::expect_rollback_required(fresh);
  };
  UserType t2 = make_type("teacher");
  t2.user_type_id = type_id;
  expect_pk(t2, "user_types", "user_type_id");
  User u2 = make_user("grace", "hopper", type_id);
  u2.user_id = f.ada->user_id;
  expect_pk(u2, "users", "user_id");
  Course c2 = make_course("Networks", ymd(2025, 2, 1), ymd(2025, 6, 1));
  c2.course_id = f.databases->course_id;
  expect_pk(c2, "courses", "course_id");
  Enrollment e2 = make_enrollment(f.alan->user_id, f.compilers->course_id);
  {
    auto c = engine_.connect();
    e2.enrollment_id = static_cast<int>(sl::int_of(c.execute("SELECT min(enrollment_id) FROM enrollments").scalar()));
  }
  expect_pk(e2, "enrollments", "enrollment_id");

  EXPECT_EQ(rows("user_types"), 1);
  EXPECT_EQ(rows("users"), 2);
  EXPECT_EQ(rows("courses"), 2);
  EXPECT_EQ(rows("enrollments"), 3);
  s.add(make_user("grace", "hopper", type_id));
  s.commit();
  EXPECT_EQ(rows("users"), 3);
}

TEST_P(SeedSchool, DanglingReferencesRaiseForeignKeyViolation) {
  strata::Session s{engine_};
  auto f = populate(s);

  // users.user_type_id
  s.add(make_user("grace", "hopper", 999));
  auto e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->sqlstate(), "23503");
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"users\"")) << e->sql();
  sl::expect_rollback_required(s);

  // enrollments.user_id and enrollments.course_id
  s.add(make_enrollment(999, f.databases->course_id));
  e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"enrollments\"")) << e->sql();
  sl::expect_rollback_required(s);
  s.add(make_enrollment(f.alan->user_id, 999));
  e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  sl::expect_rollback_required(s);

  // Re-pointing an enrollment at no course (dirty tracking).
  auto en = s.exec(select<Enrollment>().where(col(&Enrollment::user_id) == f.alan->user_id)).one();
  en->course_id = 999;
  e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"enrollments\"")) << e->sql();
  sl::expect_rollback_required(s);

  EXPECT_EQ(rows("users"), 2);
  EXPECT_EQ(rows("enrollments"), 3);
  auto c = engine_.connect();
  EXPECT_EQ(sl::int_of(c.execute("SELECT count(*) FROM enrollments WHERE course_id = 999").scalar()), 0);
  c.close();
  s.add(make_enrollment(f.alan->user_id, f.compilers->course_id));
  s.commit();
  EXPECT_EQ(rows("enrollments"), 4);
}

TEST_P(SeedSchool, NonPositiveAgeRaisesCheckViolation) {
  strata::Session s{engine_};
  auto f = populate(s);

  // INSERT with age 0, next to a valid user in the same flush.
  s.add(make_user("grace", "hopper", f.student->user_type_id, 30));
  s.add(make_user("baby", "zero", f.student->user_type_id, 0));
  auto e = sl::catch_as<strata::CheckViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->constraint(), "ck_users_1");  // SQLite names the CHECK, not its table
  EXPECT_EQ(e->sqlstate(), "23514");
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"users\"")) << e->sql();
  sl::expect_rollback_required(s);
  EXPECT_EQ(rows("users"), 2);

  // UPDATE through dirty tracking.
  auto ada = s.get<User>(f.ada->user_id);
  ASSERT_NE(ada, nullptr);
  ada->age = -3;
  e = sl::catch_as<strata::CheckViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->constraint(), "ck_users_1");
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"users\"")) << e->sql();
  sl::expect_rollback_required(s);

  // Typed bulk UPDATE.
  e = sl::catch_as<strata::CheckViolation>([&] { s.exec(strata::update<User>().set(&User::age, 0)); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->constraint(), "ck_users_1");
  s.rollback();

  auto c = engine_.connect();
  EXPECT_EQ(sl::int_of(c.execute("SELECT count(*) FROM users WHERE age <= 0").scalar()), 0);
  EXPECT_EQ(c.execute(sql("SELECT age FROM users WHERE user_id = ?"), {f.ada->user_id}).scalar(), strata::Value(36));
  c.close();
  // NULL passes the CHECK (age is optional), as does 1.
  s.add(make_user("grace", "hopper", f.student->user_type_id, std::nullopt));
  s.add(make_user("one", "year", f.student->user_type_id, 1));
  s.commit();
  EXPECT_EQ(rows("users"), 4);
}

TEST_P(SeedSchool, NullInNotNullColumnsRaisesNotNullViolation) {
  strata::Session s{engine_};
  populate(s);

  auto e = sl::catch_as<strata::NotNullViolation>(
      [&] { s.exec(strata::update<Course>().set(&Course::start_date, std::nullopt)); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "courses");
  EXPECT_EQ(e->constraint(), "courses.start_date");
  EXPECT_EQ(e->sqlstate(), "23502");
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"courses\"")) << e->sql();
  s.rollback();

  e = sl::catch_as<strata::NotNullViolation>([&] {
    s.connection().execute(sql("INSERT INTO enrollments (user_id) VALUES (?)"), {1}).rows_affected();
  });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "enrollments");
  EXPECT_EQ(e->constraint(), "enrollments.course_id");
  s.rollback();

  for (const char* t : {"user_types", "users", "courses", "enrollments"}) sl::expect_every_not_null_enforced(engine_, t);

  EXPECT_EQ(rows("enrollments"), 3);
  auto c = engine_.connect();
  EXPECT_EQ(sl::int_of(c.execute("SELECT count(*) FROM courses WHERE start_date IS NULL").scalar()), 0);
}

// Issue 6: a user's enrollments with their courses, loaded with one statement
// per level (selectin(&User::enrollments).then(&Enrollment::course)): the
// users, their enrollments (WHERE user_id IN ...), the enrollments' courses
// (WHERE course_id IN ...), however many users and enrollments; no N+1.
TEST_P(SeedSchool, EnrollmentsWithTheirCoursesLoadWithOneStatementPerLevel) {
  {
    strata::Session s{engine_};
    auto f = populate(s);  // ada: Databases, Compilers; alan: Databases
    s.add(make_user("grace", "hopper", f.student->user_type_id));  // enrolled nowhere
    s.commit();
  }
  const auto per_level = selectin(&User::enrollments).then(&Enrollment::course);

  // One user.
  strata::Session s{engine_};
  statements_ = 0;
  auto ada = s.exec(select<User>().where(col(&User::email) == "ada.lovelace@school.test").options(per_level)).one();
  EXPECT_EQ(statements_, 1 + 3);  // BEGIN, users, enrollments, courses
  ASSERT_TRUE(ada->enrollments.loaded());
  ASSERT_EQ(ada->enrollments.size(), 2u);
  std::set<std::string> names;
  for (const auto& en : ada->enrollments) {
    EXPECT_EQ(en->user_id, ada->user_id);
    EXPECT_EQ(en->user.get(), ada.get());  // back_populates: the same object
    ASSERT_TRUE(en->course.loaded());
    ASSERT_TRUE(en->course);
    EXPECT_EQ(en->course->course_id, en->course_id);
    names.insert(en->course->name);
    EXPECT_FALSE(en->course->enrollments.loaded());  // not asked for
  }
  EXPECT_EQ(names, (std::set<std::string>{"Compilers", "Databases"}));
  EXPECT_FALSE(ada->user_type.loaded());
  EXPECT_THROW((void)ada->user_type->name, strata::NotLoadedError);
  EXPECT_EQ(statements_, 4);  // reading the members sent nothing

  // Every user: still one statement per level.
  strata::Session all{engine_};
  statements_ = 0;
  auto users = all.exec(select<User>().order_by(col(&User::user_id)).options(per_level)).all();
  EXPECT_EQ(statements_, 1 + 3);
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[0]->first_name, "ada");
  ASSERT_EQ(users[0]->enrollments.size(), 2u);
  EXPECT_EQ(users[1]->first_name, "alan");
  ASSERT_EQ(users[1]->enrollments.size(), 1u);
  const auto& alans = users[1]->enrollments[0]->course;
  EXPECT_EQ(alans->name, "Databases");
  EXPECT_EQ(alans->start_date, ymd(2024, 9, 2));
  // One Course object per row: ada's Databases is alan's.
  int shared = 0;
  for (const auto& en : users[0]->enrollments) shared += en->course.get() == alans.get();
  EXPECT_EQ(shared, 1);
  EXPECT_EQ(users[2]->first_name, "grace");
  EXPECT_TRUE(users[2]->enrollments.loaded());
  EXPECT_TRUE(users[2]->enrollments.empty());
  EXPECT_EQ(statements_, 4);

  // The courses joined to the enrollments instead: one statement fewer.
  strata::Session joined_session{engine_};
  statements_ = 0;
  users = joined_session
              .exec(select<User>()
                        .order_by(col(&User::user_id))
                        .options(selectin(&User::enrollments).joined(&Enrollment::course)))
              .all();
  EXPECT_EQ(statements_, 1 + 2);  // BEGIN, users, enrollments LEFT OUTER JOIN courses
  ASSERT_EQ(users.size(), 3u);
  std::size_t enrollments = 0;
  for (const auto& u : users)
    for (const auto& en : u->enrollments) {
      ++enrollments;
      EXPECT_EQ(en->course->course_id, en->course_id);
    }
  EXPECT_EQ(enrollments, 3u);
  EXPECT_EQ(statements_, 3);
}

STRATA_INSTANTIATE_BACKENDS(SeedSchool);

}  // namespace
