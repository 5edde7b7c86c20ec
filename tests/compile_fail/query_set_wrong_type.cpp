// EXPECT: check_operand\(\) \[with Column = bool. Operand = int\].*the operand's type does not match the column's type
// update().set(): the value must have the member's type (a bool takes only bool).
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

void f() { (void)strata::update<app::Item>().set(&app::Item::done, 1); }
