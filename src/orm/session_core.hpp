// Private: the Session's state (SessionCore), shared by src/orm/session.cpp
// (unit of work) and src/orm/loading.cpp (relationship loading).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "orm/identity_map.hpp"
#include "orm/plan.hpp"
#include "strata/engine/engine.hpp"
#include "strata/orm/session.hpp"

namespace strata::orm::detail {

struct Savepoint {
  int id;
  std::string name;
  std::uint64_t start_seq;                    // objects added after this belong to it
  std::unordered_set<const void*> written;    // objects written while it was open
};

/// True when collection `many` (a Many<> relation) of `parent` is loaded and holds `child`.
inline bool holds(const model::RelationInfo& many, const void* parent, const void* child) {
  if (!many.loaded(parent)) return false;
  for (std::size_t i = 0, n = many.size(parent); i < n; ++i)
    if (many.at(parent, i) == child) return true;
  return false;
}

/// Hash of an IdentityKey (also used with info == nullptr for plain key tuples).
struct KeyHash {
  std::size_t operator()(const IdentityKey& k) const noexcept { return k.hash(); }
};

/// Called for each row of an entity query: the row's main object, the row,
/// and the index of the first column after the entity's own.
using RowHook = std::function<void(const std::shared_ptr<void>& obj, const CellSource& row, int tail)>;

class SessionCore {
 public:
  SessionCore(engine::Engine e, SessionOptions o) : engine(std::move(e)), opts(o) {}

  engine::Engine engine;
  SessionOptions opts;
  std::optional<engine::Connection> conn;
  bool needs_rollback = false;
  std::uint64_t next_seq = 1;
  int next_savepoint = 1;

  InstanceStore store;  // every object the session holds, by address and by key
  // The persistent objects' dirty-tracking images (InstanceState::snapshot);
  // cleared with the store (detach_all, expunge_all), never one image at a time.
  model::SnapshotArena snapshots;
  // Objects added / marked deleted since the last flush (addresses; checked
  // against the store at flush), so that a flush with nothing to insert or
  // delete costs nothing: get() autoflushes on every identity-map miss.
  std::vector<const void*> marked_deleted;
  /// An added object's state and address: the flush takes the state as it is
  /// when it still holds that object, pending (an expunged state's slot may
  /// hold another object by then), with no lookup by address per object.
  struct Added {
    InstanceState* st;
    const void* obj;
  };
  std::vector<Added> added;
  std::vector<Savepoint> savepoints;
  PlanCache plans;
  /// Loaded collections as last loaded / flushed, per parent object and
  /// relation index (Many<> members only): a flush compares them with the
  /// members to find removed children (delete-orphan, or detach).
  std::unordered_map<const void*, std::vector<std::optional<std::vector<const void*>>>> tracked;

