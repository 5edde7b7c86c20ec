// Connection: statements and explicit transactions on a pooled driver connection.
#include "strata/engine/connection.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "engine/lease.hpp"
#include "strata/core/error.hpp"

namespace strata::engine {

Connection::Connection(std::shared_ptr<detail::Lease> lease, const dialect::Dialect& dialect, bool echo,
                       std::shared_ptr<const std::function<void(std::string_view)>> hook) noexcept
    : lease_(std::move(lease)), dialect_(&dialect), echo_(echo), hook_(hook && *hook ? std::move(hook) : nullptr) {}

Connection::Connection(Connection&& other) noexcept
    : lease_(std::move(other.lease_)), dialect_(other.dialect_), echo_(other.echo_), hook_(std::move(other.hook_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    lease_ = std::move(other.lease_);
    dialect_ = other.dialect_;
    echo_ = other.echo_;
    hook_ = std::move(other.hook_);
  }
  return *this;
}

Connection::~Connection() { close(); }

void Connection::close() noexcept {
  if (!lease_) return;
  // Roll back now, even if a Result still holds the lease: closing the handle
  // ends its transaction (SQLAlchemy's reset-on-return).
  lease_->reset();
  lease_.reset();
}

detail::Lease& Connection::lease() const {
  if (!lease_) throw InvalidRequestError("this Connection is closed");
  return *lease_;
}

dialect::DriverConnection& Connection::driver() { return *lease().slot->driver; }

void Connection::invalidate() { lease().slot->broken = true; }

void Connection::notify(std::string_view sql, std::span<const Value> params) const {
  if (hook_) (*hook_)(sql);
  if (echo_) echo(sql, params);
}

void Connection::echo(std::string_view sql, std::span<const Value> params) const {
  std::string line = fmt::format("[strata] {}\n", sql);
  if (!params.empty()) {
    line += "[strata] [parameters: (";
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (i) line += ", ";
      line += params[i].repr();
    }
    line += ")]\n";
  }
  std::fputs(line.c_str(), stderr);
}

Result Connection::execute(const sql::Statement& stmt) { return execute(dialect_->compile(stmt)); }

Result Connection::execute(const sql::Compiled& c) {
  auto& l = lease();
  if (echo_ || hook_) notify(c.sql, c.params);
  auto cursor = l.slot->driver->execute(c.sql, c.params);
  return Result(std::move(cursor), lease_);
}

Result Connection::execute(std::string_view sql, std::vector<Value> params) {
  auto& l = lease();
  if (echo_ || hook_) notify(sql, params);
  auto cursor = l.slot->driver->execute(sql, params);
  return Result(std::move(cursor), lease_);
}

Result Connection::query(std::string_view sql, std::span<const Value> params) {
  auto& l = lease();
  if (echo_ || hook_) notify(sql, params);
  auto cursor = l.slot->driver->execute(sql, params);
  return Result(std::move(cursor), lease_);
}

bool Connection::query_first(std::string_view sql, std::span<const Value> params,
                             const dialect::DriverConnection::FirstRowSink& on_row) {
  auto& l = lease();
  if (echo_ || hook_) notify(sql, params);
  return l.slot->driver->query_first(sql, params, on_row);
}

std::int64_t Connection::execute_update(std::string_view sql, std::span<const Value> params) {
  auto& l = lease();
  if (echo_ || hook_) notify(sql, params);
  return l.slot->driver->execute_update(sql, params);
}

std::int64_t Connection::execute_update_views(std::string_view sql, std::span<const ParamView> params) {
  auto& l = lease();
  if (echo_ || hook_) notify(sql, to_values(params));
  return l.slot->driver->execute_update_views(sql, params);
}

std::int64_t Connection::execute_many(std::string_view sql, std::span<const Value> params,
                                      std::size_t params_per_row) {
  auto& l = lease();
  if (echo_ || hook_) notify(fmt::format("{} [batch of {} rows]", sql, params_per_row ? params.size() / params_per_row : 0), {});
  return l.slot->driver->execute_many(sql, params, params_per_row);
}

void Connection::execute_many_returning(std::string_view sql, std::span<const Value> params,
                                        std::size_t params_per_row, const dialect::DriverConnection::RowSink& on_row) {
  auto& l = lease();
  if (echo_ || hook_) notify(fmt::format("{} [batch of {} rows]", sql, params_per_row ? params.size() / params_per_row : 0), {});
  l.slot->driver->execute_many_returning(sql, params, params_per_row, on_row);
}

void Connection::execute_script(std::string_view sql) {
  auto& l = lease();
  if (echo_ || hook_) notify(sql, {});
  l.slot->driver->execute_script(sql);
}

namespace {
void start(detail::Lease& l, Connection& c, std::string_view sql) {
  if (l.slot->in_transaction)
    throw InvalidRequestError("a transaction is already begun on this connection; commit() or rollback() it first");
  c.execute_update(sql, {});
  l.slot->in_transaction = true;
  l.slot->tx_owner = &l;
}
}  // namespace

void Connection::begin() { start(lease(), *this, "BEGIN"); }

void Connection::begin_immediate() { start(lease(), *this, dialect_->begin_immediate_sql()); }

void Connection::commit() {
  auto& l = lease();
  if (!l.slot->in_transaction) return;
  execute_update("COMMIT", {});  // on failure SQLite keeps the transaction open: so do we
  l.slot->in_transaction = false;
  l.slot->tx_owner = nullptr;
}

void Connection::rollback() {
  auto& l = lease();
  if (!l.slot->in_transaction) return;
  l.slot->in_transaction = false;
  l.slot->tx_owner = nullptr;
  execute_update("ROLLBACK", {});
}

bool Connection::in_transaction() const noexcept { return lease_ && lease_->slot->in_transaction; }

void Connection::savepoint(std::string_view name) {
  if (!lease().slot->in_transaction) begin();
  execute_update("SAVEPOINT " + dialect_->quote(name), {});
}

void Connection::release_savepoint(std::string_view name) {
  lease();
  execute_update("RELEASE SAVEPOINT " + dialect_->quote(name), {});
}

void Connection::rollback_to_savepoint(std::string_view name) {
  lease();
  execute_update("ROLLBACK TO SAVEPOINT " + dialect_->quote(name), {});
}

}  // namespace strata::engine
