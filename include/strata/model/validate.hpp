// strata/model/validate.hpp - validate<T>(json) / validate_json<T>(text): the
// Pydantic half of a model description. The same field<>() options that give
// the table give the validation rules (field.hpp):
//
//   option                    applies to            error type (Pydantic v2)
//   (member type)             every member          int_parsing, int_type, float_parsing,
//                                                   bool_parsing, string_type, uuid_parsing,
//                                                   date_parsing, datetime_parsing, enum, ...
//   (required member absent)  see FieldInfo::required  missing ("Field required")
//   min_length(n)             std::string           string_too_short
//   max_length(n)             std::string           string_too_long (also VARCHAR(n))
//   gt / ge / lt / le(x)      numbers, Numeric      greater_than, greater_than_equal, ...
//   multiple_of(x)            numbers, Numeric      multiple_of
//   pattern(re)               std::string           string_pattern_mismatch
//   email()                   std::string           value_error ("value is not a valid email
//                                                   address: ...")
//   validator(f)              any                   value_error ("Value error, <message>")
//   model_validator(f)        the model             value_error, loc []
//   extra_forbid()            the model             extra_forbidden
//
// Lax mode, as Pydantic v2's: "123", 1.0 and true are valid ints; "1.5", 1 and
// "yes" valid floats / bools; null is valid only for std::optional members
// (and passes every constraint). Strings are never coerced from numbers.
// Bytes are read as base64 (to_json writes base64), enums by enumerator name,
// dates and times in ISO 8601, Numeric from a JSON number or a decimal string.
//
// A member is required unless it is std::optional, has default_factory(),
// a server default, autoincrement() or has_default(), or the model's member
// initializer differs from the value-initialized state (`bool active = true`).
// Absent members keep the value the model's initializers give.
//
// The email check is pragmatic, not RFC 5322: one '@'; a non-empty local part
// of at most 64 characters from letters, digits, non-ASCII and
// !#$%&'*+/=?^_`{|}~.- without leading, trailing or doubled dots; a domain of
// dot-separated labels (letters, digits, non-ASCII, inner hyphens), at least
// two, the last not all digits. Messages follow python-email-validator's.
// Uuid / date / time messages approximate Pydantic's (its parsers' wording).
//
// Example:
//   struct ItemCreate { std::string title; std::optional<std::string> description; };
//   STRATA_MODEL(ItemCreate, field<&ItemCreate::title>().min_length(1).max_length(255));
//
//   try {
//     auto item = strata::model::validate_json<ItemCreate>(R"({"title": ""})");
//   } catch (const strata::ValidationError& e) {
//     e.json();  // {"detail": [{"type": "string_too_short", "loc": ["body", "title"],
//                //   "msg": "String should have at least 1 character", "input": "",
//                //   "ctx": {"min_length": 1}}]}  -> HTTP 422
//   }
#pragma once

#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"
#include "strata/model/patch.hpp"
#include "strata/model/validation_error.hpp"

