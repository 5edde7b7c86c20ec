// strata/model/patch.hpp - Patch<T>: a partial update of model T that
// remembers which fields were sent (SQLModel's
// `item_in.model_dump(exclude_unset=True)` + `item.sqlmodel_update(...)`).
//
//   validate<Patch<T>>(json) / validate_json<Patch<T>>(text)
//       validates only the keys present, with T's rules and error types: an
//       absent field is fine, a present null for a non-optional member is an
//       error (string_type, int_type, ...); unknown keys follow T's extra_forbid().
//       T's model validators do not run (the other fields are unknown).
//   patch.apply(obj)          assigns the sent members of obj, and only those
//   patch.is_set(&T::m)       was member m sent?
//   patch.fields()            the sent member names, in field order
//   patch.set(&T::m, v)       sets a value in code (as if sent)
//   to_json(patch)            only the sent fields (dump.hpp's options apply)
//
// Applied to a persistent object of a Session, only the changed members are
// written by the next flush (dirty tracking compares member by member).
//
// Example (FastAPI's PATCH /items/{id}):
//   auto patch = strata::model::validate_json<strata::model::Patch<Item>>(body);
//   auto item = session.get<Item>(id);
//   patch.apply(*item);
//   session.commit();  // UPDATE item SET description=? WHERE id=?
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "strata/model/describe.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/model_info.hpp"

namespace strata::model {

namespace detail {
/// Assigns field i of `src` to `dst` (both objects of `mi`) where sent[i].
void apply_patch(const ModelInfo& mi, const std::vector<bool>& sent, const void* src, void* dst);
/// to_json of `obj` restricted to the sent fields.
nlohmann::json patch_to_json(const ModelInfo& mi, const std::vector<bool>& sent, const void* obj,
                             const DumpOptions& opts);
/// The sent member names, in field order.
std::vector<std::string> sent_names(const ModelInfo& mi, const std::vector<bool>& sent);
/// Index of the field named `member`, or -1.
std::ptrdiff_t field_index(const ModelInfo& mi, std::string_view member) noexcept;
struct PatchAccess;
}  // namespace detail

/// A partial T: the values of the sent fields, and which fields were sent.
/// See the top of this file.
template <class T>
  requires is_model_v<T>
class Patch {
 public:
  using model_type = T;

  Patch() : sent_(info<T>().fields.size(), false) {}

  /// True when member m (a member of T or of one of its described bases) was sent.
  /// Throws: SchemaError when m is not a mapped member of T.
  template <class C, class M>
  bool is_set(M C::*m) const {
    static_assert(std::is_base_of_v<C, T>, "strata: Patch<T>::is_set(&C::m) takes a member of T");
    return sent_[info<T>().field(member_key(m)).index];
  }
  /// True when the member named `member` was sent (false for unknown names).
  bool is_set(std::string_view member) const {
    const auto i = detail::field_index(info<T>(), member);
    return i >= 0 && sent_[static_cast<std::size_t>(i)];
  }
  /// The sent member names, in field order.
  std::vector<std::string> fields() const { return detail::sent_names(info<T>(), sent_); }
  /// True when no field was sent.
  bool empty() const noexcept {
    for (bool b : sent_)
      if (b) return false;
    return true;
  }

  /// Sets member m to v and marks it sent (a patch built in code).
  template <class C, class M, class V>
  Patch& set(M C::*m, V&& v) {
    static_assert(std::is_base_of_v<C, T>, "strata: Patch<T>::set(&C::m, v) takes a member of T");
    static_cast<C&>(values_).*m = std::forward<V>(v);
    sent_[info<T>().field(member_key(m)).index] = true;
    return *this;
  }

  /// The values: sent members hold what was sent, the others T's initializers.
  const T& values() const noexcept { return values_; }

  /// Assigns the sent members of `obj`; the others are left as they are.
  void apply(T& obj) const { detail::apply_patch(info<T>(), sent_, &values_, &obj); }

 private:
  friend struct detail::PatchAccess;
  T values_{};
  std::vector<bool> sent_;
};

namespace detail {
template <class X>
struct is_patch : std::false_type {};
template <class T>
struct is_patch<Patch<T>> : std::true_type {};

/// What validate.hpp needs to fill a Patch.
struct PatchAccess {
  template <class T>
  static T& values(Patch<T>& p) noexcept {
    return p.values_;
  }
  template <class T>
  static std::vector<bool>& sent(Patch<T>& p) noexcept {
    return p.sent_;
  }
  template <class T>
  static const std::vector<bool>& sent(const Patch<T>& p) noexcept {
    return p.sent_;
  }
};
}  // namespace detail

/// Only the sent fields, as `model_dump(mode="json", exclude_unset=True)`;
/// include / exclude / exclude_none apply on top.
template <class T>
nlohmann::json to_json(const Patch<T>& patch, const DumpOptions& opts = {}) {
  return detail::patch_to_json(info<T>(), detail::PatchAccess::sent(patch), &patch.values(), opts);
}

}  // namespace strata::model
