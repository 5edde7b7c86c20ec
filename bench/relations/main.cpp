// Relationship loading benchmark (issue 6): 1,000 users with 100 items each,
// loaded with selectin against hand-written raw sqlite3 code reading the same
// data with two queries, in the same run, on the same SQLite file (WAL, the
// pragmas Strata's connections use).
//
//   strata  a new Session, exec(select<User>().options(selectin(&User::items))).all():
//           one SELECT of the users, one SELECT ... WHERE owner_id IN (...) per
//           1000 users, every item in its user's Many<Item> (and its owner set);
//           the statements are counted with EngineOptions::before_execute.
//   raw     the same two SELECTs, prepared, in one transaction (as a Session
//           reads), into a std::vector<RawUser> whose items are a
//           std::vector<RawItem> per user (grouped by owner with a hash map).
//
// Both sides then walk every user and item (ids and string lengths summed,
// compared between the sides) and free what they loaded, inside the timing.
// The data is seeded once (raw INSERTs in one transaction); each repeat runs
// both sides, and the best of the repeats is reported.
//
// Prints "<benchmark> strata/raw = <ratio> (...)" (lower is better for Strata).
// Usage: strata_bench_relations [users=1000] [items_per_user=100] [repeats=10]
//        [--profile=strata|raw]  (only that side, `repeats` times, for perf)
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "../common/args.hpp"
#include "../common/bench_item.hpp"
#include "common.hpp"

namespace {

namespace fs = std::filesystem;
using bench::seconds;
using relbench::Digest;
using relbench::RawItem;
using relbench::RawUser;

/// Parents per IN list, as Strata's selectin (src/orm/loading.cpp).
constexpr std::size_t kInBatch = 1000;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void remove_db(const fs::path& p) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
}

std::string text(sqlite3_stmt* st, int col) {
  return {reinterpret_cast<const char*>(sqlite3_column_text(st, col)),
          static_cast<std::size_t>(sqlite3_column_bytes(st, col))};
}

struct Raw {
  sqlite3* db = nullptr;
  int statements = 0, selects = 0;  // of the last load()

  explicit Raw(const fs::path& p) {
    check(sqlite3_open(p.c_str(), &db), db, "open");
    // Same settings as Strata's SQLite connections.
    check(sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr,
                       nullptr, nullptr),
          db, "pragma");
  }
  ~Raw() { sqlite3_close(db); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;

  void exec(const char* sql) {
    check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
    ++statements;
  }

  /// 1000 x 100 rows, in one transaction (not timed).
  void seed(std::int64_t users, std::int64_t per_user) {
    exec("BEGIN");
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO rel_user (email) VALUES (?)", -1, &st, nullptr), db, "prepare");
    std::vector<std::int64_t> ids;
    for (std::int64_t u = 0; u < users; ++u) {
      const std::string e = relbench::email_of(u);
      sqlite3_bind_text(st, 1, e.data(), static_cast<int>(e.size()), SQLITE_TRANSIENT);
      check(sqlite3_step(st), db, "insert user");
      ids.push_back(sqlite3_last_insert_rowid(db));
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    check(sqlite3_prepare_v2(db, "INSERT INTO rel_item (title, owner_id) VALUES (?, ?)", -1, &st, nullptr), db,
          "prepare");
    for (std::int64_t u = 0; u < users; ++u)
      for (std::int64_t k = 0; k < per_user; ++k) {
        const std::string t = relbench::title_of(u, k);
        sqlite3_bind_text(st, 1, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, ids[static_cast<std::size_t>(u)]);
        check(sqlite3_step(st), db, "insert item");
        sqlite3_reset(st);
      }
    sqlite3_finalize(st);
    exec("COMMIT");
  }

  /// The users, each with its items: the two SELECTs (the second once per
  /// 1000 users), the rows into plain structs.
  std::vector<RawUser> load() {
    statements = selects = 0;
    exec("BEGIN");  // as a Session does: both reads see one snapshot
    std::vector<RawUser> users;
    std::unordered_map<int, std::size_t> by_id;  // user id -> index in users
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db, "SELECT id, email FROM rel_user", -1, &st, nullptr), db, "prepare");
    ++statements, ++selects;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      RawUser& u = users.emplace_back();
      u.id = sqlite3_column_int(st, 0);
      u.email = text(st, 1);
      by_id.emplace(u.id, users.size() - 1);
    }
    check(rc, db, "select users");
    sqlite3_finalize(st);

    for (std::size_t begin = 0; begin < users.size(); begin += kInBatch) {
      const std::size_t n = std::min(kInBatch, users.size() - begin);
      std::string sql = "SELECT id, title, owner_id FROM rel_item WHERE owner_id IN (";
      for (std::size_t i = 0; i < n; ++i) sql += i ? ", ?" : "?";
      sql += ")";
      check(sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st, nullptr), db, "prepare");
      for (std::size_t i = 0; i < n; ++i) sqlite3_bind_int(st, static_cast<int>(i + 1), users[begin + i].id);
      ++statements, ++selects;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        RawItem it;
        it.id = sqlite3_column_int(st, 0);
        it.title = text(st, 1);
        it.owner_id = sqlite3_column_int(st, 2);
        auto owner = by_id.find(it.owner_id);
        if (owner != by_id.end()) users[owner->second].items.push_back(std::move(it));
      }
      check(rc, db, "select items");
      sqlite3_finalize(st);
    }
    exec("COMMIT");
    return users;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv);
  const std::int64_t users = args.number(0, 1000);
  const std::int64_t per_user = args.number(1, 100);
  const int repeats = static_cast<int>(args.number(2, 10));
  const std::string& profile = args.profile;
  if (!profile.empty() && profile != "strata" && profile != "raw") {
    std::fprintf(stderr, "--profile=strata or --profile=raw\n");
    return 2;
  }

  fs::path dir = fs::temp_directory_path() / "strata_bench";
  fs::create_directories(dir);
  const fs::path db = dir / "relations.db";
  std::string url = "sqlite:///" + db.string();
  if (url.rfind("sqlite:////", 0) != 0) url = "sqlite:////" + db.string().substr(1);

  remove_db(db);
  relbench::StrataSide strata_side(url);
  strata::create_all(strata_side.engine, strata::model::metadata_of<relbench::User, relbench::Item>());
  Raw raw(db);
  raw.seed(users, per_user);
  const Digest expected{static_cast<std::size_t>(users), static_cast<std::size_t>(users * per_user), 0};

  relbench::Best best;
  Digest ds, dr;
  for (int r = 0; r < repeats; ++r) {
    if (profile != "raw") best.add_strata(seconds([&] { ds = strata_side.load(); }), strata_side);
    if (profile != "strata") best.raw = std::min(best.raw, seconds([&] { dr = relbench::digest(raw.load()); }));
  }
  if (profile.empty()) {
    if (ds.users != expected.users || ds.items != expected.items)
      throw std::runtime_error(fmt::format("strata loaded {} users / {} items", ds.users, ds.items));
    if (!(ds == dr)) throw std::runtime_error("strata and raw loaded different data");
    fmt::print("# {} users x {} items, best of {} (SQLite file, WAL); seconds: strata / raw\n", users, per_user,
               repeats);
    relbench::report(fmt::format("selectin_{}x{}", users, per_user), best, strata_side, raw.statements,
                     raw.selects);
  }
  remove_db(db);
  return 0;
}