  // --- relationships (src/orm/loading.cpp, src/orm/cascade.cpp) ---
  /// True once an object of a model with relationships entered the session:
  /// only then does a flush run the relationship steps.
  bool relations_active = false;
  /// A parent's loaded one-to-many collection holding `child` (found by cascade_before_flush).
  struct Link {
    InstanceState* parent;
    const model::RelationInfo* rel;
    const void* child;
  };
  /// A many-to-many pair added to (add) or removed from a collection.
  struct LinkOp {
    InstanceState* parent;
    const model::RelationInfo* rel;
    std::shared_ptr<void> target;
    bool add;
  };
  std::vector<Link> links;
  /// Objects whose rows a flush deleted, by address (the weak_ptr tells that
  /// the address still names that object): loaded members let go of them and
  /// save-update never inserts them again.
  std::unordered_map<const void*, std::weak_ptr<void>> gone;
  std::unordered_multimap<const void*, std::size_t> child_links;  // child -> index in links
  std::vector<LinkOp> link_ops;
  /// Before a flush: save-update cascades (new related objects are added),
  /// back_populates kept in step, children removed from loaded collections
  /// (delete-orphan, or their foreign key set to NULL), many-to-many changes.
  /// Throws: InvalidRequestError for a removed child whose foreign key is not nullable.
  void cascade_before_flush();
  /// Copies the keys of st's parents (its One<> targets, and the collections
  /// holding it) into its foreign keys. Throws: CircularDependencyError when a
  /// parent is in `unwritten` (new, and not inserted yet).
  void sync_foreign_keys(InstanceState& st, const std::unordered_set<const void*>& unwritten);
  /// Orders new objects of one model so that parents come before children
  /// (self-referential relationships). Throws: CircularDependencyError.
  /// Returns true when some object of the group depends on another (insert one by one).
  bool order_group(std::vector<InstanceState*>& group);
  void write_link_rows(engine::Connection& c);
  /// DELETEs the many-to-many link rows of a deleted object.
  void delete_link_rows(InstanceState& st, engine::Connection& c);
  /// delete_() with its delete cascades (loading unloaded children unless passive_deletes).
  void delete_object(const model::ModelInfo& mi, const void* obj);
  /// Applies loader options to `objs` (all of model mi). With joined_in_query
  /// the joined options were already folded into the query that read objs.
  void load_options(const model::ModelInfo& mi, const std::vector<std::shared_ptr<void>>& objs,
                    const std::vector<LoaderOption>& opts, bool joined_in_query);
  /// One selectin level: loads relation opt of `objs`; returns the related
  /// objects (distinct), or nothing when `collect` is false (the caller does
  /// not need them: no level below).
  std::vector<std::shared_ptr<void>> selectin_level(const model::ModelInfo& mi,
                                                    const std::vector<std::shared_ptr<void>>& objs,
                                                    const LoaderOption& opt, bool collect = true);
  /// Runs `sel` (mi's entity columns first, then any tail columns) with the
  /// joined options of `opts` folded in as LEFT OUTER JOINs, then loads the
  /// options below the joined levels. Without `on_row`, returns the distinct
  /// main objects in row order; with it, the rows go to on_row only and the
  /// result is empty.
  std::vector<std::shared_ptr<void>> run_entity_query(const model::ModelInfo& mi, sql::Select sel,
                                                      const std::vector<LoaderOption>& opts, const RowHook& on_row);
  /// Sets One<> relation r of obj to target: weakly when target's back_populates
  /// collection is loaded and holds obj (no shared_ptr cycle).
  void fill_one(const model::RelationInfo& r, void* obj, std::shared_ptr<void> target);
  /// Records the current members of collection `rel` of `obj` (tracked).
  void record_collection(const model::ModelInfo& mi, const void* obj, std::size_t rel);

  void check_usable() const {
    if (needs_rollback)
      throw InvalidRequestError(
          "this Session's transaction has been rolled back due to a previous exception during "
          "flush; call rollback() before using the session again");
  }

  engine::Connection& connection() {
    check_usable();
    if (!conn) conn.emplace(engine.connect());
    if (!conn->in_transaction()) conn->begin();
    return *conn;
  }

  const Plan& plan(const model::ModelInfo& mi) { return plans.get(mi, engine.dialect()); }

  std::uint64_t flush_count = 0;
  std::vector<Value> params;  // reused by insert() / update()
  std::vector<ParamView> views;  // reused by insert_one(): the members, bound in place
  std::string mask;           // reused by insert() / update()



  /// `only_here`: the caller knows obj is not in the session (its only
  /// owner is the caller): the address lookup is skipped.
  void add(const model::ModelInfo& mi, std::shared_ptr<void> obj, bool only_here = false) {
    check_usable();
    if (!mi.is_table)
      throw SchemaError("model '" + mi.model + "' is not a table model and cannot be added to a Session",
                        mi.model);
    if (!obj) throw ArgumentError("add(): a null std::shared_ptr of model '" + mi.model + "'");
    // Already in the session: nothing to do. Skipped for an object only the
    // caller holds, so that a loop of add(std::make_shared<T>(...)) builds
    // no address index (InstanceStore completes it lazily).
    if (!only_here && store.find(obj.get())) return;
    // Listed first (no state yet: skipped by the flush should add_pending throw).
    added.push_back(Added{nullptr, obj.get()});
    added.back().st = &store.add_pending(mi, std::move(obj), next_seq++);
    if (!mi.relations.empty()) relations_active = true;
  }

