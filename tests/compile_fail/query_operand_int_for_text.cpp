// EXPECT: check_operand\(\) \[with Column = std::[_a-z0-9:]*basic_string<char>. Operand = int\].*the operand's type does not match the column's type
// col(&Item::title) == 42: a text column compared with an int.
#include "query_item.hpp"

void f() { (void)(strata::col(&app::Item::title) == 42); }
