// Private: per-model SQL plans of a Session, compiled once per dialect and reused
// (the "compiled SQL cached per statement shape" of issue 2). The driver then
// reuses its prepared statement for the same SQL text.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "strata/engine/engine.hpp"  // the Dialect, as the engine exposes it
#include "strata/model/model_info.hpp"

namespace strata::orm::detail {

struct InsertPlan {
  std::string sql;
  std::vector<std::size_t> columns;    // fields bound, in placeholder order
  std::vector<std::size_t> returning;  // fields read back (RETURNING), in order
  /// Set when the only field to read back is an autoincrement key and the
  /// dialect can postfetch it (Capabilities::postfetch_lastrowid): `sql` has no
  /// RETURNING and this field is filled from the driver's last_insert_rowid().
  std::optional<std::size_t> lastrowid_field;
};

struct UpdatePlan {
  std::string sql;
  std::vector<std::size_t> columns;    // fields bound in SET, then the primary key follows
  std::vector<std::size_t> returning;  // fields set by SQL (onupdate now()) read back
};

/// SQL for one model on one dialect.
struct Plan {
  std::string select_by_pk;         // SELECT <all columns> FROM t WHERE pk = ? [AND ...]
  std::string delete_by_pk;
  /// Fields an INSERT decides on per object (SessionCore::prepare_insert):
  /// those with a default_factory, an autoincrement key or a server default.
  std::vector<std::size_t> insert_defaults;
  /// mask: one char per field, '1' = omitted from the INSERT and read back.
  const InsertPlan& insert_for(const std::string& mask, const model::ModelInfo& mi,
                               const dialect::Dialect& d) const;
  /// mask: '1' = SET col = ?, 'S' = SET col = <onupdate SQL> RETURNING col, '0' = untouched.
  const UpdatePlan& update_for(const std::string& mask, const model::ModelInfo& mi,
                               const dialect::Dialect& d) const;

  mutable std::unordered_map<std::string, InsertPlan> inserts;
  mutable std::unordered_map<std::string, UpdatePlan> updates;
  /// The INSERT plan insert_for() returned last (an element of `inserts`,
  /// whose addresses are stable): a flush of many rows of one shape asks for
  /// the same mask each time, answered without hashing it. A Plan belongs to
  /// one session's PlanCache, so one thread at a time.
  mutable const std::string* last_insert_mask = nullptr;
  mutable const InsertPlan* last_insert = nullptr;
};

class PlanCache {
 public:
  /// mi's plan, compiled for `d` on first use. The last one asked for is
  /// answered without a lookup (a loop of get<T>() asks for one model).
  const Plan& get(const model::ModelInfo& mi, const dialect::Dialect& d) {
    if (&mi == last_info_) return *last_plan_;
    const Plan& p = find_or_compile(mi, d);
    last_info_ = &mi;
    last_plan_ = &p;
    return p;
  }

 private:
  const Plan& find_or_compile(const model::ModelInfo& mi, const dialect::Dialect& d);
  std::unordered_map<const model::ModelInfo*, Plan> plans_;  // nodes: stable addresses
  const model::ModelInfo* last_info_ = nullptr;
  const Plan* last_plan_ = nullptr;
};

}  // namespace strata::orm::detail
