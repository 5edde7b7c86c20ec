// EXPECT: check_operand\(\) \[with Column = std::optional<(long )?long int>. Operand = char \[2\]\].*the operand's type does not match the column's type
// col(&Item::meta)["n"].as_integer() == "x": a typed read keeps its type's checks.
#include "query_item.hpp"

void f() { (void)(strata::col(&app::Item::meta)["n"].as_integer() == "x"); }
