// Relationship loading: selectin and joined (strata/orm/loading.hpp).
//
// Every level is one statement per 1000 parents (selectin) or part of its
// parent's statement (joined). Objects go through the identity map like any
// other row, so a related object already loaded is the same std::shared_ptr.
#include <algorithm>
#include <bit>
#include <cstdint>
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

/// A set of object addresses: open addressing with linear probing in one
/// array. Each loaded row costs an insert into one or two of these sets (the
/// distinct objects of a query, of a selectin level, of a joined level); the
/// node-based std::unordered_set they replace cost an allocation per insert
/// and a pointer chase per rehash step, more than reading the row itself.
/// Addresses must not be null (a null one is reported as already present).
class PtrSet {
 public:
  /// Adds p; true when it was not there yet.
  bool insert(const void* p) {
    if ((count_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 64 : slots_.size() * 2);
    if (!put(p)) return false;
    ++count_;
    return true;
  }
  bool contains(const void* p) const {
    if (slots_.empty()) return false;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot(p);; i = (i + 1) & mask) {
      if (slots_[i] == p) return p != nullptr;
      if (!slots_[i]) return false;
    }
  }
  /// Calls f(p) for each address (in no particular order).
  template <class F>
  void each(F&& f) const {
    for (const void* p : slots_)
      if (p) f(p);
  }

 private:
  std::size_t slot(const void* p) const noexcept {
    // Fibonacci hashing: the multiply spreads the low bits, always 0 for
    // aligned addresses, into the high bits that pick the slot.
    return static_cast<std::size_t>((static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)) *
                                     UINT64_C(0x9E3779B97F4A7C15)) >>
                                    shift_);
  }
  bool put(const void* p) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot(p);; i = (i + 1) & mask) {
      if (slots_[i] == p) return false;
      if (!slots_[i]) {
        slots_[i] = p;
        return true;
      }
    }
  }
  void rehash(std::size_t n) {  // n: a power of two
    std::vector<const void*> old = std::move(slots_);
    slots_.assign(n, nullptr);
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(n));
    for (const void* p : old)
      if (p) put(p);
  }

  std::vector<const void*> slots_;
  std::size_t count_ = 0;
  unsigned shift_ = 64;
};

/// Objects in first-seen order, without repeats. add_new() takes an object
/// that load() has just created (so it cannot be there yet: every object
/// added before is alive in the list); add() any other. The set of addresses
/// is only built at the first add(): a query whose every row creates its object
/// (a fresh session, a plain SELECT) never needs it.
class DistinctObjects {
 public:
  void add_new(std::shared_ptr<void> o) {
    if (indexed_) seen_.insert(o.get());
    objs_.push_back(std::move(o));
  }
  void add(const std::shared_ptr<void>& o) {
    if (!indexed_) {
      for (const auto& x : objs_) seen_.insert(x.get());
      indexed_ = true;
    }
    if (seen_.insert(o.get())) objs_.push_back(o);
  }
  std::vector<std::shared_ptr<void>> take() { return std::move(objs_); }

 private:
  std::vector<std::shared_ptr<void>> objs_;
  PtrSet seen_;
  bool indexed_ = false;
};

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

/// A joined level of an entity query.
struct JoinedNode {
  const RelationInfo* rel = nullptr;
  const ModelInfo* mi = nullptr;  // the related model
  int first_col = 0;
  int parent = -1;  // index of the parent node; -1: the query's main entity
  const LoaderOption* opt = nullptr;
  std::vector<std::shared_ptr<void>> objs;          // distinct related objects
  PtrSet seen_objs;
  PtrSet seen_parents;                              // parents whose member was reset in this query
};

}  // namespace

