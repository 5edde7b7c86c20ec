// strata/model/registry.cpp - the global list of table models.
#include "strata/model/registry.hpp"

#include <mutex>
#include <string>
#include <typeindex>
#include <utility>

#include "strata/core/error.hpp"

namespace strata::model {
namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::pair<std::type_index, const ModelInfo& (*)()>> entries;
  std::vector<const ModelInfo*> built;
};

// Function-local static: registration runs during other translation units'
// static initialization, before any namespace-scope object here would be.
Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

namespace detail {
void register_table(std::type_index type, const ModelInfo& (*info)()) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& e : r.entries)
    if (e.first == type) return;  // a header included by several translation units
  r.entries.emplace_back(type, info);
}
}  // namespace detail

const std::vector<const ModelInfo*>& registered_tables() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (r.built.size() != r.entries.size()) {
    std::vector<const ModelInfo*> built;
    built.reserve(r.entries.size());
    for (const auto& e : r.entries) built.push_back(&e.second());
    r.built = std::move(built);
  }
  return r.built;
}

schema::MetaData make_metadata(const std::vector<const ModelInfo*>& models) {
  schema::MetaData md;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const ModelInfo& m = *models[i];
    if (!m.is_table)
      throw SchemaError("model '" + m.model + "' is not a table model (STRATA_TABLE)", m.model);
    for (std::size_t j = 0; j < i; ++j)
      if (models[j]->table.name == m.table.name)
        throw SchemaError("models '" + models[j]->model + "' and '" + m.model + "' both map table '" +
                              m.table.name + "'",
                          m.model);
    md.add_table(m.table);
  }
  md.validate();
  return md;
}

schema::MetaData metadata() { return make_metadata(registered_tables()); }

}  // namespace strata::model
