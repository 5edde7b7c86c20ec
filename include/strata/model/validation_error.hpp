// strata/model/validation_error.hpp - ValidationError: every error found in
// one validation, each as Pydantic v2 reports it ({type, loc, msg, input, ctx}).
//
// Kept out of core/error.hpp because it carries nlohmann::json values; it is
// still part of the one exception tree (strata::Error -> ValidationError).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "strata/core/error.hpp"

namespace strata {

/// One validation error, as an entry of Pydantic v2's ValidationError.errors().
struct ErrorDetail {
  /// Path to the value: field names and list indexes, e.g. ["items", 2, "title"];
  /// [] for errors of the whole input (model validators, bad JSON text).
  nlohmann::json loc = nlohmann::json::array();
  std::string type;  ///< Pydantic v2's error type: "missing", "string_too_short", ...
  std::string msg;   ///< Pydantic v2's message: "Field required", ...
  nlohmann::json input;  ///< the offending value (for "missing": the enclosing object)
  nlohmann::json ctx;    ///< Pydantic's ctx ({"min_length": 1}), null when it has none

  /// {"type", "loc", "msg", "input"} plus "ctx" when not null.
  nlohmann::json to_json() const;
  friend bool operator==(const ErrorDetail&, const ErrorDetail&) = default;
};

/// Input did not validate (strata::model::validate / validate_json), or a table
/// model holds values its description forbids (Session::add). Holds EVERY
/// error, not the first, in field order. what() is Pydantic's summary:
///   2 validation errors for ItemCreate
///   title
///     Field required [type=missing]
///   ...
class ValidationError : public Error {
 public:
  ValidationError(std::string model, std::vector<ErrorDetail> errors, Location where = Location::current());

  /// The C++ struct validated, e.g. "ItemCreate".
  const std::string& model() const noexcept { return model_; }
  const std::vector<ErrorDetail>& errors() const noexcept { return errors_; }
  std::size_t error_count() const noexcept { return errors_.size(); }

  /// The plain list, as Pydantic v2's `e.errors(include_url=False)`:
  /// [{"type": "missing", "loc": ["title"], "msg": "Field required", "input": {...}}].
  nlohmann::json errors_json() const;
  /// FastAPI's 422 response body for a request body that failed: the same list
  /// under "detail", each loc prefixed with "body":
  /// {"detail": [{"type": "missing", "loc": ["body", "title"], ...}]}.
  nlohmann::json json() const;

 private:
  std::string model_;
  std::vector<ErrorDetail> errors_;
};

}  // namespace strata
