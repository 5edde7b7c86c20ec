// strata/schema/constraint.hpp - table constraints as plain data.
//
// Every constraint has a name: the MetaData's naming convention fills an empty
// name (see naming.hpp) so that a later migration can drop it.
#pragma once

#include <string>
#include <vector>

namespace strata::schema {

/// ON DELETE / ON UPDATE action of a foreign key.
enum class FkAction { NoAction, Restrict, Cascade, SetNull, SetDefault };
/// SQL spelling: "NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT".
const char* to_sql(FkAction a) noexcept;

struct PrimaryKeyConstraint {
  std::string name;  ///< pk_<table>
  std::vector<std::string> columns;
  friend bool operator==(const PrimaryKeyConstraint&, const PrimaryKeyConstraint&) = default;
};

struct UniqueConstraint {
  std::string name;  ///< uq_<table>_<column_0_N_name>
  std::vector<std::string> columns;
  friend bool operator==(const UniqueConstraint&, const UniqueConstraint&) = default;
};

struct ForeignKeyConstraint {
  std::string name;  ///< fk_<table>_<column_0_name>_<referred_table>
  std::vector<std::string> columns;
  std::string referred_table;
  std::vector<std::string> referred_columns;
  FkAction on_delete = FkAction::NoAction;
  FkAction on_update = FkAction::NoAction;
  friend bool operator==(const ForeignKeyConstraint&, const ForeignKeyConstraint&) = default;
};

struct CheckConstraint {
  std::string name;  ///< ck_<table>_<constraint_name>; the name given is the short one
  std::string sqltext;  ///< SQL boolean expression, e.g. "age > 0"
  friend bool operator==(const CheckConstraint&, const CheckConstraint&) = default;
};

/// An index (CREATE [UNIQUE] INDEX).
struct Index {
  std::string name;  ///< ix_<table>_<column_0_N_name> by default
  std::vector<std::string> columns;
  bool unique = false;
  friend bool operator==(const Index&, const Index&) = default;
};

}  // namespace strata::schema
