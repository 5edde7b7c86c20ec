// Session: the type-erased unit of work behind strata/orm/session.hpp.
//
// Everything here works on model::ModelInfo + void* objects, so the templates in
// the header stay one-liners and this file is compiled once.
#include "strata/orm/session.hpp"

#include <algorithm>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "orm/identity_map.hpp"
#include "orm/plan.hpp"
#include "orm/session_core.hpp"
#include "strata/engine/engine.hpp"  // the Dialect, as the engine exposes it
#include "strata/model/validate.hpp"

namespace strata::orm {
namespace detail {

const InsertPlan& SessionCore::prepare_insert(const model::ModelInfo& mi, const Plan& p, InstanceState& st) {
  void* obj = st.obj;
  // Client-side defaults first: default_factory replaces a member still at its default.
  mask.assign(mi.fields.size(), '0');
  for (const std::size_t i : p.insert_defaults) {  // the other fields are always bound
    const model::FieldInfo& f = mi.fields[i];
    bool at_default = f.is_unset(obj);
    if (f.default_factory && at_default) {
      f.set(obj, f.default_factory());
      at_default = false;
    }
    if (at_default && (f.autoincrement || f.has_server_default)) mask[f.index] = '1';
  }
  return p.insert_for(mask, mi, engine.dialect());
}

void SessionCore::put_params(std::size_t at, const model::ModelInfo& mi, const void* obj,
                             const std::vector<std::size_t>& fields) {
  for (std::size_t k = 0; k < fields.size(); ++k) {
    const model::FieldInfo& f = mi.fields[fields[k]];
    Value& v = params[at + k];
    // A string member into a Value that already holds a string (the previous
    // row's): assigned, so a loop of INSERTs reuses the strings' memory.
    if (f.text)
      if (const std::string* text = f.text(obj))
        if (auto* held = std::get_if<std::string>(&v.storage())) {
          held->assign(*text);
          continue;
        }
    v = f.get(obj);
  }
}

void SessionCore::insert_batch(const InsertPlan& ip, std::span<InstanceState* const> batch, engine::Connection& c) {
  const std::size_t per_row = ip.columns.size();
  params.resize(batch.size() * per_row);
  for (std::size_t r = 0; r < batch.size(); ++r) put_params(r * per_row, *batch[r]->info, batch[r]->obj, ip.columns);
  if (ip.returning.empty()) {
    c.execute_many(ip.sql, params, per_row);
    return;
  }
  std::vector<char> seen(batch.size(), 0);
  c.execute_many_returning(ip.sql, params, per_row, [&](std::size_t row, const CellSource& cells) {
    if (seen[row]++) return;  // RETURNING of one INSERT gives one row
    const model::ModelInfo& mi = *batch[row]->info;
    for (std::size_t j = 0; j < ip.returning.size(); ++j)
      mi.fields[ip.returning[j]].read(batch[row]->obj, cells, static_cast<int>(j));
  });
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (!seen[i])
      throw InvalidRequestError("INSERT into '" + batch[i]->info->table.name + "' returned no row for RETURNING");
}

void SessionCore::insert_pending(std::span<InstanceState* const> pending, engine::Connection& c) {
  if (!engine.dialect().capabilities().batched_statements) {
    for (InstanceState* st : pending) insert(*st->info, plan(*st->info), *st, c);
    return;
  }
  // Runs of consecutive objects with one INSERT plan go as one batch of at
  // most kMaxBatch rows (bounds the parameters held at once).
  constexpr std::size_t kMaxBatch = 1000;
  // Each object's plan once (prepare_insert applies its client defaults).
  std::vector<const InsertPlan*> plans(pending.size());
  for (std::size_t k = 0; k < pending.size(); ++k)
    plans[k] = &prepare_insert(*pending[k]->info, plan(*pending[k]->info), *pending[k]);
  std::size_t i = 0;
  while (i < pending.size()) {
    const InsertPlan* ip = plans[i];
    if (ip->lastrowid_field || ip->columns.empty()) {
      insert_one(*pending[i]->info, *ip, *pending[i], c);
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < pending.size() && j - i < kMaxBatch && plans[j] == ip) ++j;  // one plan implies one model
    insert_batch(*ip, pending.subspan(i, j - i), c);
    i = j;
  }
}

void SessionCore::insert(const model::ModelInfo& mi, const Plan& p, InstanceState& st, engine::Connection& c) {
  insert_one(mi, prepare_insert(mi, p, st), st, c);
}

void SessionCore::insert_one(const model::ModelInfo& mi, const InsertPlan& ip, InstanceState& st,
                             engine::Connection& c) {
  void* obj = st.obj;
  if (ip.returning.empty()) {
    // No RETURNING: the members are bound in place (no Value per column).
    views.resize(ip.columns.size());
    for (std::size_t k = 0; k < ip.columns.size(); ++k) mi.fields[ip.columns[k]].put(obj, views[k]);
    c.execute_update_views(ip.sql, views);
    if (ip.lastrowid_field) {
      std::optional<std::int64_t> id = c.driver().last_insert_rowid();
      if (!id) throw InvalidRequestError("INSERT into '" + mi.table.name + "': the driver gave no generated key");
      mi.fields[*ip.lastrowid_field].set(obj, Value(*id));
    }
    return;
  }
  params.resize(ip.columns.size());
  put_params(0, mi, obj, ip.columns);
  engine::Result r = c.query(ip.sql, params);
  if (!r.next())
    throw InvalidRequestError("INSERT into '" + mi.table.name + "' returned no row for RETURNING");
  for (std::size_t j = 0; j < ip.returning.size(); ++j)
    mi.fields[ip.returning[j]].read(obj, r.row(), static_cast<int>(j));
  while (r.next()) {
  }
}

bool SessionCore::update(const model::ModelInfo& mi, const Plan& p, InstanceState& st, engine::Connection& c) {
  void* obj = st.obj;
  const std::byte* snap = st.snapshot;
  mask.assign(mi.fields.size(), '0');
  bool any = false;
  for (const auto& f : mi.fields) {
    if (!f.snap_equal(obj, snap + f.snap_offset)) {
      mask[f.index] = '1';
      any = true;
    }
  }
  if (!any) return false;
  // onupdate: a C++ callable sets the member now; SQL text (now()) is applied by the
  // UPDATE itself and read back with RETURNING. A member the user changed wins.
  for (const auto& f : mi.fields) {
    if (mask[f.index] == '1') continue;
    if (f.onupdate) {
      f.set(obj, f.onupdate());
      mask[f.index] = '1';
    } else if (f.onupdate_sql) {
      mask[f.index] = 'S';
    }
  }
  for (std::size_t i : mi.pk)
    if (mask[i] == '1')
      throw InvalidRequestError("model '" + mi.model + "': changing the primary key member '" +
                                mi.fields[i].member + "' of a persistent object is not supported");
  const UpdatePlan& up = p.update_for(mask, mi, engine.dialect());
  params.clear();
  for (std::size_t i : up.columns) params.push_back(mi.fields[i].get(obj));
  for (std::size_t i : mi.pk) params.push_back(mi.fields[i].snap_get(snap + mi.fields[i].snap_offset));
  auto stale = [&] {
    return StaleDataError("UPDATE of table '" + mi.table.name + "' with primary key (" + st.key.repr() +
                          ") matched no row: it was deleted or its key changed outside this session");
  };
  if (up.returning.empty()) {
    if (c.execute_update(up.sql, params) != 1) throw stale();
    return true;
  }
  engine::Result r = c.query(up.sql, params);
  if (!r.next()) throw stale();
  for (std::size_t j = 0; j < up.returning.size(); ++j)
    mi.fields[up.returning[j]].read(obj, r.row(), static_cast<int>(j));
  while (r.next()) {
  }
  return true;
}

void SessionCore::flush(bool include_dirty) {
  check_usable();
  if (!include_dirty && added.empty() && marked_deleted.empty()) return;
  if (relations_active) cascade_before_flush();
  // DELETEs must not overtake the UPDATEs that move children away from a parent.
  if (!marked_deleted.empty()) include_dirty = true;
  std::vector<InstanceState*> pending, deleted, persistent;
  std::vector<const model::ModelInfo*> models;
  std::unordered_set<const model::ModelInfo*> seen;
  const std::uint64_t mark = ++flush_count;
  const model::ModelInfo* last_model = nullptr;
  auto collect = [&](std::vector<InstanceState*>& into, InstanceState& st) {
    if (st.flush_mark == mark) return;  // listed twice (expunged and added again)
    st.flush_mark = mark;
    into.push_back(&st);
    if (st.info != last_model && seen.insert(st.info).second) models.push_back(st.info);
    last_model = st.info;  // runs of one model (the common flush) skip the set
  };
  pending.reserve(added.size());
  for (const Added& a : added)
    if (a.st && a.st->obj == a.obj && a.st->status == Status::Pending) collect(pending, *a.st);
  for (const void* addr : marked_deleted)
    if (InstanceState* st = store.find(addr); st && st->status == Status::MarkedDeleted) collect(deleted, *st);
  if (include_dirty)
    store.for_each([&](InstanceState& st) {
      if (st.status == Status::Persistent) collect(persistent, st);
    });
  if (pending.empty() && deleted.empty() && persistent.empty()) return;
  std::sort(models.begin(), models.end(),
            [](const model::ModelInfo* a, const model::ModelInfo* b) { return a->table.name < b->table.name; });
  models = dependency_order(std::move(models));
  std::unordered_map<const model::ModelInfo*, std::size_t> rank;
  std::size_t last_rank = 0;
  for (std::size_t i = 0; i < models.size(); ++i) rank[models[i]] = i;
  for (auto* list : {&pending, &persistent, &deleted})
    for (const model::ModelInfo* at = nullptr; InstanceState* st : *list) {
      if (st->info != at) {  // runs of one model: one lookup
        at = st->info;
        last_rank = rank[at];
      }
      st->rank = last_rank;
    }
  auto by_rank_then_seq = [](const InstanceState* a, const InstanceState* b) {
    return a->rank != b->rank ? a->rank < b->rank : a->seq < b->seq;
  };
  // Mostly in order already (added in seq order; loaded states in slot order):
  // a linear check skips the O(n log n) sort of a 100k-object flush.
  for (auto* list : {&pending, &persistent, &deleted})
    if (!std::is_sorted(list->begin(), list->end(), by_rank_then_seq))
      std::sort(list->begin(), list->end(), by_rank_then_seq);
  std::reverse(deleted.begin(), deleted.end());  // children before parents

  engine::Connection& c = connection();
  std::vector<InstanceState*> updated;
  try {
    if (!relations_active) {
      insert_pending(pending, c);
    } else {
      child_links.clear();
      for (std::size_t i = 0; i < links.size(); ++i) child_links.emplace(links[i].child, i);
      std::unordered_set<const void*> unwritten;
      for (InstanceState* st : pending) unwritten.insert(st->obj);
      // One model (rank) at a time: its parents are written, so their keys
      // can be copied into its foreign keys first.
      std::size_t a = 0;
      while (a < pending.size()) {
        std::size_t b = a + 1;
        while (b < pending.size() && pending[b]->rank == pending[a]->rank) ++b;
        std::vector<InstanceState*> group(pending.begin() + static_cast<std::ptrdiff_t>(a),
                                          pending.begin() + static_cast<std::ptrdiff_t>(b));
        if (order_group(group)) {
          for (InstanceState* st : group) {
            sync_foreign_keys(*st, unwritten);
            insert_pending(std::span<InstanceState* const>(&st, 1), c);
            unwritten.erase(st->obj);
          }
        } else {
          for (InstanceState* st : group) {
            unwritten.erase(st->obj);  // objects of one model do not wait for each other
          }
          for (InstanceState* st : group) sync_foreign_keys(*st, unwritten);
          insert_pending(group, c);
        }
        a = b;
      }
      for (InstanceState* st : persistent)
        if (!st->info->relations.empty() || child_links.count(st->obj)) sync_foreign_keys(*st, unwritten);
    }
    for (InstanceState* st : persistent)
      if (update(*st->info, plan(*st->info), *st, c)) updated.push_back(st);
    if (relations_active) {
      write_link_rows(c);
      for (InstanceState* st : deleted) delete_link_rows(*st, c);
    }
    for (InstanceState* st : deleted) {
      const Plan& p = plan(*st->info);
      params = st->key.values();
      c.execute_update(p.delete_by_pk, params);
    }
  } catch (...) {
    fail_flush();
    throw;
  }
  // Every statement succeeded: apply the state transitions.
  added.clear();
  marked_deleted.clear();
  for (InstanceState* st : pending) {
    st->status = Status::Persistent;
    take_snapshot(*st);
    IdentityKey key = IdentityKey::of(*st->info, st->obj);
    // The INSERT succeeded, so an object still mapped to this key is stale
    // (its row was deleted outside the unit of work): it leaves the session.
    if (InstanceState* old = store.find_or_reserve(key)) {
      if (old != st) store.remove(*old);
      store.set_key(*st, std::move(key));
    } else {
      store.set_key_reserved(*st, std::move(key));
    }
    mark_written(st->obj);
  }
  for (InstanceState* st : updated) {
    take_snapshot(*st);
    mark_written(st->obj);
  }
  for (InstanceState* st : deleted) {
    const void* addr = st->obj;
    if (relations_active) gone[addr] = st->shared();
    detach(addr);  // deleted rows leave the session (SQLAlchemy: deleted, then detached at commit)
  }
  if (relations_active) {
    // Loaded collections as flushed: the next flush compares with these.
    store.for_each([&](InstanceState& st) {
      const model::ModelInfo& mi = *st.info;
      for (std::size_t ri = 0; ri < mi.relations.size(); ++ri)
        if (mi.relations[ri].list && mi.relations[ri].loaded(st.obj)) record_collection(mi, st.obj, ri);
    });
    links.clear();
    child_links.clear();
    link_ops.clear();
  }
}

}  // namespace detail

// ---------------------------------------------------------------- Session

using detail::SessionCore;
using detail::Status;

Session::Session(engine::Engine engine, SessionOptions opts)
    : core_(std::make_shared<SessionCore>(std::move(engine), opts)) {}
Session::~Session() {
  if (core_) core_->rollback();
}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&& o) noexcept {
  if (this != &o) {
    if (core_) core_->rollback();
    core_ = std::move(o.core_);
  }
  return *this;
}

