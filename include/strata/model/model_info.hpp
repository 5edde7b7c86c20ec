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
#include <string_view>
#include <typeindex>
#include <vector>

#include "strata/core/cell.hpp"
#include "strata/core/param.hpp"
#include "strata/core/types.hpp"
#include "strata/core/value.hpp"
#include "strata/model/object_pool.hpp"
#include "strata/model/snapshot_arena.hpp"
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

/// The compiled form of a pattern (std::regex, ECMAScript), opaque here so that
/// <regex> stays out of the model headers (src/model/validate.cpp).
struct CompiledPattern;
/// Compiles `pattern`. Throws: std::regex_error on bad syntax (the model
/// build turns it into a SchemaError naming the model and member).
std::shared_ptr<const CompiledPattern> compile_pattern(const std::string& pattern);

/// A numeric bound of ge / gt / le / lt / multiple_of. `integral` bounds
/// (given as an integer) print without a fraction, as Pydantic prints them
/// ("greater than or equal to 0"); others print as Python floats ("0.5", "1.0").
struct NumberBound {
  double value = 0;
  bool integral = true;
  /// "0", "0.5", "1.0".
  std::string text() const;
};

/// A member's custom validator, type-erased: receives the member's Value and
/// returns an error message (std::nullopt: valid). It may also throw; the
/// exception's what() becomes the message (see validate.hpp).
using FieldValidator = std::function<std::optional<std::string>(const Value&)>;
/// A model-level validator, type-erased: receives the whole object (a T*).
using ModelValidator = std::function<std::optional<std::string>(const void* obj)>;

/// The validation constraints of one member (field<&T::m>().min_length(1)...),
/// as Pydantic's Field(min_length=..., ge=..., pattern=...). max_length is not
/// here: it is the String type's length (FieldInfo::type.length), which also
/// validates. Checked by validate<T>() and by Session::add (validate.hpp).
struct FieldRules {
  std::optional<std::size_t> min_length;  ///< strings: code points (UTF-8)
  std::optional<NumberBound> gt, ge, lt, le, multiple_of;
  std::string pattern;                         ///< ECMAScript, searched (not anchored)
  std::shared_ptr<const CompiledPattern> regex;  ///< pattern, compiled once at build
  bool email = false;                          ///< see validate.hpp for the check
  std::vector<FieldValidator> validators;      ///< in the order given
  /// True when some constraint is set (max_length aside).
  bool any() const noexcept {
    return min_length || gt || ge || lt || le || multiple_of || regex || email || !validators.empty();
  }
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
  /// The std::string member (or the engaged std::optional<std::string>) of
  /// `obj`, without a copy; nullptr for other member types and std::nullopt.
  /// Lets Session::add check a max_length without building a Value.
  const std::string* (*text)(const void* obj) = nullptr;
  /// Writes the member of `obj` into `p` as a statement parameter without
  /// building a Value where the type has a plain kind (bool, integers,
  /// float/double, std::string and their std::optional: a Text view points
  /// into the member). Other types are boxed as `get` gives them.
  /// Throws: std::bad_alloc (boxing only).
  void (*put)(const void* obj, ParamView& p) = nullptr;

  // Dirty tracking (snapshot_arena.hpp): the member's slot in the model's
  // image, at byte `snap_offset` of an image of ModelInfo::snap_size bytes.
  std::size_t snap_offset = 0;
  /// Writes the member of `obj` into `slot`. `overwrite` false: the slot is
  /// uninitialized; true: it holds an earlier image of this member, reused in
  /// place. Strings and heap copies take memory from `arena`.
  /// Throws: std::bad_alloc (the slot then still holds a valid image, not
  /// necessarily the new value).
  void (*snap_put)(const void* obj, std::byte* slot, SnapshotArena& arena, bool overwrite) = nullptr;
  /// True when the member of `obj` equals the image in `slot` (the member
  /// type's ==, as `equal`).
  bool (*snap_equal)(const void* obj, const std::byte* slot) = nullptr;
  /// The image in `slot` as a Value (as `get` would give for that member).
  Value (*snap_get)(const std::byte* slot) = nullptr;
  /// read() then snap_put(overwrite = false) of the same member, in one call:
  /// the per-cell step of loading a new row (one indirect call, not two).
  /// Same errors as read, and std::bad_alloc.
  void (*read_image)(void* obj, const CellSource& row, int col, std::byte* slot, SnapshotArena& arena) = nullptr;

