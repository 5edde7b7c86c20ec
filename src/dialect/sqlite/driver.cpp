// SQLite driver: the only file of Strata that includes <sqlite3.h>.
//
// Design notes (why, not what):
// - One SqliteConnection owns one sqlite3* opened with SQLITE_OPEN_NOMUTEX: the
//   engine's pool guarantees that one connection is used by one thread at a time,
//   so SQLite's own per-connection mutex would only cost time.
// - Prepared statements are cached per connection, keyed by SQL text (as
//   Python's sqlite3 module does with its statement cache). The compiler emits
//   the same text for the same statement shape, so the hot loops (insert N rows,
//   get by primary key N times) prepare once and then only bind + step.
// - A cached statement that is still held by a live cursor is never handed out
//   twice: the second user gets a fresh, uncached statement that is finalized
//   when its cursor dies.
// - Invariant: a cached statement that is not in use is always reset and has no
//   bindings. That is what lets execute_update() bind strings with
//   SQLITE_STATIC (no copy): the caller's Values outlive the call, and the
//   statement is reset and cleared before the call returns.
// - Errors are mapped from extended result codes to the typed tree of
//   core/error.hpp; SQLite's messages are parsed for the table and constraint.
#include "dialect/sqlite/driver.hpp"

#include <sqlite3.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>
#include <variant>

#include "strata/core/datetime.hpp"
#include "strata/core/error.hpp"

namespace strata::dialect::sqlite {
namespace {

/// Upper bound of the per-connection statement cache. Python's sqlite3 uses
/// 128; 256 covers the distinct statements of a typical application.
constexpr std::size_t kMaxCachedStatements = 256;

// ---------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------

/// Where the error happened: SQLITE_ERROR while preparing means the statement
/// itself is wrong (ProgrammingError); while stepping it is operational.
enum class Phase { open, prepare, step };

/// Fills table / constraint from "<KIND> constraint failed: <detail>".
///   "UNIQUE constraint failed: user.email"        -> table user, constraint user.email
///   "UNIQUE constraint failed: t.a, t.b"          -> table t, constraint "t.a, t.b"
///   "UNIQUE constraint failed: index 'ix_name'"   -> constraint ix_name
///   "NOT NULL constraint failed: item.title"      -> table item, constraint item.title
///   "CHECK constraint failed: ck_users_age"       -> constraint ck_users_age
///   "FOREIGN KEY constraint failed"               -> nothing (SQLite does not say)
void parse_constraint_message(std::string_view msg, bool column_list, DatabaseErrorInfo& info) {
  constexpr std::string_view marker = "constraint failed: ";
  const auto pos = msg.find(marker);
  if (pos == std::string_view::npos) return;
  std::string_view rest = msg.substr(pos + marker.size());
  if (rest.starts_with("index '") && rest.ends_with("'") && rest.size() > 8) {
    info.constraint = std::string(rest.substr(7, rest.size() - 8));
    return;
  }
  info.constraint = std::string(rest);
  if (!column_list) return;
  // "table.column[, table.column...]": the table is what precedes the first dot,
  // provided it looks like a name (a CHECK expression would contain spaces).
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0) return;
  const std::string_view table = rest.substr(0, dot);
  if (table.find_first_of(" ,()'\"") != std::string_view::npos) return;
  info.table = std::string(table);
}

/// SQLSTATE-like code for SQLITE_ERROR messages of class 42 (syntax / access rule).
std::string_view class42_sqlstate(std::string_view msg) {
  if (msg.starts_with("no such table") || msg.starts_with("no such view")) return "42P01";
  if (msg.starts_with("no such column")) return "42703";
  if (msg.starts_with("no such function")) return "42883";
  if (msg.starts_with("no such index")) return "42704";
  if (msg.find("syntax error") != std::string_view::npos || msg.starts_with("incomplete input") ||
      msg.starts_with("unrecognized token"))
    return "42601";
  if (msg.find("already exists") != std::string_view::npos) return "42P07";
  if (msg.starts_with("ambiguous column name")) return "42702";
  return {};
}

[[noreturn]] void throw_mapped(int rc, std::string message, std::string_view sql, Phase phase) {
  DatabaseErrorInfo info;
  info.message = std::move(message);
  info.sql = std::string(sql);
  info.native_code = rc;
  const int primary = rc & 0xff;
  switch (primary) {
    case SQLITE_CONSTRAINT:
      switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
          info.sqlstate = "23505";
          parse_constraint_message(info.message, true, info);
          throw UniqueViolation(std::move(info));
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          info.sqlstate = "23503";
          parse_constraint_message(info.message, true, info);
          throw ForeignKeyViolation(std::move(info));
        case SQLITE_CONSTRAINT_NOTNULL:
          info.sqlstate = "23502";
          parse_constraint_message(info.message, true, info);
          throw NotNullViolation(std::move(info));
        case SQLITE_CONSTRAINT_CHECK:
          info.sqlstate = "23514";
          parse_constraint_message(info.message, false, info);
          throw CheckViolation(std::move(info));
        default:
          info.sqlstate = "23000";
          parse_constraint_message(info.message, false, info);
          throw IntegrityError(std::move(info));
      }
    case SQLITE_MISMATCH:  // e.g. text into an INTEGER PRIMARY KEY; Python's sqlite3 says IntegrityError too
      info.sqlstate = "42804";
      throw IntegrityError(std::move(info));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      info.sqlstate = "55P03";  // lock_not_available
      throw OperationalError(std::move(info), /*retryable=*/true);
    case SQLITE_ERROR: {
      const auto state = class42_sqlstate(info.message);
      if (!state.empty() || phase == Phase::prepare) {
        info.sqlstate = state.empty() ? "42000" : std::string(state);
        throw ProgrammingError(std::move(info));
      }
      info.sqlstate = "HY000";
      throw OperationalError(std::move(info));
    }
    case SQLITE_RANGE:
    case SQLITE_MISUSE:
      info.sqlstate = "07001";
      throw ProgrammingError(std::move(info));
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
      info.sqlstate = "08001";
      break;
    case SQLITE_READONLY:
      info.sqlstate = "25006";
      break;
    case SQLITE_FULL:
      info.sqlstate = "53100";
      break;
    case SQLITE_IOERR:
      info.sqlstate = "58030";
      break;
    case SQLITE_CORRUPT:
      info.sqlstate = "XX001";
      break;
    case SQLITE_INTERRUPT:
      info.sqlstate = "57014";
      break;
    case SQLITE_TOOBIG:
      info.sqlstate = "54000";
      break;
    case SQLITE_NOMEM:
      info.sqlstate = "53200";
      break;
    default:
      info.sqlstate = "HY000";
      break;
  }
  throw OperationalError(std::move(info));
}

