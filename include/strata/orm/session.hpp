// strata/orm/session.hpp - Session: unit of work and identity map (SQLAlchemy's Session).
//
// Object states (as SQLAlchemy's "Quickie Intro to Object States"):
//   transient   a plain object the session does not know.
//   pending     after add(): flush() will INSERT it.
//   persistent  it has a row: after the INSERT of a flush, or loaded by get() / exec().
//               The identity map holds one object per primary key: loading the same
//               row twice returns the same std::shared_ptr.
//   deleted     after delete_() and a flush: its DELETE was sent in this transaction.
//   detached    it was persistent (or deleted) and the session let it go: after
//               commit() for deleted objects, expunge(), close(), or rollback().
//
// What commit() and rollback() do to objects, and why Strata differs from SQLAlchemy:
//   - commit() flushes, COMMITs, and keeps persistent objects persistent with their
//     current values (SQLAlchemy's expire_on_commit=False). SQLAlchemy expires them
//     and reloads on the next attribute access; a plain C++ struct cannot do hidden
//     I/O on member access, so Strata never expires: refresh() re-reads explicitly.
//   - rollback() ROLLBACKs and detaches every object (the identity map is emptied):
//     the values held in memory may no longer match the database, and Strata will
//     not silently reuse them. Pending objects become transient again.
//
// Dirty tracking: a plain struct has no change events, so the session keeps an
// image of each persistent object's columns as last flushed/loaded, and flush()
// compares members (typed ==) to UPDATE only the changed columns. Its cost is one
// comparison per member of each persistent object per flush. Images live in an
// arena of the session (strata/model/snapshot_arena.hpp): scalars in place,
// strings as arena bytes, other types as one heap copy; a flush rewrites them in
// place, and their memory is released when the session forgets all its objects
// (close, rollback(), expunge_all()), not per object.
//
// Memory of loaded objects: the objects a session loads from rows of a model
// without relationships are allocated in blocks per model (16 objects, doubling
// up to 512), one allocation per block instead of one per row. Each
// std::shared_ptr handed out owns its object's block: an object stays valid as
// long as you hold it, after the session is closed too, but while you hold one
// object of a block the block's memory (up to 511 other loaded objects of that
// model) is kept. Objects of models with relationships cannot share a block
// (one holding another of its own block, as a tree's children, would keep it
// alive): each is its own std::shared_ptr, with its own reference count, placed
// with its control block in 64 KiB chunks of the session's object pool
// (strata/model/object_pool.hpp); a chunk's memory is freed with the last
// object (or std::weak_ptr to one) placed in it. Copy the struct
// (`User u = *ptr;`) to keep a few objects of a large result for long.
// The session itself holds every block it allocated until it forgets all its
// objects (close, rollback(), expunge_all()): expunge() of one loaded object
// does not release its block. Objects you add() are yours and never pooled.
//
// Autoflush (on by default): exec() of a SELECT first flushes everything; get()
// flushes pending inserts and deletes only (a changed loaded object cannot alter
// what get() returns for a key that is not loaded).
//
// Errors: a failed flush rolls the database transaction back at once (nothing
// partial is written) and the session refuses further work with
// InvalidRequestError until rollback() is called, as SQLAlchemy does.
//
// Example:
//   auto engine = strata::create_engine("sqlite:///app.db");
//   strata::Session session{engine};
//   auto user = session.add(User{{"ada@example.com", "Ada"}, {}, "hash"});  // pending
//   session.commit();                                                      // INSERT; persistent
//   auto same = session.get<User>(user->id);                               // identity map: same == user
//   user->full_name = "Ada L.";
//   session.commit();                                                      // UPDATE "user" SET full_name
#pragma once

#include <cstdint>
#include <memory>
#include <iterator>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "strata/core/error.hpp"
#include "strata/core/value.hpp"
#include "strata/engine/connection.hpp"
#include "strata/engine/engine.hpp"
#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"
#include "strata/model/relationship.hpp"
#include "strata/orm/loading.hpp"
#include "strata/orm/query.hpp"

