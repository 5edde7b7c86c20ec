// strata/model/object_pool.hpp - ObjectPool: the memory of a Session's loaded
// objects of models with relationships.
//
// Each such object is its own std::shared_ptr (std::allocate_shared with a
// PoolAllocator): its control block and the object share one allocation,
// bumped from the pool's current chunk instead of taken from malloc one at a
// time. Objects keep separate reference counts, so an object that holds
// another (User::items holds its Item objects; a tree's Node::children) keeps
// only that object alive, never a whole block of them, and no cycle can form
// through the memory. That is why these models cannot use the load blocks of
// models without relationships (one control block for many objects).
//
// A chunk counts the objects still alive in it and is freed when the last of
// them is, from whichever thread releases it, even after the pool is gone.
// The pool itself holds its current chunk until it moves on to the next one
// or is retired (retire(), the destructor). So a chunk's memory
// (kChunkBytes) stays until every object placed in it is destroyed and no
// std::weak_ptr to one is left (a control block's memory is freed with its
// last weak reference, as with std::make_shared): an application that keeps
// one loaded object, or a std::weak_ptr to one, keeps its chunk.
//
// Objects larger than kMaxPooledBytes (with their control block) are
// allocated alone with ::operator new.
//
// allocate() is not thread-safe (one pool per Session); deallocate() is.
// Allocation errors: std::bad_alloc.
#pragma once

#include <atomic>
#include <cstddef>
#include <new>

namespace strata::model {

class ObjectPool {
 public:
  /// Bytes of one chunk. Each allocation in it takes a pointer's size more
  /// (its chunk's address, for deallocate()).
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  /// Requests over this many bytes bypass the chunks.
  static constexpr std::size_t kMaxPooledBytes = 4 * 1024;

  ObjectPool() = default;
  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;
  ~ObjectPool() { retire(); }

  /// `bytes` bytes aligned to `align` (at most alignof(std::max_align_t) when
  /// pooled). Throws: std::bad_alloc.
  void* allocate(std::size_t bytes, std::size_t align);
  /// Gives back `bytes` bytes at p, from allocate(bytes, align) of any pool
  /// (the pool may be gone). Frees p's chunk when it was the last live
  /// allocation of a retired chunk. Thread-safe.
  static void deallocate(void* p, std::size_t bytes, std::size_t align) noexcept;
  /// Lets go of the current chunk: it is freed once its objects are (now, if
  /// none is alive). The next allocate() starts a new chunk.
  void retire() noexcept;
  /// Chunks allocated and not yet freed, by every pool of the process (for
  /// tests and diagnostics).
  static std::size_t live_chunks() noexcept;

 private:
  struct Chunk {
    // kBias minus the allocations given back, plus (once retired) the
    // allocations made: it reaches 0 when the chunk is retired and empty.
    std::atomic<std::size_t> live;
  };
  // More than any chunk can hold (every allocation takes at least one byte).
  static constexpr std::size_t kBias = kChunkBytes;
  static void free_chunk(Chunk* c) noexcept;

  Chunk* chunk_ = nullptr;
  std::byte* next_ = nullptr;
  std::byte* end_ = nullptr;
  std::size_t made_ = 0;  // allocations from chunk_
};

/// A std::allocator-like handle on an ObjectPool, for std::allocate_shared.
/// A copy stored in a control block only deallocates, which needs no pool:
/// the object may outlive the Session and its pool.
template <class T>
struct PoolAllocator {
  using value_type = T;
  ObjectPool* pool = nullptr;

  explicit PoolAllocator(ObjectPool& p) noexcept : pool(&p) {}
  template <class U>
  PoolAllocator(const PoolAllocator<U>& o) noexcept : pool(o.pool) {}  // NOLINT: rebinding, as std::allocator

  T* allocate(std::size_t n) { return static_cast<T*>(pool->allocate(n * sizeof(T), alignof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { ObjectPool::deallocate(p, n * sizeof(T), alignof(T)); }
  /// Any PoolAllocator frees what any other allocated (deallocate needs no pool).
  template <class U>
  friend bool operator==(const PoolAllocator&, const PoolAllocator<U>&) noexcept {
    return true;
  }
};

}  // namespace strata::model