[[noreturn]] void throw_db(sqlite3* db, int rc, std::string_view sql, Phase phase) {
  // sqlite3_errmsg describes the most recent failure on `db`, which is `rc`'s
  // (the statements are prepared with v3, so step() returns the real code).
  throw_mapped(rc, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), sql, phase);
}

// ---------------------------------------------------------------------------
// Binding
// ---------------------------------------------------------------------------

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

int bind_text(sqlite3_stmt* s, int i, std::string_view t, sqlite3_destructor_type life) {
  return sqlite3_bind_text64(s, i, t.data(), t.size(), life, SQLITE_UTF8);
}

/// Binds one semantic Value in its SQLite storage form. `life` is the lifetime
/// of text/blob held *inside* the Value (SQLITE_STATIC only when the caller
/// guarantees the Value outlives the statement's use); forms computed here are
/// always copied (SQLITE_TRANSIENT).
int bind_value(sqlite3_stmt* s, int i, const Value& v, sqlite3_destructor_type life) {
  return std::visit(
      Overloaded{
          [&](std::monostate) { return sqlite3_bind_null(s, i); },
          [&](bool b) { return sqlite3_bind_int(s, i, b ? 1 : 0); },
          [&](std::int64_t n) { return sqlite3_bind_int64(s, i, n); },
          [&](double d) { return sqlite3_bind_double(s, i, d); },
          [&](const std::string& t) { return bind_text(s, i, t, life); },
          [&](const Bytes& b) {
            // An empty vector may have data() == nullptr, which SQLite would bind as NULL.
            if (b.empty()) return sqlite3_bind_zeroblob(s, i, 0);
            return sqlite3_bind_blob64(s, i, b.data(), b.size(), life);
          },
          [&](const Uuid& u) {
            // 32 lower-case hex digits (SQLAlchemy's CHAR(32)), formatted on the
            // stack: no allocation as Uuid::hex() would need.
            static constexpr char digits[] = "0123456789abcdef";
            char buf[32];
            std::size_t k = 0;
            for (std::uint8_t byte : u.bytes()) {
              buf[k++] = digits[byte >> 4];
              buf[k++] = digits[byte & 0x0f];
            }
            return bind_text(s, i, std::string_view(buf, sizeof buf), SQLITE_TRANSIENT);
          },
          [&](const Date& d) { return bind_text(s, i, to_iso(d), SQLITE_TRANSIENT); },
          [&](const Time& t) { return bind_text(s, i, to_iso(t), SQLITE_TRANSIENT); },
          [&](const DateTime& t) { return bind_text(s, i, to_iso(t), SQLITE_TRANSIENT); },
          [&](const DateTimeTz& t) { return bind_text(s, i, to_iso(t), SQLITE_TRANSIENT); },
          [&](const Numeric& n) { return bind_text(s, i, n.text, life); },
          [&](const JsonText& j) { return bind_text(s, i, j.text, life); },
          [&](const StringList& l) {
            return bind_text(s, i, nlohmann::json(l).dump(), SQLITE_TRANSIENT);
          },
      },
      v.storage());
}

