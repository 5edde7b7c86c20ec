// strata/model/model_info.cpp - lookups over a ModelInfo.
//
// Linear scans: models have tens of fields, and a scan over a contiguous vector
// beats a hash map at that size while keeping ModelInfo plain data.
#include "strata/model/model_info.hpp"

#include <string>

#include "strata/core/error.hpp"

namespace strata::model {

const FieldInfo* ModelInfo::find(const MemberKey& k) const noexcept {
  for (const auto& f : fields)
    if (f.key == k) return &f;
  return nullptr;
}

const FieldInfo* ModelInfo::find_column(std::string_view column) const noexcept {
  for (const auto& f : fields)
    if (f.column == column) return &f;
  return nullptr;
}

const FieldInfo& ModelInfo::field(const MemberKey& k) const {
  if (const FieldInfo* f = find(k)) return *f;
  std::string msg = "model '" + model + "' has no mapped member at offset " + std::to_string(k.offset);
  if (k.declaring_class != type) msg += std::string(" of ") + k.declaring_class.name();
  throw SchemaError(msg, model);
}

const RelationInfo& ModelInfo::relation(const MemberKey& k) const {
  for (const auto& r : relations)
    if (r.key == k) return r;
  throw SchemaError("model '" + model + "' has no relationship member at offset " + std::to_string(k.offset) +
                        " (a relationship is a strata::One<> or strata::Many<> member of a table model)",
                    model);
}

const RelationInfo* ModelInfo::find_relation(std::string_view member) const noexcept {
  for (const auto& r : relations)
    if (r.member == member) return &r;
  return nullptr;
}

}  // namespace strata::model
