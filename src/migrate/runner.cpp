// MigrationContext: runs revisions online (one transaction per revision) or
// prints their SQL offline. See runner.hpp for the transaction and locking model.
#include "strata/migrate/runner.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "migrate/to_ddl_detail.hpp"
#include "strata/dialect/inspector.hpp"
#include "strata/migrate/apply.hpp"
#include "strata/migrate/operations.hpp"
#include "strata/sql/text.hpp"

namespace strata::migrate {

MigrationFailed::MigrationFailed(std::string revision, std::string direction, std::string statement,
                                 std::string cause, std::string message, std::exception_ptr original,
                                 Location where)
    : MigrationError(std::move(message), {}, {}, where),
      revision_(std::move(revision)),
      direction_(std::move(direction)),
      statement_(std::move(statement)),
      cause_(std::move(cause)),
      original_(std::move(original)) {}

namespace {

enum class Dir { Up, Down };

std::string join(const std::vector<std::string>& parts, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Revision ids and labels cannot hold '+' or '-' (RevisionMap validates it), so
// these mark a relative target, which is resolved once against the heads at the
// start of a run rather than again after every revision.
bool is_relative(std::string_view target) { return target.find_first_of("+-") != std::string_view::npos; }

schema::Table version_table_def(const std::string& name) {
  return table(name, {column("version_num", SqlType::string(32), {.nullable = false})},
               {.primary_key = schema::PrimaryKeyConstraint{name + "_pkc", {"version_num"}}});
}

/// The version-table statements of one step, and the heads after it.
struct VersionStep {
  std::vector<Statement> statements;
  std::vector<std::string> heads;
  std::string from;  // for the console line of stamp
};

class VersionSql {
 public:
  VersionSql(const dialect::Dialect& d, const std::string& table)
      : t_(d.quote(table)), c_(d.quote("version_num")), p_(detail::placeholders(d, 2)) {}
  Statement insert(const std::string& rev) const {
    return make("INSERT INTO " + t_ + " (" + c_ + ") VALUES (" + p_[0] + ")", {Value(rev)});
  }
  Statement update(const std::string& from, const std::string& to) const {
    return make("UPDATE " + t_ + " SET " + c_ + " = " + p_[0] + " WHERE " + t_ + "." + c_ + " = " + p_[1],
                {Value(to), Value(from)});
  }
  Statement remove(const std::string& rev) const {
    return make("DELETE FROM " + t_ + " WHERE " + t_ + "." + c_ + " = " + p_[0], {Value(rev)});
  }
  Statement remove_all() const { return make("DELETE FROM " + t_, {}); }
  Statement select() const { return make("SELECT " + c_ + " FROM " + t_, {}); }

 private:
  static Statement make(std::string sql, std::vector<Value> params) {
    Statement s = detail::statement(std::move(sql));
    s.params = std::move(params);
    return s;
  }
  std::string t_, c_;
  std::vector<std::string> p_;  // the dialect's first two placeholders: "?" or "$1", "$2"
};

/// Alembic's head maintenance for an upgrade of `rev`: the heads that `rev`
/// descends from are replaced by it (UPDATE of the first, DELETE of the others:
/// a merge leaves one row); when it descends from no head (a base, or a new
/// branch off a branch point) it is INSERTed.
/// True when `ancestor` is reached from `id` through down_revisions only.
/// depends_on does not make a head stop being a head (Alembic): the version
/// rows follow the down_revisions edges alone.
bool is_down_ancestor(const RevisionMap& map, const std::string& ancestor, const std::string& id) {
  std::vector<std::string> todo{id};
  std::vector<std::string> seen;
  while (!todo.empty()) {
    std::string cur = std::move(todo.back());
    todo.pop_back();
    const Revision* r = map.find(cur);
    if (!r) continue;
    for (const auto& p : r->down_revisions) {
      if (p == ancestor) return true;
      if (!contains(seen, p)) {
        seen.push_back(p);
        todo.push_back(p);
      }
    }
  }
  return false;
}

VersionStep upgrade_step(const RevisionMap& map, const VersionSql& v, const std::vector<std::string>& heads,
                         const Revision& rev) {
  VersionStep step;
  std::vector<std::string> replaced;
  for (const auto& h : heads) {
    if (is_down_ancestor(map, h, rev.id)) replaced.push_back(h);
    else step.heads.push_back(h);
  }
  step.heads.push_back(rev.id);
  if (replaced.empty()) {
    step.statements.push_back(v.insert(rev.id));
  } else {
    step.statements.push_back(v.update(replaced.front(), rev.id));
    for (std::size_t i = 1; i < replaced.size(); ++i) step.statements.push_back(v.remove(replaced[i]));
  }
  return step;
}

/// The inverse: `rev` leaves the heads; each of its parents that no remaining
/// head descends from becomes a head again (UPDATE of the row, INSERT of further
/// parents of a merge); with no such parent the row is DELETEd.
VersionStep downgrade_step(const RevisionMap& map, const VersionSql& v, const std::vector<std::string>& heads,
                           const Revision& rev) {
  VersionStep step;
  for (const auto& h : heads)
    if (h != rev.id) step.heads.push_back(h);
  std::vector<std::string> restored;
  for (const auto& p : rev.down_revisions) {
    const bool covered = std::any_of(step.heads.begin(), step.heads.end(),
                                     [&](const std::string& h) { return h == p || is_down_ancestor(map, p, h); });
    if (!covered && !contains(restored, p)) restored.push_back(p);
  }
  const bool was_head = contains(heads, rev.id);
  if (restored.empty()) {
    if (was_head) step.statements.push_back(v.remove(rev.id));
  } else {
    std::size_t first = 0;
    if (was_head) {
      step.statements.push_back(v.update(rev.id, restored.front()));
      first = 1;
    }
    for (std::size_t i = first; i < restored.size(); ++i) step.statements.push_back(v.insert(restored[i]));
  }
  for (const auto& p : restored) step.heads.push_back(p);
  return step;
}

/// "Running upgrade  -> e2412789c190, initialize models" (Alembic's console line).
std::string running_line(Dir dir, const Revision& rev) {
  if (dir == Dir::Up) return "Running upgrade " + join(rev.down_revisions) + " -> " + rev.id + ", " + rev.message;
  return "Running downgrade " + rev.id + " -> " + join(rev.down_revisions) + ", " + rev.message;
}

std::string offline_comment(Dir dir, const Revision& rev) {
  if (dir == Dir::Up) return "-- Running upgrade " + join(rev.down_revisions) + " -> " + rev.id;
  return "-- Running downgrade " + rev.id + " -> " + join(rev.down_revisions);
}

/// `sql` with each "?" / "$n" bind marker (sql::bind_markers: not inside
/// quotes or comments) replaced by the dialect's literal of its value
/// (Dialect::literal). A marker without a value is left as written.
std::string inline_params(const Statement& s, const dialect::Dialect& d) {
  if (s.params.empty()) return s.sql;
  std::string out;
  std::size_t from = 0;
  for (const auto& m : sql::bind_markers(s.sql)) {
    if (m.index >= s.params.size()) continue;
    out.append(s.sql, from, m.pos - from);
    out += d.literal(s.params[m.index]);
    from = m.pos + m.length;
  }
  out.append(s.sql, from, std::string::npos);
  return out;
}

/// The key of the migration lock (Dialect::migration_lock_sql): FNV-1a of the
/// version table's name, so that migration environments sharing a database
/// under different version tables do not wait on each other.
std::int64_t migration_lock_key(std::string_view version_table) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : std::string("strata.migrate:") + std::string(version_table)) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(h);
}

/// The revisions to run next, from `heads` toward any of `targets`.
const Revision* next_revision(const RevisionMap& map, Dir dir, const std::vector<std::string>& heads,
                              const std::vector<std::string>& targets) {
  for (const auto& t : targets) {
    auto path = dir == Dir::Up ? map.upgrade_path(heads, t) : map.downgrade_path(heads, t);
    if (!path.empty()) return path.front();
  }
  return nullptr;
}

/// `target` as concrete ids (relative targets resolved against `heads`).
std::vector<std::string> concrete_targets(const RevisionMap& map, std::string_view target,
                                          const std::vector<std::string>& heads) {
  if (!is_relative(target)) return {std::string(target)};
  std::vector<std::string> out;
  for (const Revision* r : map.resolve(target, heads)) out.push_back(r->id);
  if (out.empty()) out.push_back("base");
  return out;
}

/// The schema with every revision up to (and including) each of `heads` applied.
schema::MetaData replay_heads(const ScriptDirectory& scripts, const std::vector<std::string>& heads) {
  const RevisionMap& map = scripts.map();
  std::set<std::string, std::less<>> wanted;
  for (const auto& h : heads) {
    wanted.insert(h);
    for (const Revision* r : map.ancestors(h)) wanted.insert(r->id);
  }
  schema::MetaData md;
  for (const Revision* r : map.topological_order())
    if (wanted.contains(r->id)) migrate::apply(scripts.upgrade_ops(r->id), md);
  return md;
}

/// One open connection with the transaction handling of the runner: the
/// dialect's begin_immediate_sql() and migration lock, and where the dialect
/// has foreign_key_pragmas (SQLite) foreign keys off around the transactions
/// that need it (begin(true)).
class Session {
 public:
  Session(engine::Engine& engine, const RunOptions& opts)
      : conn_(engine.connect()), opts_(opts), v_(conn_.dialect(), opts.version_table) {}
  ~Session() {
    if (open_) {
      try {
        conn_.rollback();
      } catch (...) {
      }
      try {
        restore_foreign_keys();
      } catch (...) {
        // a destructor must not throw; the connection is discarded by its pool on error
      }
    }
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  engine::Connection& conn() { return conn_; }
  const VersionSql& version_sql() const { return v_; }
  bool open() const { return open_; }
  /// True while this transaction runs with foreign keys turned off by begin(true).
  bool foreign_keys_off() const { return fk_was_on_; }

  /// Whether the connection enforces foreign keys (SQLite's PRAGMA
  /// foreign_keys; false where the dialect has no such switch). Read once:
  /// only this session changes it, and only between its transactions.
  bool foreign_keys_enabled() {
    if (!fk_enabled_)
      fk_enabled_ = conn_.dialect().capabilities().foreign_key_pragmas &&
                    conn_.execute("PRAGMA foreign_keys").scalar() == Value(1);
    return *fk_enabled_;
  }

  // BEGIN (SQLite: BEGIN IMMEDIATE, the database's write lock), then the
  // dialect's migration lock (PostgreSQL: pg_advisory_xact_lock): either way
  // the version table read next is one no other migrator is changing.
  // `foreign_keys_off`: the transaction may rebuild tables, so SQLite's
  // foreign keys are turned off before BEGIN (PRAGMA foreign_keys cannot
  // change inside a transaction: see runner.hpp) and back on after it.
  void begin(bool foreign_keys_off) {
    const dialect::Dialect& d = conn_.dialect();
    if (foreign_keys_off && foreign_keys_enabled()) {
      conn_.execute_script("PRAGMA foreign_keys=OFF");
      fk_was_on_ = true;
    }
    try {
      conn_.begin_immediate();
    } catch (...) {
      restore_foreign_keys();
      throw;
    }
    open_ = true;
    if (const std::string_view lock = d.migration_lock_sql(); !lock.empty())
      (void)conn_.execute(lock, {Value(migration_lock_key(opts_.version_table))}).all();
  }
  void commit() {
    conn_.commit();
    open_ = false;
    if (version_table_pending_) version_table_exists_ = true;
    version_table_pending_ = false;
    restore_foreign_keys();
  }
  void rollback() noexcept {
    try {
      conn_.rollback();
    } catch (...) {
    }
    open_ = false;
    version_table_pending_ = false;
    try {
      restore_foreign_keys();
    } catch (...) {
    }
  }

  bool has_version_table() {
    return conn_.execute(conn_.dialect().has_table(opts_.version_table)).first().has_value();
  }
  /// CREATE TABLE IF NOT EXISTS, unless this session already knows the table
  /// exists (it saw it, or created it in a committed transaction).
  void create_version_table() {
    if (version_table_exists_ || version_table_pending_) return;
    for (const auto& sql : conn_.dialect().create_table(version_table_def(opts_.version_table), true))
      conn_.execute_update(sql);
    version_table_pending_ = true;
  }
  /// The rows of the version table, sorted; empty when it does not exist.
  std::vector<std::string> heads() {
    if (!version_table_exists_ && !version_table_pending_) {
      if (!has_version_table()) return {};
      version_table_exists_ = true;  // committed (this session has not created it)
    }
    std::vector<std::string> out;
    for (const Value& v : conn_.execute(v_.select().sql).scalars())
      if (const auto* s = v.get_if<std::string>()) out.push_back(*s);
    std::sort(out.begin(), out.end());
    return out;
  }
  void execute(const Statement& s) { conn_.execute_update(s.sql, s.params); }

 private:
  void restore_foreign_keys() {
    if (fk_was_on_) {
      fk_was_on_ = false;
      conn_.execute_script("PRAGMA foreign_keys=ON");
    }
  }

  engine::Connection conn_;
  const RunOptions& opts_;
  VersionSql v_;
  bool open_ = false;
  bool fk_was_on_ = false;
  std::optional<bool> fk_enabled_;
  // The version table is known to exist (seen, or created by a committed
  // transaction of this session), or was created in the open transaction.
  // Nothing drops it during a run (an online downgrade to base empties it).
  bool version_table_exists_ = false;
  bool version_table_pending_ = false;
};

}  // namespace

namespace {

/// A SQLite rebuild re-creates a table from the schema Strata models. What it
/// does not model would be lost without a word: triggers (DROP TABLE drops
/// them), generated columns, partial and expression indexes. Such a rebuild is
/// refused, naming the table and what it would lose; do that change by hand
/// with op.execute().
void refuse_lossy_rebuild(engine::Connection& conn, const std::vector<Statement>& stmts) {
  for (const Statement& s : stmts) {
    if (s.rebuilds.empty()) continue;
    const std::string& table = s.rebuilds;
    std::vector<std::string> lost;
    const std::vector<Value> p{Value(table)};
    for (const auto& row :
         conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", p).all())
      lost.push_back("trigger " + row[0].repr());
    for (const auto& row : conn.execute("SELECT name FROM pragma_table_xinfo(?) WHERE hidden != 0", p).all())
      lost.push_back("generated column " + row[0].repr());
    for (const auto& row : conn.execute("SELECT name FROM pragma_index_list(?) WHERE partial = 1", p).all())
      lost.push_back("partial index " + row[0].repr());
    for (const auto& row : conn.execute("SELECT il.name FROM pragma_index_list(?) AS il WHERE il.origin = 'c' AND "
                                        "EXISTS (SELECT 1 FROM pragma_index_xinfo(il.name) WHERE cid = -2)",
                                        p)
                               .all())
      lost.push_back("expression index " + row[0].repr());
    if (!lost.empty()) {
      std::string what;
      for (const auto& l : lost) what += (what.empty() ? "" : ", ") + l;
      throw MigrationError("rebuilding table '" + table + "' (SQLite cannot ALTER this) would lose its " + what +
                               ": make this change by hand with op.execute()",
                           table);
    }
  }
}

}  // namespace

MigrationContext::MigrationContext(engine::Engine engine, const ScriptDirectory& scripts, RunOptions opts)
    : engine_(std::move(engine)), scripts_(&scripts), opts_(std::move(opts)) {}

std::vector<std::string> MigrationContext::current_heads() {
  Session s(engine_, opts_);
  return s.heads();
}

void MigrationContext::upgrade(std::string_view target) { run(Direction::Up, target); }
void MigrationContext::downgrade(std::string_view target) { run(Direction::Down, target); }

namespace {

/// The MigrationFailed of revision `rev`. `committed`: the failure came from an
/// outside_transaction statement, after the revision's transaction committed.
MigrationFailed revision_failed(const Revision& rev, Dir dir, const std::string& current, const std::exception& e,
                                bool committed) {
  const std::string dir_name = dir == Dir::Up ? "upgrade" : "downgrade";
  std::string message = dir_name + " of revision '" + rev.id + "'";
  if (!rev.message.empty()) message += " (" + rev.message + ")";
  message += " failed: " + std::string(e.what());
  if (committed)
    message += "\n(after its transaction committed: the revision is recorded as applied; a failed CREATE INDEX "
               "CONCURRENTLY leaves an INVALID index to drop before creating it again by hand)";
  if (!current.empty()) message += "\n[statement: " + current + "]";
  return MigrationFailed(rev.id, dir_name, current, e.what(), std::move(message), std::current_exception());
}

/// bulk_insert through DriverConnection::copy_in (to_ddl checked the row widths).
void copy_rows(engine::Connection& conn, const ops::BulkInsert& bulk) {
  const dialect::Dialect& d = conn.dialect();
  std::vector<std::string> columns;
  for (const auto& c : bulk.columns) columns.push_back(d.quote(c));
  std::vector<Value> values;
  values.reserve(bulk.rows.size() * bulk.columns.size());
  for (const auto& row : bulk.rows) values.insert(values.end(), row.begin(), row.end());
  conn.driver().copy_in(d.quote(bulk.table_name), columns, values);
}

/// Statements that run after the transaction of their revision commits.
struct Deferred {
  const Revision* rev;
  Statement statement;
};

void run_deferred(engine::Connection& conn, Dir dir, std::vector<Deferred>& deferred) {
  std::vector<Deferred> todo = std::move(deferred);
  deferred.clear();
  for (const Deferred& x : todo) {
    try {
      run_statements(conn, {x.statement});
    } catch (const std::exception& e) {
      throw revision_failed(*x.rev, dir, x.statement.sql, e, true);
    }
  }
}

}  // namespace

void MigrationContext::run(Direction direction, std::string_view target) {
  const Dir dir = direction == Direction::Up ? Dir::Up : Dir::Down;
  const RevisionMap& map = scripts_->map();
  Session session(engine_, opts_);
  engine::Connection& conn = session.conn();
  const dialect::Dialect& d = conn.dialect();
  const bool fk_pragmas = d.capabilities().foreign_key_pragmas;

  // The heads as this run last knew them outside a transaction: read before
  // the first one (a relative target is resolved against them, once; on
  // SQLite they also tell which revisions come next), then as the run's last
  // COMMIT left them. Inside each transaction the heads are read again.
  std::optional<std::vector<std::string>> known_heads;
  if (is_relative(target) || fk_pragmas) known_heads = session.heads();
  const std::vector<std::string> targets = is_relative(target) ? concrete_targets(map, target, *known_heads)
                                                               : std::vector<std::string>{std::string(target)};

  // Each revision's ops, collected from its script once per run.
  std::unordered_map<const Revision*, std::vector<ops::Op>> op_lists;
  auto ops_of = [&](const Revision& rev) -> const std::vector<ops::Op>& {
    auto it = op_lists.find(&rev);
    if (it == op_lists.end())
      it = op_lists.emplace(&rev, dir == Dir::Up ? scripts_->upgrade_ops(rev.id) : scripts_->downgrade_ops(rev.id))
               .first;
    return it->second;
  };
  // SQLite: whether a transaction that starts at `heads` must run with
  // foreign keys off, i.e. whether the revisions it will run (the next one;
  // all of them when the run is one transaction) hold an op that may rebuild
  // a table or rewrite rows (detail::keeps_foreign_keys_on). When in doubt
  // (a script or target error, reported where the run meets it): yes.
  auto needs_foreign_keys_off = [&](std::vector<std::string> heads) {
    try {
      for (;;) {
        const Revision* rev = next_revision(map, dir, heads, targets);
        if (!rev) return false;
        for (const ops::Op& op : ops_of(*rev))
          if (!detail::keeps_foreign_keys_on(op, d)) return true;
        if (opts_.transaction_per_revision) return false;
        VersionStep step = dir == Dir::Up ? upgrade_step(map, session.version_sql(), heads, *rev)
                                          : downgrade_step(map, session.version_sql(), heads, *rev);
        heads = std::move(step.heads);
        std::sort(heads.begin(), heads.end());
      }
    } catch (...) {
      return true;
    }
  };

  // The schema as of `cached_heads`, carried from one revision to the next so
  // that a chain of N revisions reads the live schema once, not N times (each
  // read is O(tables)). Another process moving the heads invalidates it.
  std::optional<schema::MetaData> cached_schema;
  std::vector<std::string> cached_heads;
  // outside_transaction statements (CREATE INDEX CONCURRENTLY), run once the
  // transaction holding their revision has committed.
  std::vector<Deferred> deferred;
  // The heads inside the open transaction, as its own statements left them
  // (no other migrator can change them while it holds the lock); nullopt:
  // to be read (a new transaction, or raw SQL / C++ ran).
  std::optional<std::vector<std::string>> tx_heads;
  bool force_foreign_keys_off = false;
  bool committed_any = false;

  for (;;) {
    bool fresh = false;
    if (!session.open()) {
      // The heads this run's last COMMIT left (under its lock) are the target:
      // done, without a transaction only to find that out.
      if (committed_any && !next_revision(map, dir, *known_heads, targets)) break;
      // PRAGMA foreign_keys cannot change inside a transaction, so whether
      // this one turns them off is decided before BEGIN, from the revisions
      // expected at the heads last known. Without a rebuild they stay on:
      // SQLite enforces every reference as each statement runs.
      session.begin(fk_pragmas && (force_foreign_keys_off || !known_heads || needs_foreign_keys_off(*known_heads)));
      if (dir == Dir::Up) session.create_version_table();
      tx_heads.reset();
      fresh = true;
    }
    if (!tx_heads) {
      // Read inside the transaction: another process may have moved the heads
      // while this one waited for the lock.
      tx_heads = session.heads();
      if (fresh && fk_pragmas && *tx_heads != known_heads && !session.foreign_keys_off() &&
          session.foreign_keys_enabled() && needs_foreign_keys_off(*tx_heads)) {
        // It did, and what is left to run needs foreign keys off, which this
        // transaction kept on: nothing ran in it yet; begin it again.
        session.rollback();
        force_foreign_keys_off = true;
        continue;
      }
    }
    const std::vector<std::string> heads = *tx_heads;
    const Revision* rev = next_revision(map, dir, heads, targets);
    if (!rev) break;

    if (opts_.out) *opts_.out << running_line(dir, *rev) << '\n';
    std::string current;  // the statement running now, for MigrationFailed
    bool committed = false;
    try {
      const std::vector<ops::Op>& ops = ops_of(*rev);
      const bool cache_valid = cached_schema && cached_heads == heads;
      schema::MetaData before;
      if (!ops.empty()) {
        // Inspected when the cache does not describe these heads, then evolved
        // op by op with apply(): the statements ran, so both give the same schema.
        if (cache_valid) {
          before = std::move(*cached_schema);  // replaced after this revision; a failure ends the run
          cached_schema.reset();
        } else {
          before = d.inspector(conn.driver())->metadata({opts_.version_table});
        }
      } else if (cache_valid) {
        before = std::move(*cached_schema);
        cached_schema.reset();
      }
      // Only ops that change existing tables can break a reference while
      // foreign keys are off; creating a table or an index cannot.
      bool needs_fk_check = false;
      bool raw = false;  // raw SQL or C++: it may have changed anything, the version table included
      for (const ops::Op& op : ops) {
        if (!std::holds_alternative<ops::CreateTable>(op) && !std::holds_alternative<ops::CreateIndex>(op))
          needs_fk_check = true;  // (drop_index can remove the unique index a foreign key targets)
        if (std::holds_alternative<ops::Execute>(op) || std::holds_alternative<ops::RunCallable>(op)) raw = true;
      }
      for (const ops::Op& op : ops) {
        if (const auto* rc = std::get_if<ops::RunCallable>(&op)) {
          // A downgrade's ops come from the script's downgrade(), where a
          // reversed run_callable already holds the undo step in `upgrade`.
          current = "run_callable " + rc->name;
          if (rc->upgrade) rc->upgrade(conn);
          // C++ code may have changed the schema in any way: read it again.
          before = d.inspector(conn.driver())->metadata({opts_.version_table});
          continue;
        }
        const std::vector<Statement> stmts = to_ddl(op, d, before);
        if (const auto* bulk = std::get_if<ops::BulkInsert>(&op)) {
          // The rows go through the driver's bulk path (COPY FROM STDIN on
          // PostgreSQL) rather than the INSERTs that --sql prints.
          if (!stmts.empty()) current = stmts.front().sql;
          if (!bulk->rows.empty() && !bulk->columns.empty()) copy_rows(conn, *bulk);
          current.clear();
          migrate::apply(op, before);
          continue;
        }
        refuse_lossy_rebuild(conn, stmts);
        for (const Statement& s : stmts) {
          if (s.comment) continue;
          if (s.outside_transaction) {
            deferred.push_back({rev, s});
            continue;
          }
          if (!s.rebuilds.empty() && !session.foreign_keys_off() && session.foreign_keys_enabled())
            throw MigrationError("internal error: table rebuild of '" + s.rebuilds +
                                     "' in a transaction that kept foreign keys on",
                                 s.rebuilds);
          current = s.sql;
          run_statements(conn, {s});
        }
        current.clear();
        if (std::holds_alternative<ops::Execute>(op))  // raw SQL: the schema may have changed
          before = d.inspector(conn.driver())->metadata({opts_.version_table});
        else
          migrate::apply(op, before);
      }
      const VersionStep step = dir == Dir::Up ? upgrade_step(map, session.version_sql(), heads, *rev)
                                              : downgrade_step(map, session.version_sql(), heads, *rev);
      for (const Statement& s : step.statements) {
        current = s.sql;
        session.execute(s);
      }
      if (session.foreign_keys_off() && needs_fk_check) {
        // The work ran with foreign_keys=OFF: check every reference now.
        current = "PRAGMA foreign_key_check";
        auto rows = conn.execute(current).all();
        if (!rows.empty()) {
          const std::string table = rows.front().empty() ? std::string() : rows.front()[0].repr();
          throw MigrationError("foreign key check failed on table " + table + " (" +
                                   std::to_string(rows.size()) + " row(s) with a broken reference)",
                               table);
        }
      }
      std::vector<std::string> after = step.heads;  // sorted, as session.heads() returns them
      std::sort(after.begin(), after.end());
      if (opts_.transaction_per_revision) {
        current = "COMMIT";
        session.commit();
        committed = true;
        current.clear();
        known_heads = after;
        committed_any = true;
        force_foreign_keys_off = false;
        run_deferred(conn, dir, deferred);
      } else if (raw) {
        tx_heads.reset();
      } else {
        tx_heads = after;
      }
      if (!ops.empty() || cache_valid) {
        cached_schema = std::move(before);
        cached_heads = std::move(after);
      } else {
        cached_schema.reset();
      }
    } catch (const MigrationFailed&) {
      session.rollback();
      throw;  // from run_deferred: already names the revision and the statement
    } catch (const std::exception& e) {
      session.rollback();
      throw revision_failed(*rev, dir, current, e, committed);
    }
  }
  if (session.open()) session.commit();
  run_deferred(conn, dir, deferred);  // transaction_per_revision == false: after the run's COMMIT
}

void MigrationContext::stamp(std::string_view target, bool purge) {
  const RevisionMap& map = scripts_->map();
  Session session(engine_, opts_);
  session.begin(false);  // the version table only: foreign keys stay as they are
  session.create_version_table();
  std::vector<std::string> heads = session.heads();
  const VersionSql& v = session.version_sql();
  if (purge) {
    session.execute(v.remove_all());
    heads.clear();
  }
  const std::vector<const Revision*> revs = map.resolve(target, heads);
  if (revs.empty()) {  // base
    for (const auto& h : heads) {
      session.execute(v.remove(h));
      if (opts_.out) *opts_.out << "Running stamp_revision " << h << " -> \n";
    }
  } else {
    for (const Revision* r : revs) {
      if (contains(heads, r->id)) continue;
      std::vector<std::string> related, kept;
      for (const auto& h : heads) {
        if (map.is_ancestor(h, r->id) || map.is_ancestor(r->id, h)) related.push_back(h);
        else kept.push_back(h);
      }
      if (related.empty()) {
        session.execute(v.insert(r->id));
      } else {
        session.execute(v.update(related.front(), r->id));
        for (std::size_t i = 1; i < related.size(); ++i) session.execute(v.remove(related[i]));
      }
      if (opts_.out) *opts_.out << "Running stamp_revision " << join(related) << " -> " << r->id << '\n';
      kept.push_back(r->id);
      heads = std::move(kept);
    }
  }
  session.commit();
}

std::string MigrationContext::upgrade_sql(std::string_view from, std::string_view target) {
  return offline(Direction::Up, from, target);
}
std::string MigrationContext::downgrade_sql(std::string_view from, std::string_view target) {
  return offline(Direction::Down, from, target);
}

std::string MigrationContext::offline(Direction direction, std::string_view from, std::string_view target) {
  const Dir dir = direction == Direction::Up ? Dir::Up : Dir::Down;
  const RevisionMap& map = scripts_->map();
  const dialect::Dialect& d = engine_.dialect();
  const VersionSql v(d, opts_.version_table);

  std::vector<std::string> heads;
  if (from != "base")
    for (const Revision* r : map.resolve(from)) heads.push_back(r->id);
  schema::MetaData md = replay_heads(*scripts_, heads);
  const std::vector<std::string> targets = concrete_targets(map, target, heads);

  std::string out;
  // Where foreign keys are a connection switch (SQLite), a table rebuild's
  // DROP TABLE would fire ON DELETE CASCADE with them on: the script turns
  // them off around one transaction and checks every reference before COMMIT,
  // as the online run does. Elsewhere (PostgreSQL) each revision gets its own
  // BEGIN ... COMMIT when transaction_per_revision is set, as online.
  const bool pragmas = d.capabilities().foreign_key_pragmas;
  const bool per_revision = !pragmas && opts_.transaction_per_revision;
  auto emit = [&out, &d](const Statement& s) {
    out += s.comment ? s.sql + "\n\n" : inline_params(s, d) + ";\n\n";
  };
  std::vector<Statement> deferred;  // outside_transaction: after the COMMIT of their revision
  bool open = false;
  auto begin = [&] {
    if (!open) out += "BEGIN;\n\n";
    open = true;
  };
  auto commit = [&] {
    if (open) {
      if (pragmas) out += "PRAGMA foreign_key_check;\n\n";
      out += "COMMIT;\n\n";
    }
    open = false;
    for (const Statement& s : deferred) emit(s);
    deferred.clear();
  };
  if (pragmas) out += "PRAGMA foreign_keys=OFF;\n\n";
  begin();
  if (dir == Dir::Up && heads.empty())
    for (const auto& sql : d.create_table(version_table_def(opts_.version_table))) emit(detail::statement(sql));

  bool first = true;
  while (const Revision* rev = next_revision(map, dir, heads, targets)) {
    // Each revision's transaction ends where the next begins, so the version
    // table's CREATE / DROP shares the first / last revision's transaction.
    if (per_revision && !first) commit();
    first = false;
    begin();
    out += offline_comment(dir, *rev) + "\n\n";
    const std::vector<ops::Op> ops =
        dir == Dir::Up ? scripts_->upgrade_ops(rev->id) : scripts_->downgrade_ops(rev->id);
    for (const ops::Op& op : ops) {
      for (const Statement& s : to_ddl(op, d, md)) {
        if (s.outside_transaction) deferred.push_back(s);
        else emit(s);
      }
      migrate::apply(op, md);
    }
    VersionStep step = dir == Dir::Up ? upgrade_step(map, v, heads, *rev) : downgrade_step(map, v, heads, *rev);
    for (const Statement& s : step.statements) emit(s);
    heads = std::move(step.heads);
  }
  if (dir == Dir::Down && heads.empty())
    for (const auto& sql : d.drop_table(version_table_def(opts_.version_table))) emit(detail::statement(sql));
  commit();
  if (pragmas) out += "PRAGMA foreign_keys=ON;\n\n";
  return out;
}

schema::MetaData MigrationContext::replay(std::string_view target) const {
  const RevisionMap& map = scripts_->map();
  std::vector<std::string> heads;
  for (const Revision* r : map.resolve(target)) heads.push_back(r->id);
  return replay_heads(*scripts_, heads);
}

void upgrade(engine::Engine& engine, std::string_view target, RunOptions opts) {
  MigrationContext(engine, ScriptDirectory::global(), std::move(opts)).upgrade(target);
}

}  // namespace strata::migrate
