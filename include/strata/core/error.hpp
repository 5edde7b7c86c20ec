// strata/core/error.hpp - the whole exception tree of Strata.
//
// One tree under strata::Error, modelled on SQLAlchemy's `sqlalchemy.exc` and on
// libpqxx's except.hxx: every error carries its fields (sql, sqlstate, table,
// constraint, model, member, ...) as data, plus where it was raised.
//
//   Error
//   ├── ArgumentError                bad argument to an API (e.g. a malformed URL)
//   ├── SchemaError                  a model / table description is wrong
//   ├── ValidationError              input / an object breaks a model's rules, every
//   │                                error listed (strata/model/validation_error.hpp)
//   ├── CompileError                 a statement cannot be compiled to SQL
//   │   └── UnsupportedFeature       the dialect cannot do it {dialect, feature}
//   ├── DatabaseError                the database said no {sql, sqlstate, code}
//   │   ├── IntegrityError           {table, constraint}
//   │   │   ├── UniqueViolation      SQLSTATE 23505 / SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
//   │   │   ├── ForeignKeyViolation  SQLSTATE 23503 / SQLITE_CONSTRAINT_FOREIGNKEY
//   │   │   ├── NotNullViolation     SQLSTATE 23502 / SQLITE_CONSTRAINT_NOTNULL
//   │   │   └── CheckViolation       SQLSTATE 23514 / SQLITE_CONSTRAINT_CHECK
//   │   ├── OperationalError         busy, locked, I/O, connection lost (retryable())
//   │   └── ProgrammingError         no such table, syntax error
//   ├── TimeoutError                 pool checkout timed out
//   ├── StaleDataError               a flush's UPDATE matched no row
//   └── InvalidRequestError          the API was used in a wrong state
//       ├── NoResultFound            one() found no row
//       ├── MultipleResultsFound     one() / one_or_none() found several rows
//       └── ObjectDeletedError       refresh() of a row that no longer exists
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace strata {

/// Where an error was raised. Filled from __builtin_FILE/LINE/FUNCTION default
/// arguments, which g++ 12 and clang 14 both support (clang 14 with libstdc++ 12
/// has no std::source_location).
struct Location {
  const char* file = "";
  int line = 0;
  const char* function = "";
  static constexpr Location current(const char* f = __builtin_FILE(), int l = __builtin_LINE(),
                                    const char* fn = __builtin_FUNCTION()) noexcept {
    return Location{f, l, fn};
  }
};

/// Root of every exception Strata throws.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, Location where = Location::current())
      : std::runtime_error(message), where_(where) {}
  /// The source location (in Strata) that raised the error.
  const Location& where() const noexcept { return where_; }

 private:
  Location where_;
};

/// A bad argument to an API: malformed URL, unknown option value...
/// (SQLAlchemy's ArgumentError).
class ArgumentError : public Error {
 public:
  using Error::Error;
};

/// A model, table or column description is inconsistent. Names the model (C++
/// struct), the member and/or the table and column involved, e.g.
/// "model 'Item' member 'owner_id': foreign key references unknown table 'users'".
class SchemaError : public Error {
 public:
  SchemaError(const std::string& message, std::string model = {}, std::string member = {},
              Location where = Location::current())
      : Error(message, where), model_(std::move(model)), member_(std::move(member)) {}
  const std::string& model() const noexcept { return model_; }
  const std::string& member() const noexcept { return member_; }

 private:
  std::string model_, member_;
};

/// A statement cannot be compiled (e.g. an empty IN list on a dialect without support).
class CompileError : public Error {
 public:
  using Error::Error;
};

/// The dialect does not support a feature (sqlpp11's named static asserts, at run time).
class UnsupportedFeature : public CompileError {
 public:
  UnsupportedFeature(std::string dialect, std::string feature, Location where = Location::current())
      : CompileError("dialect '" + dialect + "' does not support " + feature, where),
        dialect_(std::move(dialect)), feature_(std::move(feature)) {}
  const std::string& dialect() const noexcept { return dialect_; }
  const std::string& feature() const noexcept { return feature_; }

 private:
  std::string dialect_, feature_;
};