void SessionCore::fill_one(const RelationInfo& r, void* obj, std::shared_ptr<void> target) {
  bool weak = false;
  if (target && r.back) {
    // Weak when the other side already holds obj (no shared_ptr cycle).
    const RelationInfo& back = r.target().relations[*r.back];
    if (back.list) weak = holds(back, target.get(), obj);
    else weak = r.kind == RelationKind::ManyToOne && back.loaded(target.get()) && back.peek(target.get()).get() == obj;
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
          if (r.list && r.order_by)
            sel.order_by.push_back({sql::column(target.table.name, target.fields[*r.order_by].column), r.order_desc});
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
  DistinctObjects out;
  std::vector<std::shared_ptr<void>> row_objs(nodes.size());
  const int tail = static_cast<int>(mi.fields.size());
  while (res.next()) {
    const CellSource& row = res.row();
    const std::uint64_t seq = next_seq;
    std::shared_ptr<void> tmp;
    const std::shared_ptr<void>& obj = load_ref(mi, row, 0, false, tmp);
    const bool created = next_seq != seq;  // load() numbers each object it creates
    if (on_row) on_row(obj, row, tail);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      JoinedNode& n = nodes[i];
      const std::shared_ptr<void>& parent = n.parent < 0 ? obj : row_objs[static_cast<std::size_t>(n.parent)];
      row_objs[i].reset();
      if (!parent) continue;
      std::shared_ptr<void> child = load(*n.mi, row, n.first_col, true);
      row_objs[i] = child;
      const RelationInfo& r = *n.rel;
      const bool first_sight = n.seen_parents.insert(parent.get());
      // A child repeats when joined collections multiply the rows; a one-to-many
      // child has one parent, so its first sight is its only append.
      const bool new_child = child && n.seen_objs.insert(child.get());
      if (new_child) n.objs.push_back(child);
      if (!r.list) {
        if (first_sight) {
          fill_one(r, parent.get(), child);
          if (child && r.kind == RelationKind::OneToMany && r.back)  // one-to-one: the child's side, weakly
            n.mi->relations[*r.back].set_one(child.get(), parent, true, n.mi->relations[*r.back].name.c_str());
        }
      } else {
        if (first_sight) r.reset(parent.get(), r.name.c_str());
        if (new_child) {
          r.append(parent.get(), child);
          if (r.back) n.mi->relations[*r.back].set_one(child.get(), parent, true, n.mi->relations[*r.back].name.c_str());
        }
      }
    }
    if (on_row) continue;
    if (created)
      out.add_new(&obj == &tmp ? std::move(tmp) : obj);
    else
      out.add(obj);
  }
  // Collections as loaded, for the flush's orphan detection.
  for (JoinedNode& n : nodes) {
    if (!n.rel->list) continue;
    const ModelInfo& owner = n.parent < 0 ? mi : *nodes[static_cast<std::size_t>(n.parent)].mi;
    const std::size_t idx = static_cast<std::size_t>(n.rel - owner.relations.data());
    n.seen_parents.each([&](const void* p) { record_collection(owner, p, idx); });
  }
  // What the joined levels load with selectin.
  for (JoinedNode& n : nodes) load_options(*n.mi, n.objs, n.opt->children, true);
  return out.take();
}

