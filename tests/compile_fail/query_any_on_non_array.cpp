// EXPECT: check_array_column\(\) \[with Column = std::optional<std::.*basic_string<char> >\].*any\(\) needs a std::vector<std::string> \(array\) column
// col(&Item::note).any("x"): membership in a text column.
#include "query_item.hpp"

void f() { (void)strata::col(&app::Item::note).any("x"); }
