// catalog_api: the AI model catalogue's HTTP API (seed 004's FastAPI app) in
// C++, with cpp-httplib for HTTP and Strata for everything else: the request
// bodies are validated by Strata's Pydantic half (validate_json, Patch<T>),
// rows are read and written through one Session per request, and responses
// are to_json() of the models (relationships nested). docs/api.md lists the
// endpoints; tests/examples/api_test.sh drives it with curl.
//
//   catalog_api --url URL [--host 127.0.0.1] [--port 8000] [--create-all]
//
// --create-all creates the tables first (the template's create_db_and_tables);
// otherwise the schema is the migrations' business (scripts/demo). --port 0
// picks a free port. The first line on stdout is `listening on http://HOST:PORT`.
// SIGTERM / SIGINT stop the server (requests in progress finish); exit 0.
//
// Status codes, as FastAPI's (the full-stack template's conventions):
//   200  GET, PATCH; DELETE with {"message": "... deleted successfully"}
//   201  POST (the created row)
//   404  {"detail": "Model not found"} (also "Benchmark not found", "Result not found")
//   409  {"detail": "..."} a UNIQUE constraint (a duplicate name, a duplicate result)
//   422  {"detail": [{type, loc, msg, input, ctx}...]} the body, a query or a path
//        parameter did not validate (bad JSON text: type "json_invalid")
//   500  {"detail": "Internal Server Error"} (the cause is logged on stderr)
//   503  {"detail": "..."} the database stayed busy (a retryable OperationalError, 3 tries)
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "catalog/models.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/validate.hpp"
#include "strata/strata.hpp"

