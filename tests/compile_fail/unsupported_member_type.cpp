// EXPECT: check_member_type\(\) \[with Model = app::Holder. .*Member = .*"scores".* X = std::map<.*unsupported member type
// A std::map member has no TypeMap: the error names the model, the member and the type.
#include <map>
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Holder {
  int id = 0;
  std::map<std::string, int> scores;
};
STRATA_TABLE(Holder, "holder", field<&Holder::id>().primary_key());
}  // namespace app

int main() { (void)strata::model::info<app::Holder>(); }
