// Runtime benchmarks: Strata's Session against the raw sqlite3 C API doing the
// same work its fastest way (prepared statements, one transaction), and against
// SQLAlchemy 1.4's ORM (Debian python3-sqlalchemy, /usr/bin/python3), in one run.
//
// Prints "<benchmark> strata/<peer> = <ratio>" lines (lower is better for Strata).
// Usage: strata_bench_runtime [rows=100000] [repeats=3] [--no-python]
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/args.hpp"
#include "../common/bench_item.hpp"

namespace {

namespace fs = std::filesystem;
using bench::make_item;
using bench::seconds;

const char* kDdl =
    "CREATE TABLE bench_item (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, title VARCHAR(255) NOT NULL, "
    "description TEXT, quantity BIGINT NOT NULL, price DOUBLE NOT NULL, is_completed BOOLEAN NOT NULL)";

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void remove_db(const fs::path& p) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
}

// ---- raw sqlite3: the same work, its fastest straightforward way ----
// Its phases are not inlined, so that a profiler can name them
// (valgrind --toggle-collect='*Raw::get_each*'); a call per phase costs nothing measurable.
struct Raw {
  sqlite3* db = nullptr;
  explicit Raw(const fs::path& p) {
    check(sqlite3_open(p.c_str(), &db), db, "open");
    // Same settings as Strata's SQLite connections.
    check(sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr,
                       nullptr, nullptr),
          db, "pragma");
  }
  ~Raw() { sqlite3_close(db); }

  [[gnu::noinline]] void insert(std::int64_t n) {
    check(sqlite3_exec(db, kDdl, nullptr, nullptr, nullptr), db, "ddl");
    std::vector<BenchItem> items;
    items.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) items.push_back(make_item(i));
    sqlite3_stmt* st = nullptr;
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO bench_item (title, description, quantity, price, is_completed) "
                             "VALUES (?, ?, ?, ?, ?)",
                             -1, &st, nullptr),
          db, "prepare");
    for (auto& it : items) {
      sqlite3_bind_text(st, 1, it.title.data(), static_cast<int>(it.title.size()), SQLITE_STATIC);
      if (it.description)
        sqlite3_bind_text(st, 2, it.description->data(), static_cast<int>(it.description->size()), SQLITE_STATIC);
      else
        sqlite3_bind_null(st, 2);
      sqlite3_bind_int64(st, 3, it.quantity);
      sqlite3_bind_double(st, 4, it.price);
      sqlite3_bind_int(st, 5, it.is_completed ? 1 : 0);
      check(sqlite3_step(st), db, "step");
      it.id = sqlite3_last_insert_rowid(db);  // the ORM reads keys back too
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  }

  static void read_row(sqlite3_stmt* st, BenchItem& it) {
    it.id = sqlite3_column_int64(st, 0);
    it.title.assign(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                    static_cast<std::size_t>(sqlite3_column_bytes(st, 1)));
    if (sqlite3_column_type(st, 2) == SQLITE_NULL)
      it.description.reset();
    else
      it.description.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st, 2)),
                             static_cast<std::size_t>(sqlite3_column_bytes(st, 2)));
    it.quantity = sqlite3_column_int64(st, 3);
    it.price = sqlite3_column_double(st, 4);
    it.is_completed = sqlite3_column_int(st, 5) != 0;
  }

  [[gnu::noinline]] std::size_t select_all() {
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db, "SELECT id, title, description, quantity, price, is_completed FROM bench_item", -1,
                             &st, nullptr),
          db, "prepare");
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");  // as a Session does
    std::vector<BenchItem> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      out.emplace_back();
      read_row(st, out.back());
    }
    sqlite3_finalize(st);
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    return out.size();
  }

  [[gnu::noinline]] std::size_t get_each(std::int64_t n) {
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db,
                             "SELECT id, title, description, quantity, price, is_completed FROM bench_item "
                             "WHERE id = ?",
                             -1, &st, nullptr),
          db, "prepare");
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");  // as a Session does
    std::vector<BenchItem> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) {
      sqlite3_bind_int64(st, 1, i);
      if (sqlite3_step(st) == SQLITE_ROW) {
        out.emplace_back();
        read_row(st, out.back());
      }
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    return out.size();
  }
};