namespace strata::model {

namespace detail {
/// Validates object `j` into *obj (a value-initialized T of `mi`), appending
/// errors (loc prefixed with `loc`) to `out`. Model validators run only when
/// the fields are valid.
void validate_object(const ModelInfo& mi, const nlohmann::json& j, void* obj, const nlohmann::json& loc,
                     std::vector<ErrorDetail>& out);
/// validate_object for a Patch: absent fields are not "missing", present ones
/// are marked in `sent`; model validators do not run.
void validate_patch(const ModelInfo& mi, const nlohmann::json& j, void* obj, std::vector<bool>& sent,
                    const nlohmann::json& loc, std::vector<ErrorDetail>& out);
/// Parses `text`; on bad JSON appends a json_invalid error and returns a discarded value.
nlohmann::json parse_or_error(std::string_view text, std::vector<ErrorDetail>& out);
/// Appends the errors of an already-typed object (constraints, validators,
/// model validators; no "missing") to `out`.
void check_object(const ModelInfo& mi, const void* obj, std::vector<ErrorDetail>& out);
/// validate_json's fast path for a plain model (src/model/validate_fast.cpp):
/// parses `text` with simdjson and fills *obj (a value-initialized T of `mi`)
/// when the input is plainly valid. Returns false, *obj then half-written and
/// to be discarded, at the first thing it does not handle or that is not
/// plainly valid; the nlohmann::json path then starts over. Throws only what a
/// member's conversion throws that is not a std::exception.
bool validate_fast(const ModelInfo& mi, std::string_view text, void* obj);

template <class X>
struct is_vector : std::false_type {};
template <class X, class A>
struct is_vector<std::vector<X, A>> : std::true_type {};

template <class T>
T validate_into(const nlohmann::json& j, const nlohmann::json& loc, std::vector<ErrorDetail>& out) {
  if constexpr (is_vector<T>::value) {
    using E = typename T::value_type;
    T list;
    if (!j.is_array()) {
      out.push_back(ErrorDetail{loc, "list_type", "Input should be a valid list", j, nullptr});
      return list;
    }
    list.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
      nlohmann::json at = loc;
      at.push_back(i);
      list.push_back(validate_into<E>(j[i], at, out));
    }
    return list;
  } else if constexpr (is_patch<T>::value) {
    using M = typename T::model_type;
    T patch;
    validate_patch(info<M>(), j, &PatchAccess::values(patch), PatchAccess::sent(patch), loc, out);
    return patch;
  } else {
    T obj{};
    validate_object(info<T>(), j, &obj, loc, out);
    return obj;
  }
}

template <class T>
std::string_view model_name() {
  if constexpr (is_vector<T>::value) return model_name<typename T::value_type>();
  else if constexpr (is_patch<T>::value) return info<typename T::model_type>().model;
  else return info<T>().model;
}
}  // namespace detail

/// Validates JSON `j` as a T (a described model), a Patch<Model> (patch.hpp:
/// only the keys present) or a std::vector of either (loc then starts with
/// the index: [2, "title"]), as Pydantic v2's
/// `T.model_validate(j)` / `TypeAdapter(list[T]).validate_python(j)`.
/// Throws: ValidationError holding every error, naming T.
template <class T>
T validate(const nlohmann::json& j) {
  std::vector<ErrorDetail> errors;
  T out = detail::validate_into<T>(j, nlohmann::json::array(), errors);
  if (!errors.empty()) throw ValidationError(std::string(detail::model_name<T>()), std::move(errors));
  return out;
}

namespace detail {
/// validate_json's nlohmann::json path: parse_or_error, then validate_into.
template <class T>
T validate_json_tree(std::string_view text) {
  std::vector<ErrorDetail> errors;
  nlohmann::json j = parse_or_error(text, errors);
  if (errors.empty()) {
    T out = validate_into<T>(j, nlohmann::json::array(), errors);
    if (errors.empty()) return out;
  }
  throw ValidationError(std::string(model_name<T>()), std::move(errors));
}
}  // namespace detail

/// Parses and validates `text`, as Pydantic v2's `T.model_validate_json(text)`.
/// Throws: ValidationError; bad JSON is one json_invalid error with loc [],
/// msg "Invalid JSON: <the parser's message>" and the text as input.
///
/// For a plain model T (not a vector, not a Patch) plainly valid input takes a
/// fast path (simdjson, no JSON tree; see docs/validation.md); anything else,
/// every error included, goes through validate<T>'s nlohmann::json path from
/// scratch on a fresh T, so results and errors are the same either way.
template <class T>
T validate_json(std::string_view text) {
  if constexpr (!detail::is_vector<T>::value && !detail::is_patch<T>::value) {
    T out{};
    // One named result (returned without a move); the fallback's fresh T is moved in.
    if (!detail::validate_fast(info<T>(), text, &out)) out = detail::validate_json_tree<T>(text);
    return out;
  } else {
    return detail::validate_json_tree<T>(text);
  }
}

/// Checks an already-typed object of model `mi` against its constraints
/// (what Session::add runs). Throws: ValidationError naming the model.
void check(const ModelInfo& mi, const void* obj);

/// check() for a T.
template <class T>
void check(const T& obj) {
  check(info<T>(), &obj);
}

}  // namespace strata::model
