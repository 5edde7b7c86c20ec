// Relationship loading: selectin and joined (strata/orm/loading.hpp).
//
// Every level is one statement per 1000 parents (selectin) or part of its
// parent's statement (joined). Objects go through the identity map like any
// other row, so a related object already loaded is the same std::shared_ptr.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "orm/session_core.hpp"
#include "strata/core/error.hpp"
#include "strata/orm/query.hpp"
#include "strata/sql/compiler.hpp"

namespace strata::orm {
namespace detail {
namespace {

using model::ModelInfo;
using model::RelationInfo;
using model::RelationKind;

/// Parents per selectin statement (bounds the bound parameters: SQLite's
/// limit is 32766, PostgreSQL's 65535).
constexpr std::size_t kInBatch = 1000;

IdentityKey values_of(const ModelInfo& mi, const void* obj, const std::vector<std::size_t>& fields,
                      const ModelInfo* info = nullptr) {
  IdentityKey k;
  k.info = info;
  k.first = mi.fields[fields[0]].get(obj);
  for (std::size_t j = 1; j < fields.size(); ++j) k.rest.push_back(mi.fields[fields[j]].get(obj));
  return k;
}

bool any_null(const IdentityKey& k) {
  if (k.first.is_null()) return true;
  return std::any_of(k.rest.begin(), k.rest.end(), [](const Value& v) { return v.is_null(); });
}

/// cols IN (keys): one IN list for a single column, else OR of ANDs.
sql::Expr in_keys(const std::string& table, const ModelInfo& mi, const std::vector<std::size_t>& fields,
                  std::span<const IdentityKey> keys) {
  if (fields.size() == 1) {
    std::vector<Value> vs;
    vs.reserve(keys.size());
    for (const auto& k : keys) vs.push_back(k.first);
    return sql::in_list(sql::column(table, mi.fields[fields[0]].column), std::move(vs));
  }
  sql::Expr any;
  for (const auto& k : keys) {
    std::vector<Value> vs = k.values();
    sql::Expr all;
    for (std::size_t j = 0; j < fields.size(); ++j)
      all = sql::and_(all, sql::binary(sql::BinaryOp::Eq, sql::column(table, mi.fields[fields[j]].column),
                                       sql::bind(vs[j])));
    any = sql::or_(any, all);
  }
  return any;
}

/// True when collection `many` of `parent` holds `child`.
bool holds(const RelationInfo& many, const void* parent, const void* child) {
  if (!many.loaded(parent)) return false;
  const std::size_t n = many.size(parent);
  for (std::size_t i = 0; i < n; ++i)
    if (many.at(parent, i) == child) return true;
  return false;
}

/// A joined level of an entity query.
struct JoinedNode {
  const RelationInfo* rel = nullptr;
  const ModelInfo* mi = nullptr;  // the related model
  int first_col = 0;
  int parent = -1;  // index of the parent node; -1: the query's main entity
  const LoaderOption* opt = nullptr;
  std::vector<std::shared_ptr<void>> objs;          // distinct related objects
  std::unordered_set<const void*> seen_objs;
  std::unordered_set<const void*> seen_parents;     // parents whose member was reset in this query
  std::unordered_set<std::string> pairs;            // parent/child pairs appended (collections)
};

}  // namespace

void SessionCore::fill_one(const RelationInfo& r, void* obj, std::shared_ptr<void> target) {
  bool weak = false;
  if (target && r.back) {
    const RelationInfo& back = r.target().relations[*r.back];
    weak = back.list && holds(back, target.get(), obj);
  }
  r.set_one(obj, std::move(target), weak, r.name.c_str());
}

void SessionCore::record_collection(const ModelInfo& mi, const void* obj, std::size_t rel) {
  const RelationInfo& r = mi.relations[rel];
  auto& per = tracked[obj];
  if (per.size() < mi.relations.size()) per.resize(mi.relations.size());
  std::vector<const void*> members;
  const std::size_t n = r.size(obj);
  members.reserve(n);
  for (std::size_t i = 0; i < n; ++i) members.push_back(r.at(obj, i));
  per[rel] = std::move(members);
}

std::vector<std::shared_ptr<void>> SessionCore::run_entity_query(const ModelInfo& mi, sql::Select sel,
                                                                 const std::vector<LoaderOption>& opts,
                                                                 const RowHook& on_row) {
  // Fold the joined options (and joined options below them) into the statement.
  std::vector<JoinedNode> nodes;
  std::unordered_set<std::string> tables{mi.table.name};
  const bool paged = sel.limit || sel.offset;
  std::function<void(const ModelInfo&, int, const std::vector<LoaderOption>&)> add =
      [&](const ModelInfo& owner, int parent, const std::vector<LoaderOption>& level) {
        for (const LoaderOption& o : level) {
          if (o.strategy != LoadStrategy::Joined) continue;
          if (&o.owner() != &owner)
            throw ArgumentError("joined(): the option names a relationship of model '" + o.owner().model +
                                "', but this level loads '" + owner.model + "'");
          const RelationInfo& r = owner.relation(o.key);
          const ModelInfo& target = r.target();
          if (r.kind == RelationKind::ManyToMany)
            throw ArgumentError("joined(&" + r.name + "): a many-to-many relationship cannot be joined; use selectin()");
          if (!tables.insert(target.table.name).second)
            throw ArgumentError("joined(&" + r.name + "): table '" + target.table.name +
                                "' is already in the query (a self-reference, or the same table twice); use selectin()");
          if (r.list && paged)
            throw ArgumentError("joined(&" + r.name +
                                "): a joined collection multiplies the rows that limit() / offset() count; use selectin()");
          const ModelInfo& owner_mi = owner;
          sql::Expr on;
          for (std::size_t j = 0; j < r.local.size(); ++j)
            on = sql::and_(on, sql::binary(sql::BinaryOp::Eq,
                                           sql::column(target.table.name, target.fields[r.remote[j]].column),
                                           sql::column(owner_mi.table.name, owner_mi.fields[r.local[j]].column)));
          sel.joins.push_back({sql::JoinKind::Left, target.table.name, on});
          JoinedNode n;
          n.rel = &r;
          n.mi = &target;
          n.first_col = static_cast<int>(sel.columns.size());
          n.parent = parent;
          n.opt = &o;
          auto cols = entity_columns(target);
          sel.columns.insert(sel.columns.end(), cols.begin(), cols.end());
          nodes.push_back(std::move(n));
          add(target, static_cast<int>(nodes.size()) - 1, o.children);
        }
      };
  add(mi, -1, opts);

  engine::Result res = connection().execute(sql::Statement{sel});
  std::vector<std::shared_ptr<void>> out;
  std::unordered_set<const void*> seen;
  std::vector<std::shared_ptr<void>> row_objs(nodes.size());
  const int tail = static_cast<int>(mi.fields.size());
  while (res.next()) {
    const CellSource& row = res.row();
    std::shared_ptr<void> obj = load(mi, row, 0, false);
    if (on_row) on_row(obj, row, tail);
    if (seen.insert(obj.get()).second) out.push_back(obj);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      JoinedNode& n = nodes[i];
      const std::shared_ptr<void>& parent = n.parent < 0 ? obj : row_objs[static_cast<std::size_t>(n.parent)];
      row_objs[i].reset();
      if (!parent) continue;
      std::shared_ptr<void> child = load(*n.mi, row, n.first_col, true);
      row_objs[i] = child;
      const RelationInfo& r = *n.rel;
      const bool first_sight = n.seen_parents.insert(parent.get()).second;
      if (!r.list) {
        if (first_sight) fill_one(r, parent.get(), child);
      } else {
        if (first_sight) r.reset(parent.get(), r.name.c_str());
        if (child) {
          // Two joined collections multiply rows: append each child once per parent.
          std::string pair(reinterpret_cast<const char*>(&parent), sizeof(void*));
          pair.append(reinterpret_cast<const char*>(&child), sizeof(void*));
          if (n.pairs.insert(std::move(pair)).second) {
            r.append(parent.get(), child);
            if (r.back) n.mi->relations[*r.back].set_one(child.get(), parent, true,
                                                          n.mi->relations[*r.back].name.c_str());
          }
        }
      }
      if (child && n.seen_objs.insert(child.get()).second) n.objs.push_back(child);
    }
  }
  // Collections as loaded, for the flush's orphan detection.
  for (JoinedNode& n : nodes) {
    if (!n.rel->list) continue;
    const ModelInfo& owner = n.parent < 0 ? mi : *nodes[static_cast<std::size_t>(n.parent)].mi;
    const std::size_t idx = static_cast<std::size_t>(n.rel - owner.relations.data());
    for (const void* p : n.seen_parents) record_collection(owner, p, idx);
  }
  // What the joined levels load with selectin.
  for (JoinedNode& n : nodes) load_options(*n.mi, n.objs, n.opt->children, true);
  return out;
}

std::vector<std::shared_ptr<void>> SessionCore::selectin_level(const ModelInfo& mi,
                                                               const std::vector<std::shared_ptr<void>>& objs,
                                                               const LoaderOption& opt) {
  if (opt.owner && &opt.owner() != &mi)
    throw ArgumentError("selectin(): the option names a relationship of model '" + opt.owner().model +
                        "', but this level loads '" + mi.model + "'");
  const RelationInfo& r = mi.relation(opt.key);
  const ModelInfo& target = r.target();
  const std::size_t rel_index = static_cast<std::size_t>(&r - mi.relations.data());
  std::vector<std::shared_ptr<void>> related;
  std::unordered_set<const void*> related_seen;
  auto note = [&](const std::shared_ptr<void>& o) {
    if (o && related_seen.insert(o.get()).second) related.push_back(o);
  };

  // Parents by their key values (the columns the related rows refer to).
  std::unordered_map<IdentityKey, std::vector<void*>, KeyHash> by_key;
  std::vector<IdentityKey> keys;
  for (const auto& o : objs) {
    IdentityKey k = values_of(mi, o.get(), r.local);
    if (any_null(k)) {
      if (r.list) r.reset(o.get(), r.name.c_str());
      else r.set_one(o.get(), nullptr, false, r.name.c_str());
      if (r.list) record_collection(mi, o.get(), rel_index);
      continue;
    }
    auto [it, fresh] = by_key.try_emplace(k);
    if (fresh) keys.push_back(std::move(k));
    it->second.push_back(o.get());
  }
  if (keys.empty()) return related;

  sql::Select base;
  base.columns = entity_columns(target);
  base.from = target.table.name;
  if (r.order_by) base.order_by.push_back({sql::column(target.table.name, target.fields[*r.order_by].column), r.order_desc});

  if (r.kind == RelationKind::ManyToOne) {
    // Related objects already in the identity map need no statement (as
    // SQLAlchemy's many-to-one lazy load uses get()).
    const bool by_pk = r.remote == target.pk;
    std::vector<IdentityKey> missing;
    for (auto& k : keys) {
      std::shared_ptr<void> known;
      if (by_pk) {
        IdentityKey ik = k;
        ik.info = &target;
        if (InstanceState* st = store.find(ik, ik.hash()); st && st->status != Status::MarkedDeleted) known = st->obj;
      }
      if (known) {
        for (void* p : by_key[k]) fill_one(r, p, known);
        note(known);
      } else {
        missing.push_back(k);
      }
    }
    std::unordered_set<const void*> filled;
    for (std::size_t i = 0; i < missing.size(); i += kInBatch) {
      std::span<const IdentityKey> batch(missing.data() + i, std::min(kInBatch, missing.size() - i));
      sql::Select sel = base;
      sel.where = in_keys(target.table.name, target, r.remote, batch);
      auto rows = run_entity_query(target, std::move(sel), opt.children, nullptr);
      for (const auto& t : rows) {
        IdentityKey k = values_of(target, t.get(), r.remote);
        auto it = by_key.find(k);
        if (it == by_key.end()) continue;
        for (void* p : it->second) {
          fill_one(r, p, t);
          filled.insert(p);
        }
        note(t);
      }
    }
    for (const auto& k : missing)  // dangling keys: no such row
      for (void* p : by_key[k])
        if (!filled.count(p)) r.set_one(p, nullptr, false, r.name.c_str());
    return related;
  }

  // Collections: reset every parent, then append the related rows to theirs.
  for (auto& [k, parents] : by_key)
    for (void* p : parents) r.reset(p, r.name.c_str());
  const RelationInfo* back = (r.kind == RelationKind::OneToMany && r.back) ? &target.relations[*r.back] : nullptr;
  std::unordered_map<const void*, std::shared_ptr<void>> parent_ptr;
  if (back)
    for (const auto& o : objs) parent_ptr.emplace(o.get(), o);

  if (r.kind == RelationKind::OneToMany) {
    for (std::size_t i = 0; i < keys.size(); i += kInBatch) {
      std::span<const IdentityKey> batch(keys.data() + i, std::min(kInBatch, keys.size() - i));
      sql::Select sel = base;
      sel.where = in_keys(target.table.name, target, r.remote, batch);
      IdentityKey k;
      run_entity_query(target, std::move(sel), opt.children,
                       [&](const std::shared_ptr<void>& child, const CellSource&, int) {
                         k.first = target.fields[r.remote[0]].get(child.get());
                         k.rest.clear();
                         for (std::size_t j = 1; j < r.remote.size(); ++j)
                           k.rest.push_back(target.fields[r.remote[j]].get(child.get()));
                         auto it = by_key.find(k);
                         if (it == by_key.end()) return;
                         for (void* p : it->second) {
                           r.append(p, child);
                           if (back) back->set_one(child.get(), parent_ptr[p], true, back->name.c_str());
                         }
                         note(child);
                       });
    }
  } else {  // ManyToMany: target JOIN link, with the link's keys to the parents as tail columns
    const ModelInfo& link = r.secondary();
    std::shared_ptr<void> scratch = link.make_shared();
    for (std::size_t i = 0; i < keys.size(); i += kInBatch) {
      std::span<const IdentityKey> batch(keys.data() + i, std::min(kInBatch, keys.size() - i));
      sql::Select sel = base;
      for (std::size_t j : r.secondary_local) sel.columns.push_back(sql::column(link.table.name, link.fields[j].column));
      sql::Expr on;
      for (std::size_t j = 0; j < r.remote.size(); ++j)
        on = sql::and_(on, sql::binary(sql::BinaryOp::Eq, sql::column(link.table.name, link.fields[r.secondary_remote[j]].column),
                                       sql::column(target.table.name, target.fields[r.remote[j]].column)));
      sel.joins.push_back({sql::JoinKind::Inner, link.table.name, on});
      sel.where = in_keys(link.table.name, link, r.secondary_local, batch);
      IdentityKey k;
      run_entity_query(target, std::move(sel), opt.children,
                       [&](const std::shared_ptr<void>& t, const CellSource& row, int tail) {
                         for (std::size_t j = 0; j < r.secondary_local.size(); ++j)
                           link.fields[r.secondary_local[j]].read(scratch.get(), row, tail + static_cast<int>(j));
                         k = values_of(link, scratch.get(), r.secondary_local);
                         auto it = by_key.find(k);
                         if (it == by_key.end()) return;
                         for (void* p : it->second) r.append(p, t);
                         note(t);
                       });
    }
  }
  for (auto& [k, parents] : by_key)
    for (void* p : parents) record_collection(mi, p, rel_index);
  return related;
}

void SessionCore::load_options(const ModelInfo& mi, const std::vector<std::shared_ptr<void>>& objs,
                               const std::vector<LoaderOption>& opts, bool joined_in_query) {
  if (objs.empty()) return;
  for (const LoaderOption& o : opts) {
    if (o.strategy == LoadStrategy::Joined && joined_in_query) continue;  // done by the query (and below it)
    std::vector<std::shared_ptr<void>> related = selectin_level(mi, objs, o);
    load_options(mi.relation(o.key).target(), related, o.children, true);
  }
}

}  // namespace detail

std::vector<std::shared_ptr<void>> Session::execute_loading(const model::ModelInfo& mi, const sql::Select& s,
                                                            const std::vector<LoaderOption>& loaders) {
  if (core_->opts.autoflush) core_->flush(true);
  std::vector<std::shared_ptr<void>> objs = core_->run_entity_query(mi, s, loaders, nullptr);
  core_->load_options(mi, objs, loaders, true);
  return objs;
}

void Session::load_erased(const model::ModelInfo& mi, std::vector<std::shared_ptr<void>> objs,
                          const LoaderOption& path) {
  core_->check_usable();
  for (const auto& o : objs) {
    detail::InstanceState* st = core_->store.find(o.get());
    if (!st || st->status != detail::Status::Persistent)
      throw InvalidRequestError("load(): an object of model '" + mi.model + "' is not persistent in this session");
  }
  if (core_->opts.autoflush) core_->flush(true);
  LoaderOption first = path;
  first.strategy = LoadStrategy::SelectIn;
  core_->load_options(mi, objs, {first}, false);
}

}  // namespace strata::orm