// ---- Strata ----
// One Engine per run, created (and its pooled connection opened) before the
// timing, as the raw side opens its connection before its timing: an
// application creates its Engine once (SQLAlchemy: "a permanent fixture
// established up-front"), and each unit of work is a Session.
void strata_insert(strata::Engine& engine, std::int64_t n) {
  strata::create_all(engine, strata::model::metadata_of<BenchItem>());
  strata::Session s{engine};
  for (std::int64_t i = 0; i < n; ++i) s.add(make_item(i));
  s.commit();
}
std::size_t strata_select(strata::Engine& engine) {
  strata::Session s{engine};
  return s.exec(strata::select<BenchItem>()).all().size();
}
std::size_t strata_get(strata::Engine& engine, std::int64_t n) {
  strata::Session s{engine};
  std::size_t found = 0;
  for (std::int64_t i = 1; i <= n; ++i) found += s.get<BenchItem>(i) != nullptr;
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv);  // --profile=select|get|insert: only that Strata phase
  const std::int64_t n = args.number(0, 100000);
  const int repeats = static_cast<int>(args.number(1, 3));
  bool python = args.python;
  const std::string& profile = args.profile;

  fs::path dir = fs::temp_directory_path() / "strata_bench";
  fs::create_directories(dir);
  fs::path raw_db = dir / "raw.db", strata_db = dir / "strata.db", py_db = dir / "sqlalchemy.db";
  std::string url = "sqlite:///" + strata_db.string();
  if (url.rfind("sqlite:////", 0) != 0) url = "sqlite:////" + strata_db.string().substr(1);

  auto open_engine = [&] {
    auto engine = strata::create_engine(url);
    engine.connect().close();  // the pool's connection, opened before the timing
    return engine;
  };
  if (!profile.empty()) {
    remove_db(strata_db);
    auto engine = open_engine();
    strata_insert(engine, n);
    for (int r = 0; r < repeats; ++r) {
      if (profile == "select") strata_select(engine);
      if (profile == "get") strata_get(engine, n);
      if (profile == "insert") {
        engine.dispose();
        remove_db(strata_db);
        engine = open_engine();
        strata_insert(engine, n);
      }
    }
    return 0;
  }
  std::map<std::string, std::vector<double>> t;
  for (int r = 0; r < repeats; ++r) {
    remove_db(raw_db);
    remove_db(strata_db);
    {
      Raw raw(raw_db);
      t["raw.insert"].push_back(seconds([&] { raw.insert(n); }));
      t["raw.select"].push_back(seconds([&] {
        if (raw.select_all() != static_cast<std::size_t>(n)) throw std::runtime_error("raw select count");
      }));
      t["raw.get"].push_back(seconds([&] {
        if (raw.get_each(n) != static_cast<std::size_t>(n)) throw std::runtime_error("raw get count");
      }));
    }
    auto engine = open_engine();
    t["strata.insert"].push_back(seconds([&] { strata_insert(engine, n); }));
    t["strata.select"].push_back(seconds([&] {
      if (strata_select(engine) != static_cast<std::size_t>(n)) throw std::runtime_error("strata select count");
    }));
    t["strata.get"].push_back(seconds([&] {
      if (strata_get(engine, n) != static_cast<std::size_t>(n)) throw std::runtime_error("strata get count");
    }));
    engine.dispose();
  }
  if (python) {
    remove_db(py_db);
    python = bench::run_python_peer(
        fmt::format("/usr/bin/python3 {}/sqlalchemy_bench.py sqlite:///{} {}", STRATA_BENCH_DIR, py_db.string(), n), "sqlalchemy",
        t);
  }
  fmt::print("# {} rows, best of {} (SQLite file, WAL); seconds: strata / raw{}\n", n, repeats,
             python ? " / sqlalchemy" : "");
  bench::report(t, "", n, python ? "sqlalchemy" : "");
  return 0;
}
