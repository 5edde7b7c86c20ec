// Migration benchmarks: Strata's autogenerate and upgrade runner against
// Alembic 1.8 (Debian python3-alembic over SQLAlchemy 1.4, /usr/bin/python3),
// in one run, each side on its own fresh SQLite file (WAL, foreign_keys=ON,
// synchronous=NORMAL), best of the repeats.
//
//   autogenerate_<N>_tables   the database holds a generated N-table schema that
//                             differs from the target metadata by N/10 missing
//                             columns and N/25 missing indexes; timed: read the
//                             live schema back (Strata's SQLite inspector /
//                             SQLAlchemy's reflection) and compare it with the
//                             target (migrate::compare / Alembic's
//                             compare_metadata with compare_type and
//                             compare_server_default on, as Strata always
//                             compares types and defaults). Both must find the
//                             same number of differences.
//   upgrade_<M>_revisions     a generated linear chain of M revisions, one op
//                             each (3 of 4 create a table, 1 of 4 adds a column
//                             to the table made just before); timed: `upgrade
//                             head` on an empty database, one transaction per
//                             revision (version table updated in each).
//
//   upgrade_<M>_revisions_one_transaction
//                             the same, in one transaction for the whole run
//                             (RunOptions::transaction_per_revision = false;
//                             Alembic's transaction_per_migration=False, its
//                             default).
//
// Both upgrade benchmarks also run a raw floor: the same revisions' statements
// (the SQL Strata emits for them, generated before timing with to_ddl(), plus
// the version-table CREATE / INSERT / UPDATE) through the sqlite3 C API
// alone: a new connection with the same pragmas, sqlite3_exec of each DDL
// text, one prepared INSERT / UPDATE of version_num, and BEGIN IMMEDIATE ..
// COMMIT per revision (or once). It shows what the transactions and the DDL
// cost SQLite itself on this machine, below which no runner can go.
//
// The generators here and in alembic_bench.py follow the same rules (see
// make_table / the revision comments); change both together.
//
// Prints "<benchmark> strata/alembic = <ratio>" lines (lower is better for
// Strata), and for the upgrades "strata/raw-sqlite" and "raw-sqlite/alembic".
// Usage: strata_bench_migrate [tables=500] [revisions=200] [repeats=3] [--no-python]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "../common/args.hpp"
#include "strata/dialect/inspector.hpp"
#include "strata/engine/ddl.hpp"
#include "strata/engine/engine.hpp"
#include "strata/migrate/apply.hpp"
#include "strata/migrate/compare.hpp"
#include "strata/migrate/runner.hpp"
#include "strata/migrate/script.hpp"
#include "strata/migrate/to_ddl.hpp"

namespace {

namespace fs = std::filesystem;
namespace sc = strata::schema;
namespace mig = strata::migrate;
using strata::SqlType;
using Clock = std::chrono::steady_clock;

void remove_db(const fs::path& p) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(p.string() + suffix);
}

std::string sqlite_url(const fs::path& p) { return "sqlite:///" + p.string(); }  // absolute path: 4 slashes