namespace catalog_api {

using catalog::Benchmark;
using catalog::BenchmarkResult;
using catalog::Model;
using json = nlohmann::json;
using strata::col;
using strata::joined;
using strata::select;
using strata::selectin;
using strata::Session;
using strata::model::Patch;

// ---------------------------------------------------------------------------
// Input shapes (the seed's ModelCreate / BenchmarkCreate / BenchmarkResultCreate).
// The seed's Base classes put no lower bound on the names; an API should refuse
// "" (Pydantic's Field(min_length=1)), so these shapes restate the Base fields
// with that rule. PATCH takes Patch<XCreate>: the same rules, only the keys sent
// (the seed's XUpdate, whose fields are all optional, without accepting a null
// name that the NOT NULL column would refuse).

/// POST /api/models, PATCH /api/models/{id} (as Patch<ModelCreate>).
struct ModelCreate {
  std::string name;
  std::string organization;
  std::optional<strata::Date> release_date;
  std::optional<std::string> description;
  std::optional<std::string> license;
  std::optional<strata::Json> metadata_;  // the seed's JSON key too
};
STRATA_MODEL(ModelCreate, field<&ModelCreate::name>().min_length(1).max_length(255),
             field<&ModelCreate::organization>().min_length(1).max_length(255),
             field<&ModelCreate::license>().max_length(255));

/// POST /api/benchmarks, PATCH /api/benchmarks/{id} (as Patch<BenchmarkCreate>).
struct BenchmarkCreate {
  std::string name;
  std::optional<std::string> category;
  std::optional<std::string> description;
  std::optional<std::string> url;
};
STRATA_MODEL(BenchmarkCreate, field<&BenchmarkCreate::name>().min_length(1).max_length(255),
             field<&BenchmarkCreate::category>().max_length(100),
             field<&BenchmarkCreate::url>().max_length(500));

/// POST /api/models/{id}/results: the model comes from the path.
struct ResultCreate {
  // Both required: `= 0` is the value-initialized state, not a default (validate.hpp).
  int benchmark_id = 0;
  double score = 0;  // a JSON number (or a numeric string: Pydantic's lax mode)
  std::optional<strata::Date> date_tested;
  std::optional<std::string> source;
};
STRATA_MODEL(ResultCreate, field<&ResultCreate::source>().max_length(255));

/// ?skip=&limit= of the list endpoints (FastAPI's `skip: int = 0, limit: int = 100`,
/// plus ge=0 so that a negative OFFSET / LIMIT is a 422, not a database error).
struct ListQuery {
  std::int64_t skip = 0;
  std::int64_t limit = 100;
};
STRATA_MODEL(ListQuery, field<&ListQuery::skip>().ge(0).has_default(),
             field<&ListQuery::limit>().ge(0).has_default());

/// One integer path parameter ({model_id}, {result_id}...).
struct PathId {
  int id = 0;
};
STRATA_MODEL(PathId);

// ---------------------------------------------------------------------------
// Responses and errors

/// What a handler answers: a status and a JSON body.
struct Reply {
  int status = 200;
  json body;
};

/// FastAPI's HTTPException: thrown by a handler, sent as {status, body}.
struct HttpError {
  int status;
  json body;
};

HttpError not_found(const std::string& what) { return {404, {{"detail", what + " not found"}}}; }

/// A ValidationError of a query or path parameter as FastAPI reports it: the
/// errors of `e` with "query" / "path" and the parameter's name as loc.
HttpError parameter_error(const strata::ValidationError& e, const char* where, const char* name) {
  json detail = json::array();
  for (json err : e.errors_json()) {
    json loc = {where};
    if (name) {
      loc.push_back(name);
    } else {
      for (const auto& part : err["loc"]) loc.push_back(part);
    }
    err["loc"] = std::move(loc);
    detail.push_back(std::move(err));
  }
  return {422, {{"detail", std::move(detail)}}};
}

/// The 409 detail of a UNIQUE violation, by the table the database names (the
/// constraint's own name differs between SQLite and PostgreSQL; the fields do not).
std::string conflict_detail(const strata::UniqueViolation& e) {
  if (e.table() == "models") return "A model with this name already exists (unique: models.name)";
  if (e.table() == "benchmarks") return "A benchmark with this name already exists (unique: benchmarks.name)";
  if (e.table() == "benchmark_results")
    return "This model already has a result on this benchmark for this date_tested "
           "(unique: uix_model_benchmark_date)";
  return "Unique constraint violated: " + (e.constraint().empty() ? e.table() : e.constraint());
}

/// The body validated as T (a model or a Patch<Model>). An empty body is
/// FastAPI's "missing" error at loc ["body"]; the rest is validate_json's
/// (bad JSON text: json_invalid). Throws: HttpError, ValidationError (-> 422).
template <class T>
T body(const httplib::Request& req) {
  if (req.body.empty())
    throw HttpError{422, {{"detail", json::array({{{"type", "missing"},
                                                   {"loc", {"body"}},
                                                   {"msg", "Field required"},
                                                   {"input", nullptr}}})}}};
  return strata::model::validate_json<T>(req.body);
}

/// Path parameter `index` of the route's regex, an int named `name` in errors.
int path_id(const httplib::Request& req, std::size_t index, const char* name) {
  try {
    return strata::model::validate<PathId>(json{{"id", req.matches[index].str()}}).id;
  } catch (const strata::ValidationError& e) {
    throw parameter_error(e, "path", name);
  }
}

/// ?skip=&limit=, validated (a string such as "ten" is int_parsing at ["query", "skip"]).
ListQuery list_query(const httplib::Request& req) {
  json q = json::object();
  for (const char* key : {"skip", "limit"})
    if (req.has_param(key)) q[key] = req.get_param_value(key);
  try {
    return strata::model::validate<ListQuery>(q);
  } catch (const strata::ValidationError& e) {
    throw parameter_error(e, "query", nullptr);
  }
}

/// SQLModel's `obj.sqlmodel_update(patch.model_dump(exclude_unset=True))`: the
/// sent fields of a Patch of an input shape assigned to a table object (by
/// member name, through JSON, so the table model's own rules apply as well).
template <class Table, class Shape>
void apply_patch(const Patch<Shape>& patch, Table& obj) {
  strata::model::validate<Patch<Table>>(strata::model::to_json(patch)).apply(obj);
}

// The response shapes: a model or benchmark on its own (the seed's
// ModelResponse / BenchmarkResponse: no relationships), a result with its
// benchmark. GET /api/models/{id} dumps the model with everything it loaded.
const strata::model::DumpOptions kModelFlat{.exclude = {"benchmark_results", "opinions", "use_cases"}};
const strata::model::DumpOptions kBenchmarkFlat{.exclude = {"results"}};
const strata::model::DumpOptions kResult{.exclude = {"model"}};

/// {"data": [...], "count": total}, the full-stack template's ItemsPublic.
template <class T>
json page(Session& s, const strata::orm::Select<std::shared_ptr<T>>& q, const ListQuery& lq,
          const strata::model::DumpOptions& opts) {
  auto rows = s.exec(q.offset(lq.skip).limit(lq.limit)).all();
  return {{"data", strata::model::to_json(rows, opts)}, {"count", s.count(q)}};
}

std::shared_ptr<Model> model_or_404(Session& s, int id) {
  auto m = s.get<Model>(id);
  if (!m) throw not_found("Model");
  return m;
}
std::shared_ptr<Benchmark> benchmark_or_404(Session& s, int id) {
  auto b = s.get<Benchmark>(id);
  if (!b) throw not_found("Benchmark");
  return b;
}
/// Result `rid` of model `mid` (404 when the model or the result is missing, or
/// when the result belongs to another model), with its benchmark loaded.
std::shared_ptr<BenchmarkResult> result_or_404(Session& s, int mid, int rid) {
  model_or_404(s, mid);
  auto r = s.get<BenchmarkResult>(rid);
  if (!r || r->model_id != mid) throw not_found("Result");
  s.load(r, &BenchmarkResult::benchmark);
  return r;
}

// ---------------------------------------------------------------------------
// Handlers: one Session each (a Session is not thread-safe; httplib runs
// handlers on its thread pool, and the Engine's pool is shared).

Reply list_models(const httplib::Request& req, Session& s) {
  return {200, page(s, select<Model>().order_by(col(&Model::id)), list_query(req), kModelFlat)};
}

Reply create_model(const httplib::Request& req, Session& s) {
  auto m = s.add(strata::model::project<Model>(body<ModelCreate>(req)));
  s.commit();  // INSERT ... RETURNING id, created_at, updated_at
  return {201, strata::model::to_json(*m, kModelFlat)};
}

Reply read_model(const httplib::Request& req, Session& s) {
  const int id = path_id(req, 1, "model_id");
  // 4 SELECTs: the model; its results with their benchmarks (LEFT OUTER JOIN); opinions; use cases.
  auto m = s.exec(select<Model>()
                      .where(col(&Model::id) == id)
                      .options(selectin(&Model::benchmark_results).joined(&BenchmarkResult::benchmark),
                               selectin(&Model::opinions), selectin(&Model::use_cases)))
               .first();
  if (!m) throw not_found("Model");
  return {200, strata::model::to_json(**m)};
}

Reply update_model(const httplib::Request& req, Session& s) {
  const int id = path_id(req, 1, "model_id");
  auto patch = body<Patch<ModelCreate>>(req);
  auto m = model_or_404(s, id);
  apply_patch(patch, *m);
  s.commit();  // UPDATE of the changed columns only (and updated_at)
  return {200, strata::model::to_json(*m, kModelFlat)};
}

Reply delete_model(const httplib::Request& req, Session& s) {
  auto m = model_or_404(s, path_id(req, 1, "model_id"));
  s.delete_(m);  // cascade "all, delete-orphan": its results, opinions and use cases first
  s.commit();
  return {200, {{"message", "Model deleted successfully"}}};
}

Reply list_benchmarks(const httplib::Request& req, Session& s) {
  return {200, page(s, select<Benchmark>().order_by(col(&Benchmark::id)), list_query(req), kBenchmarkFlat)};
}

Reply create_benchmark(const httplib::Request& req, Session& s) {
  auto b = s.add(strata::model::project<Benchmark>(body<BenchmarkCreate>(req)));
  s.commit();
  return {201, strata::model::to_json(*b, kBenchmarkFlat)};
}

Reply read_benchmark(const httplib::Request& req, Session& s) {
  return {200, strata::model::to_json(*benchmark_or_404(s, path_id(req, 1, "benchmark_id")), kBenchmarkFlat)};
}

Reply update_benchmark(const httplib::Request& req, Session& s) {
  const int id = path_id(req, 1, "benchmark_id");
  auto patch = body<Patch<BenchmarkCreate>>(req);
  auto b = benchmark_or_404(s, id);
  apply_patch(patch, *b);
  s.commit();
  return {200, strata::model::to_json(*b, kBenchmarkFlat)};
}

Reply delete_benchmark(const httplib::Request& req, Session& s) {
  auto b = benchmark_or_404(s, path_id(req, 1, "benchmark_id"));
  s.delete_(b);  // cascade: the results on this benchmark go too
  s.commit();
  return {200, {{"message", "Benchmark deleted successfully"}}};
}

Reply list_results(const httplib::Request& req, Session& s) {
  const int id = path_id(req, 1, "model_id");
  const ListQuery lq = list_query(req);
  model_or_404(s, id);
  auto q = select<BenchmarkResult>()
               .where(col(&BenchmarkResult::model_id) == id)
               .order_by(col(&BenchmarkResult::id))
               .options(joined(&BenchmarkResult::benchmark));
  return {200, page(s, q, lq, kResult)};
}

/// 404 for a missing model; 404 "Benchmark not found" when benchmark_id names
/// no benchmark (a referenced row, as the template answers for an unknown id);
/// 409 for a second result of the model on the benchmark for the same date_tested.
Reply create_result(const httplib::Request& req, Session& s) {
  const int id = path_id(req, 1, "model_id");
  auto in = body<ResultCreate>(req);
  model_or_404(s, id);
  auto b = benchmark_or_404(s, in.benchmark_id);
  auto r = strata::model::project<BenchmarkResult>(in);
  r.model_id = id;
  auto saved = s.add(std::move(r));
  s.commit();
  s.load(saved, &BenchmarkResult::benchmark);  // in the identity map: no statement
  return {201, strata::model::to_json(*saved, kResult)};
}

Reply read_result(const httplib::Request& req, Session& s) {
  auto r = result_or_404(s, path_id(req, 1, "model_id"), path_id(req, 2, "result_id"));
  return {200, strata::model::to_json(*r, kResult)};
}

Reply delete_result(const httplib::Request& req, Session& s) {
  auto r = result_or_404(s, path_id(req, 1, "model_id"), path_id(req, 2, "result_id"));
  s.delete_(r);
  s.commit();
  return {200, {{"message", "Result deleted successfully"}}};
}

// ---------------------------------------------------------------------------
// Routing

using Handler = Reply (*)(const httplib::Request&, Session&);

/// What a handler does to the database: read only, or write (perhaps after reading).
enum class Access { Read, Write };

/// Opens the Session's transaction for a request that writes, with the
/// dialect's begin_immediate_sql(): on SQLite, BEGIN IMMEDIATE takes the write
/// lock first (waiting up to busy_timeout for another writer). With a plain
/// BEGIN, a request that reads and then writes (PATCH: get, then UPDATE) works
/// on a WAL snapshot, and its first write fails at once with SQLITE_BUSY
/// (snapshot) whenever another request committed in between: retrying only
/// loses the same race again under load. On PostgreSQL it is a plain BEGIN.
/// The Session has no option for this, so its connection's BEGIN is replaced.
void begin_write(Session& s) {
  strata::engine::Connection& c = s.connection();  // BEGIN (nothing read yet)
  c.rollback();
  c.begin_immediate();
}

/// Runs `h` with a Session of its own and maps Strata's exceptions to statuses.
/// A retryable OperationalError (SQLite: the write lock still held by another
/// request after busy_timeout; PostgreSQL: serialization failure, deadlock)
/// runs the handler again with a new Session, up to 3 times in all: the failed
/// transaction was rolled back, so nothing was written.
httplib::Server::Handler endpoint(const strata::Engine& engine, Handler h, Access access) {
  return [engine, h, access](const httplib::Request& req, httplib::Response& res) {
    Reply reply;
    try {
      for (int attempt = 1;; ++attempt) {
        try {
          Session session{engine};
          if (access == Access::Write) begin_write(session);
          reply = h(req, session);
          break;
        } catch (const strata::OperationalError& e) {
          if (!e.retryable() || attempt == 3) throw;
          std::fprintf(stderr, "catalog_api: %s %s: retrying (attempt %d failed: %s)\n", req.method.c_str(),
                       req.path.c_str(), attempt, e.driver_message().c_str());
        }
      }
    } catch (const HttpError& e) {
      reply = {e.status, e.body};
    } catch (const strata::ValidationError& e) {
      reply = {422, e.json()};
    } catch (const strata::UniqueViolation& e) {
      reply = {409, {{"detail", conflict_detail(e)}}};
    } catch (const strata::ForeignKeyViolation& e) {
      // A row referenced by the request went away meanwhile (the handlers check first).
      reply = {409, {{"detail", "Foreign key violated: " + e.constraint()}}};
    } catch (const strata::OperationalError& e) {
      std::fprintf(stderr, "catalog_api: %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
      reply = e.retryable() ? Reply{503, {{"detail", "The database is busy, try again"}}}
                            : Reply{500, {{"detail", "Internal Server Error"}}};
    } catch (const std::exception& e) {
      std::fprintf(stderr, "catalog_api: %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
      reply = {500, {{"detail", "Internal Server Error"}}};
    }
    res.status = reply.status;
    // replace: a json_invalid error echoes the body, which need not be UTF-8.
    res.set_content(reply.body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
  };
}

void add_routes(httplib::Server& svr, const strata::Engine& engine) {
  const std::string id = "/([^/]+)";  // any segment: path_id() validates it (422, not 404)
  svr.Get("/api/models", endpoint(engine, list_models, Access::Read));
  svr.Post("/api/models", endpoint(engine, create_model, Access::Write));
  svr.Get("/api/models" + id, endpoint(engine, read_model, Access::Read));
  svr.Patch("/api/models" + id, endpoint(engine, update_model, Access::Write));
  svr.Delete("/api/models" + id, endpoint(engine, delete_model, Access::Write));
  svr.Get("/api/benchmarks", endpoint(engine, list_benchmarks, Access::Read));
  svr.Post("/api/benchmarks", endpoint(engine, create_benchmark, Access::Write));
  svr.Get("/api/benchmarks" + id, endpoint(engine, read_benchmark, Access::Read));
  svr.Patch("/api/benchmarks" + id, endpoint(engine, update_benchmark, Access::Write));
  svr.Delete("/api/benchmarks" + id, endpoint(engine, delete_benchmark, Access::Write));
  svr.Get("/api/models" + id + "/results", endpoint(engine, list_results, Access::Read));
  svr.Post("/api/models" + id + "/results", endpoint(engine, create_result, Access::Write));
  svr.Get("/api/models" + id + "/results" + id, endpoint(engine, read_result, Access::Read));
  svr.Delete("/api/models" + id + "/results" + id, endpoint(engine, delete_result, Access::Write));

  // Unrouted requests: FastAPI's {"detail": "Not Found"} instead of an empty body.
  svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const char* what = res.status == 404   ? "Not Found"
                       : res.status == 400 ? "Bad Request"
                       : res.status == 413 ? "Request Entity Too Large"
                                           : "Error";
    res.set_content(json{{"detail", what}}.dump(), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  // One access-log line per request on stderr, as uvicorn's.
  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::fprintf(stderr, "%s:%d - \"%s %s\" %d\n", req.remote_addr.c_str(), req.remote_port, req.method.c_str(),
                 req.target.c_str(), res.status);
  });
  svr.set_payload_max_length(std::size_t{1} << 20);  // 1 MiB bodies at most (413 beyond)
}

}  // namespace catalog_api

int main(int argc, char** argv) {
  CLI::App app{"The AI model catalogue's HTTP API (seed 004's FastAPI app) over a Strata Session", "catalog_api"};
  std::string url;
  std::string host = "127.0.0.1";
  int port = 8000;
  bool create_all = false;
  app.add_option("--url", url, "Database URL (sqlite:///file.db, postgresql://...)")->required();
  app.add_option("--host", host, "Address to listen on")->capture_default_str();
  app.add_option("--port", port, "TCP port; 0 picks a free one")->check(CLI::Range(0, 65535))->capture_default_str();
  app.add_flag("--create-all", create_all, "Create the tables first (create_all; the demo migrates instead)");
  CLI11_PARSE(app, argc, argv);

  // SIGTERM / SIGINT are blocked in every thread (httplib's workers inherit
  // the mask) and taken by sigwait() in one thread, which may then call
  // Server::stop(): stop() is not async-signal-safe, so no signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server svr;
  try {
    auto engine = strata::create_engine(strata::engine::Url::parse(url));
    if (create_all)
      strata::create_all(engine, strata::model::metadata_of<catalog::Model, catalog::Benchmark,
                                                            catalog::BenchmarkResult, catalog::Opinion,
                                                            catalog::UseCase>());
    catalog_api::add_routes(svr, engine);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "catalog_api: %s\n", e.what());
    return 1;
  }

  if (port == 0) {
    port = svr.bind_to_any_port(host);
    if (port < 0) {
      std::fprintf(stderr, "catalog_api: cannot listen on %s\n", host.c_str());
      return 1;
    }
  } else if (!svr.bind_to_port(host, port)) {
    std::fprintf(stderr, "catalog_api: cannot listen on %s:%d\n", host.c_str(), port);
    return 1;
  }

  std::atomic<bool> listen_done{false};
  std::atomic<bool> signalled{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (listen_done) return;  // woken by main below: the server stopped by itself
    signalled = true;
    // A signal right after start-up may come before listen_after_bind() runs,
    // when stop() would do nothing: wait until the server is running.
    while (!svr.is_running() && !listen_done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    svr.stop();
  });

  std::printf("listening on http://%s:%d\n", host.c_str(), port);
  std::fflush(stdout);
  const bool ok = svr.listen_after_bind();

  listen_done = true;
  if (!signalled) pthread_kill(stopper.native_handle(), SIGTERM);  // wake it (the signal is blocked: sigwait takes it)
  stopper.join();
  if (!ok && !signalled) {
    std::fprintf(stderr, "catalog_api: the server stopped unexpectedly\n");
    return 1;
  }
  std::fprintf(stderr, "catalog_api: stopped\n");
  return 0;
}
