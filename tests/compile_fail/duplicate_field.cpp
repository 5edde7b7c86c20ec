// EXPECT: check_listed_once\(\) \[with Model = app::Item. auto Member = &app::Item::id.*listed twice
// The same member listed twice (here once with primary_key()).
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Item {
  int id = 0;
  std::string title;
};
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(), field<&Item::title>(), field<&Item::id>().index());
}  // namespace app
