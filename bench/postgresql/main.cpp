// Runtime benchmarks on PostgreSQL: Strata's Session against raw libpq doing
// the same work its fastest way, and against SQLAlchemy 1.4's ORM with
// psycopg2 (Debian python3-sqlalchemy + python3-psycopg2, /usr/bin/python3),
// in one run, on one server.
//
//   insert   N objects added to a Session, one commit, keys read back.
//            raw: one prepared INSERT ... RETURNING id, pipeline mode, one transaction.
//   select   every row into structs. raw: one prepared SELECT.
//   get      N lookups by primary key. raw: one prepared SELECT ... WHERE id = $1, N times.
//
// Prints "<benchmark> strata/<peer> = <ratio>" lines (lower is better for Strata).
// Usage: strata_bench_postgresql <postgresql URL of a scratch database> [rows=100000] [repeats=3] [--no-python]
// Each run drops and re-creates table bench_item in that database.
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/args.hpp"
#include "../common/bench_item.hpp"

namespace {

using bench::make_item;
using bench::seconds;

// ---- raw libpq: the same work, its fastest straightforward way ----
// Its phases are not inlined, so that a profiler can name them (perf, valgrind).
struct Raw {
  PGconn* conn = nullptr;
  explicit Raw(const std::string& conninfo) {
    conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn));
  }
  ~Raw() { PQfinish(conn); }

  void ok(PGresult* r, const char* what) {
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_SYNC) {
      std::string m = std::string(what) + ": " + PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error(m);
    }
    PQclear(r);
  }
  void exec(const char* sql) { ok(PQexec(conn, sql), sql); }

  [[gnu::noinline]] void insert(std::int64_t n) {
    std::vector<BenchItem> items;
    items.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) items.push_back(make_item(i));
    exec("BEGIN");
    ok(PQprepare(conn, "ins",
                 "INSERT INTO bench_item (title, description, quantity, price, is_completed) "
                 "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                 5, nullptr),
       "prepare");
    if (PQenterPipelineMode(conn) != 1) throw std::runtime_error("pipeline mode");
    constexpr std::size_t kBatch = 1000;
    for (std::size_t start = 0; start < items.size(); start += kBatch) {
      const std::size_t end = std::min(items.size(), start + kBatch);
      std::vector<std::string> texts;
      texts.reserve((end - start) * 3);
      for (std::size_t i = start; i < end; ++i) {
        const auto& it = items[i];
        texts.push_back(std::to_string(it.quantity));
        char buf[32];
        auto res = std::to_chars(buf, buf + sizeof buf, it.price);
        texts.emplace_back(buf, res.ptr);
        texts.push_back(it.is_completed ? "true" : "false");
        const char* values[5] = {it.title.c_str(), it.description ? it.description->c_str() : nullptr,
                                 texts[texts.size() - 3].c_str(), texts[texts.size() - 2].c_str(),
                                 texts.back().c_str()};
        if (PQsendQueryPrepared(conn, "ins", 5, values, nullptr, nullptr, 0) != 1)
          throw std::runtime_error(PQerrorMessage(conn));
      }
      PQpipelineSync(conn);
      for (std::size_t i = start; i < end; ++i) {
        PGresult* r = PQgetResult(conn);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) ok(r, "insert");
        items[i].id = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);  // the ORM reads keys back too
        PQclear(r);
        PQclear(PQgetResult(conn));  // the NULL that ends each query's results
      }
      ok(PQgetResult(conn), "sync");
    }
    PQexitPipelineMode(conn);
    exec("COMMIT");
  }

  static void read_row(PGresult* r, int row, BenchItem& it) {
    it.id = std::strtoll(PQgetvalue(r, row, 0), nullptr, 10);
    it.title.assign(PQgetvalue(r, row, 1), static_cast<std::size_t>(PQgetlength(r, row, 1)));
    if (PQgetisnull(r, row, 2))
      it.description.reset();
    else
      it.description.emplace(PQgetvalue(r, row, 2), static_cast<std::size_t>(PQgetlength(r, row, 2)));
    it.quantity = std::strtoll(PQgetvalue(r, row, 3), nullptr, 10);
    const char* p = PQgetvalue(r, row, 4);
    std::from_chars(p, p + PQgetlength(r, row, 4), it.price);
    it.is_completed = PQgetvalue(r, row, 5)[0] == 't';
  }

  [[gnu::noinline]] std::size_t select_all() {
    exec("BEGIN");  // as a Session does
    PGresult* r = PQexecParams(conn, "SELECT id, title, description, quantity, price, is_completed FROM bench_item",
                               0, nullptr, nullptr, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) ok(r, "select");
    std::vector<BenchItem> out(static_cast<std::size_t>(PQntuples(r)));
    for (int i = 0; i < PQntuples(r); ++i) read_row(r, i, out[static_cast<std::size_t>(i)]);
    PQclear(r);
    exec("COMMIT");
    return out.size();
  }

  [[gnu::noinline]] std::size_t get_each(std::int64_t n) {
    exec("BEGIN");
    ok(PQprepare(conn, "get",
                 "SELECT id, title, description, quantity, price, is_completed FROM bench_item WHERE id = $1", 1,
                 nullptr),
       "prepare");
    std::vector<BenchItem> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) {
      const std::string key = std::to_string(i);
      const char* values[1] = {key.c_str()};
      PGresult* r = PQexecPrepared(conn, "get", 1, values, nullptr, nullptr, 0);
      if (PQresultStatus(r) != PGRES_TUPLES_OK) ok(r, "get");
      if (PQntuples(r) == 1) {
        out.emplace_back();
        read_row(r, 0, out.back());
      }
      PQclear(r);
    }
    exec("DEALLOCATE ALL");
    exec("COMMIT");
    return out.size();
  }
};