  /// The object of the row's entity at columns [first, ...): the known one
  /// of its identity, else a new persistent one. `probe` false skips the
  /// identity-map probe when the caller has just made it (get()).
  std::shared_ptr<void> load(const model::ModelInfo& mi, const CellSource& row, int first, bool allow_null,
                             bool probe = true) {
    std::shared_ptr<void> tmp;
    const std::shared_ptr<void>& obj = load_ref(mi, row, first, allow_null, tmp, probe);
    return &obj == &tmp ? std::move(tmp) : obj;
  }

  /// As load(), without a copy of the owning pointer when the object's state
  /// holds one (a model with relationships): the result is the state's `own`
  /// (valid while the object is in the session) or `tmp`, set to a new one.
  const std::shared_ptr<void>& load_ref(const model::ModelInfo& mi, const CellSource& row, int first,
                                        bool allow_null, std::shared_ptr<void>& tmp, bool probe = true) {
    if (allow_null) {
      bool all_null = true;
      for (std::size_t i : mi.pk) all_null = all_null && row.is_null(first + static_cast<int>(i));
      if (all_null) return tmp = nullptr;
    }
    // The object: the next T of the model's current load block, or its spare
    // pooled T (the slot is taken only once the row proves new).
    LoadBlock& b = load_block(mi);
    void* raw = b.spare ? b.spare.get() : mi.block_at(b.block->get(), b.used);
    // The key columns first: a row whose identity is known is read no further.
    for (std::size_t i : mi.pk) mi.fields[i].read(raw, row, first + static_cast<int>(i));
    IdentityKey key = IdentityKey::of(mi, raw);
    // The probe also makes room for the key, used by add_loaded_reserved() below.
    if (!probe) store.reserve(key);
    else if (InstanceState* known = store.find_or_reserve(key))  // one object per row: unflushed changes win
      return known->own ? known->own : (tmp = known->shared());
    // A new row: every other column read and imaged in one call each.
    std::byte* snapshot = snapshots.allocate(mi.snap_size);
    if (mi.read_row) {
      mi.read_row(raw, row, first, snapshot, snapshots, mi.fields.data());
    } else {
      for (const auto& f : mi.fields) {
        std::byte* slot = snapshot + f.snap_offset;
        if (f.primary_key) f.snap_put(raw, slot, snapshots, false);
        else f.read_image(raw, row, first + static_cast<int>(f.index), slot, snapshots);
      }
    }
    if (b.spare) {
      // Read from a row: its relationships are not loaded.
      relations_active = true;
      for (const auto& r : mi.relations) r.set_unloaded(raw, r.name.c_str());
      InstanceState& st = store.add_loaded_reserved(mi, raw, nullptr, snapshot, next_seq, std::move(key),
                                                    std::move(b.spare));
      ++next_seq;
      return st.own;
    }
    store.add_loaded_reserved(mi, raw, b.block, snapshot, next_seq, std::move(key));
    ++b.used;
    ++next_seq;
    return tmp = std::shared_ptr<void>(*b.block, raw);
  }

