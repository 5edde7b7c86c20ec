// src/model/validate_internal.hpp (private) - the pieces of validate.cpp that
// validate_json's fast path (validate_fast.cpp) reuses, so that both paths
// apply the very same checks and conversions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "strata/core/value.hpp"
#include "strata/model/model_info.hpp"
#include "strata/model/validation_error.hpp"

namespace strata::model::detail {

/// Checks one typed value of field `f` against its rules and appends at most
/// one built-in constraint error (then the custom validators' first error, if
/// the built-in ones passed) with loc parent + f.member. Null passes.
/// `input`: the JSON `v` was converted from, shown as the error's input (as
/// Pydantic shows the input as given: "-1", not -1, for a lax int); nullptr
/// (an already-typed object): `v` itself.
void check_value(const FieldInfo& f, const Value& v, const nlohmann::json& parent, std::vector<ErrorDetail>& out,
                 const nlohmann::json* input = nullptr);

/// The Value of JSON string `s` for a Uuid, Date, Time or DateTime member `f`
/// (what lax validation accepts: ISO 8601, a UUID with or without dashes or
/// "urn:uuid:"), or std::nullopt when `s` does not parse or `f` is of another kind.
std::optional<Value> value_from_string(const FieldInfo& f, std::string_view s);

// --- string constraints (check_string and its out-of-line parts) -------------

/// The characters (UTF-8 code points) of `s`: its bytes that are not
/// continuation bytes (10xxxxxx).
std::size_t code_points(std::string_view s);

/// True when `s` has at least `k` code points (counting stops there).
inline bool has_code_points(std::string_view s, std::size_t k) noexcept {
  if (k == 0) return true;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U && --k == 0) return true;
  return false;
}

enum class StringRule { MinLength, MaxLength, Pattern, Email };

/// Appends the error of string rule `rule` for `s` (field `f`, loc parent +
/// f.member); `why` is the email reason. Returns true.
[[gnu::cold]] bool string_error(const FieldInfo& f, std::string_view s, const nlohmann::json& parent,
                                std::vector<ErrorDetail>& out, StringRule rule, std::string why = {});
/// True when `pattern` is found in `s` (std::regex_search).
bool matches(const CompiledPattern& pattern, std::string_view s);
/// The email check on `s`; on failure appends its error and returns true.
bool check_email(const FieldInfo& f, std::string_view s, const nlohmann::json& parent,
                 std::vector<ErrorDetail>& out);

/// check_value's string constraints (min_length, max_length, pattern, email;
/// not the custom validators) on `s`: appends the first one's error and
/// returns true, or returns false. Inline: it runs on every string of every
/// input, and most strings pass by their size alone.
inline bool check_string(const FieldInfo& f, std::string_view s, const nlohmann::json& parent,
                         std::vector<ErrorDetail>& out) {
  const FieldRules& r = f.rules;
  // Counted only as far as needed: at least min_length code points (mostly the
  // first bytes), and a string of at most max_length bytes has at most
  // max_length code points.
  if (r.min_length && !has_code_points(s, *r.min_length))
    return string_error(f, s, parent, out, StringRule::MinLength);
  if (f.type.kind == TypeKind::String && f.type.length && s.size() > static_cast<std::size_t>(*f.type.length) &&
      code_points(s) > static_cast<std::size_t>(*f.type.length))
    return string_error(f, s, parent, out, StringRule::MaxLength);
  if (r.regex && !matches(*r.regex, s)) return string_error(f, s, parent, out, StringRule::Pattern);
  if (r.email) return check_email(f, s, parent, out);
  return false;
}

}  // namespace strata::model::detail