// ---- Strata ----
void strata_insert(strata::Engine& engine, std::int64_t n) {
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
  const bench::Args args(argc, argv);
  const std::vector<std::string>& positional = args.positional;
  bool python = args.python;
  if (positional.empty()) {
    std::fprintf(stderr, "usage: strata_bench_postgresql <postgresql URL> [rows] [repeats] [--no-python]\n");
    return 2;
  }
  const std::string url = positional[0];
  const std::int64_t n = args.number(1, 100000);
  const int repeats = static_cast<int>(args.number(2, 3));
  // libpq accepts the URL form directly (postgresql://user@host:port/db).
  const std::string conninfo = url;

  auto engine = strata::create_engine(url);
  const auto md = strata::model::metadata_of<BenchItem>();
  auto reset = [&] {
    strata::drop_all(engine, md);
    strata::create_all(engine, md);
  };

  std::map<std::string, std::vector<double>> t;
  for (int r = 0; r < repeats; ++r) {
    reset();
    {
      Raw raw(conninfo);
      t["raw.insert"].push_back(seconds([&] { raw.insert(n); }));
      raw.exec("VACUUM ANALYZE bench_item");
      t["raw.select"].push_back(seconds([&] {
        if (raw.select_all() != static_cast<std::size_t>(n)) throw std::runtime_error("raw select count");
      }));
      t["raw.get"].push_back(seconds([&] {
        if (raw.get_each(n) != static_cast<std::size_t>(n)) throw std::runtime_error("raw get count");
      }));
    }
    reset();
    engine.dispose();
    t["strata.insert"].push_back(seconds([&] { strata_insert(engine, n); }));
    engine.connect().execute_script("VACUUM ANALYZE bench_item");
    t["strata.select"].push_back(seconds([&] {
      if (strata_select(engine) != static_cast<std::size_t>(n)) throw std::runtime_error("strata select count");
    }));
    t["strata.get"].push_back(seconds([&] {
      if (strata_get(engine, n) != static_cast<std::size_t>(n)) throw std::runtime_error("strata get count");
    }));
  }
  if (python) {
    strata::drop_all(engine, md);
    engine.dispose();
    python = bench::run_python_peer(
        fmt::format("/usr/bin/python3 {}/sqlalchemy_bench.py 'postgresql+psycopg2://{}' {}", STRATA_BENCH_DIR,
                    url.substr(url.find("://") + 3), n), "sqlalchemy", t);
  }
  fmt::print("# {} rows, best of {} (PostgreSQL 15, local TCP); seconds: strata / raw libpq{}\n", n, repeats,
             python ? " / sqlalchemy+psycopg2" : "");
  bench::report(t, "pg_", n, python ? "sqlalchemy" : "");
  return 0;
}
