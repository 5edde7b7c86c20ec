// Models shared by the typed query builder tests (query_golden_test.cpp,
// query_live_test.cpp). Table names carry a "q_" prefix so that they never
// clash with the models of other test files in the same executable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "strata/strata.hpp"

namespace strata_query_test {

enum class Status { draft, published, archived };

/// A table without bases; nullable text and integer columns, a bool flag.
struct Person {
  std::int64_t id{};
  std::string name;
  std::optional<std::string> email;
  std::optional<std::int64_t> age;
  bool active = true;
};
STRATA_TABLE(Person, "q_person", field<&Person::id>().primary_key().autoincrement(),
             field<&Person::name>().max_length(100));

/// A shared base (not a table): its column comes first in each table that extends it.
struct Audit {
  std::string created_by;
};
STRATA_MODEL(Audit, field<&Audit::created_by>().max_length(50));

/// A table with a base, a Uuid, a nullable foreign key, an enum class and a double.
struct Post : Audit {
  std::int64_t id{};
  strata::Uuid uid;
  std::string title;
  std::optional<std::int64_t> author_id;
  Status status = Status::draft;
  bool pinned = false;
  double score{};
};
STRATA_TABLE(Post, "q_post", extends<Audit>(), field<&Post::id>().primary_key().autoincrement(),
             field<&Post::uid>().unique(), field<&Post::title>(),
             field<&Post::author_id>().foreign_key<&Person::id>().on_delete(SetNull), field<&Post::status>(),
             field<&Post::pinned>(), field<&Post::score>());

}  // namespace strata_query_test
