// strata/model/project.hpp - project<To>(from): one model object from another
// by member name, for the Create / Public projections of SQLModel's
// ItemCreate -> Item -> ItemPublic pattern without writing fields again.
//
//   project<To>(from)   a value-initialized To (its initializers apply: a
//                       fresh `Uuid id = Uuid::v4()`), then every member of To
//                       that From also has, by name, copied from `from`:
//                       SQLModel's `Item.model_validate(item_in)`. Members of
//                       From that To lacks are left out (hashed_password in a
//                       UserPublic). An empty std::optional copied into a
//                       non-optional member leaves that member as it is.
//   to_json<To>(from)   (dump.hpp) to_json(project<To>(from)): the response
//                       shape, as FastAPI's response_model=UserPublic.
//
// Members with the same name must have the same kind of type (integers of any
// width, strings of any length and optional or not are the same kind); else
// SchemaError naming both models and the member, on the first call for the
// pair. No validation runs: call check(obj), or let Session::add do it.
//
// Example:
//   auto in = strata::model::validate_json<ItemCreate>(body);
//   auto item = strata::model::project<Item>(in);  // id = Uuid::v4(), title, description
//   item.owner_id = current_user.id;               // Pydantic's update={"owner_id": ...}
//   session.add(item);
//   return strata::model::to_json<ItemPublic>(item);
#pragma once

#include <utility>
#include <vector>

#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"

namespace strata::model {

namespace detail {
/// The (To field, From field) pairs with the same member name.
struct Projection {
  std::vector<std::pair<const FieldInfo*, const FieldInfo*>> pairs;
};
/// Throws: SchemaError when a pair has incompatible types.
Projection make_projection(const ModelInfo& to, const ModelInfo& from);
/// Copies each pair's value from `src` (a From*) to `dst` (a To*).
void copy_projected(const Projection& p, const void* src, void* dst);
}  // namespace detail

/// A To built from the same-named members of `from` (see the top of this file).
/// Throws: SchemaError when a same-named member has another kind of type.
template <class To, class From>
  requires is_model_v<To> && is_model_v<From>
To project(const From& from) {
  static const detail::Projection p = detail::make_projection(info<To>(), info<From>());
  To out{};
  detail::copy_projected(p, &from, &out);
  return out;
}

}  // namespace strata::model