// ---------------------------------------------------------------------------
// Connection and cursor
// ---------------------------------------------------------------------------

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct CachedStatement {
  sqlite3_stmt* stmt = nullptr;
  std::uint64_t last_used = 0;  ///< tick of the last checkout, for LRU eviction
  bool in_use = false;          ///< held by a live cursor (or by a running execute_update)
};

class SqliteConnection;

/// A statement checked out of the cache (cached != nullptr) or prepared fresh
/// for one use (cached == nullptr, finalized on release).
struct Lease {
  sqlite3_stmt* stmt = nullptr;
  CachedStatement* cached = nullptr;
  /// The parameters were bound with SQLITE_TRANSIENT: SQLite holds copies of
  /// the text and blobs, freed at release (sqlite3_clear_bindings) rather
  /// than kept until the cached statement's next use. SQLITE_STATIC bindings
  /// (execute_update, query_first) hold pointers, never read again: every
  /// use binds all the statement's parameters (bind_all checks the count),
  /// so they are left as they are; the values converted to text for binding
  /// (UUIDs, dates, string lists) are copies even there, released at the
  /// statement's next use or its eviction from the cache.
  bool transient = false;
};

/// The CellKind of an SQLite fundamental datatype code (SQLITE_INTEGER, ...).
CellKind cell_kind(int sqlite_type) noexcept {
  switch (sqlite_type) {
    case SQLITE_INTEGER: return CellKind::Integer;
    case SQLITE_FLOAT: return CellKind::Real;
    case SQLITE_TEXT: return CellKind::Text;
    case SQLITE_BLOB: return CellKind::Blob;
    default: return CellKind::Null;
  }
}

