// EXPECT: check_nested_without_bases.*Model = app::Order.*supported only in models without extends
// A member holding a model in a model with extends<>() (not supported yet).
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Line {
  std::string title;
};
STRATA_MODEL(Line);
struct OrderBase {
  std::string reference;
};
STRATA_MODEL(OrderBase);
struct Order : OrderBase {
  Line line;
};
STRATA_MODEL(Order, extends<OrderBase>(), field<&Order::line>());
}  // namespace app
