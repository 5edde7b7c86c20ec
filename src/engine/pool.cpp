// Connection pool: SQLAlchemy's QueuePool and StaticPool disciplines.
//
// Connections are opened and closed outside the mutex (opening a file or a
// server connection can take a while, and closing a SQLite WAL connection may
// checkpoint); the counters reserve the place first so that the limits hold.
#include "strata/engine/pool.hpp"

#include <fmt/format.h>

#include <limits>
#include <utility>

#include "engine/lease.hpp"
#include "strata/core/error.hpp"

namespace strata::engine {

namespace detail {

void Lease::reset() noexcept {
  if (!owns_transaction()) return;
  slot->in_transaction = false;
  slot->tx_owner = nullptr;
  try {
    slot->driver->execute_update("ROLLBACK", {});
  } catch (...) {
    slot->broken = true;  // state unknown: do not hand it to anyone else
  }
}

Lease::~Lease() {
  reset();
  pool->checkin(std::move(slot));
}

}  // namespace detail

namespace {
std::size_t saturating_add(std::size_t a, std::size_t b) noexcept {
  return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
}
}  // namespace

Pool::Pool(Creator creator, PoolOptions options, Kind kind)
    : creator_(std::move(creator)), options_(options), kind_(kind) {}

Pool::~Pool() = default;

std::shared_ptr<Pool> Pool::create(Creator creator, PoolOptions options, Kind kind) {
  if (!creator) throw ArgumentError("Pool::create: the creator is empty");
  return std::shared_ptr<Pool>(new Pool(std::move(creator), options, kind));
}

std::shared_ptr<detail::Lease> Pool::make_lease(std::shared_ptr<detail::Slot> slot) {
  try {
    return std::make_shared<detail::Lease>(shared_from_this(), std::move(slot));
  } catch (...) {
    // Only bad_alloc can get here; give the place back.
    std::lock_guard lk(mutex_);
    --checked_out_;
    if (kind_ == Kind::queue) --open_;
    available_.notify_one();
    throw;
  }
}

std::shared_ptr<detail::Lease> Pool::checkout() {
  if (kind_ == Kind::single) {
    std::unique_lock lk(mutex_);
    // The shared connection is created, pinged and replaced under the lock:
    // there is only one, and replacing it while another handle uses it would
    // pull it from under that handle.
    if (single_ && checked_out_ == 0 && (single_->broken || (options_.pre_ping && !single_->driver->ping())))
      single_.reset();
    if (!single_) {
      auto slot = std::make_shared<detail::Slot>();
      slot->driver = creator_();
      single_ = std::move(slot);
    }
    ++checked_out_;
    auto slot = single_;
    lk.unlock();
    return make_lease(std::move(slot));
  }

  const std::size_t limit = saturating_add(options_.pool_size, options_.max_overflow);
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  std::unique_lock lk(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      auto slot = std::move(idle_.back());
      idle_.pop_back();
      ++checked_out_;
      if (options_.pre_ping) {
        lk.unlock();
        if (!slot->driver->ping()) {
          slot.reset();  // closes the dead connection, outside the lock
          lk.lock();
          --checked_out_;
          --open_;
          continue;  // another idle one, or open a fresh one in its place
        }
        return make_lease(std::move(slot));
      }
      lk.unlock();
      return make_lease(std::move(slot));
    }
    if (open_ < limit) {
      ++open_;
      ++checked_out_;
      lk.unlock();
      std::shared_ptr<detail::Slot> slot;
      try {
        slot = std::make_shared<detail::Slot>();
        slot->driver = creator_();
      } catch (...) {
        lk.lock();
        --open_;
        --checked_out_;
        available_.notify_one();
        throw;
      }
      return make_lease(std::move(slot));
    }
    if (available_.wait_until(lk, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= limit) {
      throw TimeoutError(fmt::format(
          "connection pool limit of size {} overflow {} reached: no connection became free within {} ms "
          "(close Connections and Results sooner, or raise PoolOptions::pool_size / max_overflow / timeout)",
          options_.pool_size, options_.max_overflow, options_.timeout.count()));
    }
  }
}

void Pool::checkin(std::shared_ptr<detail::Slot> slot) noexcept {
  std::shared_ptr<detail::Slot> to_close;
  if (slot->driver && slot->driver->closed()) slot->broken = true;  // the server went away
  {
    std::lock_guard lk(mutex_);
    --checked_out_;
    if (kind_ == Kind::single) {
      if (slot->broken && single_ == slot && checked_out_ == 0) to_close = std::move(single_);
      return;  // `to_close` (the last owner with `slot`) closes after the unlock
    }
    if (slot->broken || idle_.size() >= options_.pool_size) {
      --open_;
      to_close = std::move(slot);
    } else {
      idle_.push_back(std::move(slot));
    }
    available_.notify_one();
  }
  // to_close and slot die here, outside the lock.
}

PoolStatus Pool::status() const {
  std::lock_guard lk(mutex_);
  if (kind_ == Kind::single) return PoolStatus{1, checked_out_, single_ && checked_out_ == 0 ? 1u : 0u, 0};
  return PoolStatus{options_.pool_size, checked_out_, idle_.size(),
                    open_ > options_.pool_size ? open_ - options_.pool_size : 0};
}

void Pool::dispose() {
  std::vector<std::shared_ptr<detail::Slot>> to_close;
  std::shared_ptr<detail::Slot> single;
  {
    std::lock_guard lk(mutex_);
    open_ -= idle_.size();
    to_close.swap(idle_);
    if (kind_ == Kind::single && checked_out_ == 0) single = std::move(single_);
  }
}

}  // namespace strata::engine
