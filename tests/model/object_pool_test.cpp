// ObjectPool (strata/model/object_pool.hpp): objects with their own control
// blocks in shared chunks, each chunk freed with the last of its objects.
#include "strata/model/object_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using strata::model::ObjectPool;
using strata::model::PoolAllocator;

struct Counted {
  static inline std::atomic<int> alive{0};  // destroyed on two threads below
  int id = 0;
  std::string text;
  std::shared_ptr<Counted> next;  // objects holding objects of the same chunk
  Counted() { ++alive; }
  ~Counted() { --alive; }
};

std::shared_ptr<Counted> make(ObjectPool& pool, int id) {
  auto p = std::allocate_shared<Counted>(PoolAllocator<Counted>(pool));
  p->id = id;
  p->text = "object number " + std::to_string(id) + " with a heap string";
  return p;
}

TEST(ObjectPool, ChunksAreFreedWithTheirLastObjectInAnyOrder) {
  const std::size_t before = ObjectPool::live_chunks();
  std::vector<std::shared_ptr<Counted>> objs;
  {
    ObjectPool pool;
    for (int i = 0; i < 5000; ++i) objs.push_back(make(pool, i));  // several chunks
    EXPECT_GT(ObjectPool::live_chunks(), before + 2);
  }  // the pool is gone; its objects are not
  EXPECT_EQ(Counted::alive, 5000);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(objs[i]->id, i);
  std::mt19937 rng(7);
  std::shuffle(objs.begin(), objs.end(), rng);
  objs.resize(1);  // one object keeps its chunk
  EXPECT_EQ(Counted::alive, 1);
  EXPECT_EQ(ObjectPool::live_chunks(), before + 1);
  objs.clear();
  EXPECT_EQ(Counted::alive, 0);
  EXPECT_EQ(ObjectPool::live_chunks(), before);
}

TEST(ObjectPool, RetireFreesAnEmptyChunkAndTheNextAllocationStartsANewOne) {
  const std::size_t before = ObjectPool::live_chunks();
  ObjectPool pool;
  make(pool, 1);  // released at once: the chunk stays, held by the pool
  EXPECT_EQ(ObjectPool::live_chunks(), before + 1);
  pool.retire();
  EXPECT_EQ(ObjectPool::live_chunks(), before);
  auto kept = make(pool, 2);
  EXPECT_EQ(ObjectPool::live_chunks(), before + 1);
  pool.retire();  // kept's chunk lives on
  EXPECT_EQ(ObjectPool::live_chunks(), before + 1);
  EXPECT_EQ(kept->id, 2);
  kept.reset();
  EXPECT_EQ(ObjectPool::live_chunks(), before);
}

TEST(ObjectPool, ObjectsHoldingEachOtherAreFreedWhenTheChainIs) {
  const std::size_t before = ObjectPool::live_chunks();
  std::shared_ptr<Counted> head;
  {
    ObjectPool pool;
    for (int i = 0; i < 3000; ++i) {
      auto n = make(pool, i);
      n->next = std::move(head);
      head = std::move(n);
    }
  }
  EXPECT_EQ(Counted::alive, 3000);
  // Unlink iteratively (a recursive destruction of 3000 links is deep).
  while (head) head = std::move(head->next);
  EXPECT_EQ(Counted::alive, 0);
  EXPECT_EQ(ObjectPool::live_chunks(), before);
}

TEST(ObjectPool, ObjectsReleasedOnOtherThreadsFreeTheirChunks) {
  const std::size_t before = ObjectPool::live_chunks();
  std::vector<std::shared_ptr<Counted>> a, b;
  {
    ObjectPool pool;
    for (int i = 0; i < 4000; ++i) (i % 2 ? a : b).push_back(make(pool, i));
  }
  std::thread t1([&] { a.clear(); });
  std::thread t2([&] { b.clear(); });
  t1.join();
  t2.join();
  EXPECT_EQ(Counted::alive, 0);
  EXPECT_EQ(ObjectPool::live_chunks(), before);
}

TEST(ObjectPool, LargeAndOverAlignedObjectsBypassTheChunks) {
  struct Big {
    std::array<char, ObjectPool::kMaxPooledBytes> bytes{};
  };
  struct alignas(64) Aligned {
    int v = 5;
  };
  const std::size_t before = ObjectPool::live_chunks();
  ObjectPool pool;
  auto big = std::allocate_shared<Big>(PoolAllocator<Big>(pool));
  auto al = std::allocate_shared<Aligned>(PoolAllocator<Aligned>(pool));
  EXPECT_EQ(ObjectPool::live_chunks(), before);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(al.get()) % 64, 0u);
  EXPECT_EQ(al->v, 5);
  big->bytes.back() = 'x';
  EXPECT_EQ(big->bytes.back(), 'x');
}

TEST(ObjectPool, OddSizesAndByteAlignmentAreGivenBackToTheirChunk) {
  const std::size_t before = ObjectPool::live_chunks();
  std::vector<std::pair<void*, std::size_t>> got;
  {
    ObjectPool pool;
    for (std::size_t i = 1; i < 3000; ++i) {  // 1..2999 bytes each: many chunks
      const std::size_t n = i % 97 + 1;
      void* p = pool.allocate(n, 1);
      std::memset(p, static_cast<int>(i & 0xff), n);
      got.emplace_back(p, n);
    }
  }
  EXPECT_GT(ObjectPool::live_chunks(), before);
  for (auto [p, n] : got) ObjectPool::deallocate(p, n, 1);
  EXPECT_EQ(ObjectPool::live_chunks(), before);
}

}  // namespace