class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(SqliteConnection& conn, Lease lease) noexcept;
  ~SqliteCursor() override;
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  bool next() override;
  int column_count() const override { return sqlite3_column_count(lease_.stmt); }
  std::string_view column_name(int i) const override {
    const char* n = sqlite3_column_name(lease_.stmt, i);
    return n ? std::string_view(n) : std::string_view();
  }
  std::int64_t rows_affected() const override { return changes_; }

  // The cells are read through the row's sqlite3_value objects, fetched once
  // per row by next(): sqlite3_value_* calls skip the statement checks and
  // error bookkeeping each sqlite3_column_* call repeats. SQLite calls such
  // values "unprotected": safe here, as a connection is used by one thread at
  // a time (SQLITE_OPEN_NOMUTEX, see the top of this file). A column index
  // out of range reads as NULL, as sqlite3_column_* does.
  bool do_is_null(int i) const override { return type(i) == SQLITE_NULL; }
  CellKind do_kind(int i) const override { return cell_kind(type(i)); }
  std::int64_t do_get_int64(int i) const override { return in_range(i) ? sqlite3_value_int64(vals_[i]) : 0; }
  double do_get_double(int i) const override { return in_range(i) ? sqlite3_value_double(vals_[i]) : 0.0; }
  std::string_view do_get_text(int i) const override {
    if (!in_range(i)) return {};
    // value_text first, then value_bytes: the order SQLite documents.
    const unsigned char* p = sqlite3_value_text(vals_[i]);
    if (!p) return {};
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(vals_[i]))};
  }
  std::span<const std::byte> do_get_bytes(int i) const override {
    if (!in_range(i)) return {};
    const void* p = sqlite3_value_blob(vals_[i]);
    if (!p) return {};
    return {static_cast<const std::byte*>(p), static_cast<std::size_t>(sqlite3_value_bytes(vals_[i]))};
  }
  Value do_get_value(int i) const override {
    switch (type(i)) {
      case SQLITE_INTEGER:
        return Value(static_cast<std::int64_t>(sqlite3_value_int64(vals_[i])));
      case SQLITE_FLOAT:
        return Value(sqlite3_value_double(vals_[i]));
      case SQLITE_TEXT:
        return Value(std::string(get_text(i)));
      case SQLITE_BLOB: {
        auto b = get_bytes(i);
        return Value(Bytes(b.begin(), b.end()));
      }
      default:
        return Value();
    }
  }

 private:
  bool in_range(int i) const noexcept { return i >= 0 && i < ncols_; }
  int type(int i) const noexcept { return in_range(i) ? sqlite3_value_type(vals_[i]) : SQLITE_NULL; }

  SqliteConnection* conn_;
  Lease lease_;
  // The current row's cells (ncols_ = 0 when there is none): inline for up to
  // kInline columns, so that a cursor (one per query) allocates nothing more.
  static constexpr int kInline = 16;
  sqlite3_value* inline_[kInline] = {};
  std::vector<sqlite3_value*> more_;
  sqlite3_value** vals_ = inline_;
  // The same cells, typed (CellSource::set_row): the typed reads of a cell
  // of its own kind then make no call at all.
  CellView inline_cells_[kInline];
  std::vector<CellView> more_cells_;
  CellView* cells_ = inline_cells_;
  int ncols_ = 0;
  sqlite3_int64 changes_before_ = 0;
  std::int64_t changes_ = 0;
  bool started_ = false;
  bool done_ = false;
};

class SqliteConnection final : public DriverConnection {
 public:
  explicit SqliteConnection(sqlite3* db) noexcept : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
    // close_v2 defers the close if a statement is still alive (a cursor that
    // outlived its connection, which is a precondition violation of Cursor).
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() const noexcept { return db_; }