double seconds(const std::function<void()>& fn) {
  auto t = Clock::now();
  fn();
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// ---- (a) autogenerate: the generated schema ----
//
// Table t<i> (i = 0..N-1, 3 digits):
//   id INTEGER NOT NULL            primary key pk_t<i>
//   name VARCHAR(100) NOT NULL     unique constraint uq_t<i>_name
//   body TEXT
//   qty INTEGER NOT NULL DEFAULT '0'   index ix_t<i>_qty
//   amount NUMERIC(10, 2)
//   ratio FLOAT
//   active BOOLEAN NOT NULL
//   created DATETIME
//   parent_id INTEGER              (i > 0) foreign key fk_t<i>_parent_id_t<i/2> -> t<i/2>.id
//   note VARCHAR(50)               target only, when i % 10 == 0   (N/10 added columns)
// The live database lacks ix_t<i>_qty when i % 25 == 1              (N/25 added indexes).
std::string tname(int i) { return fmt::format("t{:03d}", i); }

sc::Table make_table(int i, bool target) {
  const std::string t = tname(i);
  std::vector<sc::Column> cols{
      mig::column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
      mig::column("name", SqlType::string(100), {.nullable = false}),
      mig::column("body", SqlType::string()),
      mig::column("qty", SqlType::integer(), {.nullable = false, .server_default = sc::ServerDefault::text("'0'")}),
      mig::column("amount", SqlType::numeric(10, 2)),
      mig::column("ratio", SqlType::float_()),
      mig::column("active", SqlType::boolean(), {.nullable = false}),
      mig::column("created", SqlType::datetime()),
  };
  mig::TableOptions o;
  o.primary_key = sc::PrimaryKeyConstraint{"pk_" + t, {"id"}};
  o.unique_constraints.push_back(sc::UniqueConstraint{"uq_" + t + "_name", {"name"}});
  if (i > 0) {
    cols.push_back(mig::column("parent_id", SqlType::integer()));
    const std::string parent = tname(i / 2);
    o.foreign_keys.push_back(sc::ForeignKeyConstraint{"fk_" + t + "_parent_id_" + parent, {"parent_id"}, parent,
                                                      {"id"}, sc::FkAction::NoAction, sc::FkAction::NoAction});
  }
  if (target && i % 10 == 0) cols.push_back(mig::column("note", SqlType::string(50)));
  if (target || i % 25 != 1) o.indexes.push_back(sc::Index{"ix_" + t + "_qty", {"qty"}, false});
  return mig::table(t, std::move(cols), std::move(o));
}

sc::MetaData make_schema(int n, bool target) {
  sc::MetaData md;
  for (int i = 0; i < n; ++i) md.add_table(make_table(i, target));
  return md;
}

// The differences each side must find, by Alembic's name of the diff.
std::map<std::string, std::size_t> expected_diffs(int n) {
  std::map<std::string, std::size_t> d;
  for (int i = 0; i < n; ++i) {
    if (i % 10 == 0) ++d["add_column"];
    if (i % 25 == 1) ++d["add_index"];
  }
  return d;
}

// Timed: inspect + compare (the connection is open before, as on the Python side).
std::map<std::string, std::size_t> strata_autogenerate(const fs::path& db, int n, const sc::MetaData& target,
                                                       double& secs, int inner = 1) {
  remove_db(db);
  auto engine = strata::create_engine(sqlite_url(db));
  strata::create_all(engine, make_schema(n, false));
  auto conn = engine.connect();
  mig::Diff diff;
  secs = seconds([&] {
    for (int i = 0; i < inner; ++i) {
      sc::MetaData current = strata::dialect::make_sqlite_inspector(conn.driver())->metadata();
      mig::CompareOptions opt;
      opt.dialect = &conn.dialect();
      diff = mig::compare(current, target, opt);
    }
  }) / inner;
  std::map<std::string, std::size_t> kinds;
  for (const auto& op : diff.ops) {
    const std::string name = mig::ops::op_name(op);
    ++kinds[name == "create_index" ? "add_index" : name];  // Alembic's autogenerate calls it add_index
  }
  return kinds;
}

// ---- (b) upgrade: the generated revision chain ----
//
// Revision k (k = 0..M-1): id = 12 hex digits of 0x5eed00000000 + k, down
// revision k-1. When k % 4 == 3 it adds column extra VARCHAR(50) (nullable) to
// table r<k-1>; otherwise it creates table r<k> (4 digits):
//   id INTEGER NOT NULL (pk_r<k>), name VARCHAR(100) NOT NULL (uq_r<k>_name),
//   qty INTEGER NOT NULL, amount NUMERIC(10, 2), created DATETIME,
//   prev_id INTEGER -> the table created before it (fk_r<k>_prev_id_r<j>), if any.
// Downgrades: drop_table / drop_column.
std::string rev_id(int k) { return fmt::format("{:012x}", 0x5eed00000000LL + k); }
std::string rname(int k) { return fmt::format("r{:04d}", k); }
int previous_created(int k) {  // the table created by the last create revision before k, or -1
  for (int j = k - 1; j >= 0; --j)
    if (j % 4 != 3) return j;
  return -1;
}

sc::Column extra_column() { return mig::column("extra", SqlType::string(50)); }

sc::Table revision_table(int k) {
  const std::string t = rname(k);
  std::vector<sc::Column> cols{
      mig::column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
      mig::column("name", SqlType::string(100), {.nullable = false}),
      mig::column("qty", SqlType::integer(), {.nullable = false}),
      mig::column("amount", SqlType::numeric(10, 2)),
      mig::column("created", SqlType::datetime()),
  };
  mig::TableOptions o;
  o.primary_key = sc::PrimaryKeyConstraint{"pk_" + t, {"id"}};
  o.unique_constraints.push_back(sc::UniqueConstraint{"uq_" + t + "_name", {"name"}});
  if (int p = previous_created(k); p >= 0) {
    cols.push_back(mig::column("prev_id", SqlType::integer()));
    o.foreign_keys.push_back(sc::ForeignKeyConstraint{"fk_" + t + "_prev_id_" + rname(p), {"prev_id"}, rname(p),
                                                      {"id"}, sc::FkAction::NoAction, sc::FkAction::NoAction});
  }
  return mig::table(t, std::move(cols), std::move(o));
}

mig::ScriptDirectory make_chain(int m) {
  mig::ScriptDirectory dir;
  for (int k = 0; k < m; ++k) {
    mig::Revision rev{.id = rev_id(k), .message = fmt::format("revision {}", k)};
    if (k > 0) rev.down_revisions = {rev_id(k - 1)};
    if (k % 4 == 3) {
      const std::string t = rname(k - 1);
      dir.add(mig::Script{rev, [t](mig::Operations& op) { op.add_column(t, extra_column()); },
                          [t](mig::Operations& op) { op.drop_column(t, "extra", extra_column()); }});
    } else {
      dir.add(mig::Script{rev, [k](mig::Operations& op) { op.create_table(revision_table(k)); },
                          [k](mig::Operations& op) { op.drop_table(rname(k), revision_table(k)); }});
    }
  }
  return dir;
}

// Timed: MigrationContext(...).upgrade("head") on an empty file (the engine is
// created before, as on the Python side; the run opens its connection).
void strata_upgrade(const fs::path& db, const mig::ScriptDirectory& dir, int m, bool per_revision, double& secs) {
  remove_db(db);
  auto engine = strata::create_engine(sqlite_url(db));
  secs = seconds([&] {
    mig::MigrationContext ctx(engine, dir, {.transaction_per_revision = per_revision});
    ctx.upgrade("head");
  });
  // Not timed: the chain was applied whole (as alembic_bench.py checks its side).
  const auto heads = mig::MigrationContext(engine, dir).current_heads();
  auto conn = engine.connect();
  const auto tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").scalar();
  int expected_tables = 1;  // + strata_version
  for (int k = 0; k < m; ++k) expected_tables += k % 4 != 3;
  if (heads != std::vector<std::string>{rev_id(m - 1)} || tables != strata::Value(expected_tables))
    throw std::runtime_error("strata upgrade did not apply the whole chain");
}

// ---- (c) the raw floor of the upgrade ----

// The SQL of the run, generated before timing: the version table's CREATE,
// then per revision the statements Strata emits for its ops (to_ddl over the
// schema evolved with apply(), as the runner does) and its version-table step.
struct RawScript {
  std::string create_version_table, insert_version, update_version;
  std::vector<std::vector<std::string>> revisions;  // DDL texts, one list per revision
};

RawScript raw_script(const mig::ScriptDirectory& dir, int m) {
  const auto engine = strata::create_engine("sqlite://");
  const strata::dialect::Dialect& d = engine.dialect();
  RawScript out;
  const sc::Table version =
      mig::table("strata_version", {mig::column("version_num", SqlType::string(32), {.nullable = false})},
                 {.primary_key = sc::PrimaryKeyConstraint{"strata_version_pkc", {"version_num"}}});
  for (const auto& sql : d.create_table(version, true)) out.create_version_table += sql + ";";
  out.insert_version = R"(INSERT INTO "strata_version" ("version_num") VALUES (?))";
  out.update_version =
      R"(UPDATE "strata_version" SET "version_num" = ? WHERE "strata_version"."version_num" = ?)";
  sc::MetaData md;
  for (int k = 0; k < m; ++k) {
    std::vector<std::string> ddl;
    for (const auto& op : dir.upgrade_ops(rev_id(k))) {
      for (const auto& st : mig::to_ddl(op, d, md)) {
        if (st.comment) continue;
        if (!st.params.empty() || !st.rebuilds.empty() || st.check)
          throw std::runtime_error("raw floor: the chain's ops are plain DDL");
        ddl.push_back(st.sql);
      }
      mig::apply(op, md);
    }
    out.revisions.push_back(std::move(ddl));
  }
  return out;
}

void check_sqlite(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(fmt::format("raw floor: {}: {}", what, sqlite3_errmsg(db)));
}
void exec_sqlite(sqlite3* db, const std::string& sql) {
  check_sqlite(db, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), sql.c_str());
}

