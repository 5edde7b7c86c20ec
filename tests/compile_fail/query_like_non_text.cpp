// EXPECT: check_text_column\(\) \[with Column = (long )?long int\].*like\(\) / ilike\(\) need a text column
// like() on an integer column.
#include "query_item.hpp"

void f() { (void)strata::col(&app::Item::id).like("1%"); }
