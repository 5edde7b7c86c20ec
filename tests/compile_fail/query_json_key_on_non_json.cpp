// EXPECT: check_json_column\(\) \[with Column = std::.*basic_string<char>\].*operator\[\] \(a JSON path\) needs a strata::Json column
// col(&Item::title)["k"]: a JSON path into a text column.
#include "query_item.hpp"

void f() { (void)strata::col(&app::Item::title)["k"]; }