  /// Loaded objects of a model without relationships are allocated a block
  /// at a time: one allocation, and one control block, per block instead of
  /// per row. The session holds each block (held_blocks) until it forgets
  /// all its objects, and a handed-out object's std::shared_ptr holds its
  /// block after that (documented in session.hpp). A model with
  /// relationships cannot share control blocks: an object holding a
  /// std::shared_ptr to another of its own block (a tree: Node::children),
  /// or two blocks holding objects of each other, would never be freed. Its
  /// objects are each their own std::shared_ptr, placed in the session's
  /// ObjectPool (strata/model/object_pool.hpp): `spare` is the next one.
  struct LoadBlock {
    const model::ModelInfo* info = nullptr;
    const std::shared_ptr<void>* block = nullptr;  // an element of held_blocks
    std::size_t used = 0;
    std::size_t size = 0;
    std::shared_ptr<void> spare;  // models with relationships: the next object
  };
  static constexpr std::size_t kFirstBlock = 16;
  static constexpr std::size_t kMaxBlock = 512;
  std::vector<LoadBlock> load_blocks;
  /// Every load block of the session's loaded objects (their states point
  /// here); released when the session is cleared. A std::deque: push_back
  /// keeps the addresses of earlier elements.
  std::deque<std::shared_ptr<void>> held_blocks;
  /// The memory of loaded objects of models with relationships.
  model::ObjectPool pool;

  /// The model's current block with a free slot, or (a model with
  /// relationships) its spare object. Throws: std::bad_alloc.
  LoadBlock& load_block(const model::ModelInfo& mi) {
    LoadBlock* b = nullptr;
    for (auto& lb : load_blocks)
      if (lb.info == &mi) b = &lb;
    if (!b) b = &load_blocks.emplace_back(LoadBlock{&mi, nullptr, 0, 0, nullptr});
    if (!mi.relations.empty()) {
      if (!b->spare) b->spare = mi.make_pooled(pool);
    } else if (b->used == b->size) {
      const std::size_t n = b->size == 0 ? kFirstBlock : std::min(b->size * 2, kMaxBlock);
      b->block = &held_blocks.emplace_back(mi.make_block(n));
      b->size = n;
      b->used = 0;
    }
    return *b;
  }

  /// get<T>(): the identity map first, else (after the inserts / deletes of an
  /// autoflush) the row by primary key. `key_values` are k's values in key order.
  std::shared_ptr<void> get(const model::ModelInfo& mi, const IdentityKey& k, std::span<const Value> key_values) {
    if (InstanceState* st = store.find(k)) return st->status == Status::MarkedDeleted ? nullptr : st->shared();
    const std::uint64_t flushes = flush_count;
    if (opts.autoflush && !(added.empty() && marked_deleted.empty())) flush(false);  // flush(false)'s own test, inline
    // Probed above; only a flush in between (an INSERT) can have mapped the key since.
    struct Load {
      SessionCore* core;
      const model::ModelInfo* mi;
      bool probe;
      std::shared_ptr<void> obj;
    } ctx{this, &mi, flush_count != flushes, nullptr};
    connection().query_first(plan(mi).select_by_pk, key_values, [c = &ctx](const CellSource& row) {
      const std::shared_ptr<void>& o = c->core->load_ref(*c->mi, row, 0, false, c->obj, c->probe);
      if (&o != &c->obj) c->obj = o;
    });
    return std::move(ctx.obj);
  }

  /// Flush. `include_dirty` false limits it to pending inserts and deletes (get()'s autoflush).
  void flush(bool include_dirty);
  void insert(const model::ModelInfo& mi, const Plan& p, InstanceState& st, engine::Connection& c);
  /// One INSERT of `st` with its prepared plan `ip` (see prepare_insert).
  void insert_one(const model::ModelInfo& mi, const InsertPlan& ip, InstanceState& st, engine::Connection& c);
  /// Client defaults of `st` applied; returns the INSERT plan for it.
  const InsertPlan& prepare_insert(const model::ModelInfo& mi, const Plan& p, InstanceState& st);
  /// params[at, at + fields.size()) = the members `fields` of obj (a T of model
  /// mi); params must be that long. Reuses the strings params already holds.
  void put_params(std::size_t at, const model::ModelInfo& mi, const void* obj, const std::vector<std::size_t>& fields);
  /// Inserts pending[begin, end) (one model, one plan) as one batch
  /// (Capabilities::batched_statements): execute_many, or
  /// execute_many_returning to read keys and server defaults back.
  void insert_batch(const InsertPlan& ip, std::span<InstanceState* const> batch, engine::Connection& c);
  /// Inserts `pending` (in flush order), batching runs of one plan where the dialect batches.
  void insert_pending(std::span<InstanceState* const> pending, engine::Connection& c);
  bool update(const model::ModelInfo& mi, const Plan& p, InstanceState& st, engine::Connection& c);

