// EXPECT: check_operand\(\) \[with Column = std::[_a-z0-9:]*basic_string<char>. Operand = (long )?long int\].*the operand's type does not match the column's type
// Two columns of different types: the check covers expressions too.
#include "query_item.hpp"

void f() { (void)(strata::col(&app::Item::title) == strata::col(&app::Item::id)); }
