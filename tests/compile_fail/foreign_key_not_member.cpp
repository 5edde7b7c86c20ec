// EXPECT: foreign_key<T>\(\) takes a data member pointer
// foreign_key<42>(): the target must be a data member pointer.
#include "strata/model/model.hpp"

namespace app {
struct Item {
  int id = 0;
  int owner_id = 0;
};
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(), field<&Item::owner_id>().foreign_key<42>());
}  // namespace app