  /// Writes the image of `obj` (a T of model mi) into `image`: fresh memory
  /// (`overwrite` false) or an earlier image of it, reused in place.
  /// Throws: std::bad_alloc.
  void put_image(const model::ModelInfo& mi, const void* obj, std::byte* image, bool overwrite) {
    for (const auto& f : mi.fields) f.snap_put(obj, image + f.snap_offset, snapshots, overwrite);
  }
  /// A new image of `obj` in the arena. Throws: std::bad_alloc.
  std::byte* write_image(const model::ModelInfo& mi, const void* obj) {
    std::byte* image = snapshots.allocate(mi.snap_size);
    put_image(mi, obj, image, false);
    return image;
  }

  /// Records st's object as last loaded / flushed (its dirty-tracking image):
  /// the image is rewritten in place, or written the first time (inserted
  /// objects). Columns only: relationship members are not fields.
  void take_snapshot(InstanceState& st) {
    const model::ModelInfo& mi = *st.info;
    if (st.snapshot) {
      put_image(mi, st.obj, st.snapshot, true);
    } else {
      st.snapshot = write_image(mi, st.obj);
    }
  }

  void detach(const void* addr) {
    if (InstanceState* st = store.find(addr)) store.remove(*st);
    if (!tracked.empty()) tracked.erase(addr);
  }

  /// Forgets every object (expunge_all()): their states, images, load
  /// blocks and pool chunk, and the pending adds and deletes. The
  /// transaction's own records (gone, savepoints) stay.
  void forget_objects() {
    store.clear();
    snapshots.clear();
    load_blocks.clear();
    held_blocks.clear();
    pool.retire();
    tracked.clear();
    added.clear();
    marked_deleted.clear();
  }

  /// forget_objects(), and the transaction's records too (close, rollback).
  void detach_all() {
    forget_objects();
    gone.clear();
    savepoints.clear();
  }

  void rollback() {
    if (conn) {
      if (conn->in_transaction()) {
        try {
          conn->rollback();
        } catch (const DatabaseError&) {
          // the connection is broken: the pool discards it on close below
        }
      }
      conn->close();
      conn.reset();
    }
    detach_all();
    needs_rollback = false;
  }

  void fail_flush() {
    // Nothing partial may stay: roll the whole database transaction back now.
    if (conn && conn->in_transaction()) {
      try {
        conn->rollback();
      } catch (const DatabaseError&) {
      }
    }
    savepoints.clear();
    needs_rollback = true;
  }

  void mark_written(const void* addr) {
    if (!savepoints.empty()) savepoints.back().written.insert(addr);
  }

  /// Orders the models of `mis` so that referenced tables come first.
  static std::vector<const model::ModelInfo*> dependency_order(std::vector<const model::ModelInfo*> mis) {
    std::vector<const model::ModelInfo*> out;
    std::unordered_map<std::string, const model::ModelInfo*> by_table;
    for (auto* m : mis) by_table[m->table.name] = m;
    std::unordered_set<const model::ModelInfo*> done, visiting;
    std::function<void(const model::ModelInfo*)> visit = [&](const model::ModelInfo* m) {
      if (done.count(m) || visiting.count(m)) return;  // cycles: keep add order
      visiting.insert(m);
      for (const auto& fk : m->table.foreign_keys) {
        auto it = by_table.find(fk.referred_table);
        if (it != by_table.end() && it->second != m) visit(it->second);
      }
      visiting.erase(m);
      done.insert(m);
      out.push_back(m);
    };
    for (auto* m : mis) visit(m);
    return out;
  }
};

}  // namespace strata::orm::detail
