// EXPECT: check_relationship_in_table.*Model = app::ItemPublic.*allowed only in STRATA_TABLE models
// A strata::Many<> member in a STRATA_MODEL (an API shape): relationships belong to table models.
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Item {
  int id = 0;
  std::string title;
};
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key());
struct ItemPublic {
  std::string title;
  strata::Many<Item> related;
};
STRATA_MODEL(ItemPublic);
}  // namespace app
