// EXPECT: check_field_not_relationship.*give its options with relationship<&T::m>\(\)
// field<>() names a relationship member: its options are relationship<>()'s.
#include "strata/model/model.hpp"

namespace app {
struct Item;
struct User {
  int id = 0;
  strata::Many<Item> items;
};
struct Item {
  int id = 0;
  int owner_id = 0;
};
STRATA_TABLE(User, "user", field<&User::id>().primary_key(), field<&User::items>());
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(), field<&Item::owner_id>().foreign_key<&User::id>());
}  // namespace app
