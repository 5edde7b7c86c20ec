// EXPECT: check_loader_owner.*Expected = app::Item.*Given = app::User
// then() continues from the previous relationship's model (Item), not from User.
#include "strata/strata.hpp"

namespace app {
struct Item;
struct User {
  int id = 0;
  strata::Many<Item> items;
};
struct Item {
  int id = 0;
  int owner_id = 0;
  strata::One<User> owner;
};
STRATA_TABLE(User, "user", field<&User::id>().primary_key());
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(), field<&Item::owner_id>().foreign_key<&User::id>());
}  // namespace app

int main() {
  auto q = strata::select<app::User>().options(strata::selectin(&app::User::items).then(&app::User::items));
  (void)q;
}
