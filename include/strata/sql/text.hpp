// strata/sql/text.hpp - small helpers over SQL text (not a SQL parser).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace strata::sql {

/// True when `s` is "( ... )" and its first parenthesis closes at the very end:
/// "(a + b)" yes, "(a) + (b)" no. Parentheses inside '...' or "..." are ignored.
/// Used where SQLite wants DEFAULT (expr), and to compare defaults read back.
bool is_parenthesized(std::string_view s) noexcept;

/// One bind marker of a SQL text: '?' (numbered in order of appearance) or
/// PostgreSQL's "$n".
struct BindMarker {
  std::size_t pos = 0;     ///< offset of the marker in the text
  std::size_t length = 1;  ///< 1 for '?', the length of "$n" otherwise
  std::size_t index = 0;   ///< 0-based parameter it stands for
  bool numbered = false;   ///< "$n" (true) or '?' (false)
};

/// The bind markers of `sql`, in text order, outside '...' (E'...' with its
/// backslash escapes), "...", $tag$...$tag$, -- line and /* */ block
/// comments. Shared by the migration ops that translate '?' to the dialect's
/// markers, `upgrade --sql` (which inlines values) and the tests.
std::vector<BindMarker> bind_markers(std::string_view sql);

}  // namespace strata::sql
