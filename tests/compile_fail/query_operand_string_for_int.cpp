// EXPECT: check_operand\(\) \[with Column = (long )?long int. Operand = char \[2\]\].*the operand's type does not match the column's type
// col(&Item::id) == "x": an integer column compared with a string.
#include "query_item.hpp"

void f() { (void)(strata::col(&app::Item::id) == "x"); }
