// EXPECT: check_operand\(\) \[with Column = std::[_a-z0-9:]*basic_string<char>. Operand = int\].*the operand's type does not match the column's type
// col(&Item::title) == 42: a text column compared with an int.
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

void f() { (void)(strata::col(&app::Item::title) == 42); }