  /// Applies the connection PRAGMAs. Throws: DatabaseError subclasses.
  void configure(const ConnectParams& p) {
    sqlite3_extended_result_codes(db_, 1);
    const auto ms = p.busy_timeout.count();
    sqlite3_busy_timeout(db_, ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : static_cast<int>(ms));
    exec("PRAGMA foreign_keys=ON");
    // A file database (not :memory:, not a temp or mode=memory URI) gets WAL:
    // readers never block the writer and vice versa. synchronous=NORMAL is the
    // setting SQLite recommends with WAL: the database cannot be corrupted by a
    // crash; after a power loss the last committed transactions may be lost.
    const char* file = sqlite3_db_filename(db_, "main");
    if (file && *file && sqlite3_db_readonly(db_, "main") == 0) {
      // Switching a new file to WAL takes an exclusive lock, and SQLite may
      // answer SQLITE_BUSY at once (without its busy handler) when another
      // connection opens the same new file: retry within the busy timeout.
      const auto deadline = std::chrono::steady_clock::now() + p.busy_timeout;
      for (;;) {
        try {
          exec("PRAGMA journal_mode=WAL");
          break;
        } catch (const OperationalError& e) {
          if (!e.retryable() || std::chrono::steady_clock::now() >= deadline) throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
      exec("PRAGMA synchronous=NORMAL");
    }
  }

  std::unique_ptr<Cursor> execute(std::string_view sql, std::span<const Value> params) override {
    Lease l = acquire(sql);
    l.transient = true;
    auto cursor = std::make_unique<SqliteCursor>(*this, l);  // from here the cursor releases `l`
    // The cursor steps later, after the caller's Values may be gone: copy text.
    bind_all(l.stmt, params, SQLITE_TRANSIENT);
    return cursor;
  }

  bool query_first(std::string_view sql, std::span<const Value> params, const FirstRowSink& on_row) override {
    Lease l = acquire(sql);
    SqliteCursor cursor(*this, l);  // from here the cursor releases `l`, before `params` go
    bind_all(l.stmt, params, SQLITE_STATIC);
    if (!cursor.next()) return false;
    on_row(cursor);
    return true;
  }

  std::int64_t execute_update(std::string_view sql, std::span<const Value> params) override {
    if (is_idle_rollback(sql)) return 0;
    Lease l = acquire(sql);
    const ReleaseGuard guard{*this, l};
    // SQLITE_STATIC is safe: `params` outlive this call and the guard resets
    // and clears the bindings before we return.
    bind_all(l.stmt, params, SQLITE_STATIC);
    return step_to_done(l.stmt, sql);
  }

  std::int64_t execute_update_views(std::string_view sql, std::span<const ParamView> params) override {
    Lease l = acquire(sql);
    const ReleaseGuard guard{*this, l};
    // SQLITE_STATIC: the members and `params` outlive this call, and the
    // guard resets the statement before we return (as execute_update).
    check_count(l.stmt, params.size());
    for (std::size_t k = 0; k < params.size(); ++k) {
      const ParamView& p = params[k];
      const int i = static_cast<int>(k) + 1;
      int rc;
      switch (p.kind) {
        case ParamView::Kind::Null: rc = sqlite3_bind_null(l.stmt, i); break;
        case ParamView::Kind::Bool:
        case ParamView::Kind::Integer: rc = sqlite3_bind_int64(l.stmt, i, p.integer); break;
        case ParamView::Kind::Real: rc = sqlite3_bind_double(l.stmt, i, p.real); break;
        case ParamView::Kind::Text: rc = bind_text(l.stmt, i, p.text, SQLITE_STATIC); break;
        default: rc = bind_value(l.stmt, i, p.boxed, SQLITE_STATIC); break;
      }
      if (rc != SQLITE_OK) throw_db(db_, rc, sqlite3_sql(l.stmt), Phase::prepare);
    }
    return step_to_done(l.stmt, sql);
  }

  void execute_script(std::string_view sql) override {
    if (is_idle_rollback(sql)) return;
    exec(std::string(sql));
  }

  bool ping() noexcept override {
    return sqlite3_exec(db_, "SELECT 1", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  std::size_t cached_statements() const noexcept override { return cache_.size(); }
  std::optional<std::int64_t> last_insert_rowid() const noexcept override {
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
  }

  /// Returns a statement to the cache (reset; bindings cleared when they are
  /// copies, see Lease::transient) or finalizes it.
  void release(const Lease& l) noexcept {
    if (!l.stmt) return;
    sqlite3_reset(l.stmt);
    if (l.cached) {
      if (l.transient) sqlite3_clear_bindings(l.stmt);
      l.cached->in_use = false;
    } else {
      sqlite3_finalize(l.stmt);
    }
  }

 private:
  /// ROLLBACK outside a transaction is a no-op (as on PostgreSQL, where it is
  /// only a warning). SQLite ends the transaction by itself on some errors
  /// (SQLITE_FULL, IOERR, NOMEM, interrupt), and the engine's rollback must
  /// then not fail.
  bool is_idle_rollback(std::string_view sql) const noexcept {
    return sql.size() == 8 && sql == "ROLLBACK" && sqlite3_get_autocommit(db_) != 0;
  }

  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      // sqlite3_exec prepares and steps; a class-42 message is a ProgrammingError either way.
      // Extended result codes are on, so rc is already the extended code.
      throw_mapped(rc, std::move(msg), sql, Phase::step);
    }
  }

  /// Releases a statement leased for one call (execute_update*) on every path.
  struct ReleaseGuard {
    SqliteConnection& c;
    Lease l;
    ~ReleaseGuard() { c.release(l); }
  };

  /// Steps a bound statement to its end. Returns the rows it changed (0 for
  /// a statement that changed none, such as a SELECT).
  std::int64_t step_to_done(sqlite3_stmt* s, std::string_view sql) {
    const sqlite3_int64 before = sqlite3_total_changes64(db_);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) throw_db(db_, rc, sql, Phase::step);
    return sqlite3_total_changes64(db_) == before ? 0 : sqlite3_changes64(db_);
  }

  /// Throws ProgrammingError (SQLSTATE 07001, as Python's sqlite3 module
  /// words it) unless `s` has exactly `supplied` parameters.
  void check_count(sqlite3_stmt* s, std::size_t supplied) {
    const int expected = sqlite3_bind_parameter_count(s);
    if (static_cast<std::size_t>(expected) == supplied) return;
    DatabaseErrorInfo info;
    info.message = "incorrect number of bindings supplied: the statement uses " + std::to_string(expected) +
                   ", and " + std::to_string(supplied) + " were supplied";
    info.sql = sqlite3_sql(s);
    info.sqlstate = "07001";
    info.native_code = SQLITE_RANGE;
    throw ProgrammingError(std::move(info));
  }

  void bind_all(sqlite3_stmt* s, std::span<const Value> params, sqlite3_destructor_type life) {
    check_count(s, params.size());
    const int expected = static_cast<int>(params.size());
    for (int i = 0; i < expected; ++i) {
      const int rc = bind_value(s, i + 1, params[static_cast<std::size_t>(i)], life);
      if (rc != SQLITE_OK) throw_db(db_, rc, sqlite3_sql(s), Phase::prepare);
    }
  }

  /// Prepares `sql` (exactly one statement). Throws: ProgrammingError for an
  /// empty text or several statements; mapped errors from SQLite.
  sqlite3_stmt* prepare(std::string_view sql, unsigned flags) {
    if (sql.size() > static_cast<std::size_t>(INT_MAX)) throw ArgumentError("SQL text too long");
    sqlite3_stmt* s = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &s, &tail);
    if (rc != SQLITE_OK) throw_db(db_, rc, sql, Phase::prepare);
    auto fail = [&](const char* what) {
      sqlite3_finalize(s);
      DatabaseErrorInfo info;
      info.message = what;
      info.sql = std::string(sql);
      info.sqlstate = "42601";
      info.native_code = SQLITE_MISUSE;
      throw ProgrammingError(std::move(info));
    };
    if (!s) fail("empty statement");
    // Anything but blanks, ';' and comments after the first statement is a second one.
    const char* end = sql.data() + sql.size();
    if (tail && tail < end) {
      std::string_view rest(tail, static_cast<std::size_t>(end - tail));
      if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
        sqlite3_stmt* second = nullptr;
        const int rc2 = sqlite3_prepare_v3(db_, rest.data(), static_cast<int>(rest.size()), 0, &second, nullptr);
        sqlite3_finalize(second);
        if (rc2 != SQLITE_OK || second)
          fail("execute() runs one statement at a time; use execute_script() for several");
      }
    }
    return s;
  }

  /// A statement for `sql`: the cached one when free, else a fresh one.
  Lease acquire(std::string_view sql) {
    // Fast path: the same text as last time (a loop), one memcmp and no hash.
    if (last_ && !last_->in_use && last_sql_ == sql) {
      last_->in_use = true;
      last_->last_used = ++tick_;
      return {last_->stmt, last_};
    }
    if (auto it = cache_.find(sql); it != cache_.end()) {
      CachedStatement& c = it->second;
      if (c.in_use) return {prepare(sql, 0), nullptr};  // held by a live cursor
      c.in_use = true;
      c.last_used = ++tick_;
      last_ = &c;
      last_sql_ = it->first;
      return {c.stmt, &c};
    }
    sqlite3_stmt* s = prepare(sql, SQLITE_PREPARE_PERSISTENT);
    if (cache_.size() >= kMaxCachedStatements && !evict_one()) return {s, nullptr};
    try {
      auto [it, inserted] = cache_.emplace(std::string(sql), CachedStatement{s, ++tick_, true});
      (void)inserted;
      last_ = &it->second;
      last_sql_ = it->first;
      return {s, &it->second};
    } catch (...) {
      sqlite3_finalize(s);
      throw;
    }
  }

  /// Finalizes the least recently used statement not in use. O(cache size),
  /// only on a miss with a full cache. Returns false when all are in use.
  bool evict_one() noexcept {
    auto victim = cache_.end();
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (!it->second.in_use && (victim == cache_.end() || it->second.last_used < victim->second.last_used))
        victim = it;
    }
    if (victim == cache_.end()) return false;
    if (last_ == &victim->second) {
      last_ = nullptr;
      last_sql_ = {};
    }
    sqlite3_finalize(victim->second.stmt);
    cache_.erase(victim);
    return true;
  }

  sqlite3* db_;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> cache_;
  CachedStatement* last_ = nullptr;  // node pointers of unordered_map are stable
  std::string_view last_sql_;        // views the key of *last_
  std::uint64_t tick_ = 0;
};

