// strata/model/snapshot_arena.hpp - SnapshotArena: the memory of a Session's
// dirty-tracking images.
//
// A persistent object's image (its columns as last loaded / flushed) is a
// fixed-size byte area of ModelInfo::snap_size bytes, one slot per field at
// FieldInfo::snap_offset, written by FieldInfo::snap_put. By member type:
//  * trivially copyable members (integers, bool, double, enums, Uuid, dates and
//    times, std::optional of those): the member's bytes, in place;
//  * std::string and std::optional<std::string>: a pointer to the characters
//    (nullptr: std::nullopt) and their count; the characters are arena bytes;
//  * any other type (Bytes, Numeric, JSON, lists, user TypeMap types): a
//    pointer to a heap copy of the member, deleted by the arena.
//
// Images are rewritten in place after each flush (snap_put with overwrite):
// a string that does not grow reuses its bytes, a heap copy is assigned to,
// and only a string that grows takes new arena bytes (its old bytes stay
// unused until clear()). Nothing is freed one image at a time: the session
// clears its arena when it forgets every object (close, rollback,
// expunge_all), and an expunged object's image stays until then.
//
// Not thread-safe (one per Session). Allocation errors: std::bad_alloc.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace strata::model {

class SnapshotArena {
 public:
  /// Bytes of one chunk; a request over a quarter of it gets a chunk of its own.
  static constexpr std::size_t kChunk = 64 * 1024;
  /// Every allocation is aligned to this (and its size rounded up to it).
  static constexpr std::size_t kAlign = 8;

  SnapshotArena() = default;
  SnapshotArena(const SnapshotArena&) = delete;
  SnapshotArena& operator=(const SnapshotArena&) = delete;
  ~SnapshotArena() { clear(); }

  /// `n` uninitialized bytes, 8-byte aligned, valid until clear(). `n` may be
  /// 0 (a valid, non-null pointer). Throws: std::bad_alloc.
  std::byte* allocate(std::size_t n) {
    n = n == 0 ? kAlign : (n + kAlign - 1) & ~(kAlign - 1);
    if (n > static_cast<std::size_t>(end_ - cur_)) return allocate_slow(n);
    std::byte* p = cur_;
    cur_ += n;
    return p;
  }

  /// A heap copy of `v`, deleted at clear(). Throws: std::bad_alloc, or what
  /// M's copy constructor throws (nothing is kept then).
  template <class M>
  M* make_copy(const M& v) {
    auto p = std::make_unique<M>(v);
    cleanups_.push_back(Cleanup{p.get(), [](void* q) { delete static_cast<M*>(q); }});
    return p.release();
  }

  /// Frees every allocation and deletes every heap copy; the arena stays usable.
  void clear() noexcept {
    for (auto it = cleanups_.rbegin(); it != cleanups_.rend(); ++it) it->destroy(it->ptr);
    cleanups_.clear();
    chunks_.clear();
    cur_ = end_ = nullptr;
  }

 private:
  struct Cleanup {
    void* ptr;
    void (*destroy)(void*);
  };

  std::byte* allocate_slow(std::size_t n) {
    if (n > kChunk / 4) {
      // A large request: its own chunk, the current one stays in use.
      chunks_.push_back(std::make_unique_for_overwrite<std::byte[]>(n));
      return chunks_.back().get();
    }
    auto c = std::make_unique_for_overwrite<std::byte[]>(kChunk);
    std::byte* p = c.get();
    chunks_.push_back(std::move(c));
    cur_ = p + n;
    end_ = p + kChunk;
    return p;
  }

  std::vector<std::unique_ptr<std::byte[]>> chunks_;
  std::vector<Cleanup> cleanups_;
  std::byte* cur_ = nullptr;
  std::byte* end_ = nullptr;
};

}  // namespace strata::model
