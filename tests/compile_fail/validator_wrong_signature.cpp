// EXPECT: validator\(f\) takes a callable f\(const member_type&\) returning std::optional<std::string>
// A custom validator whose parameter is not the member's type (title is a std::string).
#include <optional>
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Item {
  int id = 0;
  std::string title;
};
STRATA_MODEL(Item, field<&Item::title>().validator([](int n) -> std::optional<std::string> {
               return n > 0 ? std::nullopt : std::optional<std::string>("negative");
             }));
}  // namespace app
