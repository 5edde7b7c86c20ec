// strata/model/registry.hpp - the table models of the program, as schema::MetaData.
//
// STRATA_TABLE registers its model during static initialization of the
// translation unit that holds the macro. What migrate's env.cpp hands to
// autogenerate is metadata(): every registered table, foreign keys checked.
//
// Note: with static libraries, a translation unit that nothing references is
// not linked, and its models are then not registered; link model libraries as
// OBJECT libraries (or with --whole-archive), or use metadata_of<T...>().
#pragma once

#include <vector>

#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"
#include "strata/schema/metadata.hpp"

namespace strata::model {

/// Every table model registered so far, in registration order (declaration
/// order within a translation unit; across translation units unspecified).
/// Builds each ModelInfo on first call.
/// Throws: SchemaError from building a model (see info<T>()).
const std::vector<const ModelInfo*>& registered_tables();

/// A MetaData holding the tables of `models` (names already filled by the
/// default naming convention), foreign keys validated.
/// Throws: SchemaError when a model is not a table model, when two models use
/// the same table name (naming both models), or from MetaData::validate()
/// ("table 'item' column 'owner_id' references unknown table 'user'").
schema::MetaData make_metadata(const std::vector<const ModelInfo*>& models);

/// make_metadata(registered_tables()).
schema::MetaData metadata();

/// The MetaData of exactly the table models T...
///
/// Example:
///   auto md = strata::model::metadata_of<User, Item>();
///   md.table("item").foreign_keys[0].referred_table == "user";
template <class... T>
schema::MetaData metadata_of() {
  static_assert((is_table_model_v<T> && ...), "strata: metadata_of<T...>() takes table models (STRATA_TABLE)");
  return make_metadata({&info<T>()...});
}

}  // namespace strata::model
