// strata/sql/text.hpp - small helpers over SQL text (not a SQL parser).
#pragma once

#include <string_view>

namespace strata::sql {

/// True when `s` is "( ... )" and its first parenthesis closes at the very end:
/// "(a + b)" yes, "(a) + (b)" no. Parentheses inside '...' or "..." are ignored.
/// Used where SQLite wants DEFAULT (expr), and to compare defaults read back.
bool is_parenthesized(std::string_view s) noexcept;

}  // namespace strata::sql