// Timed: open a connection with Strata's pragmas, then the script, one
// BEGIN IMMEDIATE .. COMMIT per revision (or around all of it).
void raw_upgrade(const fs::path& path, const RawScript& script, int m, bool per_revision, double& secs) {
  remove_db(path);
  secs = seconds([&] {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      throw std::runtime_error("raw floor: cannot open " + path.string());
    exec_sqlite(db, "PRAGMA foreign_keys=ON");
    exec_sqlite(db, "PRAGMA journal_mode=WAL");
    exec_sqlite(db, "PRAGMA synchronous=NORMAL");
    sqlite3_stmt* insert = nullptr;
    sqlite3_stmt* update = nullptr;
    for (int k = 0; k < m; ++k) {
      if (per_revision || k == 0) exec_sqlite(db, "BEGIN IMMEDIATE");
      if (k == 0) {
        exec_sqlite(db, script.create_version_table);
        check_sqlite(db, sqlite3_prepare_v2(db, script.insert_version.c_str(), -1, &insert, nullptr), "prepare");
        check_sqlite(db, sqlite3_prepare_v2(db, script.update_version.c_str(), -1, &update, nullptr), "prepare");
      }
      for (const auto& sql : script.revisions[k]) exec_sqlite(db, sql);
      const std::string id = rev_id(k), prev = k > 0 ? rev_id(k - 1) : std::string();
      sqlite3_stmt* st = k == 0 ? insert : update;
      sqlite3_bind_text(st, 1, id.c_str(), static_cast<int>(id.size()), SQLITE_STATIC);
      if (k > 0) sqlite3_bind_text(st, 2, prev.c_str(), static_cast<int>(prev.size()), SQLITE_STATIC);
      check_sqlite(db, sqlite3_step(st), "version_num");
      sqlite3_reset(st);
      if (per_revision || k == m - 1) exec_sqlite(db, "COMMIT");
    }
    sqlite3_finalize(insert);
    sqlite3_finalize(update);
    sqlite3_close(db);
  });
  // Not timed: the same check as the Strata side's.
  auto engine = strata::create_engine(sqlite_url(path));
  auto conn = engine.connect();
  int expected_tables = 1;
  for (int k = 0; k < m; ++k) expected_tables += k % 4 != 3;
  if (conn.execute("SELECT version_num FROM strata_version").scalar() != strata::Value(rev_id(m - 1)) ||
      conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").scalar() !=
          strata::Value(expected_tables))
    throw std::runtime_error("raw floor did not apply the whole chain");
}