namespace strata::orm {

struct SessionOptions {
  /// Flush before queries (see the header comment).
  bool autoflush = true;
  /// add() checks a table model's validation constraints (min_length,
  /// max_length, ge, pattern, email, validators, model validators; see
  /// strata/model/validate.hpp) before the object can be written. Models
  /// without constraints cost one flag test.
  bool validate = true;
};

namespace detail {
class SessionCore;
}

class Session;

/// A SAVEPOINT opened by Session::begin_nested(). commit() flushes and RELEASEs it;
/// rollback() rolls back to it. Destroyed while open, it rolls back.
/// Objects written inside a rolled-back savepoint are detached (pending ones become
/// transient), as their in-memory values may no longer match the database.
class NestedTransaction {
 public:
  NestedTransaction(NestedTransaction&& o) noexcept : core_(std::move(o.core_)), id_(o.id_) { o.core_.reset(); }
  NestedTransaction& operator=(NestedTransaction&&) = delete;
  ~NestedTransaction();
  /// Flushes and releases the savepoint. Throws: DatabaseError from the flush.
  void commit();
  /// Rolls back to the savepoint and releases it.
  void rollback();
  /// False once committed or rolled back, or when its Session is gone.
  bool is_active() const noexcept { return !core_.expired(); }

 private:
  friend class Session;
  NestedTransaction(std::weak_ptr<detail::SessionCore> core, int id) : core_(std::move(core)), id_(id) {}
  std::weak_ptr<detail::SessionCore> core_;  // weak: the Session may end first
  int id_;
};

/// Rows of one executed SELECT, read forward (SQLAlchemy's Result / ScalarResult).
/// Pre: the Session that made it outlives it and is not moved from meanwhile
/// (the rows it yields are entered in that Session's identity map).
template <class Row>
class Result;

class Session {
 public:
  /// A session on `engine`. No connection is taken until the first statement.
  explicit Session(engine::Engine engine, SessionOptions opts = {});
  ~Session();  ///< rolls back an open transaction and releases the connection
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Makes `obj` pending (transient -> pending) and returns the session's object.
  /// Adding an object already in the session does nothing.
  /// Unlike SQLModel's table models, the object is validated first (unless
  /// SessionOptions::validate is off, see set_validate).
  /// Throws: SchemaError when T is not a table model; ValidationError naming
  /// the model and listing every violated constraint (the object is not added).
  template <class T>
  std::shared_ptr<T> add(std::shared_ptr<T> obj) {
    // use_count() == 1: this parameter is the only owner (the caller passed a
    // temporary), so the object cannot be in the session, which holds a
    // reference to each of its objects: no address lookup is needed.
    const bool only_here = obj.use_count() == 1;
    add_erased(model::info<T>(), obj, only_here);
    return obj;
  }
  /// Copies / moves a plain object into the session and returns the pending object.
  template <class T>
    requires(!std::is_pointer_v<T>)
  std::shared_ptr<T> add(T obj) {
    return add(std::make_shared<T>(std::move(obj)));
  }
  /// Turns add()'s validation on or off for this session (SessionOptions::validate).
  void set_validate(bool on) noexcept;
  /// add() of each element of a range of objects or shared_ptrs.
  template <class R>
  void add_all(R&& range) {
    for (auto&& o : range) add(o);
  }

  /// The object with primary key `pk` (one Value per primary-key column, in
  /// column order), or nullptr when there is no such row. Returns the object from
  /// the identity map without SQL when it is loaded.
  /// Throws: ArgumentError when the number of values differs from the key's columns.
  template <class T>
  std::shared_ptr<T> get(std::vector<Value> pk) {
    return std::static_pointer_cast<T>(get_erased(model::info<T>(), std::move(pk)));
  }
  template <class T, class K>
    requires(!std::is_same_v<std::remove_cvref_t<K>, std::vector<Value>>)
  std::shared_ptr<T> get(const K& pk) {
    const model::ModelInfo& mi = model::info<T>();
    return std::static_pointer_cast<T>(get_erased_one(mi, key_value(mi, pk)));
  }

