#include "strata/engine/ddl.hpp"

#include "strata/dialect/dialect.hpp"

namespace strata::engine {
namespace {

/// Runs `fn` inside a transaction of its own unless the caller already opened one.
template <class F>
void in_transaction(Connection& conn, F&& fn) {
  if (conn.in_transaction()) {
    fn();
    return;
  }
  conn.begin();
  try {
    fn();
  } catch (...) {
    conn.rollback();
    throw;
  }
  conn.commit();
}

}  // namespace

bool has_table(Connection& conn, std::string_view name) {
  return conn.execute(conn.dialect().has_table(name)).first().has_value();
}

void create_all(Connection& conn, const schema::MetaData& md, bool checkfirst) {
  md.validate();
  const dialect::Dialect& d = conn.dialect();
  in_transaction(conn, [&] {
    for (const schema::Table* t : md.sorted_tables()) {
      if (checkfirst && has_table(conn, t->name)) continue;
      for (const std::string& stmt : d.create_table(*t)) conn.execute(stmt).rows_affected();
    }
  });
}

void drop_all(Connection& conn, const schema::MetaData& md, bool checkfirst) {
  const dialect::Dialect& d = conn.dialect();
  in_transaction(conn, [&] {
    auto order = md.sorted_tables();
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      if (checkfirst && !has_table(conn, (*it)->name)) continue;
      for (const std::string& stmt : d.drop_table(**it)) conn.execute(stmt).rows_affected();
    }
  });
}

void create_all(Engine& engine, const schema::MetaData& md, bool checkfirst) {
  Connection conn = engine.connect();
  create_all(conn, md, checkfirst);
}

void drop_all(Engine& engine, const schema::MetaData& md, bool checkfirst) {
  Connection conn = engine.connect();
  drop_all(conn, md, checkfirst);
}

}  // namespace strata::engine