std::string run_command(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    if (pclose(p) != 0) out.clear();
  }
  return out;
}


int run(int argc, char** argv) {
  // --profile=autogenerate|upgrade|upgrade_one_transaction|raw_upgrade|raw_upgrade_one_transaction: that phase only
  const bench::Args args(argc, argv);
  const int tables = static_cast<int>(args.number(0, 500));
  const int revisions = static_cast<int>(args.number(1, 200));
  const int repeats = static_cast<int>(args.number(2, 3));
  bool python = args.python;
  const std::string& profile = args.profile;

  const fs::path dir = fs::temp_directory_path() / "strata_bench_migrate";
  fs::create_directories(dir);
  const fs::path auto_db = dir / "strata_autogenerate.db", up_db = dir / "strata_upgrade.db",
                 raw_db = dir / "raw_upgrade.db";

  const sc::MetaData target = make_schema(tables, true);
  const mig::ScriptDirectory chain = make_chain(revisions);
  const RawScript raw = raw_script(chain, revisions);
  const auto expected = expected_diffs(tables);
  auto total = [](const std::map<std::string, std::size_t>& kinds) {
    std::size_t n = 0;
    for (const auto& [k, v] : kinds) n += v;
    return n;
  };

  std::map<std::string, std::vector<double>> t;
  std::map<std::string, std::size_t> strata_diffs;
  for (int r = 0; r < repeats; ++r) {
    double s = 0;
    if (profile.empty() || profile == "autogenerate") {
      // --profile=autogenerate: the timed part 20 times per setup, so that perf sees it and not the setup.
      strata_diffs = strata_autogenerate(auto_db, tables, target, s, profile.empty() ? 1 : 20);
      if (strata_diffs != expected)
        throw std::runtime_error(fmt::format("strata autogenerate found {} differences, expected {}",
                                             total(strata_diffs), total(expected)));
      t["strata.autogenerate"].push_back(s);
    }
    if (profile.empty() || profile == "upgrade") {
      strata_upgrade(up_db, chain, revisions, true, s);
      t["strata.upgrade"].push_back(s);
    }
    if (profile.empty() || profile == "upgrade_one_transaction") {
      strata_upgrade(up_db, chain, revisions, false, s);
      t["strata.upgrade_one_transaction"].push_back(s);
    }
    if (profile.empty() || profile == "raw_upgrade") {
      raw_upgrade(raw_db, raw, revisions, true, s);
      t["raw.upgrade"].push_back(s);
    }
    if (profile.empty() || profile == "raw_upgrade_one_transaction") {
      raw_upgrade(raw_db, raw, revisions, false, s);
      t["raw.upgrade_one_transaction"].push_back(s);
    }
  }
  if (!profile.empty()) return 0;

  if (python) {
    const std::string cmd = fmt::format("/usr/bin/python3 {}/alembic_bench.py {} {} {} {}", STRATA_BENCH_DIR,
                                        (dir / "alembic").string(), tables, revisions, repeats);
    const std::string out = run_command(cmd);
    if (out.empty()) {
      fmt::print(stderr, "Alembic benchmark failed to run ({}); is python3-alembic installed?\n", cmd);
      python = false;
    } else {
      const auto j = nlohmann::json::parse(out);
      for (const char* k : {"autogenerate", "upgrade", "upgrade_one_transaction"})
        for (double v : j[k]) t[std::string("alembic.") + k].push_back(v);
      const auto alembic_diffs = j["autogenerate_kinds"].get<std::map<std::string, std::size_t>>();
      if (alembic_diffs != strata_diffs || j["autogenerate_diffs"].get<std::size_t>() != total(strata_diffs))
        throw std::runtime_error(fmt::format("autogenerate: Strata found {} differences, Alembic {} ({})",
                                             total(strata_diffs), j["autogenerate_diffs"].get<std::size_t>(),
                                             j["autogenerate_kinds"].dump()));
      if (j["upgrade_revisions"].get<int>() != revisions)
        throw std::runtime_error("upgrade: Alembic applied a different number of revisions");
    }
  }

  auto best = [&](const std::string& k) { return *std::min_element(t[k].begin(), t[k].end()); };
  fmt::print("# best of {} (SQLite file, WAL); seconds: strata{}; upgrades also raw sqlite3\n", repeats,
             python ? " / alembic" : "");
  const std::string names[] = {fmt::format("autogenerate_{}_tables", tables),
                               fmt::format("upgrade_{}_revisions", revisions),
                               fmt::format("upgrade_{}_revisions_one_transaction", revisions)};
  const char* keys[] = {"autogenerate", "upgrade", "upgrade_one_transaction"};
  for (int b = 0; b < 3; ++b) {
    const double s = best(std::string("strata.") + keys[b]);
    std::string line = fmt::format("#   {:<38} {:.4f}", names[b], s);
    if (python) line += fmt::format(" / {:.4f}", best(std::string("alembic.") + keys[b]));
    if (b == 0)
      line += fmt::format("   ({} added columns + {} added indexes found{})", strata_diffs["add_column"],
                          strata_diffs["add_index"], python ? " by each" : "");
    else
      line += fmt::format("   (raw sqlite3 {:.4f})", best(std::string("raw.") + keys[b]));
    fmt::print("{}\n", line);
  }
  for (int b = 0; b < 3; ++b) {
    const double s = best(std::string("strata.") + keys[b]);
    if (python) fmt::print("{} strata/alembic = {:.3f}\n", names[b], s / best(std::string("alembic.") + keys[b]));
    if (b == 0) continue;
    const double r = best(std::string("raw.") + keys[b]);
    fmt::print("{} strata/raw-sqlite = {:.3f}\n", names[b], s / r);
    if (python) fmt::print("{} raw-sqlite/alembic = {:.3f}\n", names[b], r / best(std::string("alembic.") + keys[b]));
  }
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "strata_bench_migrate: {}\n", e.what());
    return 1;
  }
}