  /// Called at INSERT when set: the member's value-initialized state is
  /// replaced by the factory's result (SQLModel's default_factory).
  std::function<Value()> default_factory;
  /// Applied on every UPDATE of the row (SQLAlchemy's onupdate): either a C++
  /// callable giving the new value, or SQL text such as CURRENT_TIMESTAMP.
  std::function<Value()> onupdate;
  std::optional<schema::ServerDefault> onupdate_sql;

  /// Validation constraints (min_length, ge, pattern, email, validators...).
  FieldRules rules;
  /// True when input without this member is "missing" (validate.hpp): the
  /// member is not std::optional, has no default_factory, server default or
  /// autoincrement, was not marked has_default(), and a value-initialized
  /// model holds its value-initialized state (no member initializer that
  /// differs from it, such as `bool is_active = true` or `Uuid id = Uuid::v4()`).
  bool required = true;
};

struct ModelInfo;

/// A member that holds another described model, or a std::vector of one: not
/// a column (only non-table models without extends<>() have them), validated
/// and dumped recursively (loc ["items", 2, "title"]).
struct NestedInfo {
  std::string member;  ///< C++ member name
  MemberKey key;
  const ModelInfo& (*model)() = nullptr;  ///< the nested model's info<E>()
  bool list = false;                      ///< std::vector<E>
  bool required = true;                   ///< false with has_default()
  /// Single model: the member of `obj` (an E*).
  void* (*ref)(void* obj) = nullptr;
  const void* (*cref)(const void* obj) = nullptr;
  /// List: size, resize, element i (an E*).
  std::size_t (*size)(const void* obj) = nullptr;
  void (*resize)(void* obj, std::size_t n) = nullptr;
  void* (*at)(void* obj, std::size_t i) = nullptr;
  const void* (*cat)(const void* obj, std::size_t i) = nullptr;
};

/// How a relationship joins its two models (SQLAlchemy's "direction").
enum class RelationKind {
  ManyToOne,   ///< One<X> over this model's foreign key to X (Item::owner)
  OneToMany,   ///< Many<X> (or One<X>: one-to-one) over X's foreign key to this model
  ManyToMany,  ///< Many<X> through a link model with foreign keys to both
};

/// A relationship member (One<X> / Many<X>) of a table model, resolved against
/// the foreign keys of both models. Column pairs are field indexes:
///   ManyToOne   local = the foreign-key fields here, remote = the referenced fields of X;
///   OneToMany   local = the referenced fields here, remote = X's foreign-key fields;
///   ManyToMany  local / remote = the referenced fields here / of X,
///               secondary_local / secondary_remote = the link model's
///               foreign-key fields to this model / to X.
struct RelationInfo {
  std::string member;  ///< C++ member name, e.g. "opinions"
  std::string name;    ///< "Model.opinions", for messages
  MemberKey key;
  RelationKind kind = RelationKind::ManyToOne;
  bool list = false;  ///< Many<X>
  const ModelInfo& (*target)() = nullptr;     ///< info<X>
  const ModelInfo& (*secondary)() = nullptr;  ///< the link model (ManyToMany)
  std::vector<std::size_t> local, remote, secondary_local, secondary_remote;
  std::string back_populates;  ///< member of X holding the other side, or empty
  std::optional<std::size_t> back;  ///< index of back_populates in X's relations
  /// Cascades, as SQLAlchemy's cascade="save-update, delete, delete-orphan".
  bool save_update = true;
  bool delete_ = false;
  bool delete_orphan = false;
  /// Deleting the parent leaves the children to the database's ON DELETE
  /// CASCADE instead of loading them (SQLAlchemy's passive_deletes=True).
  bool passive_deletes = false;
  /// Loading only (SQLAlchemy's viewonly=True): the flush ignores the member.
  bool viewonly = false;
  /// Field of X that orders a loaded collection (order_by), and its direction.
  std::optional<std::size_t> order_by;
  bool order_desc = false;

