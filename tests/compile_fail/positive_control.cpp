// EXPECT-COMPILES
// The harness's control: a correct description compiles with the same flags.
#include <optional>
#include <string>

#include "strata/model/model.hpp"

namespace app {
struct Note {
  int id = 0;
  std::string text;
  std::optional<std::string> tag;
};
STRATA_TABLE(Note, "note", field<&Note::id>().primary_key().autoincrement(), field<&Note::text>().max_length(80));
}  // namespace app

int main() { return static_cast<int>(strata::model::info<app::Note>().fields.size()) - 3; }
