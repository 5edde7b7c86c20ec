// ScriptDirectory: the registry of compiled revisions.
#include "strata/migrate/script.hpp"

#include <algorithm>
#include <utility>

namespace strata::migrate {

ScriptDirectory::ScriptDirectory(const ScriptDirectory& other) : scripts_(other.scripts_), by_id_(other.by_id_) {}

ScriptDirectory& ScriptDirectory::operator=(const ScriptDirectory& other) {
  if (this != &other) {
    scripts_ = other.scripts_;
    by_id_ = other.by_id_;
    std::lock_guard lock(mutex_);
    map_.reset();
  }
  return *this;
}

ScriptDirectory& ScriptDirectory::global() {
  // A function-local static: safe to use from other translation units' static
  // initializers, whatever the order in which they run.
  static ScriptDirectory instance;
  return instance;
}

void ScriptDirectory::add(Script s) {
  if (by_id_.contains(s.revision.id)) throw DuplicateRevision(s.revision.id);
  by_id_.emplace(s.revision.id, scripts_.size());
  scripts_.push_back(std::move(s));
  std::lock_guard lock(mutex_);
  map_.reset();
}

const RevisionMap& ScriptDirectory::map() const {
  std::lock_guard lock(mutex_);
  if (!map_) {
    // by_id_ is sorted by id: the graph does not depend on link order.
    std::vector<Revision> revisions;
    revisions.reserve(scripts_.size());
    for (const auto& [id, index] : by_id_) revisions.push_back(scripts_[index].revision);
    map_ = std::make_shared<const RevisionMap>(std::move(revisions));
  }
  return *map_;
}

const Script& ScriptDirectory::get(std::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) throw UnknownRevision(std::string(id));
  return scripts_[it->second];
}

std::vector<const Script*> ScriptDirectory::scripts() const {
  std::vector<const Script*> out;
  for (const Revision* r : map().topological_order()) out.push_back(&get(r->id));
  return out;
}

std::vector<ops::Op> ScriptDirectory::upgrade_ops(std::string_view id) const {
  const Script& s = get(id);
  Operations op;
  if (s.upgrade) s.upgrade(op);
  return op.ops();
}

std::vector<ops::Op> ScriptDirectory::downgrade_ops(std::string_view id) const {
  const Script& s = get(id);
  Operations op;
  if (s.downgrade) s.downgrade(op);
  return op.ops();
}

namespace detail {
bool register_revision(Revision revision, std::function<void(Operations&)> upgrade,
                       std::function<void(Operations&)> downgrade) {
  ScriptDirectory::global().add(Script{std::move(revision), std::move(upgrade), std::move(downgrade)});
  return true;
}
}  // namespace detail

}  // namespace strata::migrate