void Session::add_erased(const model::ModelInfo& mi, std::shared_ptr<void> obj, bool only_here) {
  if (mi.has_rules && core_->opts.validate && obj) model::check(mi, obj.get());
  core_->add(mi, std::move(obj), only_here);
}

void Session::set_validate(bool on) noexcept { core_->opts.validate = on; }

std::shared_ptr<void> Session::get_erased(const model::ModelInfo& mi, std::vector<Value> pk) {
  core_->check_usable();
  if (pk.size() != mi.pk.size())
    throw ArgumentError("get<" + mi.model + ">(): the primary key of table '" + mi.table.name + "' has " +
                        std::to_string(mi.pk.size()) + " column(s), " + std::to_string(pk.size()) +
                        " value(s) given");
  detail::IdentityKey k;
  k.info = &mi;
  k.first = pk[0];
  k.rest.assign(pk.begin() + 1, pk.end());
  return core_->get(mi, k, pk);
}

std::shared_ptr<void> Session::get_erased_one(const model::ModelInfo& mi, Value pk) {
  if (mi.pk.size() != 1) return get_erased(mi, {std::move(pk)});  // reports the count mismatch
  core_->check_usable();
  detail::IdentityKey k;
  k.info = &mi;
  k.first = std::move(pk);
  return core_->get(mi, k, std::span<const Value>(&k.first, 1));
}

