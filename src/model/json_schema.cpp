// strata/model/json_schema.cpp - JSON Schema (2020-12) of a model, walking its
// ModelInfo: member types, FieldRules, required flags and simple defaults.
#include "strata/model/json_schema.hpp"

#include <cctype>
#include <cstdint>
#include <memory>
#include <string>

#include "strata/model/dump.hpp"

namespace strata::model {

namespace {

using json = nlohmann::json;

json bound(const NumberBound& b) {
  if (b.integral) return static_cast<std::int64_t>(b.value);
  return b.value;
}

/// Pydantic's default property title: Python's str.title() of the name, then
/// '_' -> ' ', stripped ("full_name" -> "Full Name", "metadata_" -> "Metadata").
std::string title_of(const std::string& name) {
  std::string t;
  t.reserve(name.size());
  bool after_letter = false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u)) {
      t += static_cast<char>(after_letter ? std::tolower(u) : std::toupper(u));
      after_letter = true;
    } else {
      t += c == '_' ? ' ' : c;
      after_letter = false;
    }
  }
  const auto first = t.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return t.substr(first, t.find_last_not_of(' ') - first + 1);
}

/// The schema of the member's type (without null) and its constraints.
json type_schema(const FieldInfo& f) {
  const FieldRules& r = f.rules;
  json s = json::object();
  bool numeric = false;
  switch (f.type.kind) {
    case TypeKind::Boolean: s["type"] = "boolean"; break;
    case TypeKind::SmallInteger:
    case TypeKind::Integer:
    case TypeKind::BigInteger: s["type"] = "integer"; numeric = true; break;
    case TypeKind::Float:
    case TypeKind::Double: s["type"] = "number"; numeric = true; break;
    case TypeKind::Numeric: s["type"] = "number"; numeric = true; break;  // anyOf with string below
    case TypeKind::String:
      s["type"] = "string";
      if (r.min_length) s["minLength"] = *r.min_length;
      if (f.type.length) s["maxLength"] = *f.type.length;
      if (!r.pattern.empty()) s["pattern"] = r.pattern;
      if (r.email) s["format"] = "email";
      break;
    case TypeKind::Bytes: s["type"] = "string"; s["contentEncoding"] = "base64"; break;
    case TypeKind::Uuid: s["type"] = "string"; s["format"] = "uuid"; break;
    case TypeKind::Date: s["type"] = "string"; s["format"] = "date"; break;
    case TypeKind::Time: s["type"] = "string"; s["format"] = "time"; break;
    case TypeKind::DateTime: s["type"] = "string"; s["format"] = "date-time"; break;
    case TypeKind::Enum: s["type"] = "string"; s["enum"] = f.type.enum_values; break;
    case TypeKind::Json: break;  // any JSON value
    case TypeKind::StringArray: s["type"] = "array"; s["items"] = json{{"type", "string"}}; break;
  }
  if (numeric) {
    if (r.ge) s["minimum"] = bound(*r.ge);
    if (r.gt) s["exclusiveMinimum"] = bound(*r.gt);
    if (r.le) s["maximum"] = bound(*r.le);
    if (r.lt) s["exclusiveMaximum"] = bound(*r.lt);
    if (r.multiple_of) s["multipleOf"] = bound(*r.multiple_of);
  }
  // Decimal: a JSON number or a decimal string, as Pydantic v2's validation schema.
  if (f.type.kind == TypeKind::Numeric) s = json{{"anyOf", json::array({s, json{{"type", "string"}}})}};
  return s;
}

bool simple_default_kind(TypeKind k) {
  switch (k) {
    case TypeKind::Boolean:
    case TypeKind::SmallInteger:
    case TypeKind::Integer:
    case TypeKind::BigInteger:
    case TypeKind::Float:
    case TypeKind::Double:
    case TypeKind::Numeric:
    case TypeKind::String:
    case TypeKind::Enum: return true;
    default: return false;
  }
}

/// The object schema of `mi`; nested models go to `defs` (by model name) and
/// are referenced as "#/$defs/<Model>", as Pydantic does.
json object_schema(const ModelInfo& mi, json& defs) {
  json properties = json::object();
  json required = json::array();
  // Two value-initialized objects: a member initializer that gives them
  // different values (Uuid::v4()) is a factory, not a default.
  std::shared_ptr<void> a, b;
  if (mi.make_shared) {
    a = mi.make_shared();
    b = mi.make_shared();
  }
  for (const auto& f : mi.fields) {
    json p = type_schema(f);
    if (f.nullable) {
      // Optional[X]: anyOf [X, null]; a union (Numeric) gets null as one more branch.
      if (p.size() == 1 && p.contains("anyOf")) p["anyOf"].push_back(json{{"type", "null"}});
      else p = json{{"anyOf", json::array({std::move(p), json{{"type", "null"}}})}};
    }
    p["title"] = title_of(f.member);
    if (f.required) {
      required.push_back(f.member);
    } else if (a && b && !f.default_factory && !f.has_server_default && !f.autoincrement &&
               f.equal(a.get(), b.get())) {
      const Value v = f.get(a.get());
      if (v.is_null() || simple_default_kind(f.type.kind)) p["default"] = value_to_json(v);
    }
    properties[f.member] = std::move(p);
  }
  for (const auto& n : mi.nested) {
    const ModelInfo& inner = n.model();
    if (!defs.contains(inner.model)) {
      defs[inner.model] = json::object();  // placeholder: stops recursion on cycles
      defs[inner.model] = object_schema(inner, defs);
    }
    json ref{{"$ref", "#/$defs/" + inner.model}};
    // A single model is a bare $ref, without a title (as Pydantic v2); a list has one.
    json p = n.list ? json{{"type", "array"}, {"items", std::move(ref)}, {"title", title_of(n.member)}}
                    : std::move(ref);
    if (n.required) required.push_back(n.member);
    properties[n.member] = std::move(p);
  }
  json s{{"title", mi.model}, {"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = std::move(required);
  if (mi.extra_forbid) s["additionalProperties"] = false;
  return s;
}

}  // namespace

json json_schema(const ModelInfo& mi) {
  json defs = json::object();
  json s = object_schema(mi, defs);
  if (!defs.empty()) s["$defs"] = std::move(defs);
  return s;
}

}  // namespace strata::model
