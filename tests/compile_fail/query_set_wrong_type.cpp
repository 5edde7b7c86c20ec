// EXPECT: check_operand\(\) \[with Column = bool. Operand = int\].*the operand's type does not match the column's type
// update().set(): the value must have the member's type (a bool takes only bool).
#include "query_item.hpp"

void f() { (void)strata::update<app::Item>().set(&app::Item::done, 1); }
