// EXPECT: check_nested_not_in_table.*Model = app::Order.*a table model's members are columns
// A member holding a model (or a list of models) in a STRATA_TABLE: tables have columns only.
#include <string>
#include <vector>

#include "strata/model/model.hpp"

namespace app {
struct Line {
  std::string title;
};
STRATA_MODEL(Line);
struct Order {
  int id = 0;
  std::vector<Line> lines;
};
STRATA_TABLE(Order, "order", field<&Order::id>().primary_key());
}  // namespace app
