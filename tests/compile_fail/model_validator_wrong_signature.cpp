// EXPECT: model_validator\(f\) takes a callable f\(const Model&\) returning std::optional<std::string>
// A model validator returning bool instead of an error message.
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Item {
  int id = 0;
  std::string title;
};
STRATA_MODEL(Item, model_validator([](const Item& i) { return !i.title.empty(); }));
}  // namespace app