void Session::delete_erased(const model::ModelInfo& mi, const void* obj) {
  core_->check_usable();
  detail::InstanceState* st = core_->store.find(obj);
  if (!st) throw InvalidRequestError("delete_(): the object of model '" + mi.model + "' is not in this session");
  if (!mi.relations.empty()) {
    core_->delete_object(mi, obj);
    return;
  }
  if (st->status == Status::Pending) {
    core_->store.remove(*st);  // never written: simply forget it
    return;
  }
  st->status = Status::MarkedDeleted;
  core_->marked_deleted.push_back(obj);
}

void Session::refresh_erased(const model::ModelInfo& mi, void* obj) {
  core_->check_usable();
  detail::InstanceState* st = core_->store.find(obj);
  if (!st || st->status == Status::Pending)
    throw InvalidRequestError("refresh(): the object of model '" + mi.model + "' is not persistent in this session");
  const detail::Plan& p = core_->plan(mi);
  std::vector<Value> params = st->key.values();
  engine::Result r = core_->connection().query(p.select_by_pk, params);
  if (!r.next())
    throw ObjectDeletedError("refresh(): the row of table '" + mi.table.name + "' with primary key (" +
                             st->key.repr() + ") no longer exists");
  for (const auto& f : mi.fields) f.read(obj, r.row(), static_cast<int>(f.index));
  core_->take_snapshot(*st);
}

