// ObjectPool: chunks of kChunkBytes, each counting its live allocations
// (strata/model/object_pool.hpp).
#include "strata/model/object_pool.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>

namespace strata::model {

namespace {

constexpr std::size_t round_up(std::size_t n, std::size_t a) noexcept { return (n + a - 1) & ~(a - 1); }

bool pooled(std::size_t bytes, std::size_t align) noexcept {
  return bytes <= ObjectPool::kMaxPooledBytes && align <= alignof(std::max_align_t);
}

std::atomic<std::size_t> g_live_chunks{0};

}  // namespace

std::size_t ObjectPool::live_chunks() noexcept { return g_live_chunks.load(std::memory_order_relaxed); }

// Each pooled allocation is preceded by a pointer to its chunk (deallocate()
// reads it). Chunks are plain ::operator new memory, without an alignment of
// their own: glibc serves a 64 KiB request from its heap and reuses it, where
// an over-aligned one (memalign) would exceed the mmap threshold and cost
// fresh pages, each faulted in, every time.
void* ObjectPool::allocate(std::size_t bytes, std::size_t align) {
  if (!pooled(bytes, align)) return ::operator new(bytes, std::align_val_t{align});
  align = std::max(align, alignof(Chunk*));  // the chunk pointer before p is aligned too
  for (;;) {
    if (chunk_) {
      const std::uintptr_t at = round_up(reinterpret_cast<std::uintptr_t>(next_) + sizeof(Chunk*), align);
      if (at + bytes <= reinterpret_cast<std::uintptr_t>(end_)) {
        auto* p = reinterpret_cast<std::byte*>(at);
        ::new (static_cast<void*>(p - sizeof(Chunk*))) Chunk*(chunk_);
        next_ = p + bytes;
        ++made_;
        return p;
      }
      retire();
    }
    void* mem = ::operator new(kChunkBytes);
    chunk_ = ::new (mem) Chunk{kBias};
    g_live_chunks.fetch_add(1, std::memory_order_relaxed);
    next_ = static_cast<std::byte*>(mem) + sizeof(Chunk);
    end_ = static_cast<std::byte*>(mem) + kChunkBytes;
  }
}

void ObjectPool::deallocate(void* p, std::size_t bytes, std::size_t align) noexcept {
  if (!pooled(bytes, align)) {
    ::operator delete(p, std::align_val_t{align});
    return;
  }
  Chunk* c = *reinterpret_cast<Chunk**>(static_cast<std::byte*>(p) - sizeof(Chunk*));
  if (c->live.fetch_sub(1, std::memory_order_acq_rel) == 1) free_chunk(c);
}

void ObjectPool::retire() noexcept {
  if (!chunk_) return;
  // The bias goes, the allocations made come in: live = made - given back.
  const std::size_t drop = kBias - made_;
  Chunk* c = chunk_;
  chunk_ = nullptr;
  next_ = end_ = nullptr;
  made_ = 0;
  if (c->live.fetch_sub(drop, std::memory_order_acq_rel) == drop) free_chunk(c);
}

void ObjectPool::free_chunk(Chunk* c) noexcept {
  g_live_chunks.fetch_sub(1, std::memory_order_relaxed);
  std::destroy_at(c);
  ::operator delete(static_cast<void*>(c));  // unsized: clang enables sized deallocation only on request
}

}  // namespace strata::model
