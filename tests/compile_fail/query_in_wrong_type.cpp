// EXPECT: check_operand\(\) \[with Column = (long )?long int. Operand = const char\*\].*the operand's type does not match the column's type
// in_() values must have the column's type.
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

void f() { (void)strata::col(&app::Item::id).in_({"a", "b"}); }