  /// Marks a persistent object for deletion at the next flush (persistent ->
  /// deleted); a pending object is simply expunged. A relationship with
  /// cascade "delete" deletes the children its member holds and, for a
  /// persistent object, those in the database (one SELECT per such
  /// relationship, even when loaded; none with passive_deletes()).
  /// Throws: InvalidRequestError when the object is not in this session.
  template <class T>
  void delete_(const std::shared_ptr<T>& obj) {
    delete_erased(model::info<T>(), obj.get());
  }
  /// Re-reads the object's row into it (SQLAlchemy's refresh), discarding unflushed changes.
  /// Throws: ObjectDeletedError when the row no longer exists; InvalidRequestError
  /// when the object is not persistent in this session.
  template <class T>
  void refresh(const std::shared_ptr<T>& obj) {
    refresh_erased(model::info<T>(), obj.get());
  }
  /// Removes the object from the session (-> detached, or transient if pending).
  template <class T>
  void expunge(const std::shared_ptr<T>& obj) {
    expunge_erased(obj.get());
  }
  void expunge_all();
  /// True when the session holds the object (pending, persistent or deleted).
  template <class T>
  bool contains(const std::shared_ptr<T>& obj) const {
    return contains_erased(obj.get());
  }
  /// True when a persistent object differs from its row as last loaded/flushed.
  template <class T>
  bool is_modified(const std::shared_ptr<T>& obj) const {
    return is_modified_erased(obj.get());
  }

  /// Sends pending INSERTs, UPDATEs of changed objects and DELETEs, in foreign-key
  /// order (parents inserted first, children deleted first). Autoincrement keys
  /// and server defaults are read back (RETURNING).
  /// Throws: DatabaseError subclasses (UniqueViolation...); the transaction is then
  /// rolled back and rollback() must be called.
  void flush();
  /// flush() then COMMIT; the connection returns to the pool.
  void commit();
  /// ROLLBACK; every object is detached (see the header comment).
  void rollback();
  /// rollback() and release everything; the session may be used again.
  void close();
  /// SAVEPOINT (SQLAlchemy's begin_nested): flushes first.
  NestedTransaction begin_nested();

  /// Runs a SELECT (autoflush first) and returns its rows. With loader options
  /// (select<T>().options(selectin(...), joined(...)), loading.hpp) the rows
  /// are read at once and their relationships loaded before it returns.
  /// Throws: DatabaseError subclasses; ArgumentError for a loader option that
  /// cannot be applied (see loading.hpp).
  template <class Row>
  Result<Row> exec(const Select<Row>& s);

  /// Loads relationship `m` of `obj` now (one SELECT; again if it was loaded,
  /// replacing what it held), as SQLAlchemy's refresh(obj, attribute_names=[...]).
  /// Pre: obj is persistent in this session. Throws: InvalidRequestError
  /// otherwise; DatabaseError subclasses.
  template <class T, class C, class R>
    requires model::is_relationship_v<R>
  void load(const std::shared_ptr<T>& obj, R C::*m) {
    load(obj, orm::selectin(m));
  }
  /// Loads a loader path (selectin(&Model::benchmark_results).then(&BenchmarkResult::benchmark))
  /// on `obj`; a joined() first level is loaded as selectin.
  template <class T, class O, class X>
  void load(const std::shared_ptr<T>& obj, const Loader<O, X>& path) {
    detail::check_loader_owner<T, O>();
    load_erased(model::info<T>(), {obj}, path.option());
  }
  /// As load(obj, path) for every object of `objs`, with one SELECT per level
  /// for all of them (per 1000 objects).
  template <class T, class O, class X>
  void load(const std::vector<std::shared_ptr<T>>& objs, const Loader<O, X>& path) {
    detail::check_loader_owner<T, O>();
    load_erased(model::info<T>(), std::vector<std::shared_ptr<void>>(objs.begin(), objs.end()), path.option());
  }
  template <class T, class C, class R>
    requires model::is_relationship_v<R>
  void load(const std::vector<std::shared_ptr<T>>& objs, R C::*m) {
    load(objs, orm::selectin(m));
  }
  /// Runs an UPDATE / DELETE statement and returns the number of rows matched.
  /// An UPDATE also sets the model's onupdate columns that it does not set itself
  /// (as SQLAlchemy applies onupdate to ORM-enabled bulk UPDATEs).
  template <class T>
  std::int64_t exec(const UpdateStmt<T>& s) {
    return exec_update(model::info<T>(), s.stmt);
  }
  template <class T>
  std::int64_t exec(const DeleteStmt<T>& s) {
    return exec_statement(sql::Statement{s.stmt});
  }
  /// SELECT count(*) of the rows the select would return.
  template <class Row>
  std::int64_t count(const Select<Row>& s) {
    return count_erased(s.stmt);
  }

