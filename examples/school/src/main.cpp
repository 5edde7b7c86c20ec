// school_app: the student management system of seed 003 in C++.
//
//   school_app --url <database URL>
//
// At start-up it upgrades the database to the newest revision of
// examples/school/migrations (the seeds' prestart step: `alembic upgrade
// head`), then walks the seed's path: user types, users, courses,
// enrollments; a user's enrollments with their courses, loaded with one
// statement per level; an update that bumps updated_at (onupdate); the CHECK
// (age > 0) and the unique email refusing bad rows, which leave the database
// as it was. Running it again on the same database finds the rows already
// there and only reads. Exit status 0, or 1 with "FAILED: ..." on stderr.
#include <atomic>
#include <cstdio>
#include <string>

#include "school/models.hpp"
#include "strata/migrate/runner.hpp"
#include "strata/strata.hpp"

namespace {

using namespace school;
using strata::col;

std::atomic<long> g_statements{0};

strata::Date ymd(int y, unsigned m, unsigned d) {
  return strata::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

void seed(strata::Session& s) {
  UserType student_type, teacher_type;
  student_type.name = "student";
  teacher_type.name = "teacher";
  auto student = s.add(std::move(student_type));
  auto teacher = s.add(std::move(teacher_type));

  auto user = [&](const char* first, const char* last, const char* email, std::optional<int> age,
                  const std::shared_ptr<UserType>& type) {
    User u;
    u.first_name = first;
    u.last_name = last;
    u.email = email;
    u.age = age;
    u.user_type = type;  // the flush fills user_type_id
    return s.add(std::move(u));
  };
  auto ada = user("Ada", "Lovelace", "ada@example.edu", 36, student);
  auto alan = user("Alan", "Turing", "alan@example.edu", 41, student);
  user("Grace", "Hopper", "grace@example.edu", std::nullopt, teacher);

  auto course = [&](const char* name, std::optional<std::string> description, strata::Date start, strata::Date end) {
    Course c;
    c.name = name;
    c.description = description;
    c.start_date = start;
    c.end_date = end;
    return s.add(std::move(c));
  };
  auto databases = course("Databases", "Relational design, SQL and migrations", ymd(2024, 9, 2), ymd(2024, 12, 20));
  auto compilers = course("Compilers", "From grammars to machine code", ymd(2024, 9, 2), ymd(2025, 1, 31));
  auto history = course("History of Computing", std::nullopt, ymd(2025, 2, 3), ymd(2025, 5, 30));

  auto enroll = [&](const std::shared_ptr<User>& u, const std::shared_ptr<Course>& c) {
    auto e = std::make_shared<Enrollment>();
    e->course = c;
    u->enrollments.push_back(e);  // cascade save-update: pending with its user
  };
  enroll(ada, databases);
  enroll(ada, compilers);
  enroll(alan, compilers);
  enroll(alan, history);
  s.commit();  // one flush: user_types, then users and courses, then enrollments
  std::printf("added 2 user types, 3 users, 3 courses, 4 enrollments\n");
}

int run(const std::string& url) {
  strata::engine::EngineOptions opts;
  opts.before_execute = [](std::string_view sql) {  // SELECTs only (not BEGIN / COMMIT)
    if (sql.substr(0, 6) == "SELECT") g_statements.fetch_add(1, std::memory_order_relaxed);
  };
  auto engine = strata::create_engine(strata::engine::Url::parse(url), opts);

  strata::migrate::upgrade(engine);  // prestart: the database at head before anything reads it
  std::printf("database upgraded to head\n");

  strata::Session s{engine};
  if (s.count(strata::select<User>()) == 0) seed(s);

  // A user's enrollments with their courses: one statement per level
  // (users, user types, enrollments, courses), never one per row. A new
  // Session, so that no object is already in its identity map.
  strata::Session reader{engine};
  long before = g_statements.load();
  auto users = reader.exec(strata::select<User>()
                               .order_by(col(&User::user_id))
                               .options(strata::selectin(&User::enrollments).then(&Enrollment::course),
                                        strata::selectin(&User::user_type)))
                   .all();
  long statements = g_statements.load() - before;
  for (const auto& u : users) {
    std::printf("%s %s (%s):", u->first_name.c_str(), u->last_name.c_str(), u->user_type->name.c_str());
    if (u->enrollments.empty()) std::printf(" no enrollments");
    for (const auto& e : u->enrollments) std::printf(" [%s]", e->course->name.c_str());
    std::printf("\n");
  }
  std::printf("(%ld SELECTs for %zu users, their types, enrollments and courses)\n", statements, users.size());
  if (statements != 4) throw std::runtime_error("expected 4 SELECTs (one per level), got " + std::to_string(statements));

  // An update: onupdate refreshes updated_at and last_login.
  auto ada = s.exec(strata::select<User>().where(col(&User::email) == "ada@example.edu")).one();
  auto stamp = ada->updated_at;
  ada->is_active = false;
  s.commit();
  std::printf("Ada deactivated; updated_at moved forward: %s\n", ada->updated_at > stamp ? "yes" : "no");

  // Bad rows are refused by the database and leave it as it was.
  auto refused = [&](const char* what, auto&& fn) {
    auto before_count = s.count(strata::select<User>());
    try {
      fn();
      s.commit();
    } catch (const strata::IntegrityError& e) {
      s.rollback();
      std::printf("refused (%s): %s\n", what, e.what());
      if (s.count(strata::select<User>()) != before_count) throw std::runtime_error("a refused row was written");
      return;
    }
    throw std::runtime_error(std::string("the database accepted ") + what);
  };
  auto student_type = s.exec(strata::select<UserType>().where(col(&UserType::name) == "student")).one();
  auto student = [&](const char* first, const char* email, std::optional<int> age) {
    User u;
    u.first_name = first;
    u.last_name = "Refused";
    u.email = email;
    u.age = age;
    u.user_type_id = student_type->user_type_id;
    return u;
  };
  refused("age 0 breaks CHECK (age > 0)", [&] { s.add(student("Zero", "zero@example.edu", 0)); });
  refused("a second ada@example.edu breaks uq_users_email",
          [&] { s.add(student("Ada", "ada@example.edu", std::nullopt)); });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--url") {
    std::fprintf(stderr, "usage: %s --url <database URL>\n", argv[0]);
    return 2;
  }
  try {
    return run(argv[2]);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "FAILED: %s\n", e.what());
    return 1;
  }
}