void Session::expunge_erased(const void* obj) { core_->detach(obj); }
void Session::expunge_all() { core_->forget_objects(); }
bool Session::contains_erased(const void* obj) const { return core_->store.find(obj) != nullptr; }
bool Session::is_modified_erased(const void* obj) const {
  const detail::InstanceState* st = core_->store.find(obj);
  if (!st || st->status == Status::Pending) return false;
  for (const auto& f : st->info->fields)
    if (!f.snap_equal(obj, st->snapshot + f.snap_offset)) return true;
  return false;
}

void Session::flush() { core_->flush(true); }

void Session::commit() {
  core_->flush(true);
  if (core_->conn) {
    if (core_->conn->in_transaction()) {
      try {
        core_->conn->commit();
      } catch (...) {
        core_->fail_flush();
        throw;
      }
    }
    core_->conn->close();
    core_->conn.reset();
  }
  core_->savepoints.clear();
}

void Session::rollback() { core_->rollback(); }
void Session::close() { core_->rollback(); }

NestedTransaction Session::begin_nested() {
  core_->flush(true);
  engine::Connection& c = core_->connection();
  detail::Savepoint sp{core_->next_savepoint++, {}, core_->next_seq, {}};
  sp.name = "sa_savepoint_" + std::to_string(sp.id);
  c.savepoint(sp.name);
  core_->savepoints.push_back(std::move(sp));
  return NestedTransaction(core_, core_->savepoints.back().id);
}

