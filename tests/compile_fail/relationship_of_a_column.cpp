// EXPECT: relationship<&T::m>\(\) names a member that is not a strata::One<X> or strata::Many<X>
// relationship<>() on a column member.
#include "strata/model/model.hpp"

namespace app {
struct User {
  int id = 0;
  int age = 0;
};
STRATA_TABLE(User, "user", field<&User::id>().primary_key(), relationship<&User::age>());
}  // namespace app