SqliteCursor::SqliteCursor(SqliteConnection& conn, Lease lease) noexcept : conn_(&conn), lease_(lease) {}

SqliteCursor::~SqliteCursor() { conn_->release(lease_); }

bool SqliteCursor::next() {
  if (done_) return false;
  if (!started_) {
    changes_before_ = sqlite3_total_changes64(conn_->db());
    started_ = true;
  }
  const int rc = sqlite3_step(lease_.stmt);
  if (rc == SQLITE_ROW) {
    const int n = sqlite3_data_count(lease_.stmt);
    if (n > kInline) {
      more_.resize(static_cast<std::size_t>(n));
      vals_ = more_.data();
    }
    if (n > kInline) {
      more_cells_.resize(static_cast<std::size_t>(n));
      cells_ = more_cells_.data();
    }
    for (int i = 0; i < n; ++i) {
      sqlite3_value* v = vals_[i] = sqlite3_column_value(lease_.stmt, i);
      CellView& c = cells_[i];
      c.kind = cell_kind(sqlite3_value_type(v));
      if (c.kind == CellKind::Integer) {
        c.integer = sqlite3_value_int64(v);
      } else if (c.kind == CellKind::Real) {
        c.real = sqlite3_value_double(v);
      } else if (c.kind == CellKind::Text) {
        // value_text first, then value_bytes: the order SQLite documents.
        // (nullptr only when out of memory: read as "", as do_get_text does.)
        const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
        c.text = p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view();
      }
    }
    ncols_ = n;
    set_row(cells_, n);
    return true;
  }
  ncols_ = 0;
  set_row(nullptr, 0);
  done_ = true;
  if (rc == SQLITE_DONE) {
    changes_ = sqlite3_total_changes64(conn_->db()) == changes_before_ ? 0 : sqlite3_changes64(conn_->db());
    // Reset now, not at destruction: this ends the statement's read
    // transaction (which would otherwise hold back WAL checkpoints). Column
    // names stay readable on a reset statement.
    sqlite3_reset(lease_.stmt);
    return false;
  }
  std::string msg = sqlite3_errmsg(conn_->db());
  sqlite3_reset(lease_.stmt);
  throw_mapped(rc, std::move(msg), sqlite3_sql(lease_.stmt), Phase::step);
}

