// Engine: URL + dialect + pool, after SQLAlchemy's create_engine.
#include "strata/engine/engine.hpp"

#include <string>

#include "engine/lease.hpp"
#include "strata/core/error.hpp"

namespace strata::engine {

namespace detail {
struct EngineState {
  Url url;
  EngineOptions options;
  const dialect::Dialect* dialect = nullptr;
  std::shared_ptr<Pool> pool;
  /// options.before_execute, shared with each Connection (which may outlive the Engine).
  std::shared_ptr<const std::function<void(std::string_view)>> before_execute;
};
}  // namespace detail

namespace {

const dialect::Dialect& find_dialect(const Url& url) {
  if (const auto* d = dialect::find_dialect(url.drivername)) return *d;
  throw ArgumentError("no dialect for database driver '" + url.drivername + "' (URL '" + url.str() +
                      "') is linked into this program; link its component (strata::" + url.drivername + ")");
}

dialect::ConnectParams connect_params(const Url& url, const EngineOptions& opts) {
  dialect::ConnectParams p;
  p.database = url.database;
  p.host = url.host;
  p.user = url.username;
  p.password = url.password;
  p.port = url.port.value_or(0);
  p.query = url.query;
  p.busy_timeout = opts.busy_timeout;
  return p;
}

}  // namespace

void register_dialect(std::string_view drivername, const dialect::Dialect& d) {
  dialect::register_dialect(drivername, d);
}

Engine::Engine(std::shared_ptr<detail::EngineState> state) noexcept : state_(std::move(state)) {}

const dialect::Dialect& Engine::dialect() const noexcept { return *state_->dialect; }
const Url& Engine::url() const noexcept { return state_->url; }
const EngineOptions& Engine::options() const noexcept { return state_->options; }

Connection Engine::connect() {
  if (!state_->before_execute && state_->options.before_execute)
    state_->before_execute = std::make_shared<const std::function<void(std::string_view)>>(state_->options.before_execute);
  return Connection(state_->pool->checkout(), *state_->dialect, state_->options.echo, state_->before_execute);
}

PoolStatus Engine::pool_status() const { return state_->pool->status(); }

void Engine::dispose() { state_->pool->dispose(); }

Engine create_engine(std::string_view url, EngineOptions opts) { return create_engine(Url::parse(url), std::move(opts)); }

Engine create_engine(const Url& url, EngineOptions opts) {
  auto state = std::make_shared<detail::EngineState>();
  state->url = url;
  state->dialect = &find_dialect(url);
  state->options = std::move(opts);
  Pool::Creator creator;
  const auto params = connect_params(url, state->options);
  if (state->options.creator) {
    creator = [params, fn = state->options.creator] { return fn(params); };
  } else {
    creator = [params, d = state->dialect] { return d->connect(params); };
  }
  const auto kind = url.is_memory_database() ? Pool::Kind::single : Pool::Kind::queue;
  state->pool = Pool::create(std::move(creator), state->options.pool, kind);
  return Engine(std::move(state));
}

}  // namespace strata::engine
