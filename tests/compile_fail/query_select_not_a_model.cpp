// EXPECT: check_table_model\(\) \[with Model = app::NotAModel\].*is not a table model
// select<T>() of a struct without STRATA_TABLE.
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

namespace app {
struct NotAModel {
  int id = 0;
};
}  // namespace app
void f() { (void)strata::select<app::NotAModel>(); }
