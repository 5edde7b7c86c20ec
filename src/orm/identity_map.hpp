// Private: the Session's instance store and identity map.
//
// Each object the session knows has one InstanceState, kept in a deque (stable
// addresses, freed slots reused) and indexed twice by open-addressing tables:
// by the object's address (add / delete_ / refresh of a given object) and, once
// persistent, by its identity key (model + primary key). Flat tables instead of
// std::unordered_map: loading 100k rows costs two probes each, no node
// allocation, and tearing the session down frees no nodes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "strata/core/value.hpp"
#include "strata/model/model_info.hpp"

namespace strata::orm::detail {

/// Identity of a row: its model and primary-key values. The first value is held
/// inline so that the common single-column key costs no allocation.
struct IdentityKey {
  const model::ModelInfo* info = nullptr;
  Value first;
  std::vector<Value> rest;  // composite keys only
  friend bool operator==(const IdentityKey&, const IdentityKey&) = default;
  std::string repr() const;
  std::size_t hash() const noexcept;
  /// The key of `obj` (a T* of model mi), read from its primary-key members.
  static IdentityKey of(const model::ModelInfo& mi, const void* obj);
  /// The values in key order (for binding "pk1 = ? AND pk2 = ?").
  std::vector<Value> values() const;
};

enum class Status { Free, Pending, Persistent, MarkedDeleted };

struct InstanceState {
  const model::ModelInfo* info = nullptr;
  // The object (a T*). Owned by `own` (an added object: the caller's
  // std::shared_ptr, or a loaded object of a model with relationships) or,
  // for an object loaded from a row, by its load block `*block`, which the
  // session holds until it is cleared: a SELECT of 100k rows then counts no
  // reference per object (two atomic operations less).
  void* obj = nullptr;
  std::shared_ptr<void> own;
  const std::shared_ptr<void>* block = nullptr;
  /// An owning pointer to the object, to hand out (live states only).
  std::shared_ptr<void> shared() const { return own ? own : std::shared_ptr<void>(*block, obj); }
  // The dirty-tracking image, as last loaded / flushed (persistent only;
  // nullptr: none yet): info->snap_size bytes of the session's SnapshotArena,
  // rewritten in place by later flushes (strata/model/snapshot_arena.hpp).
  std::byte* snapshot = nullptr;
  IdentityKey key;                 // persistent only
  std::size_t key_hash = 0;
  Status status = Status::Free;
  std::uint64_t seq = 0;           // add order (pending) for a stable INSERT order
  std::uint64_t flush_mark = 0;    // last flush that collected it (dedup)
  std::size_t rank = 0;            // foreign-key rank of its model during a flush
};

class InstanceStore {
 public:
  InstanceStore() = default;
  ~InstanceStore() { clear(); }
  InstanceStore(const InstanceStore&) = delete;
  InstanceStore& operator=(const InstanceStore&) = delete;

