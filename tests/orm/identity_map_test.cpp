// The identity map's two indexes (src/orm/identity_map.hpp): integer keys of
// a model in a dense array while they stay dense, every other key (and the
// integers that would make the array sparse) in the hash index. Each test
// checks that a key is found exactly where it was stored, never twice, and
// that removing states leaves the others findable.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "orm/identity_map.hpp"

namespace {

using strata::Value;
using strata::model::ModelInfo;
using strata::orm::detail::IdentityKey;
using strata::orm::detail::InstanceState;
using strata::orm::detail::InstanceStore;

struct Store {
  InstanceStore store;
  std::vector<std::shared_ptr<int>> objects;  // distinct addresses
  std::shared_ptr<void> block = std::make_shared<int>(0);

  InstanceState& load(const ModelInfo& mi, Value key) {
    auto obj = std::make_shared<int>(0);
    objects.push_back(obj);
    return store.add_loaded_keyed(mi, obj.get(), &block, nullptr, objects.size(),
                                  IdentityKey{&mi, std::move(key), {}});
  }
  InstanceState* find(const ModelInfo& mi, Value key) const { return store.find(IdentityKey{&mi, std::move(key), {}}); }
};

// The load path's probe: find_or_reserve() finds what find() finds, and when
// it finds nothing, add_loaded_reserved() stores the key where find() then
// finds it: in range, beyond the range, sparse (hashed), after a model's first
// hashed key, and for non-integer keys.
TEST(IdentityMap, FindOrReserveFindsAsFindAndReservesWhereTheKeyIsStored) {
  ModelInfo item;
  ModelInfo named;
  Store s;
  auto load_reserved = [&s](const ModelInfo& mi, Value key) -> InstanceState* {
    IdentityKey k{&mi, std::move(key), {}};
    if (InstanceState* known = s.store.find_or_reserve(k)) return known;
    auto obj = std::make_shared<int>(0);
    s.objects.push_back(obj);
    return &s.store.add_loaded_reserved(mi, obj.get(), &s.block, nullptr, s.objects.size(), std::move(k));
  };
  std::vector<std::pair<Value, InstanceState*>> stored;
  const std::vector<std::int64_t> ints = {1, 2, 3, 70, 69, 1000000, 4, 1000001, -5, 71, 1000000, 2};
  for (std::int64_t k : ints) {
    InstanceState* st = load_reserved(item, Value(k));
    ASSERT_EQ(st, s.find(item, Value(k))) << k;
    stored.emplace_back(Value(k), st);
  }
  for (const char* name : {"a", "b", "a"}) {
    InstanceState* st = load_reserved(named, Value(std::string(name)));
    ASSERT_EQ(st, s.find(named, Value(std::string(name)))) << name;
    stored.emplace_back(Value(std::string(name)), st);
  }
  // Repeated keys were found, not stored twice: 10 distinct integers, 2 names.
  EXPECT_EQ(s.store.identity_size(), 12u);
  EXPECT_EQ(s.objects.size(), 12u);
  for (const auto& [k, st] : stored) {
    const ModelInfo& mi = k.holds<std::string>() ? named : item;
    EXPECT_EQ(s.find(mi, k), st);
    EXPECT_EQ(s.store.find_or_reserve(IdentityKey{&mi, k, {}}), st);
  }
  EXPECT_EQ(s.find(item, Value(std::int64_t{5})), nullptr);
}

TEST(IdentityMap, SequentialKeysAreFoundAndMissesAreMisses) {
  ModelInfo item;
  Store s;
  std::vector<InstanceState*> states;
  for (std::int64_t k = 1; k <= 5000; ++k) states.push_back(&s.load(item, Value(k)));
  EXPECT_EQ(s.store.identity_size(), 5000u);
  for (std::int64_t k = 1; k <= 5000; ++k) ASSERT_EQ(s.find(item, Value(k)), states[static_cast<std::size_t>(k - 1)]) << k;
  EXPECT_EQ(s.find(item, Value(std::int64_t{0})), nullptr);
  EXPECT_EQ(s.find(item, Value(std::int64_t{5001})), nullptr);
  EXPECT_EQ(s.find(item, Value(std::int64_t{-3})), nullptr);
  // Same integers, another model: a separate table.
  ModelInfo other;
  EXPECT_EQ(s.find(other, Value(std::int64_t{7})), nullptr);
  InstanceState& o7 = s.load(other, Value(std::int64_t{7}));
  EXPECT_EQ(s.find(other, Value(std::int64_t{7})), &o7);
  EXPECT_EQ(s.find(item, Value(std::int64_t{7})), states[6]);
}

TEST(IdentityMap, DecreasingAndNegativeKeysStayFindable) {
  ModelInfo item;
  Store s;
  std::vector<std::pair<std::int64_t, InstanceState*>> stored;
  for (std::int64_t k = 1000; k >= -1000; k -= 3) stored.emplace_back(k, &s.load(item, Value(k)));
  for (auto [k, st] : stored) ASSERT_EQ(s.find(item, Value(k)), st) << k;
  EXPECT_EQ(s.find(item, Value(std::int64_t{999})), nullptr);
  EXPECT_EQ(s.store.identity_size(), stored.size());
}

TEST(IdentityMap, SparseAndExtremeKeysGoToTheHashIndexAndDenseOnesStayInPlace) {
  ModelInfo item;
  Store s;
  InstanceState& a = s.load(item, Value(std::int64_t{1}));
  InstanceState& b = s.load(item, Value(std::int64_t{2}));
  // Far away: hashed, and from now on the dense range no longer grows.
  InstanceState& far = s.load(item, Value(std::int64_t{1} << 40));
  InstanceState& max = s.load(item, Value(std::numeric_limits<std::int64_t>::max()));
  InstanceState& min = s.load(item, Value(std::numeric_limits<std::int64_t>::min()));
  // Inside the range already allocated (64 slots): still dense.
  InstanceState& c = s.load(item, Value(std::int64_t{40}));
  // Just past it: hashed, since the range stopped growing.
  InstanceState& d = s.load(item, Value(std::int64_t{500}));
  EXPECT_EQ(s.find(item, Value(std::int64_t{1})), &a);
  EXPECT_EQ(s.find(item, Value(std::int64_t{2})), &b);
  EXPECT_EQ(s.find(item, Value(std::int64_t{1} << 40)), &far);
  EXPECT_EQ(s.find(item, Value(std::numeric_limits<std::int64_t>::max())), &max);
  EXPECT_EQ(s.find(item, Value(std::numeric_limits<std::int64_t>::min())), &min);
  EXPECT_EQ(s.find(item, Value(std::int64_t{40})), &c);
  EXPECT_EQ(s.find(item, Value(std::int64_t{500})), &d);
  EXPECT_EQ(s.find(item, Value(std::int64_t{3})), nullptr);
  EXPECT_EQ(s.find(item, Value(std::int64_t{501})), nullptr);
  EXPECT_EQ(s.store.identity_size(), 7u);

  // Removing from either index forgets exactly that state.
  s.store.remove(far);
  s.store.remove(a);
  EXPECT_EQ(s.find(item, Value(std::int64_t{1} << 40)), nullptr);
  EXPECT_EQ(s.find(item, Value(std::int64_t{1})), nullptr);
  EXPECT_EQ(s.find(item, Value(std::int64_t{2})), &b);
  EXPECT_EQ(s.find(item, Value(std::int64_t{500})), &d);
  EXPECT_EQ(s.store.identity_size(), 5u);
  // A key removed and stored again is found again (its slot was reused).
  InstanceState& a2 = s.load(item, Value(std::int64_t{1}));
  EXPECT_EQ(s.find(item, Value(std::int64_t{1})), &a2);
}

TEST(IdentityMap, OtherKeyTypesAndCompositeKeysAreHashed) {
  ModelInfo user, link;
  Store s;
  InstanceState& ann = s.load(user, Value(std::string("ann")));
  InstanceState& bob = s.load(user, Value(std::string("bob")));
  auto obj = std::make_shared<int>(0);
  InstanceState& l12 = s.store.add_loaded_keyed(link, obj.get(), &s.block, nullptr, 99,
                                                IdentityKey{&link, Value(std::int64_t{1}), {Value(std::int64_t{2})}});
  EXPECT_EQ(s.find(user, Value(std::string("ann"))), &ann);
  EXPECT_EQ(s.find(user, Value(std::string("bob"))), &bob);
  EXPECT_EQ(s.find(user, Value(std::string("cid"))), nullptr);
  EXPECT_EQ(s.store.find(IdentityKey{&link, Value(std::int64_t{1}), {Value(std::int64_t{2})}}), &l12);
  EXPECT_EQ(s.store.find(IdentityKey{&link, Value(std::int64_t{1}), {Value(std::int64_t{3})}}), nullptr);
  // The single-integer key 1 of `link` is not the composite (1, 2).
  EXPECT_EQ(s.find(link, Value(std::int64_t{1})), nullptr);
  s.store.remove(ann);
  EXPECT_EQ(s.find(user, Value(std::string("ann"))), nullptr);
  EXPECT_EQ(s.find(user, Value(std::string("bob"))), &bob);
}

TEST(IdentityMap, SetKeyIndexesAPendingStateAndClearForgetsAll) {
  ModelInfo item;
  Store s;
  auto obj = std::make_shared<int>(0);
  InstanceState& st = s.store.add_pending(item, obj, 1);
  EXPECT_EQ(s.store.find(obj.get()), &st);
  EXPECT_EQ(s.find(item, Value(std::int64_t{10})), nullptr);
  s.store.set_key(st, IdentityKey{&item, Value(std::int64_t{10}), {}});
  EXPECT_EQ(s.find(item, Value(std::int64_t{10})), &st);
  for (std::int64_t k = 11; k < 300; ++k) s.load(item, Value(k));
  EXPECT_EQ(s.find(item, Value(std::int64_t{10})), &st);
  EXPECT_EQ(s.store.identity_size(), 290u);
  s.store.clear();
  EXPECT_EQ(s.store.identity_size(), 0u);
  EXPECT_EQ(s.find(item, Value(std::int64_t{10})), nullptr);
  EXPECT_EQ(s.find(item, Value(std::int64_t{200})), nullptr);
}

}  // namespace

