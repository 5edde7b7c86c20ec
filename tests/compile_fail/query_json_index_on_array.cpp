// EXPECT: check_json_column\(\) \[with Column = std::vector<std::.*basic_string<char>.*>\].*operator\[\] \(a JSON path\) needs a strata::Json column
// col(&Item::tags)[0]: a string list is not a JSON column (use any()).
#include "query_item.hpp"

void f() { (void)strata::col(&app::Item::tags)[0]; }
