// The table model shared by the query_* compile-fail cases (each case is its
// own translation unit; only the misuse differs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "strata/model/json.hpp"
#include "strata/orm/query.hpp"

namespace app {
struct Item {
  std::int64_t id = 0;
  std::string title;
  std::optional<std::string> note;
  bool done = false;
  std::optional<strata::Json> meta;  // JSON column: operator[] and as_*()
  std::vector<std::string> tags;     // string list: any()
};
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key());
}  // namespace app