  /// The connection of the current transaction (begun if none).
  engine::Connection& connection();
  const engine::Engine& engine() const noexcept;
  /// Number of objects in the identity map (persistent + deleted).
  std::size_t identity_map_size() const noexcept;

  // -- type-erased core (public for Result<Row>; not for application code) --
  std::shared_ptr<void> load_entity(const model::ModelInfo& mi, const CellSource& row, int first_col,
                                    bool allow_null);
  engine::Result execute_select(const sql::Select& s);
  /// Runs `s` (a select<T>() of model mi) with `loaders`; the distinct objects in row order.
  std::vector<std::shared_ptr<void>> execute_loading(const model::ModelInfo& mi, const sql::Select& s,
                                                     const std::vector<LoaderOption>& loaders);

 private:
  /// `only_here`: no one but the caller holds obj (it is not in the session).
  void add_erased(const model::ModelInfo& mi, std::shared_ptr<void> obj, bool only_here = false);
  void load_erased(const model::ModelInfo& mi, std::vector<std::shared_ptr<void>> objs, const LoaderOption& path);
  std::shared_ptr<void> get_erased(const model::ModelInfo& mi, std::vector<Value> pk);
  std::shared_ptr<void> get_erased_one(const model::ModelInfo& mi, Value pk);  // single-column key, no vector
  void delete_erased(const model::ModelInfo& mi, const void* obj);
  void refresh_erased(const model::ModelInfo& mi, void* obj);
  void expunge_erased(const void* obj);
  bool contains_erased(const void* obj) const;
  bool is_modified_erased(const void* obj) const;
  std::int64_t exec_statement(const sql::Statement& s);
  std::int64_t exec_update(const model::ModelInfo& mi, sql::Update stmt);
  std::int64_t count_erased(const sql::Select& s);
  template <class K>
  static Value key_value(const model::ModelInfo& mi, const K& pk) {
    (void)mi;
    if constexpr (std::is_same_v<K, Value>)
      return pk;
    else
      return model::to_value<K>(pk);
  }

