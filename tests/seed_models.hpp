// tests/seed_models.hpp - the schemas of the seed documents as Strata models,
// shared by the model tests, the live-database tests, the benchmarks and the
// fuzz target. The models themselves live with the examples that run them
// (one source of truth); this header gives them the tests' `seeds::` names.
//
//   seeds::fullstack  000_8312bb1187d543c2  user / item (UUID keys, ON DELETE CASCADE)
//                     examples/fullstack/include/fullstack/models.hpp
//   seeds::school     003_59dc27ee0f363bab  user_types / users / courses / enrollments
//                     examples/school/include/school/models.hpp
//   seeds::catalog    004_9f559c4a69fc8219  models / benchmarks / benchmark_results /
//                                           opinions / use_cases (TimestampMixin base)
//                     examples/catalog/include/catalog/models.hpp
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

#include "../examples/catalog/include/catalog/models.hpp"
#include "../examples/fullstack/include/fullstack/models.hpp"
#include "../examples/school/include/school/models.hpp"

namespace seeds {
namespace fullstack = ::fullstack;
namespace school = ::school;
namespace catalog = ::catalog;
}  // namespace seeds
