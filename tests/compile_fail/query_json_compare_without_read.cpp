// EXPECT: check_json_read\(\) \[with U = char \[2\]\].*a JSON element has no SQL type: compare col\(...\)\["key"\].as_string\(\)
// col(&Item::meta)["k"] == "x": a JSON element compared before a typed read.
#include "query_item.hpp"

void f() { (void)(strata::col(&app::Item::meta)["k"] == "x"); }
