// strata/model/dump.hpp - to_json(obj): a model object as JSON, as Pydantic
// v2's `model_dump(mode="json")` (the shape FastAPI sends back).
//
//   member type            JSON
//   bool, integers, float  true / 42 / 1.5 (NaN and infinities: null)
//   std::string, enums     "text", "EnumeratorName"
//   strata::Numeric        "86.40" (a string, as Pydantic's Decimal)
//   Bytes                  base64 ("aGk=")
//   Uuid                   "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
//   Date / Time            "2024-05-01" / "13:45:00" (ISO 8601)
//   DateTime / DateTimeTz  "2024-05-01T13:45:00" / "2024-05-01T13:45:00Z"
//   Json                   the document as-is
//   std::vector<string>    ["a", "b"]
//   std::optional empty    null (left out with exclude_none)
//
// Keys are member names (not column names); nlohmann::json keeps them sorted.
//
// to_json<Shape>(obj) dumps obj as another model, e.g. its Public shape:
// to_json(project<Shape>(obj)) (project.hpp), so members Shape lacks are left out.
//
// Example:
//   nlohmann::json j = strata::model::to_json(user, {.exclude = {"hashed_password"}});
//   nlohmann::json pub = strata::model::to_json<UserPublic>(user);  // no hashed_password
//   nlohmann::json list = strata::model::to_json(items, {.exclude_none = true});
#pragma once

#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "strata/core/value.hpp"
#include "strata/model/project.hpp"
#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"

namespace strata::model {

/// What to_json leaves out (Pydantic's model_dump(include=, exclude=, exclude_none=)).
struct DumpOptions {
  std::set<std::string> include{};  ///< member names; empty: every member
  std::set<std::string> exclude{};  ///< member names, applied after include
  bool exclude_none = false;      ///< leave out members that are null
};

/// The JSON form of one Value (see the table above).
nlohmann::json value_to_json(const Value& v);

/// An object of model `mi` (a T*) as a JSON object.
nlohmann::json to_json(const ModelInfo& mi, const void* obj, const DumpOptions& opts = {});

/// A described model object as a JSON object.
template <class T>
  requires is_model_v<T>
nlohmann::json to_json(const T& obj, const DumpOptions& opts = {}) {
  return to_json(info<T>(), &obj, opts);
}

/// A list of model objects as a JSON array.
template <class T>
  requires is_model_v<T>
nlohmann::json to_json(const std::vector<T>& list, const DumpOptions& opts = {}) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : list) out.push_back(to_json(info<T>(), &o, opts));
  return out;
}

/// A list of shared model objects (as a Session returns them); null elements
/// are JSON null.
template <class T>
  requires is_model_v<T>
nlohmann::json to_json(const std::vector<std::shared_ptr<T>>& list, const DumpOptions& opts = {}) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : list) out.push_back(o ? to_json(info<T>(), o.get(), opts) : nlohmann::json());
  return out;
}

/// `obj` dumped as model Shape (its Public shape): to_json(project<Shape>(obj)),
/// as FastAPI's response_model. Throws: SchemaError as project.
template <class Shape, class T>
  requires is_model_v<Shape> && is_model_v<T> && (!std::is_same_v<Shape, T>)
nlohmann::json to_json(const T& obj, const DumpOptions& opts = {}) {
  return to_json(project<Shape>(obj), opts);
}

/// A list dumped as model Shape.
template <class Shape, class T>
  requires is_model_v<Shape> && is_model_v<T> && (!std::is_same_v<Shape, T>)
nlohmann::json to_json(const std::vector<T>& list, const DumpOptions& opts = {}) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : list) out.push_back(to_json(project<Shape>(o), opts));
  return out;
}

/// A list of shared objects dumped as model Shape; null elements are JSON null.
template <class Shape, class T>
  requires is_model_v<Shape> && is_model_v<T> && (!std::is_same_v<Shape, T>)
nlohmann::json to_json(const std::vector<std::shared_ptr<T>>& list, const DumpOptions& opts = {}) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : list) out.push_back(o ? to_json(project<Shape>(*o), opts) : nlohmann::json());
  return out;
}

}  // namespace strata::model
