// SQLite's statement compiler hooks: JSON paths and array membership, with the
// JSON1 functions (built in by default since SQLite 3.38).
//
// Why a path may fall back to json_each(): SQLite before 3.45 has no escape
// inside a double-quoted path key (`$."a\"b"` ends the key at the backslash's
// quote), and it compares a path key with the key's *JSON-escaped* source text,
// so a key holding '"' (stored as \"), '\' (\\) or a control character (\n,
// \u0001) matches no path at all. json_each() exposes each key decoded, so a
// bound `"key" = ?` matches it exactly. The common keys (letters, digits, dots,
// spaces, single quotes, '$', '[', non-ASCII text) keep the one json_extract().
#include "strata/dialect/sqlite.hpp"

#include <string>
#include <variant>

namespace strata::dialect {
namespace {

/// A key that a double-quoted path key matches on every SQLite (see above).
bool path_safe(const sql::JsonPathStep& step) {
  const auto* key = std::get_if<std::string>(&step);
  if (!key) return true;  // array indexes always are
  for (char c : *key) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || u < 0x20) return false;
  }
  return true;
}

/// Appends one step in SQLite's path syntax: ."key", [n], or [#-n] from the end.
void append_step(std::string& path, const sql::JsonPathStep& step) {
  if (const auto* key = std::get_if<std::string>(&step)) {
    path += ".\"";
    path += *key;
    path += '"';
  } else {
    const std::int64_t i = std::get<std::int64_t>(step);
    path += i < 0 ? "[#" : "[";
    path += std::to_string(i);
    path += ']';
  }
}

}  // namespace

// Renders from the outside in, so that the parameters come in text order.
// The last step decides the outer call: a run of path-safe steps ending at
// `steps` is one json_extract(<document before the run>, '$...'); an unsafe key
// is a json_each() sub-select over the document before it. An inner document
// is needed as JSON text (json_extract() and json_each() parse their argument),
// hence json_quote(), which leaves objects and arrays from json_extract() as
// they are and quotes a string; a sub-select loses that "is JSON" mark, so the
// json_each() step quotes by the element's type itself.
void SqliteCompiler::json_value(State& st, const sql::JsonPath& j, std::size_t steps, bool as_json) const {
  if (steps == 0) {
    visit(st, j.operand);  // a function argument: no parentheses needed
    return;
  }
  const sql::JsonPathStep& last = j.path[steps - 1];
  if (!path_safe(last)) {
    st.sql += "(SELECT ";
    st.sql += as_json ? R"(CASE WHEN "json_each"."type" IN ('object', 'array') THEN "json_each"."value" )"
                        R"(ELSE json_quote("json_each"."value") END)"
                      : R"("json_each"."value")";
    st.sql += " FROM json_each(";
    json_value(st, j, steps - 1, true);
    st.sql += R"() WHERE "json_each"."key" = )";
    add_param(st, std::get<std::string>(last));
    st.sql += ')';
    return;
  }
  std::size_t first = steps;
  while (first > 0 && path_safe(j.path[first - 1])) --first;
  std::string path = "$";
  for (std::size_t i = first; i < steps; ++i) append_step(path, j.path[i]);
  if (as_json) st.sql += "json_quote(";
  st.sql += "json_extract(";
  json_value(st, j, first, true);
  st.sql += ", ";
  add_param(st, std::move(path));
  st.sql += ')';
  if (as_json) st.sql += ')';
}

void SqliteCompiler::visit_json_path(State& st, const sql::JsonPath& j) const {
  // json_extract() already returns SQL text for a JSON string and 1 / 0 for
  // true / false; numbers are cast so that a JSON "42" string compares as 42.
  const char* type = nullptr;
  switch (j.as) {
    case sql::JsonCast::String: case sql::JsonCast::Boolean: break;
    case sql::JsonCast::Integer: type = "INTEGER"; break;
    case sql::JsonCast::Float: type = "REAL"; break;
  }
  if (type) st.sql += "CAST(";
  json_value(st, j, j.path.size(), false);
  if (type) {
    st.sql += " AS ";
    st.sql += type;
    st.sql += ')';
  }
}

// A string list is JSON array text on SQLite (TEXT[] has no SQLite type).
// The CASE keeps SQL's three-valued logic of PostgreSQL's `$1 = ANY(NULL)`: a
// NULL list gives NULL, not false, so that `NOT any(x)` skips NULL lists on
// both databases (EXISTS alone would make it true here). An empty list is false.
void SqliteCompiler::visit_array_any(State& st, const sql::ArrayAny& a) const {
  st.sql += "CASE WHEN ";
  visit_atom(st, a.array);
  st.sql += " IS NOT NULL THEN EXISTS (SELECT 1 FROM json_each(";
  visit(st, a.array);
  st.sql += R"() WHERE "json_each"."value" = )";
  visit_atom(st, a.value);
  st.sql += ") END";
}

}  // namespace strata::dialect
