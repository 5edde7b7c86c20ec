#include "orm/identity_map.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <variant>

namespace strata::orm::detail {
namespace {

std::size_t hash_value(const Value& v) noexcept {
  return std::visit(
      [](const auto& x) -> std::size_t {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) {
          return 0x9e3779b9u;
        } else if constexpr (std::is_same_v<X, bool> || std::is_same_v<X, std::int64_t> ||
                             std::is_same_v<X, double> || std::is_same_v<X, std::string> ||
                             std::is_same_v<X, Uuid>) {
          return std::hash<X>{}(x);
        } else if constexpr (std::is_same_v<X, Numeric> || std::is_same_v<X, JsonText>) {
          return std::hash<std::string>{}(x.text);
        } else if constexpr (std::is_same_v<X, Date>) {
          return std::hash<long>{}(static_cast<long>(std::chrono::sys_days(x).time_since_epoch().count()));
        } else if constexpr (std::is_same_v<X, Time>) {
          return std::hash<std::int64_t>{}(x.since_midnight.count());
        } else if constexpr (std::is_same_v<X, DateTime> || std::is_same_v<X, DateTimeTz>) {
          return std::hash<std::int64_t>{}(x.time_since_epoch().count());
        } else {
          return x.size();  // Bytes, StringList: rare as keys; equality decides
        }
      },
      v.storage());
}

/// Spreads the bits: std::hash of an integer is the integer itself, and the
/// index masks the low bits.
std::size_t mix(std::size_t x) noexcept {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

}  // namespace

std::string IdentityKey::repr() const {
  std::string out = first.repr();
  for (const auto& v : rest) out += ", " + v.repr();
  return out;
}

std::size_t IdentityKey::hash() const noexcept {
  if (rest.empty()) {
    if (const std::int64_t* i = first.get_if<std::int64_t>()) {
      // A single integer key, most often a sequence: kRun consecutive keys
      // get consecutive hashes (the index's low bits), so that loading rows in
      // key order probes runs of adjacent slots, not a cache miss per row; the
      // runs themselves are spread by the mix.
      constexpr unsigned kRun = 3;
      const auto u = static_cast<std::uint64_t>(*i);
      const std::size_t run = mix(std::hash<const void*>{}(info) ^ static_cast<std::size_t>(u >> kRun));
      return (run << kRun) | static_cast<std::size_t>(u & ((1u << kRun) - 1));
    }
  }
  std::size_t h = std::hash<const void*>{}(info) ^ hash_value(first);
  for (const auto& v : rest) h = h * 31 + hash_value(v);
  return mix(h);
}

IdentityKey IdentityKey::of(const model::ModelInfo& mi, const void* obj) {
  IdentityKey k{&mi, mi.fields[mi.pk[0]].get(obj), {}};  // the first value built in place
  for (std::size_t j = 1; j < mi.pk.size(); ++j) k.rest.push_back(mi.fields[mi.pk[j]].get(obj));
  return k;
}

std::vector<Value> IdentityKey::values() const {
  std::vector<Value> v{first};
  v.insert(v.end(), rest.begin(), rest.end());
  return v;
}

void InstanceStore::Index::grow() {
  // Build the larger table first, so that bad_alloc leaves this one intact.
  std::vector<Slot> bigger(slots_.empty() ? 64 : slots_.size() * 2, Slot{});
  const std::size_t mask = bigger.size() - 1;
  for (const Slot& s : slots_) {
    if (!s.st) continue;
    std::size_t i = s.hash & mask;
    while (bigger[i].st) i = (i + 1) & mask;
    bigger[i] = s;
  }
  slots_.swap(bigger);
  mask_ = mask;
}

void InstanceStore::Index::insert(std::size_t hash, InstanceState* st) {
  // Load factor <= 0.5: runs of adjacent hashes (IdentityKey::hash) make
  // clusters longer than random hashes would at the same load.
  reserve_one();
  std::size_t i = hash & mask_;
  while (slots_[i].st) i = (i + 1) & mask_;
  slots_[i] = Slot{hash, st};
  ++size_;
}

bool InstanceStore::Index::erase(std::size_t hash, const InstanceState* st) noexcept {
  if (slots_.empty()) return false;
  std::size_t i = hash & mask_;
  while (slots_[i].st != st) {
    if (!slots_[i].st) return false;
    i = (i + 1) & mask_;
  }
  // Backward-shift deletion: move later entries of the probe run into the hole.
  std::size_t hole = i;
  for (std::size_t j = (i + 1) & mask_; slots_[j].st; j = (j + 1) & mask_) {
    std::size_t home = slots_[j].hash & mask_;
    bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = Slot{};
  --size_;
  return true;
}

void InstanceStore::Index::clear() noexcept {
  slots_.clear();
  mask_ = 0;
  size_ = 0;
}

void InstanceStore::index_addresses() const {
  if (reindex_) {
    by_address_.clear();
    indexed_ = 0;
    reindex_ = false;
  }
  by_address_.reserve(used_ - indexed_);  // the inserts below cannot throw then
  for (std::size_t i = indexed_; i < used_; ++i) {
    InstanceState& st = chunks_[i / kChunk][i % kChunk];
    if (st.status != Status::Free) by_address_.insert(address_hash(st.obj), &st);
  }
  indexed_ = used_;
}

InstanceState* InstanceStore::find(const void* obj) const {
  if (indexed_ != used_ || reindex_) index_addresses();
  return by_address_.find(address_hash(obj), [obj](const InstanceState* s) { return s->obj == obj; });
}

InstanceState* InstanceStore::find(const IdentityKey& k) const noexcept {
  if (const std::int64_t* i = dense_key(k)) {
    const Dense* d = dense_of(k.info);
    if (!d) return nullptr;  // every integer key of a model passes its Dense first
    if (InstanceState* const* slot = d->at(*i); slot && *slot) return *slot;
    if (d->hashed == 0) return nullptr;
  }
  return by_key_.find(k.hash(), [&k](const InstanceState* s) { return s->key == k; });
}

InstanceState** InstanceStore::Dense::reserve(std::int64_t key) {
  if (InstanceState** slot = at(key)) return slot;
  // Keys near the ends of int64 stay hashed: the range arithmetic below cannot overflow.
  constexpr std::int64_t kLimit = std::int64_t{1} << 60;
  if (hashed != 0 || key <= -kLimit || key >= kLimit) return nullptr;
  const std::int64_t lo = slots.empty() ? key : std::min(base, key);
  const std::int64_t hi = slots.empty() ? key + 1 : std::max(base + static_cast<std::int64_t>(slots.size()), key + 1);
  const auto span = static_cast<std::uint64_t>(hi - lo);
  if (span > 4 * (count + 1) + 64) return nullptr;  // sparse: hashed
  const std::uint64_t cap = std::max<std::uint64_t>({span, 2 * slots.size(), 64});
  // Room on the side the keys move to: above for increasing keys, below for decreasing ones.
  const std::int64_t new_base = key < base && !slots.empty() ? hi - static_cast<std::int64_t>(cap) : lo;
  std::vector<InstanceState*> bigger(cap, nullptr);
  if (!slots.empty())
    std::copy(slots.begin(), slots.end(), bigger.begin() + (base - new_base));
  slots.swap(bigger);
  base = new_base;
  return at(key);
}

InstanceStore::KeyPlace InstanceStore::reserve_key(const IdentityKey& key) {
  if (const std::int64_t* i = dense_key(key)) return reserve_in(dense_for(key.info), *i);
  by_key_.reserve_one();
  return KeyPlace{};
}

void InstanceStore::place_key(InstanceState& st, KeyPlace place) noexcept {
  if (place.slot) {
    place.dense->count += *place.slot == nullptr;
    *place.slot = &st;
    return;
  }
  st.key_hash = st.key.hash();
  by_key_.insert(st.key_hash, &st);
  if (place.dense) ++place.dense->hashed;  // an integer key kept out of the dense range
  else trivial_ = false;                   // a string, UUID, ... or composite key
}

InstanceState& InstanceStore::add_pending(const model::ModelInfo& mi, std::shared_ptr<void> obj,
                                          std::uint64_t seq) {
  InstanceState& st = new_slot();  // the only step that may throw
  st.info = &mi;
  st.obj = obj.get();
  st.own = std::move(obj);
  trivial_ = false;
  st.status = Status::Pending;
  st.seq = seq;
  return st;
}

InstanceState& InstanceStore::new_slot() {
  if (!free_.empty()) {
    InstanceState* slot = free_.back();
    free_.pop_back();
    reindex_ = true;  // below indexed_: the next address lookup rebuilds the index
    return *slot;
  }
  if (used_ == chunks_.size() * kChunk) {
    chunks_.reserve(chunks_.size() + 1);  // so that push_back cannot throw and leak the chunk
    chunks_.push_back(std::allocator<InstanceState>().allocate(kChunk));
  }
  InstanceState* slot = ::new (static_cast<void*>(chunks_[used_ / kChunk] + used_ % kChunk)) InstanceState{};
  ++used_;
  return *slot;
}

InstanceState& InstanceStore::add_loaded_keyed(const model::ModelInfo& mi, void* obj,
                                               const std::shared_ptr<void>* block, std::byte* snapshot,
                                               std::uint64_t seq, IdentityKey&& key, std::shared_ptr<void>&& own) {
  reserved_ = reserve_key(key);  // the steps that may throw come first
  return add_loaded_reserved(mi, obj, block, snapshot, seq, std::move(key), std::move(own));
}

InstanceState* InstanceStore::find_or_reserve(const IdentityKey& k) {
  const std::int64_t* i = dense_key(k);
  if (!i) {  // hashed only: find(), then room in by_key_
    if (InstanceState* st = find(k)) return st;
    reserved_ = reserve_key(k);
    return nullptr;
  }
  // An integer key: its model's Dense table searched once, for both steps.
  Dense& d = dense_for(k.info);
  if (InstanceState** slot = d.at(*i)) {
    if (*slot) return *slot;
    if (d.hashed == 0) {  // in range, free, and no key of the model hashed: new
      reserved_ = KeyPlace{&d, slot};
      return nullptr;
    }
  }
  if (d.hashed != 0)  // as find(): the model's keys outside the range are hashed
    if (InstanceState* st = by_key_.find(k.hash(), [&k](const InstanceState* s) { return s->key == k; })) return st;
  reserved_ = reserve_in(d, *i);
  return nullptr;
}

InstanceState& InstanceStore::add_loaded_reserved(const model::ModelInfo& mi, void* obj,
                                                  const std::shared_ptr<void>* block, std::byte* snapshot,
                                                  std::uint64_t seq, IdentityKey&& key, std::shared_ptr<void>&& own) {
  const KeyPlace place = reserved_;
  InstanceState& st = new_slot();
  st.info = &mi;
  st.obj = obj;
  st.block = block;
  if (own) {
    st.own = std::move(own);
    trivial_ = false;
  }
  st.snapshot = snapshot;
  st.key = std::move(key);
  st.status = Status::Persistent;
  st.seq = seq;
  place_key(st, place);
  return st;
}

void InstanceStore::set_key(InstanceState& st, IdentityKey key) {
  const KeyPlace place = reserve_key(key);
  st.key = std::move(key);
  place_key(st, place);
}

void InstanceStore::remove(InstanceState& st) {
  by_address_.erase(address_hash(st.obj), &st);
  if (st.key.info) {
    InstanceState** slot = nullptr;
    Dense* dense = nullptr;
    if (const std::int64_t* i = dense_key(st.key))
      if ((dense = dense_of(st.key.info))) slot = dense->at(*i);
    if (slot && *slot == &st) {
      *slot = nullptr;
      --dense->count;
    } else {
      if (by_key_.erase(st.key_hash, &st) && dense) --dense->hashed;
    }
  }
  st = InstanceState{};
  free_.push_back(&st);
}

void InstanceStore::clear() {
  by_address_.clear();
  indexed_ = 0;
  reindex_ = false;
  by_key_.clear();
  dense_.clear();
  free_.clear();
  if (!trivial_)
    for (std::size_t i = 0; i < used_; ++i) std::destroy_at(chunks_[i / kChunk] + i % kChunk);
  trivial_ = true;
  for (InstanceState* chunk : chunks_) std::allocator<InstanceState>().deallocate(chunk, kChunk);
  chunks_.clear();
  used_ = 0;
}

}  // namespace strata::orm::detail
