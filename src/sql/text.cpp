#include "strata/sql/text.hpp"

#include <cctype>
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

std::vector<BindMarker> bind_markers(std::string_view sql) {
  std::vector<BindMarker> out;
  std::size_t next = 0;
  const std::size_t n = sql.size();
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  std::size_t i = 0;
  while (i < n) {
    const char c = sql[i];
    if (c == '\'') {
      // E'...' reads backslash escapes; '' doubles a quote in both forms.
      const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !ident(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < n) {
        if (escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') j += 2;
          else break;
        } else {
          ++j;
        }
      }
      i = j + 1;
    } else if (c == '"') {
      const std::size_t j = sql.find('"', i + 1);  // "" re-enters at once
      i = j == std::string_view::npos ? n : j + 1;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      const std::size_t j = sql.find('\n', i);
      i = j == std::string_view::npos ? n : j + 1;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 1;  // PostgreSQL nests block comments
      std::size_t j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      i = j;
    } else if (c == '$' && (i == 0 || !ident(sql[i - 1]))) {
      // $tag$ ... $tag$ (or $$ ... $$); $1 is a positional parameter.
      std::size_t j = i + 1;
      if (j < n && (std::isalpha(static_cast<unsigned char>(sql[j])) || sql[j] == '_'))
        while (j < n && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
      if (j < n && sql[j] == '$') {
        const std::string_view tag = sql.substr(i, j - i + 1);
        const std::size_t end = sql.find(tag, j + 1);
        i = end == std::string_view::npos ? n : end + tag.size();
      } else if (j == i + 1 && j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) {
        std::size_t k = j, number = 0;
        while (k < n && std::isdigit(static_cast<unsigned char>(sql[k])))
          number = number * 10 + static_cast<std::size_t>(sql[k++] - '0');
        if (number > 0) out.push_back({i, k - i, number - 1, true});
        i = k;
      } else {
        i = j;
      }
    } else {
      if (c == '?') out.push_back({i, 1, next++, false});
      ++i;
    }
  }
  return out;
}

}  // namespace strata::sql
