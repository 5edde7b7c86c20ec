#include "strata/sql/text.hpp"

#include <cstddef>

namespace strata::sql {

bool is_parenthesized(std::string_view s) noexcept {
  if (s.size() < 2 || s.front() != '(' || s.back() != ')') return false;
  int depth = 0;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    else if (c == '(') ++depth;
    else if (c == ')' && --depth == 0 && i + 1 != s.size()) return false;
  }
  return depth == 0;
}

}  // namespace strata::sql
