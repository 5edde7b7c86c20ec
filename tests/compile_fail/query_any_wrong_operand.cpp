// EXPECT: check_operand\(\) \[with Column = std::.*basic_string<char>. Operand = int\].*the operand's type does not match the column's type
// col(&Item::tags).any(42): an element of a string list compared with a number.
#include "query_item.hpp"

void f() { (void)strata::col(&app::Item::tags).any(42); }
