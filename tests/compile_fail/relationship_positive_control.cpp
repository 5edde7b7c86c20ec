// EXPECT-COMPILES
// The valid spellings next to the relationship compile-fail cases.
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
STRATA_TABLE(User, "user", field<&User::id>().primary_key(),
             relationship<&User::items>().back_populates("owner").cascade("all, delete-orphan"));
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(), field<&Item::owner_id>().foreign_key<&User::id>(),
             relationship<&Item::owner>().back_populates("items"));
}  // namespace app

int main() {
  auto q = strata::select<app::User>().options(strata::selectin(&app::User::items).then(&app::Item::owner),
                                               strata::joined(&app::User::items));
  (void)q;
}
