// strata/model/json_schema.hpp - json_schema<T>(): the JSON Schema (draft
// 2020-12) of a described model, as Pydantic v2's `T.model_json_schema()`
// gives it, ready for the components/schemas of an OpenAPI 3.1 document.
//
// The same field<>() options that give the table and the validation rules
// (validate.hpp) give the schema:
//
//   member type / option        schema
//   int, int64_t, short         {"type": "integer"}
//   double, float               {"type": "number"}
//   Numeric                     {"anyOf": [{"type": "number"}, {"type": "string"}]}
//   std::string                 {"type": "string"}
//   bool                        {"type": "boolean"}
//   Uuid / Date / DateTime(Tz) / Time   {"type": "string", "format": "uuid" / "date" / "date-time" / "time"}
//   Bytes                       {"type": "string", "contentEncoding": "base64"}
//   std::vector<std::string>    {"type": "array", "items": {"type": "string"}}
//   enum class                  {"type": "string", "enum": [enumerator names]}
//   Json                        {} (any JSON)
//   std::optional<X>            {"anyOf": [<X's schema>, {"type": "null"}]}
//   a nested model E            {"$ref": "#/$defs/E"}, E's schema in the top "$defs"
//   std::vector<E>              {"type": "array", "items": {"$ref": "#/$defs/E"}}
//   min_length / max_length     minLength / maxLength (code points, as validated)
//   ge / gt / le / lt           minimum / exclusiveMinimum / maximum / exclusiveMaximum
//   multiple_of / pattern       multipleOf / pattern
//   email()                     "format": "email"
//
// Each property has Pydantic's "title" ("full_name" -> "Full Name") and, when
// the member may be absent and the model's initializers give it a simple,
// fixed value (not a default_factory, server default or autoincrement key),
// that value as "default" (`bool is_active = true` -> "default": true;
// std::optional -> "default": null). "required" lists the members that
// validate<T> reports as missing (FieldInfo::required), in member order;
// extra_forbid() models get "additionalProperties": false. Keys are member
// names, as in validate<T> and to_json. Custom validators and model validators
// have no schema. Differences from Pydantic: enums are inlined rather than
// placed in "$defs", and there is no "$schema" key (Pydantic gives none).
//
// Example:
//   struct ItemCreate { std::string title; std::optional<std::string> description; };
//   STRATA_MODEL(ItemCreate, field<&ItemCreate::title>().min_length(1).max_length(255));
//
//   nlohmann::json s = strata::model::json_schema<ItemCreate>();
//   // {"title": "ItemCreate", "type": "object", "required": ["title"],
//   //  "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 255, "title": "Title"},
//   //                 "description": {"anyOf": [{"type": "string"}, {"type": "null"}],
//   //                                 "default": null, "title": "Description"}}}
#pragma once

#include <nlohmann/json.hpp>

#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"

namespace strata::model {

/// The JSON Schema of the model `mi` describes (see the top of this file).
/// Throws: nothing beyond std::bad_alloc.
nlohmann::json json_schema(const ModelInfo& mi);

/// The JSON Schema of a described model T, as Pydantic v2's T.model_json_schema().
template <class T>
nlohmann::json json_schema() {
  return json_schema(info<T>());
}

}  // namespace strata::model
