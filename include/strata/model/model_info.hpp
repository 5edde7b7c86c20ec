// strata/model/model_info.hpp - ModelInfo: the runtime, type-erased description
// of one described struct, built once per model from its STRATA_MODEL /
// STRATA_TABLE description.
//
// The typed front end (templates) produces this table of plain data and
// function pointers; everything else (Session, flush, hydration, JSON,
// validation) is ordinary compiled code that walks it, fmt's print -> vprint
// split applied to models.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <typeindex>
#include <vector>

#include "strata/core/cell.hpp"
#include "strata/core/types.hpp"
#include "strata/core/value.hpp"
#include "strata/schema/table.hpp"

namespace strata::model {

/// Identity of a data member independent of the struct it is reached through:
/// the class that declares it plus its offset in that class. &User::email and
/// &UserBase::email (email declared in UserBase) have the same key.
struct MemberKey {
  std::type_index declaring_class = typeid(void);
  std::ptrdiff_t offset = -1;
  friend bool operator==(const MemberKey&, const MemberKey&) = default;
};

/// One mapped member of a model.
struct FieldInfo {
  std::string member;  ///< C++ member name, e.g. "owner_id"
  std::string column;  ///< column name (the member name unless renamed)
  MemberKey key;
  SqlType type;
  bool nullable = false;     ///< true for std::optional<...> members
  bool primary_key = false;
  bool autoincrement = false;  ///< database-generated integer key
  bool has_server_default = false;  ///< read back after INSERT (RETURNING)
  std::size_t index = 0;            ///< position in ModelInfo::fields

  /// Reads the member of `obj` (a T*) as a Value.
  Value (*get)(const void* obj) = nullptr;
  /// Writes a Value into the member of `obj`, converting leniently from the
  /// driver's plain forms. Throws: SchemaError naming model and member when the
  /// value cannot be converted (e.g. text "abc" into an int member).
  void (*set)(void* obj, const Value& v) = nullptr;
  /// Reads cell `col` of `row` straight into the member (no Value built).
  /// Same errors as set.
  void (*read)(void* obj, const CellSource& row, int col) = nullptr;
  /// True when the member of a and b are equal (dirty tracking).
  bool (*equal)(const void* a, const void* b) = nullptr;
  /// True when the member still holds its value-initialized state (member ==
  /// member_type{}: 0, empty string, nil Uuid, std::nullopt, epoch). At INSERT
  /// such a member is "unset": default_factory replaces it, and an autoincrement
  /// or server-default column is left to the database and read back.
  bool (*is_unset)(const void* obj) = nullptr;

  /// Called at INSERT when set: the member's value-initialized state is
  /// replaced by the factory's result (SQLModel's default_factory).
  std::function<Value()> default_factory;
  /// Applied on every UPDATE of the row (SQLAlchemy's onupdate): either a C++
  /// callable giving the new value, or SQL text such as CURRENT_TIMESTAMP.
  std::function<Value()> onupdate;
  std::optional<schema::ServerDefault> onupdate_sql;
};

/// A described struct. For a table model `table` is set.
struct ModelInfo {
  std::string model;                 ///< C++ struct name, e.g. "Item"
  std::type_index type = typeid(void);
  bool is_table = false;
  schema::Table table;               ///< name, columns, constraints (naming convention applied)
  std::vector<FieldInfo> fields;     ///< in column order
  std::vector<std::size_t> pk;       ///< indexes into fields of the primary key

  /// Object lifetime helpers over T.
  std::shared_ptr<void> (*make_shared)() = nullptr;             ///< value-initialized T
  std::shared_ptr<void> (*clone)(const void* obj) = nullptr;    ///< copy of *obj
  void (*assign)(void* dst, const void* src) = nullptr;         ///< *dst = *src
  /// Two value-initialized T in one allocation: returns the first, and sets
  /// `second` to the other (the Session's object and its dirty-tracking copy),
  /// both owned by the returned control block.
  std::shared_ptr<void> (*make_shared_pair)(std::shared_ptr<void>& second) = nullptr;

  /// The field for a member key, or nullptr.
  const FieldInfo* find(const MemberKey& k) const noexcept;
  /// The field for a column name, or nullptr.
  const FieldInfo* find_column(std::string_view column) const noexcept;
  /// As find, throws SchemaError "model 'Item' has no mapped member at offset N".
  const FieldInfo& field(const MemberKey& k) const;
};

}  // namespace strata::model
