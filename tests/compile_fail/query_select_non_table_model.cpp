// EXPECT: check_table_model\(\) \[with Model = app::Shape\].*is not a table model
// select<T>() of a STRATA_MODEL (a shape, not a table).
#include "query_item.hpp"

namespace app {
struct Shape {
  std::string title;
};
STRATA_MODEL(Shape);
}  // namespace app
void f() { (void)strata::select<app::Shape>(); }
