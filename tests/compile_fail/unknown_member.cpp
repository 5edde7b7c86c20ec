// EXPECT: 'nope' is not a member of 'app::Item'
// field<&Item::nope>(): a member that does not exist.
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Item {
  int id = 0;
  std::string title;
};
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(), field<&Item::nope>().max_length(3));
}  // namespace app