std::vector<std::shared_ptr<void>> SessionCore::selectin_level(const ModelInfo& mi,
                                                               const std::vector<std::shared_ptr<void>>& objs,
                                                               const LoaderOption& opt, bool collect) {
  if (opt.owner && &opt.owner() != &mi)
    throw ArgumentError("selectin(): the option names a relationship of model '" + opt.owner().model +
                        "', but this level loads '" + mi.model + "'");
  const RelationInfo& r = mi.relation(opt.key);
  const ModelInfo& target = r.target();
  const std::size_t rel_index = static_cast<std::size_t>(&r - mi.relations.data());
  DistinctObjects related;
  auto note = [&](const std::shared_ptr<void>& o) {
    if (o && collect) related.add(o);
  };

  // Parents by their key values (the columns the related rows refer to), as
  // pointers into objs (a back-reference needs the parent's std::shared_ptr).
  using Parents = std::vector<const std::shared_ptr<void>*>;
  std::unordered_map<IdentityKey, Parents, KeyHash> by_key;
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
    it->second.push_back(&o);
  }
  if (keys.empty()) return related.take();

  sql::Select base;
  base.columns = entity_columns(target);
  base.from = target.table.name;
  if (r.order_by) base.order_by.push_back({sql::column(target.table.name, target.fields[*r.order_by].column), r.order_desc});

  if (r.kind == RelationKind::ManyToOne) {
    // Related objects already in the identity map need no statement (as
    // SQLAlchemy's many-to-one lazy load uses get()).
    // (Not when joined() levels hang below: they are folded into the query.)
    const bool by_pk = r.remote == target.pk &&
                       std::none_of(opt.children.begin(), opt.children.end(),
                                    [](const LoaderOption& c) { return c.strategy == LoadStrategy::Joined; });
    std::vector<IdentityKey> missing;
    for (auto& k : keys) {
      std::shared_ptr<void> known;
      if (by_pk) {
        IdentityKey ik = k;
        ik.info = &target;
        if (InstanceState* st = store.find(ik); st && st->status != Status::MarkedDeleted) known = st->shared();
      }
      if (known) {
        for (const auto* p : by_key[k]) fill_one(r, p->get(), known);
        note(known);
      } else {
        missing.push_back(k);
      }
    }
    PtrSet filled;
    for (std::size_t i = 0; i < missing.size(); i += kInBatch) {
      std::span<const IdentityKey> batch(missing.data() + i, std::min(kInBatch, missing.size() - i));
      sql::Select sel = base;
      sel.where = in_keys(target.table.name, target, r.remote, batch);
      auto rows = run_entity_query(target, std::move(sel), opt.children, nullptr);
      for (const auto& t : rows) {
        IdentityKey k = values_of(target, t.get(), r.remote);
        auto it = by_key.find(k);
        if (it == by_key.end()) continue;
        for (const auto* p : it->second) {
          fill_one(r, p->get(), t);
          filled.insert(p->get());
        }
        note(t);
      }
    }
    for (const auto& k : missing)  // dangling keys: no such row
      for (const auto* p : by_key[k])
        if (!filled.contains(p->get())) r.set_one(p->get(), nullptr, false, r.name.c_str());
    return related.take();
  }

  // Collections: reset every parent, then append the related rows to theirs.
  // A One<> with the key on the other side (one-to-one) takes its row the same way.
  auto clear_member = [&](void* p) {
    if (r.list) r.reset(p, r.name.c_str());
    else r.set_one(p, nullptr, false, r.name.c_str());
  };
  auto attach = [&](void* p, const std::shared_ptr<void>& child) {
    if (r.list) r.append(p, child);
    else r.set_one(p, child, false, r.name.c_str());
  };
  for (auto& [k, parents] : by_key)
    for (const auto* p : parents) clear_member(p->get());
  const RelationInfo* back = (r.kind == RelationKind::OneToMany && r.back) ? &target.relations[*r.back] : nullptr;

  if (r.kind == RelationKind::OneToMany) {
    // Without joined levels below, the query's only load() per row is the
    // child's: when the batch's rows created as many objects as there were
    // rows, its children are distinct and new to `related` (add_new).
    const bool one_load_per_row = std::none_of(opt.children.begin(), opt.children.end(), [](const LoaderOption& o) {
      return o.strategy == LoadStrategy::Joined;
    });
    std::vector<std::shared_ptr<void>> matched;  // the batch's children that found their parents, in row order
    for (std::size_t i = 0; i < keys.size(); i += kInBatch) {
      std::span<const IdentityKey> batch(keys.data() + i, std::min(kInBatch, keys.size() - i));
      sql::Select sel = base;
      sel.where = in_keys(target.table.name, target, r.remote, batch);
      IdentityKey k, last_k;
      const Parents* last = nullptr;  // the parents of last_k: rows often come grouped by parent
      matched.clear();
      std::uint64_t rows = 0;
      const std::uint64_t seq = next_seq;
      run_entity_query(target, std::move(sel), opt.children,
                       [&](const std::shared_ptr<void>& child, const CellSource&, int) {
                         ++rows;
                         Value first = target.fields[r.remote[0]].get(child.get());
                         // The same single-column key as the last row's: its parents, without building the key.
                         if (!last || r.remote.size() != 1 || !(first == last_k.first)) {
                           k.first = std::move(first);
                           k.rest.clear();
                           for (std::size_t j = 1; j < r.remote.size(); ++j)
                             k.rest.push_back(target.fields[r.remote[j]].get(child.get()));
                           if (!last || !(k == last_k)) {
                             auto it = by_key.find(k);
                             if (it == by_key.end()) return;
                             last = &it->second;
                             last_k = k;
                           }
                         }
                         for (const auto* p : *last) {
                           attach(p->get(), child);
                           if (back) back->set_one(child.get(), *p, true, back->name.c_str());
                         }
                         if (collect) matched.push_back(child);
                       });
      const bool all_created = one_load_per_row && next_seq - seq == rows;
      for (auto& c : matched) {
        if (all_created)
          related.add_new(std::move(c));
        else
          related.add(c);
      }
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
                         for (const auto* p : it->second) r.append(p->get(), t);
                         note(t);
                       });
    }
  }
  if (r.list)
    for (auto& [k, parents] : by_key)
      for (const auto* p : parents) record_collection(mi, p->get(), rel_index);
  return related.take();
}

void SessionCore::load_options(const ModelInfo& mi, const std::vector<std::shared_ptr<void>>& objs,
                               const std::vector<LoaderOption>& opts, bool joined_in_query) {
  if (objs.empty()) return;
  for (const LoaderOption& o : opts) {
    if (o.strategy == LoadStrategy::Joined && joined_in_query) continue;  // done by the query (and below it)
    // The related objects are only needed by the levels below.
    std::vector<std::shared_ptr<void>> related = selectin_level(mi, objs, o, !o.children.empty());
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
