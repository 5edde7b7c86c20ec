// The student management system's models (seed 003, SQLAlchemy declarative):
// user types, users, courses and the enrollments that link users and courses.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/core/datetime.hpp"
#include "strata/core/uuid.hpp"
#include "strata/model/model.hpp"

namespace school {

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

}  // namespace school
