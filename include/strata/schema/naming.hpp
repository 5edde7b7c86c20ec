// strata/schema/naming.hpp - naming conventions for constraints and indexes.
//
// The default is SQLAlchemy's recommended convention (docs: "Configuring
// Constraint Naming Conventions"):
//   ix: ix_%(column_0_N_label)s        -> ix_<table>_<col1>_<col2>
//   uq: uq_%(table_name)s_%(column_0_N_name)s
//   ck: ck_%(table_name)s_%(constraint_name)s
//   fk: fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s
//   pk: pk_%(table_name)s
// Tokens: %(table_name)s %(column_0_name)s %(column_0_N_name)s %(column_0_label)s
// %(column_0_N_label)s %(referred_table_name)s %(constraint_name)s.
#pragma once

#include <string>

namespace strata::schema {

struct Table;

struct NamingConvention {
  std::string ix = "ix_%(column_0_N_label)s";
  std::string uq = "uq_%(table_name)s_%(column_0_N_name)s";
  std::string ck = "ck_%(table_name)s_%(constraint_name)s";
  std::string fk = "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s";
  std::string pk = "pk_%(table_name)s";
};

/// Fills every empty constraint / index name of `table` from `conv`. A check
/// constraint's given short name becomes %(constraint_name)s; a check without a
/// name gets "ck_<table>_<n>" (n counting from 1). Names already set are kept.
/// Throws: SchemaError naming the table when a check has neither name nor convention.
void apply_naming_convention(Table& table, const NamingConvention& conv);

}  // namespace strata::schema
