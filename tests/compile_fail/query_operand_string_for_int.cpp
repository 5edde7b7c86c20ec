// EXPECT: check_operand\(\) \[with Column = (long )?long int. Operand = char \[2\]\].*the operand's type does not match the column's type
// col(&Item::id) == "x": an integer column compared with a string.
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

void f() { (void)(strata::col(&app::Item::id) == "x"); }
