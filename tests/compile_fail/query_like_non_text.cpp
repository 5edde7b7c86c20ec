// EXPECT: check_text_column\(\) \[with Column = (long )?long int\].*like\(\) / ilike\(\) need a text column
// like() on an integer column.
#include <cstdint>
#include <optional>
#include <string>

#include "strata/orm/query.hpp"

namespace app {
struct Item {
  std::int64_t id = 0;
  std::string title;
  std::optional<std::string> note;
  bool done = false;
};
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key());
}  // namespace app

void f() { (void)strata::col(&app::Item::id).like("1%"); }
