// EXPECT: check_table_model\(\) \[with Model = app::NotAModel\].*is not a table model
// select<T>() of a struct without STRATA_TABLE.
#include "query_item.hpp"

namespace app {
struct NotAModel {
  int id = 0;
};
}  // namespace app
void f() { (void)strata::select<app::NotAModel>(); }