NestedTransaction::~NestedTransaction() {
  if (core_.expired()) return;
  try {
    rollback();
  } catch (...) {
    // destructors must not throw; the outer transaction still holds the state
  }
}

namespace {
detail::Savepoint* find_top(detail::SessionCore* core, int id, const char* what) {
  if (core->savepoints.empty() || core->savepoints.back().id != id) {
    bool exists = std::any_of(core->savepoints.begin(), core->savepoints.end(),
                              [&](const detail::Savepoint& s) { return s.id == id; });
    if (!exists) return nullptr;  // already ended by an outer rollback / failed flush
    throw InvalidRequestError(std::string(what) + ": an inner nested transaction is still open");
  }
  return &core->savepoints.back();
}
}  // namespace

void NestedTransaction::commit() {
  std::shared_ptr<detail::SessionCore> owner = core_.lock();
  if (!owner) throw InvalidRequestError("commit(): this nested transaction has already ended");
  detail::SessionCore* core = owner.get();
  detail::Savepoint* sp = find_top(core, id_, "commit()");
  core_.reset();
  if (!sp) return;
  core->flush(true);  // a failure rolls the whole transaction back (fail_flush)
  sp = &core->savepoints.back();
  try {
    core->connection().release_savepoint(sp->name);
  } catch (...) {
    core->fail_flush();
    throw;
  }
  auto written = std::move(sp->written);
  core->savepoints.pop_back();
  if (!core->savepoints.empty()) core->savepoints.back().written.merge(written);
}