  // Accessors of the member in `obj` (a T*). Ownership: see relationship.hpp.
  bool (*loaded)(const void* obj) = nullptr;
  /// Marks it unloaded (and drops what it held); `name` is kept for messages.
  void (*set_unloaded)(void* obj, const char* name) = nullptr;
  // One<X>:
  std::shared_ptr<void> (*peek)(const void* obj) = nullptr;  ///< the object, or nullptr
  bool (*is_strong)(const void* obj) = nullptr;
  void (*set_one)(void* obj, std::shared_ptr<void> p, bool weak, const char* name) = nullptr;
  // Many<X>:
  std::size_t (*size)(const void* obj) = nullptr;
  void* (*at)(const void* obj, std::size_t i) = nullptr;
  std::shared_ptr<void> (*shared_at)(const void* obj, std::size_t i) = nullptr;
  /// Loaded and empty; then append() fills it.
  void (*reset)(void* obj, const char* name) = nullptr;
  void (*append)(void* obj, std::shared_ptr<void> p) = nullptr;
  void (*reserve)(void* obj, std::size_t n) = nullptr;
};

/// A described struct. For a table model `table` is set.
struct ModelInfo {
  std::string model;                 ///< C++ struct name, e.g. "Item"
  std::type_index type = typeid(void);
  bool is_table = false;
  schema::Table table;               ///< name, columns, constraints (naming convention applied)
  std::vector<FieldInfo> fields;     ///< in column order
  std::vector<std::size_t> pk;       ///< indexes into fields of the primary key
  /// Members holding a model or a list of models (never columns), after the
  /// fields in validation order.
  std::vector<NestedInfo> nested;
  /// Relationship members (One<X> / Many<X>; table models only), never columns.
  std::vector<RelationInfo> relations;

  /// Model-level validators (model_validator(f) in the description), run after
  /// the fields are valid; not inherited from bases.
  std::vector<ModelValidator> model_validators;
  /// Unknown keys in validated input are errors (extra_forbid() in the
  /// description; Pydantic's model_config extra='forbid'); default: ignored.
  bool extra_forbid = false;
  /// True when some field has rules (FieldRules::any() or a string max_length)
  /// or the model has model validators: Session::add checks only such models.
  bool has_rules = false;
  /// Indexes of the fields with rules (FieldRules::any() or a string
  /// max_length), in field order: what Session::add checks per object.
  std::vector<std::size_t> rule_fields;

  /// Object lifetime helpers over T.
  std::shared_ptr<void> (*make_shared)() = nullptr;             ///< value-initialized T
  std::shared_ptr<void> (*clone)(const void* obj) = nullptr;    ///< copy of *obj
  void (*assign)(void* dst, const void* src) = nullptr;         ///< *dst = *src
  /// `n` value-initialized T in one allocation (the Session's loaded objects,
  /// a block at a time), owned by the returned control block (the array).
  /// Throws: std::bad_alloc.
  std::shared_ptr<void> (*make_block)(std::size_t n) = nullptr;
  /// The T at index `i` of a make_block block (`block` is its get()).
  void* (*block_at)(void* block, std::size_t i) = nullptr;
  /// A value-initialized T with its own control block, both in `pool`'s
  /// memory (the Session's loaded objects of models with relationships;
  /// strata/model/object_pool.hpp). Throws: std::bad_alloc.
  std::shared_ptr<void> (*make_pooled)(ObjectPool& pool) = nullptr;
  /// The loading step of a new row, one call per row (a model without
  /// bases; nullptr otherwise, and the Session calls each field's
  /// read_image): every field at column first + index of `row` read into
  /// `obj` and imaged into its slot of `image`, except that the key fields,
  /// already read, are only imaged. `fields` is this model's fields.data().
  /// Same errors as FieldInfo::read_image.
  void (*read_row)(void* obj, const CellSource& row, int first, std::byte* image, SnapshotArena& arena,
                   const FieldInfo* fields) = nullptr;
  /// Bytes of the dirty-tracking image of one object: the fields' slots
  /// (FieldInfo::snap_offset), each 8-byte aligned (snapshot_arena.hpp).
  std::size_t snap_size = 0;

  /// The field for a member key, or nullptr.
  const FieldInfo* find(const MemberKey& k) const noexcept;
  /// The field for a column name, or nullptr.
  const FieldInfo* find_column(std::string_view column) const noexcept;
  /// As find, throws SchemaError "model 'Item' has no mapped member at offset N".
  const FieldInfo& field(const MemberKey& k) const;
  /// The relationship for a member key. Throws: SchemaError naming the model
  /// when the member is not a relationship of it.
  const RelationInfo& relation(const MemberKey& k) const;
  /// The relationship named `member`, or nullptr.
  const RelationInfo* find_relation(std::string_view member) const noexcept;
};

}  // namespace strata::model