// The address index is completed lazily, at the first lookup by address: a
// pending or loaded state stored after the last lookup is indexed then, and a
// slot reused after a removal makes the next lookup rebuild the index. Every
// live object is found by its address at every step, and no removed one is.
TEST(IdentityMap, AddressesAreIndexedLazilyAndReusedSlotsAreReindexed) {
  ModelInfo item;
  Store s;
  std::vector<std::shared_ptr<int>> pending;
  std::vector<InstanceState*> pending_states;
  auto add = [&] {
    auto obj = std::make_shared<int>(1);
    pending.push_back(obj);
    pending_states.push_back(&s.store.add_pending(item, obj, pending.size()));
  };
  auto expect_all_found = [&](const char* step) {
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (!pending[i]) continue;
      ASSERT_EQ(s.store.find(pending[i].get()), pending_states[i]) << step << ", pending " << i;
    }
    for (std::size_t i = 0; i < s.objects.size(); ++i)
      ASSERT_NE(s.store.find(s.objects[i].get()), nullptr) << step << ", loaded " << i;
  };
  for (int i = 0; i < 100; ++i) add();
  for (std::int64_t k = 1; k <= 100; ++k) s.load(item, Value(k));
  expect_all_found("first lookup");        // indexes all 200 at once
  for (int i = 0; i < 10; ++i) add();       // after the index: indexed at the next lookup
  int unrelated = 0;
  EXPECT_EQ(s.store.find(&unrelated), nullptr);
  expect_all_found("incremental");
  // Removed: no longer found, whether it had been indexed or not. (The
  // removed objects stay alive here, so that no new one takes their address.)
  std::vector<std::shared_ptr<int>> removed;
  add();
  const void* unindexed = pending.back().get();
  s.store.remove(*pending_states.back());
  removed.push_back(std::move(pending.back()));
  pending.back().reset();
  const void* indexed = pending[3].get();
  s.store.remove(*pending_states[3]);
  removed.push_back(std::move(pending[3]));
  pending[3].reset();
  EXPECT_EQ(s.store.find(unindexed), nullptr);
  EXPECT_EQ(s.store.find(indexed), nullptr);
  // Their slots are reused by the next states: the index is rebuilt.
  for (int i = 0; i < 3; ++i) add();
  s.load(item, Value(std::int64_t{101}));
  expect_all_found("after reuse");
  EXPECT_EQ(s.store.find(indexed), nullptr);
  EXPECT_EQ(s.store.find(unindexed), nullptr);
  s.store.clear();
  EXPECT_EQ(s.store.find(pending[0].get()), nullptr);
}
