// strata/model/detail/draft.hpp - the plain data that a description produces
// (ModelDecl) and the model before its foreign keys are resolved (ModelDraft).
// Private to the model layer; the heavy work is in src/model/build.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "strata/model/field.hpp"
#include "strata/model/model_info.hpp"

namespace strata::model::detail {

/// The accessors of one member (see FieldInfo).
struct FieldFns {
  Value (*get)(const void*) = nullptr;
  void (*set)(void*, const Value&) = nullptr;
  void (*read)(void*, const CellSource&, int) = nullptr;
  bool (*equal)(const void*, const void*) = nullptr;
  bool (*is_unset)(const void*) = nullptr;
  const std::string* (*text)(const void*) = nullptr;
  void (*snap_put)(const void*, std::byte*, SnapshotArena&, bool) = nullptr;
  bool (*snap_equal)(const void*, const std::byte*) = nullptr;
  Value (*snap_get)(const std::byte*) = nullptr;
  void (*read_image)(void*, const CellSource&, int, std::byte*, SnapshotArena&) = nullptr;
  std::size_t snap_size = 0;  ///< bytes of the member's image slot (a multiple of 8)
  void (*put)(const void*, ParamView&) = nullptr;
};

/// One own member of a model.
struct FieldDecl {
  std::string member;
  MemberKey key;
  SqlType type;
  bool nullable = false;
  FieldFns fns;
  ColumnOptions options;
};

/// A field<&T::m>() entry of a model without bases: options only, matched to
/// the enumerated member by key.
struct ListedOptions {
  std::string member;
  MemberKey key;
  ColumnOptions options;
};

/// A relationship member (One<X> / Many<X>) of a table model, before it is
/// resolved against the foreign keys. `fns` carries the member's accessors.
struct RelationDecl {
  std::string member;
  MemberKey key;
  bool list = false;
  const ModelDraft& (*target_draft)() = nullptr;
  const ModelInfo& (*target)() = nullptr;
  std::string target_name;
  RelationInfo fns;
  RelationOptions options;
};

/// A relationship<&T::m>() entry of a model without bases: options only,
/// matched to the enumerated member by key.
struct ListedRelation {
  std::string member;
  MemberKey key;
  RelationOptions options;
};

/// A base given with extends<B>(): its draft, plus accessors of its fields
/// that take a pointer to the derived model (one per field of B, in order).
struct BaseDecl {
  const ModelDraft& (*draft)() = nullptr;
  std::string name;
  std::vector<FieldFns> thunks;
};

/// Everything a STRATA_MODEL / STRATA_TABLE description says, type-erased.
struct ModelDecl {
  std::string model;
  std::type_index type = typeid(void);
  bool is_table = false;
  std::string table;
  std::vector<BaseDecl> bases;
  std::vector<FieldDecl> fields;  ///< own members, in declaration order
  std::vector<NestedInfo> nested;  ///< own members holding models (non-table models)
  std::vector<ListedOptions> listed;
  std::vector<RelationDecl> relations;        ///< own relationship members
  std::vector<ListedRelation> listed_relations;
  std::vector<UniqueSpec> uniques;
  std::vector<IndexSpec> indexes;
  std::vector<CheckSpec> checks;
  std::vector<ModelValidator> model_validators;
  bool extra_forbid = false;
  std::shared_ptr<void> (*make_shared)() = nullptr;
  std::shared_ptr<void> (*clone)(const void*) = nullptr;
  void (*assign)(void*, const void*) = nullptr;
  std::shared_ptr<void> (*make_block)(std::size_t) = nullptr;
  void* (*block_at)(void*, std::size_t) = nullptr;
  std::shared_ptr<void> (*make_pooled)(ObjectPool&) = nullptr;
  /// ModelInfo::read_row (models without bases), else nullptr.
  void (*read_row)(void*, const CellSource&, int, std::byte*, SnapshotArena&, const FieldInfo*) = nullptr;
};

/// A foreign key waiting for its target's table name.
struct PendingForeignKey {
  std::string member;  ///< the referencing member, for messages
  std::string column;
  ForeignKeyTarget target;
  schema::FkAction on_delete = schema::FkAction::NoAction;
  schema::FkAction on_update = schema::FkAction::NoAction;
};

/// A model whose columns and constraints are known but whose foreign keys are
/// not yet resolved and whose constraint names are not yet filled. Drafts never
/// look at other models' drafts except their bases', so models referencing each
/// other (or themselves) build without recursion.
struct ModelDraft {
  ModelInfo info;
  std::vector<PendingForeignKey> foreign_keys;
  std::vector<RelationDecl> relations;  ///< resolved by resolve_model
};

/// Builds the draft: columns, options checks, constraints (src/model/build.cpp).
/// Throws: SchemaError naming the model and member.
ModelDraft finish_draft(ModelDecl&& decl);
/// Resolves foreign keys against their targets' drafts and, for a table model,
/// applies the default naming convention.
/// Throws: SchemaError naming both models when a target is not a table column.
ModelInfo resolve_model(const ModelDraft& draft);

/// Resolves the relationships of `draft` into `mi.relations`: the direction
/// and the column pairs from both models' foreign keys, back_populates, the
/// cascade string, order_by (src/model/relations.cpp).
/// Throws: SchemaError naming the model and member (no foreign key between the
/// models, several without foreign_keys<>(), an unknown back_populates member
/// or cascade word, delete-orphan on a many-to-one).
void resolve_relations(const ModelDraft& draft, ModelInfo& mi);

/// Rethrows a conversion SchemaError naming the model and member:
/// "model 'Item' member 'title': cannot convert ...".
[[noreturn]] void rethrow_conversion(const SchemaError& e, std::string_view model,
                                     std::string_view member);

/// Adds a table model to the registry (deduplicated by type).
void register_table(std::type_index type, const ModelInfo& (*info)());

}  // namespace strata::model::detail