/// Fields of a DatabaseError, as data so that drivers can fill them in one place.
struct DatabaseErrorInfo {
  std::string message;     ///< the driver's message, e.g. "UNIQUE constraint failed: user.email"
  std::string sql;         ///< the statement that failed (may be empty for connect errors)
  std::string sqlstate;    ///< five-character SQLSTATE ("23505"), or a mapped one for SQLite
  int native_code = 0;     ///< driver error code (sqlite3 extended result code; 0 for libpq)
  std::string table;       ///< table named by the error, when the driver tells
  std::string constraint;  ///< constraint or column named by the error, when the driver tells
};

/// The database rejected a statement. Carries the SQL and the SQLSTATE (libpqxx's model).
class DatabaseError : public Error {
 public:
  explicit DatabaseError(DatabaseErrorInfo info, Location where = Location::current())
      : Error(render(info), where), info_(std::move(info)) {}
  const std::string& sql() const noexcept { return info_.sql; }
  const std::string& sqlstate() const noexcept { return info_.sqlstate; }
  int native_code() const noexcept { return info_.native_code; }
  const std::string& table() const noexcept { return info_.table; }
  const std::string& constraint() const noexcept { return info_.constraint; }
  const std::string& driver_message() const noexcept { return info_.message; }
  const DatabaseErrorInfo& info() const noexcept { return info_; }

 private:
  static std::string render(const DatabaseErrorInfo& i) {
    std::string m = i.message;
    if (!i.sqlstate.empty()) m += " [SQLSTATE " + i.sqlstate + "]";
    if (!i.sql.empty()) m += "\n[SQL: " + i.sql + "]";
    return m;
  }
  DatabaseErrorInfo info_;
};

/// A constraint of the schema was violated (SQLSTATE class 23).
class IntegrityError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
/// UNIQUE or PRIMARY KEY violated (SQLSTATE 23505).
class UniqueViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};
/// FOREIGN KEY violated (SQLSTATE 23503).
class ForeignKeyViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};
/// NOT NULL violated (SQLSTATE 23502).
class NotNullViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};
/// CHECK violated (SQLSTATE 23514).
class CheckViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};
/// Operational trouble: database busy or locked, I/O error, lost connection,
/// serialization failure. retryable() is true for busy/locked (SQLite) and
/// 40001 / 40P01 (PostgreSQL).
class OperationalError : public DatabaseError {
 public:
  explicit OperationalError(DatabaseErrorInfo info, bool retryable = false,
                            Location where = Location::current())
      : DatabaseError(std::move(info), where), retryable_(retryable) {}
  bool retryable() const noexcept { return retryable_; }

 private:
  bool retryable_;
};
/// The statement is wrong for this database: no such table, syntax error (SQLSTATE class 42).
class ProgrammingError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

/// The pool had no connection to give within its timeout (SQLAlchemy's TimeoutError).
class TimeoutError : public Error {
 public:
  using Error::Error;
};

/// The API was called in a state where the call makes no sense
/// (SQLAlchemy's InvalidRequestError), e.g. flush() of a closed Session.
class InvalidRequestError : public Error {
 public:
  using Error::Error;
};
/// Result::one() found no row.
class NoResultFound : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};
/// Result::one() / one_or_none() found more than one row.
class MultipleResultsFound : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};
/// Session::refresh() of an object whose row is gone.
class ObjectDeletedError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};
/// A relationship member (strata::One / strata::Many) was read before it was
/// loaded: the object came from the database without it. Strata never loads
/// on member access; load it with a selectin() / joined() query option or
/// Session::load() (SQLAlchemy's lazy="raise" error, as an exception type).
class NotLoadedError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};
/// A flush cannot order its INSERTs because the objects depend on each other
/// in a cycle (SQLAlchemy's CircularDependencyError); the message names the
/// tables (or the objects) of the cycle.
class CircularDependencyError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};
/// A flush's UPDATE matched no row: the row was deleted, or its key changed,
/// outside the session (SQLAlchemy's orm.exc.StaleDataError).
class StaleDataError : public Error {
 public:
  using Error::Error;
};

}  // namespace strata
