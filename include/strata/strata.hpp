// strata/strata.hpp - the umbrella header for application code: models, engine,
// session and queries (migrations have their own header, strata/migrate/...).
//
// Example:
//   #include <strata/strata.hpp>
//   struct Item { std::int64_t id{}; std::string title; bool done = false; };
//   STRATA_TABLE(Item, "item", field<&Item::id>().primary_key().autoincrement(),
//                field<&Item::title>().max_length(255));
//   int main() {
//     auto engine = strata::create_engine("sqlite:///todo.db");
//     strata::create_all(engine, strata::model::metadata());
//     strata::Session session{engine};
//     session.add(Item{.title = "write docs"});
//     session.commit();
//   }
#pragma once

#include "strata/core/error.hpp"
#include "strata/core/types.hpp"
#include "strata/core/uuid.hpp"
#include "strata/core/value.hpp"
#include "strata/engine/connection.hpp"
#include "strata/engine/ddl.hpp"
#include "strata/engine/engine.hpp"
#include "strata/model/describe.hpp"
#include "strata/orm/query.hpp"
#include "strata/orm/session.hpp"
