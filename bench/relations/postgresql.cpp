// Relationship loading benchmark on PostgreSQL (issue 6): the SQLite
// benchmark of bench/relations/main.cpp, on one server, against raw libpq.
//
//   strata  the same Session code as on SQLite (common.hpp): one SELECT of the
//           users, one SELECT ... WHERE owner_id IN (...) per 1000 users
//           (prepared and cached by Strata's driver), every item in its user's
//           Many<Item>; statements counted with before_execute.
//   raw     the same two SELECTs with PQexecParams (text results, the IN list's
//           keys as $n parameters), in one transaction, parsed into a
//           std::vector<RawUser> with each user's items in a std::vector
//           (grouped by owner with a hash map).
//
// Tables rel_user / rel_item are dropped, re-created and seeded once per run
// (INSERT ... SELECT from generate_series, then VACUUM ANALYZE).
// Prints "pg_<benchmark> strata/raw = <ratio> (...)" (lower is better for Strata).
// Usage: strata_bench_relations_postgresql <postgresql URL of a scratch database>
//        [users=1000] [items_per_user=100] [repeats=10] [--profile=strata|raw]
#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "../common/args.hpp"
#include "../common/bench_item.hpp"
#include "common.hpp"

namespace {

using bench::seconds;
using relbench::Digest;
using relbench::RawItem;
using relbench::RawUser;

/// Parents per IN list, as Strata's selectin (src/orm/loading.cpp).
constexpr std::size_t kInBatch = 1000;

struct Raw {
  PGconn* conn = nullptr;
  int statements = 0, selects = 0;  // of the last load()

  explicit Raw(const std::string& conninfo) {
    conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn));
  }
  ~Raw() { PQfinish(conn); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;

  /// Throws unless r succeeded; returns it (the caller clears it).
  PGresult* ok(PGresult* r, const std::string& what) {
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string m = what + ": " + PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error(m);
    }
    return r;
  }
  void exec(const std::string& sql) {
    PQclear(ok(PQexec(conn, sql.c_str()), sql));
    ++statements;
  }

  void seed(std::int64_t users, std::int64_t per_user) {
    exec("BEGIN");
    exec(fmt::format("INSERT INTO rel_user (email) SELECT 'user' || g || '@example.com' FROM generate_series(0, {}) g "
                     "ORDER BY g",
                     users - 1));
    exec(fmt::format("INSERT INTO rel_item (title, owner_id) SELECT 'item ' || k || ' of user ' || (u.id - 1), u.id "
                     "FROM rel_user u, generate_series(0, {}) k ORDER BY u.id, k",
                     per_user - 1));
    exec("COMMIT");
    exec("VACUUM ANALYZE rel_user");
    exec("VACUUM ANALYZE rel_item");
  }

  static int int_at(PGresult* r, int row, int col) { return std::atoi(PQgetvalue(r, row, col)); }
  static std::string text_at(PGresult* r, int row, int col) {
    return {PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col))};
  }

  std::vector<RawUser> load() {
    statements = selects = 0;
    exec("BEGIN");  // as a Session does: both reads see one snapshot
    std::vector<RawUser> users;
    std::unordered_map<int, std::size_t> by_id;  // user id -> index in users
    PGresult* r = ok(PQexecParams(conn, "SELECT id, email FROM rel_user", 0, nullptr, nullptr, nullptr, nullptr, 0),
                     "select users");
    ++statements, ++selects;
    const int n_users = PQntuples(r);
    users.resize(static_cast<std::size_t>(n_users));
    for (int i = 0; i < n_users; ++i) {
      RawUser& u = users[static_cast<std::size_t>(i)];
      u.id = int_at(r, i, 0);
      u.email = text_at(r, i, 1);
      by_id.emplace(u.id, static_cast<std::size_t>(i));
    }
    PQclear(r);

    std::vector<std::string> keys;
    std::vector<const char*> values;
    for (std::size_t begin = 0; begin < users.size(); begin += kInBatch) {
      const std::size_t n = std::min(kInBatch, users.size() - begin);
      std::string sql = "SELECT id, title, owner_id FROM rel_item WHERE owner_id IN (";
      keys.clear();
      values.clear();
      for (std::size_t i = 0; i < n; ++i) {
        sql += fmt::format("{}${}", i ? ", " : "", i + 1);
        keys.push_back(std::to_string(users[begin + i].id));
      }
      sql += ")";
      for (const auto& k : keys) values.push_back(k.c_str());
      r = ok(PQexecParams(conn, sql.c_str(), static_cast<int>(n), nullptr, values.data(), nullptr, nullptr, 0),
             "select items");
      ++statements, ++selects;
      const int rows = PQntuples(r);
      for (int i = 0; i < rows; ++i) {
        RawItem it;
        it.id = int_at(r, i, 0);
        it.title = text_at(r, i, 1);
        it.owner_id = int_at(r, i, 2);
        auto owner = by_id.find(it.owner_id);
        if (owner != by_id.end()) users[owner->second].items.push_back(std::move(it));
      }
      PQclear(r);
    }
    exec("COMMIT");
    return users;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv);
  if (args.positional.empty()) {
    std::fprintf(stderr,
                 "usage: strata_bench_relations_postgresql <postgresql URL> [users] [items_per_user] [repeats] "
                 "[--profile=strata|raw]\n");
    return 2;
  }
  const std::string url = args.positional[0];
  const std::int64_t users = args.number(1, 1000);
  const std::int64_t per_user = args.number(2, 100);
  const int repeats = static_cast<int>(args.number(3, 10));
  const std::string& profile = args.profile;
  if (!profile.empty() && profile != "strata" && profile != "raw") {
    std::fprintf(stderr, "--profile=strata or --profile=raw\n");
    return 2;
  }

  relbench::StrataSide strata_side(url);
  const auto md = strata::model::metadata_of<relbench::User, relbench::Item>();
  strata::drop_all(strata_side.engine, md);
  strata::create_all(strata_side.engine, md);
  Raw raw(url);  // libpq accepts the URL form directly
  raw.seed(users, per_user);

  relbench::Best best;
  Digest ds, dr;
  for (int r = 0; r < repeats; ++r) {
    if (profile != "raw") best.add_strata(seconds([&] { ds = strata_side.load(); }), strata_side);
    if (profile != "strata") best.raw = std::min(best.raw, seconds([&] { dr = relbench::digest(raw.load()); }));
  }
  if (profile.empty()) {
    if (ds.users != static_cast<std::size_t>(users) || ds.items != static_cast<std::size_t>(users * per_user))
      throw std::runtime_error(fmt::format("strata loaded {} users / {} items", ds.users, ds.items));
    if (!(ds == dr)) throw std::runtime_error("strata and raw loaded different data");
    fmt::print("# {} users x {} items, best of {} (PostgreSQL, local TCP); seconds: strata / raw libpq\n", users,
               per_user, repeats);
    relbench::report(fmt::format("pg_selectin_{}x{}", users, per_user), best, strata_side, raw.statements,
                     raw.selects);
  }
  strata::drop_all(strata_side.engine, md);
  return 0;
}
