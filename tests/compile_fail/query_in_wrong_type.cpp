// EXPECT: check_operand\(\) \[with Column = (long )?long int. Operand = const char\*\].*the operand's type does not match the column's type
// in_() values must have the column's type.
#include "query_item.hpp"

void f() { (void)strata::col(&app::Item::id).in_({"a", "b"}); }