  /// The state of the object at `obj`, or nullptr.
  /// Throws: std::bad_alloc while completing the lazy address index.
  InstanceState* find(const void* obj) const;
  /// The persistent (or marked-deleted) state with this key, or nullptr.
  InstanceState* find(const IdentityKey& k) const noexcept;
  /// Stores the Pending state of an added object (owned through `obj`),
  /// filled in place. Its address is indexed lazily, as a loaded object's.
  /// Throws: std::bad_alloc (nothing is stored then).
  InstanceState& add_pending(const model::ModelInfo& mi, std::shared_ptr<void> obj, std::uint64_t seq);
  /// Stores the persistent state of an object loaded from a row, indexed by
  /// `key`, filled in place (the per-row path of a SELECT).
  /// Its address is indexed lazily, at the first find(const void*): a SELECT
  /// of 100k rows then pays one index, not two.
  /// Throws: std::bad_alloc (nothing is stored then).
  /// `snapshot` is obj's image (arena memory, outliving the state).
  /// `block` owns `obj` and must outlive the state (the session holds it);
  /// or `block` is null and `own` owns obj (moved from once stored).
  InstanceState& add_loaded_keyed(const model::ModelInfo& mi, void* obj, const std::shared_ptr<void>* block,
                                  std::byte* snapshot, std::uint64_t seq, IdentityKey&& key,
                                  std::shared_ptr<void>&& own = nullptr);
  /// find(k); when no state has key k, also makes room for it (as
  /// reserve()), so that a load's probe and its add_loaded_reserved() search
  /// k's Dense table once instead of twice.
  /// Throws: std::bad_alloc (nothing findable changed then).
  InstanceState* find_or_reserve(const IdentityKey& k);
  /// Makes room for key k for the next add_loaded_reserved().
  /// Throws: std::bad_alloc (nothing findable changed then).
  void reserve(const IdentityKey& k) { reserved_ = reserve_key(k); }
  /// As add_loaded_keyed(), into the room the last find_or_reserve() (that
  /// found nothing) or reserve() of this key made; nothing may be added to,
  /// removed from or reserved in the store in between. Throws: std::bad_alloc
  /// (nothing is stored then).
  InstanceState& add_loaded_reserved(const model::ModelInfo& mi, void* obj, const std::shared_ptr<void>* block,
                                     std::byte* snapshot, std::uint64_t seq, IdentityKey&& key,
                                     std::shared_ptr<void>&& own = nullptr);
  /// Indexes `st` by `key` (it becomes findable by key).
  /// Throws: std::bad_alloc (st is then not indexed).
  void set_key(InstanceState& st, IdentityKey key);
  /// As set_key, into the room the last find_or_reserve() of this key made
  /// (it found nothing); nothing may be added, removed or reserved in
  /// between. The flush's one search per INSERTed object. Never throws.
  void set_key_reserved(InstanceState& st, IdentityKey&& key) noexcept {
    st.key = std::move(key);
    place_key(st, reserved_);
  }
  /// Forgets `st` (both indexes); its slot is reused.
  void remove(InstanceState& st);
  void clear();
  std::size_t identity_size() const noexcept {
    std::size_t n = by_key_.size();
    for (const Dense& d : dense_) n += d.count;
    return n;
  }

  /// Calls f(InstanceState&) for every live state. f must not add or remove.
  template <class F>
  void for_each(F&& f) {
    for (std::size_t i = 0; i < used_; ++i) {
      InstanceState& st = chunks_[i / kChunk][i % kChunk];
      if (st.status != Status::Free) f(st);
    }
  }

 private:
  /// Open addressing with linear probing and backward-shift deletion.
  class Index {
   public:
    template <class Eq>
    InstanceState* find(std::size_t hash, Eq&& eq) const noexcept {
      if (slots_.empty()) return nullptr;
      for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
        const Slot& s = slots_[i];
        if (!s.st) return nullptr;
        if (s.hash == hash && eq(s.st)) return s.st;
      }
    }
    void insert(std::size_t hash, InstanceState* st);
    /// Makes room for one more entry, so that the next insert cannot throw.
    void reserve_one() {
      if ((size_ + 1) * 2 > slots_.size()) grow();
    }
    /// Makes room for `more` entries, so that as many inserts cannot throw.
    void reserve(std::size_t more) {
      while ((size_ + more) * 2 > slots_.size()) grow();
    }
    /// Removes st's entry; false when it had none.
    bool erase(std::size_t hash, const InstanceState* st) noexcept;
    void clear() noexcept;
    std::size_t size() const noexcept { return size_; }

   private:
    struct Slot {
      std::size_t hash = 0;
      InstanceState* st = nullptr;
    };
    void grow();
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
  };

  static std::size_t address_hash(const void* p) noexcept {
    auto x = reinterpret_cast<std::uintptr_t>(p);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return static_cast<std::size_t>(x);
  }

  // States live in fixed chunks (stable addresses; std::deque's 512-byte
  // blocks would hold three states each), allocated uninitialized: a state
  // is constructed when first used (states [0, used_) are alive), so that a
  // new chunk costs no pass over its memory before the rows fill it.
  static constexpr std::size_t kChunk = 1024;
  std::vector<InstanceState*> chunks_;
  // True while no live state holds anything to release (no owning pointer,
  // an integer key): clear() then frees the chunks without running each
  // state's destructor ([basic.life]: its lifetime may end without one), so
  // that tearing down a session of 100k loaded rows reads no state again.
  bool trivial_ = true;
  std::size_t used_ = 0;
  std::vector<InstanceState*> free_;
  InstanceState& new_slot();  // a Free state, from free_ or a chunk
  void index_addresses() const;  // completes by_address_ (lazily)

