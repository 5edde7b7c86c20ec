// EXPECT: check_listed_member\(\) \[with Model = app::User. auto Member = &app::UserBase::email.*must name a member declared in the model itself
// field<&User::email>() where email is declared in the base UserBase.
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct UserBase {
  std::string email;
};
struct User : UserBase {
  int id = 0;
};
STRATA_MODEL(UserBase);
STRATA_TABLE(User, "user", extends<UserBase>(), field<&User::id>().primary_key(), field<&User::email>().unique());
}  // namespace app
