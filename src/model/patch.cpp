// strata/model/patch.cpp - the compiled half of Patch<T> (patch.hpp) and of
// project<To>(from) (project.hpp).
#include <string>
#include <utility>
#include <vector>

#include "strata/core/error.hpp"
#include "strata/model/project.hpp"
#include "strata/model/patch.hpp"

namespace strata::model::detail {

void apply_patch(const ModelInfo& mi, const std::vector<bool>& sent, const void* src, void* dst) {
  for (const auto& f : mi.fields)
    if (sent[f.index]) f.set(dst, f.get(src));
}

nlohmann::json patch_to_json(const ModelInfo& mi, const std::vector<bool>& sent, const void* obj,
                             const DumpOptions& opts) {
  nlohmann::json out = to_json(mi, obj, opts);
  for (const auto& f : mi.fields)
    if (!sent[f.index]) out.erase(f.member);
  for (const auto& n : mi.nested) out.erase(n.member);     // not part of a patch
  for (const auto& r : mi.relations) out.erase(r.member);  // nor are relationships
  return out;
}

std::vector<std::string> sent_names(const ModelInfo& mi, const std::vector<bool>& sent) {
  std::vector<std::string> out;
  for (const auto& f : mi.fields)
    if (sent[f.index]) out.push_back(f.member);
  return out;
}

std::ptrdiff_t field_index(const ModelInfo& mi, std::string_view member) noexcept {
  for (const auto& f : mi.fields)
    if (f.member == member) return static_cast<std::ptrdiff_t>(f.index);
  return -1;
}

namespace {
bool compatible(const SqlType& a, const SqlType& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == TypeKind::Enum) return a.enum_values == b.enum_values;
  if (a.kind == TypeKind::DateTime) return a.timezone == b.timezone;
  return true;
}
}  // namespace

Projection make_projection(const ModelInfo& to, const ModelInfo& from) {
  Projection p;
  for (const auto& t : to.fields) {
    const FieldInfo* match = nullptr;
    for (const auto& f : from.fields)
      if (f.member == t.member) match = &f;
    if (!match) continue;
    if (!compatible(t.type, match->type))
      throw SchemaError("project<" + to.model + ">(" + from.model + "): member '" + t.member + "' is " +
                            to_string(match->type.kind) + " in " + from.model + " and " + to_string(t.type.kind) +
                            " in " + to.model,
                        to.model);
    p.pairs.push_back({&t, match});
  }
  return p;
}

void copy_projected(const Projection& p, const void* src, void* dst) {
  for (const auto& [t, f] : p.pairs) {
    Value v = f->get(src);
    if (v.is_null() && !t->nullable) continue;  // an empty optional leaves a required member as it is
    t->set(dst, v);
  }
}

}  // namespace strata::model::detail
