// EXPECT: check_all_members_described\(\) \[with Model = app::User.*members that are not described
// A model with extends<...>() must list every own member with field<>().
#include <optional>
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct UserBase {
  std::string email;
};
struct User : UserBase {
  int id = 0;
  std::string hashed_password;  // not listed below
};
STRATA_MODEL(UserBase);
STRATA_TABLE(User, "user", extends<UserBase>(), field<&User::id>().primary_key());
}  // namespace app