  std::shared_ptr<detail::SessionCore> core_;  // shared so that NestedTransaction can observe it
};

namespace detail {
template <class T>
inline constexpr bool is_shared_ptr_v = false;
template <class T>
inline constexpr bool is_shared_ptr_v<std::shared_ptr<T>> = true;

template <class T>
struct RowTraits;
template <class T>
struct RowTraits<std::shared_ptr<T>> {
  static std::shared_ptr<T> read(Session& s, const std::vector<const model::ModelInfo*>& parts,
                                 const CellSource& row) {
    return std::static_pointer_cast<T>(s.load_entity(*parts[0], row, 0, false));
  }
};
template <class... E>
struct RowTraits<std::tuple<E...>> {
  static std::tuple<E...> read(Session& s, const std::vector<const model::ModelInfo*>& parts,
                               const CellSource& row) {
    int col = 0;
    std::size_t part = 0;
    return std::tuple<E...>{read_one<E>(s, parts, row, col, part)...};
  }
  template <class X>
  static X read_one(Session& s, const std::vector<const model::ModelInfo*>& parts, const CellSource& row,
                    int& col, std::size_t& part) {
    const model::ModelInfo* mi = parts[part++];
    if constexpr (is_shared_ptr_v<X>) {
      int first = col;
      col += static_cast<int>(mi->fields.size());
      return std::static_pointer_cast<typename X::element_type>(s.load_entity(*mi, row, first, true));
    } else {
      return model::from_cell<X>(row, col++);
    }
  }
};
}  // namespace detail

template <class Row>
class Result {
 public:
  Result(Session& s, engine::Result r, std::vector<const model::ModelInfo*> parts)
      : session_(&s), result_(std::move(r)), parts_(std::move(parts)) {}
  /// Rows already read (a select with loader options).
  Result(Session& s, std::vector<Row> rows)
      : session_(&s), result_(nullptr), rows_(std::move(rows)), materialized_(true) {}

  /// Every remaining row.
  std::vector<Row> all() {
    if (materialized_) {
      std::vector<Row> out(std::make_move_iterator(rows_.begin() + static_cast<std::ptrdiff_t>(pos_)),
                           std::make_move_iterator(rows_.end()));
      pos_ = rows_.size();
      return out;
    }
    std::vector<Row> out;
    while (result_.next()) out.push_back(detail::RowTraits<Row>::read(*session_, parts_, result_.row()));
    return out;
  }
  /// The first row, or std::nullopt; the rest is discarded.
  std::optional<Row> first() {
    if (!next()) return std::nullopt;
    return current();
  }
  /// Exactly one row. Throws: NoResultFound, MultipleResultsFound.
  Row one() {
    auto r = one_or_none();
    if (!r) throw NoResultFound("one(): the query returned no row");
    return std::move(*r);
  }
  /// One row or std::nullopt. Throws: MultipleResultsFound.
  std::optional<Row> one_or_none() {
    if (!next()) return std::nullopt;
    Row r = current();
    if (next()) throw MultipleResultsFound("one(): the query returned more than one row");
    return r;
  }
  /// The first element of the first row (std::nullopt when there is no row).
  auto scalar() {
    auto r = first();
    if constexpr (requires { std::tuple_size<Row>::value; }) {
      using E = std::tuple_element_t<0, Row>;
      return r ? std::optional<E>(std::get<0>(std::move(*r))) : std::optional<E>();
    } else {
      return r;
    }
  }

 private:
  bool next() {
    if (!materialized_) return result_.next();
    if (pos_ >= rows_.size()) return false;
    ++pos_;
    return true;
  }
  Row current() {
    if (materialized_) return std::move(rows_[pos_ - 1]);
    return detail::RowTraits<Row>::read(*session_, parts_, result_.row());
  }

  Session* session_;
  engine::Result result_;
  std::vector<const model::ModelInfo*> parts_;
  std::vector<Row> rows_;
  std::size_t pos_ = 0;
  bool materialized_ = false;
};

template <class Row>
Result<Row> Session::exec(const Select<Row>& s) {
  if constexpr (detail::is_shared_ptr_row<Row>::value) {
    if (!s.loaders.empty()) {
      using T = typename detail::is_shared_ptr_row<Row>::element;
      std::vector<std::shared_ptr<void>> objs = execute_loading(*s.parts[0], s.stmt, s.loaders);
      std::vector<Row> rows;
      rows.reserve(objs.size());
      for (auto& o : objs) rows.push_back(std::static_pointer_cast<T>(std::move(o)));
      return Result<Row>(*this, std::move(rows));
    }
  }
  engine::Result r = execute_select(s.stmt);
  return Result<Row>(*this, std::move(r), s.parts);
}

}  // namespace strata::orm

namespace strata {
using orm::NestedTransaction;
using orm::Session;
using orm::SessionOptions;
}  // namespace strata
