// The drivername -> Dialect registry that engines look URLs up in.
#include <map>
#include <mutex>
#include <string>

#include "strata/dialect/dialect.hpp"

namespace strata::dialect {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, const Dialect*, std::less<>> dialects;
};

Registry& registry() {
  static Registry r;  // constructed on first use: safe from other static initializers
  return r;
}

}  // namespace

void register_dialect(std::string_view drivername, const Dialect& d) {
  Registry& r = registry();
  std::lock_guard lk(r.mutex);
  r.dialects.insert_or_assign(std::string(drivername), &d);
}

const Dialect* find_dialect(std::string_view drivername) noexcept {
  if (drivername == "sqlite") return &sqlite_dialect();
  Registry& r = registry();
  std::lock_guard lk(r.mutex);
  const auto it = r.dialects.find(drivername);
  return it == r.dialects.end() ? nullptr : it->second;
}

}  // namespace strata::dialect