std::string open_target(const ConnectParams& p) {
  std::string path = p.database.empty() ? std::string(":memory:") : p.database;
  if (p.query.empty()) return path;
  // URL query options become SQLite URI parameters (mode=ro, cache=shared,
  // immutable=1, ...), as pysqlite's `?uri=true` does. Unknown ones are ignored
  // by SQLite.
  if (path.starts_with("file:")) {
    path += path.find('?') == std::string::npos ? '?' : '&';
  } else {
    std::string uri = "file:";
    for (char c : path) {
      if (c == '?' || c == '#' || c == '%') {
        static constexpr char hex[] = "0123456789ABCDEF";
        uri += '%';
        uri += hex[static_cast<unsigned char>(c) >> 4];
        uri += hex[static_cast<unsigned char>(c) & 0x0f];
      } else {
        uri += c;
      }
    }
    path = uri + '?';
  }
  bool first = true;
  for (const auto& [k, v] : p.query) {
    if (!first) path += '&';
    first = false;
    path += k;
    path += '=';
    path += v;
  }
  return path;
}

}  // namespace

std::unique_ptr<DriverConnection> open_connection(const ConnectParams& p) {
  const std::string target = open_target(p);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(target.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const int code = db ? sqlite3_extended_errcode(db) : rc;
    sqlite3_close_v2(db);
    throw_mapped(code, "cannot open SQLite database '" + target + "': " + msg, {}, Phase::open);
  }
  auto conn = std::make_unique<SqliteConnection>(db);  // owns db from here on
  try {
    conn->configure(p);
  } catch (DatabaseError& e) {
    DatabaseErrorInfo info = e.info();
    info.message = "cannot configure SQLite database '" + target + "': " + info.message;
    if (auto* op = dynamic_cast<OperationalError*>(&e)) throw OperationalError(std::move(info), op->retryable());
    throw OperationalError(std::move(info));
  }
  return conn;
}

}  // namespace strata::dialect::sqlite
