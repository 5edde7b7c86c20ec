// EXPECT-COMPILES
// Control for the query_* cases: the same model used correctly compiles.
#include "query_item.hpp"

int main() {
  using strata::col;
  auto q = strata::select<app::Item>()
               .where(col(&app::Item::title) == "x" && col(&app::Item::id).in_({1, 2}) &&
                      col(&app::Item::note).like("%a") && !col(&app::Item::done) &&
                      col(&app::Item::note) != std::nullopt &&
                      col(&app::Item::meta)["k"][0].as_string() == "x" &&
                      col(&app::Item::meta)["n"].as_integer() >= 1 && col(&app::Item::tags).any("t"))
               .order_by(col(&app::Item::id).desc());
  auto u = strata::update<app::Item>().set(&app::Item::done, true).where(col(&app::Item::id) == 1);
  return static_cast<int>(q.stmt.columns.size() + u.stmt.values.size()) - 5;
}