void NestedTransaction::rollback() {
  std::shared_ptr<detail::SessionCore> owner = core_.lock();
  if (!owner) throw InvalidRequestError("rollback(): this nested transaction has already ended");
  detail::SessionCore* core = owner.get();
  detail::Savepoint* sp = find_top(core, id_, "rollback()");
  core_.reset();
  if (!sp) return;
  try {
    engine::Connection& c = core->connection();
    c.rollback_to_savepoint(sp->name);
    c.release_savepoint(sp->name);
  } catch (...) {
    core->fail_flush();  // the savepoint state is unknown: the session needs rollback()
    throw;
  }
  // Objects written inside the savepoint, and objects added or loaded after it,
  // may no longer match the database: detach them.
  std::vector<const void*> drop(sp->written.begin(), sp->written.end());
  core->store.for_each([&](detail::InstanceState& st) {
    if (st.seq >= sp->start_seq) drop.push_back(st.obj);
  });
  core->savepoints.pop_back();
  for (const void* a : drop) core->detach(a);
}

std::shared_ptr<void> Session::load_entity(const model::ModelInfo& mi, const CellSource& row, int first_col,
                                           bool allow_null) {
  return core_->load(mi, row, first_col, allow_null);
}

engine::Result Session::execute_select(const sql::Select& s) {
  if (core_->opts.autoflush) core_->flush(true);
  return core_->connection().execute(sql::Statement{s});
}

std::int64_t Session::exec_statement(const sql::Statement& s) {
  if (core_->opts.autoflush) core_->flush(true);
  return core_->connection().execute(s).rows_affected();
}

std::int64_t Session::exec_update(const model::ModelInfo& mi, sql::Update stmt) {
  for (const auto& f : mi.fields) {
    if (!f.onupdate && !f.onupdate_sql) continue;
    bool set_by_statement = std::any_of(stmt.values.begin(), stmt.values.end(),
                                        [&](const auto& kv) { return kv.first == f.column; });
    if (set_by_statement) continue;
    if (f.onupdate)
      stmt.values.emplace_back(f.column, sql::bind(f.onupdate()));
    else
      stmt.values.emplace_back(f.column, sql::text(core_->engine.dialect().server_default_sql(*f.onupdate_sql)));
  }
  return exec_statement(sql::Statement{std::move(stmt)});
}

std::int64_t Session::count_erased(const sql::Select& s) {
  if (core_->opts.autoflush) core_->flush(true);
  engine::Connection& c = core_->connection();
  sql::Compiled inner = c.dialect().compile(sql::Statement{s});
  inner.sql = "SELECT count(*) FROM (" + inner.sql + ") AS anon_1";
  engine::Result r = c.execute(inner);
  if (!r.next()) return 0;
  return r.row().get_int64(0);
}

engine::Connection& Session::connection() { return core_->connection(); }
const engine::Engine& Session::engine() const noexcept { return core_->engine; }
std::size_t Session::identity_map_size() const noexcept { return core_->store.identity_size(); }

}  // namespace strata::orm