  // The address index is completed lazily, at the first find(const void*):
  // states [0, indexed_) are in it (those alive), later ones are not yet. A
  // slot reused from free_ lies below indexed_, so reusing one sets
  // reindex_, and the next completion rebuilds the whole index. A SELECT of
  // 100k rows, or a loop of add() of new objects then commit(), thus builds
  // no address index at all unless something asks an address.
  mutable Index by_address_;
  mutable std::size_t indexed_ = 0;
  mutable bool reindex_ = false;
  Index by_key_;

  /// The states of one model whose key is one integer, in an array indexed by
  /// key - base, while the keys stay dense (at least a quarter of the range
  /// used): autoincrement keys, read in key order, then take one array store
  /// and one array load each, in adjacent memory, with no hashing (by_key_
  /// would scatter them over a table eight times larger). Keys outside that
  /// range go to by_key_ (counted in `hashed`), and from then on the range
  /// stops growing, so that a key is looked up in at most two places.
  struct Dense {
    const model::ModelInfo* info = nullptr;
    std::int64_t base = 0;
    std::vector<InstanceState*> slots;  // slots[key - base]
    std::size_t count = 0;              // non-null slots
    std::size_t hashed = 0;             // this model's integer keys in by_key_
    InstanceState* const* at(std::int64_t key) const noexcept {
      const auto off = static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(base);
      return off < slots.size() ? &slots[off] : nullptr;
    }
    InstanceState** at(std::int64_t key) noexcept {
      const auto off = static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(base);
      return off < slots.size() ? &slots[off] : nullptr;
    }
    /// Widens the range to hold `key` when the keys stay dense and none of
    /// this model's keys is in by_key_; returns the key's slot, or nullptr.
    /// Throws: std::bad_alloc (nothing changed then).
    InstanceState** reserve(std::int64_t key);
  };
  std::vector<Dense> dense_;  // one per model with an integer key, in first-use order
  /// k's integer when it is one integer (the dense tables' keys), else nullptr.
  static const std::int64_t* dense_key(const IdentityKey& k) noexcept {
    return k.rest.empty() ? k.first.get_if<std::int64_t>() : nullptr;
  }
  const Dense* dense_of(const model::ModelInfo* mi) const noexcept {
    for (const Dense& d : dense_)
      if (d.info == mi) return &d;
    return nullptr;
  }
  Dense* dense_of(const model::ModelInfo* mi) noexcept {
    return const_cast<Dense*>(std::as_const(*this).dense_of(mi));
  }
  /// Where a key goes: its model's Dense table (integer keys) and, when the
  /// key is in its range, its slot there; otherwise by_key_.
  struct KeyPlace {
    Dense* dense = nullptr;
    InstanceState** slot = nullptr;
  };
  /// Makes room for `key` (either index) and says where it goes.
  /// Throws: std::bad_alloc (nothing changed then).
  KeyPlace reserve_key(const IdentityKey& key);
  /// The Dense table of model mi, created empty when it has none.
  /// Throws: std::bad_alloc.
  Dense& dense_for(const model::ModelInfo* mi) {
    if (Dense* d = dense_of(mi)) return *d;
    Dense& d = dense_.emplace_back();
    d.info = mi;
    return d;
  }
  /// reserve_key() of integer `key` of d's model.
  KeyPlace reserve_in(Dense& d, std::int64_t key) {
    KeyPlace place{&d, d.reserve(key)};
    if (!place.slot) by_key_.reserve_one();  // out of the dense range: hashed
    return place;
  }
  /// Indexes st by st.key, into the place reserve_key() returned (no other
  /// key reserved in between). noexcept.
  void place_key(InstanceState& st, KeyPlace place) noexcept;
  KeyPlace reserved_;  // made by find_or_reserve() / reserve(), used by add_loaded_reserved()
};

}  // namespace strata::orm::detail
