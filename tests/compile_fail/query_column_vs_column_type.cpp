// EXPECT: check_operand\(\) \[with Column = std::[_a-z0-9:]*basic_string<char>. Operand = (long )?long int\].*the operand's type does not match the column's type
// Two columns of different types: the check covers expressions too.
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

void f() { (void)(strata::col(&app::Item::title) == strata::col(&app::Item::id)); }
