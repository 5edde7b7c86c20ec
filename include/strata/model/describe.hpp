// strata/model/describe.hpp - STRATA_MODEL / STRATA_TABLE: one description per
// struct, and info<T>(): the model's runtime ModelInfo.
//
// A model is a plain aggregate struct. Column names come from the members
// themselves, so each name is written once:
//  * a model without bases: every member is a column, in declaration order
//    (members are enumerated with structured bindings, up to 64); field<&T::m>()
//    entries only add options;
//  * a model with extends<Base...>(): the bases' fields come first (in base
//    order), then its own members, which must all be listed with field<>()
//    (structured bindings cannot see through bases); a missing one is a
//    compile error naming the model.
//
// Example:
//   namespace app {
//   struct UserBase { std::string email; std::optional<std::string> full_name; };
//   struct User : UserBase {
//     strata::Uuid id = strata::Uuid::v4();
//     std::string hashed_password;
//     bool is_active = true;
//   };
//   struct Item {
//     strata::Uuid id = strata::Uuid::v4();
//     std::string title;
//     std::optional<std::string> description;
//     strata::Uuid owner_id;
//     bool is_completed = false;
//   };
//   STRATA_MODEL(UserBase, field<&UserBase::email>().unique().index().max_length(255),
//                          field<&UserBase::full_name>().max_length(255));
//   STRATA_TABLE(User, "user", extends<UserBase>(),
//                field<&User::id>().primary_key(),
//                field<&User::hashed_password>(),
//                field<&User::is_active>());
//   STRATA_TABLE(Item, "item",
//                field<&Item::id>().primary_key(),
//                field<&Item::title>().max_length(255),
//                field<&Item::owner_id>().foreign_key<&User::id>().on_delete(Cascade),
//                index<&Item::owner_id, &Item::title>("ix_item_owner_title"),
//                check("length(title) > 0", "title_not_empty"));
//   }  // namespace app
//
//   const strata::model::ModelInfo& mi = strata::model::info<app::Item>();
//   mi.table.name == "item"; mi.fields[3].column == "owner_id";
//
// Rules of use:
//  * Use the macros at namespace scope, in the namespace of the struct, with
//    the struct's unqualified name. Inside the argument list the DSL names
//    (field, extends, unique_constraint, index, check, model_validator,
//    extra_forbid, now, Cascade, SetNull, Restrict, NoAction, SetDefault) need
//    no qualification. Validation options: see validate.hpp.
//  * A model is built (and its description checked) the first time info<T>()
//    is called, thread-safely; errors in options are SchemaError then.
//  * STRATA_TABLE registers the model (registry.hpp: metadata()) during static
//    initialization of the translation unit that holds it.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "strata/core/error.hpp"
#include "strata/model/detail/draft.hpp"
#include "strata/model/field.hpp"
#include "strata/model/model_info.hpp"
#include "strata/model/reflect.hpp"
#include "strata/model/type_map.hpp"

namespace strata::model {

/// The argument type of the ADL hook `strata_describe(tag_t<T>)` that the
/// macros define next to the struct.
template <class T>
struct tag_t {};

/// What a description produced: the type-erased declaration, plus (as types)
/// whether it is a table and its bases.
template <class T, bool IsTable, class... Bases>
struct Description {
  using model_type = T;
  static constexpr bool is_table = IsTable;
  static constexpr std::size_t base_count = sizeof...(Bases);
  detail::ModelDecl decl;
};

namespace detail {

/// True when T has a STRATA_MODEL / STRATA_TABLE description visible here.
template <class T>
concept described = requires { strata_describe(tag_t<T>{}); };

template <class T>
using description_t = decltype(strata_describe(tag_t<T>{}));

template <class D>
struct description_bases;
template <class T, bool IsTable, class... B>
struct description_bases<Description<T, IsTable, B...>> {
  template <template <class...> class F>
  using apply = F<B...>;
};

template <class T>
constexpr std::size_t field_count();

template <class... B>
struct sum_field_counts {
  static constexpr std::size_t value = (std::size_t{0} + ... + field_count<B>());
};

/// Number of columns of described model T, at compile time.
template <class T>
constexpr std::size_t field_count() {
  using D = description_t<T>;
  if constexpr (D::base_count == 0) {
    return aggregate_member_count<T>;
  } else {
    return description_bases<D>::template apply<sum_field_counts>::value +
           aggregate_member_count<T> - D::base_count;
  }
}

// ---------------------------------------------------------------------------
// Accessors: how a member is reached from the model object.

/// Member I of an aggregate of N members, by structured binding.
template <class T, std::size_t N, std::size_t I>
struct ByBinding {
  static auto& ref(T& t) noexcept { return nth_member<N, I>(t); }
  static const auto& ref(const T& t) noexcept { return nth_member<N, I>(t); }
  static constexpr std::string_view name() noexcept { return bound_member_name<T, N, I>(); }
};

/// The member M (declared in T itself).
template <class T, auto M>
struct ByPointer {
  static auto& ref(T& t) noexcept { return t.*M; }
  static const auto& ref(const T& t) noexcept { return t.*M; }
  static constexpr std::string_view name() noexcept { return member_name<M>(); }
};

// ---------------------------------------------------------------------------
// Dirty-tracking image slots (snapshot_arena.hpp): how member type M is
// recorded in its slot, chosen at compile time.

enum class SnapKind { Bytes, Text, Heap };

template <class M>
inline constexpr SnapKind snap_kind_v =
    std::is_same_v<M, std::string> || std::is_same_v<M, std::optional<std::string>> ? SnapKind::Text
    : std::is_trivially_copyable_v<M> && std::is_default_constructible_v<M>        ? SnapKind::Bytes
                                                                                    : SnapKind::Heap;

/// The slot of a std::string / std::optional<std::string>: `data` nullptr is
/// std::nullopt; the characters are arena bytes (never written past `size`).
struct TextSlot {
  const char* data;
  std::size_t size;
};
/// The characters of every engaged empty string image.
inline constexpr char kEmptyText[1] = "";

template <class M>
struct SnapSlot {
  static constexpr SnapKind kind = snap_kind_v<M>;
  static constexpr std::size_t size =
      ((kind == SnapKind::Bytes ? sizeof(M) : kind == SnapKind::Text ? sizeof(TextSlot) : sizeof(M*)) +
       SnapshotArena::kAlign - 1) &
      ~(SnapshotArena::kAlign - 1);

  static TextSlot text(const std::byte* slot) noexcept {
    TextSlot t;
    std::memcpy(&t, slot, sizeof t);
    return t;
  }
  static M* heap(const std::byte* slot) noexcept {
    M* p;
    std::memcpy(&p, slot, sizeof p);
    return p;
  }

  static void put(const M& m, std::byte* slot, SnapshotArena& arena, bool overwrite) {
    if constexpr (kind == SnapKind::Bytes) {
      std::memcpy(slot, &m, sizeof(M));
    } else if constexpr (kind == SnapKind::Text) {
      const std::string* v;
      if constexpr (std::is_same_v<M, std::string>) v = &m;
      else v = m ? &*m : nullptr;
      TextSlot t{nullptr, 0};
      if (v) {
        const TextSlot old = overwrite ? text(slot) : TextSlot{nullptr, 0};
        if (v->empty()) {
          t = TextSlot{kEmptyText, 0};  // non-null (engaged), never written to
        } else {
          // Reuse the old characters when the new ones fit (then they are
          // arena bytes: kEmptyText has size 0).
          char* dst = v->size() <= old.size ? const_cast<char*>(old.data)
                                            : reinterpret_cast<char*>(arena.allocate(v->size()));
          std::memcpy(dst, v->data(), v->size());
          t = TextSlot{dst, v->size()};
        }
      }
      std::memcpy(slot, &t, sizeof t);
    } else {
      if (overwrite) {
        *heap(slot) = m;
      } else {
        M* p = arena.make_copy(m);
        std::memcpy(slot, &p, sizeof p);
      }
    }
  }

  static bool equal(const M& m, const std::byte* slot) {
    if constexpr (kind == SnapKind::Bytes) {
      M old;
      std::memcpy(static_cast<void*>(&old), slot, sizeof(M));
      return m == old;
    } else if constexpr (kind == SnapKind::Text) {
      const TextSlot t = text(slot);
      const std::string* v;
      if constexpr (std::is_same_v<M, std::string>) v = &m;
      else v = m ? &*m : nullptr;
      if (!v || !t.data) return !v && !t.data;
      return v->size() == t.size && (t.size == 0 || std::memcmp(v->data(), t.data, t.size) == 0);
    } else {
      return m == *heap(slot);
    }
  }

  static Value get(const std::byte* slot) {
    if constexpr (kind == SnapKind::Bytes) {
      M old;
      std::memcpy(static_cast<void*>(&old), slot, sizeof(M));
      return TypeMap<M>::to_value(old);
    } else if constexpr (kind == SnapKind::Text) {
      const TextSlot t = text(slot);
      if (!t.data) return TypeMap<M>::to_value(M{});  // std::nullopt
      return TypeMap<M>::to_value(M(std::string(t.data, t.size)));
    } else {
      return TypeMap<M>::to_value(*heap(slot));
    }
  }
};

/// A plain value as a parameter (FieldInfo::put): bool, signed integers,
/// float/double and std::string. Returns false for other types (boxed).
template <class V>
bool put_plain(const V& v, ParamView& p) noexcept {
  if constexpr (std::is_same_v<V, bool>) {
    p.kind = ParamView::Kind::Bool;
    p.integer = v ? 1 : 0;
    return true;
  } else if constexpr (std::is_integral_v<V> && std::is_signed_v<V> && !std::is_same_v<V, char>) {
    p.kind = ParamView::Kind::Integer;
    p.integer = static_cast<std::int64_t>(v);
    return true;
  } else if constexpr (std::is_same_v<V, double> || std::is_same_v<V, float>) {
    p.kind = ParamView::Kind::Real;
    p.real = static_cast<double>(v);
    return true;
  } else if constexpr (std::is_same_v<V, std::string>) {
    p.kind = ParamView::Kind::Text;
    p.text = v;
    return true;
  } else {
    return false;
  }
}
/// std::nullopt as Null, else the value as above.
template <class V>
bool put_plain(const std::optional<V>& v, ParamView& p) noexcept {
  if (!v) {
    p.kind = ParamView::Kind::Null;
    return true;
  }
  return put_plain(*v, p);
}

/// The FieldInfo functions of member type X reached through Acc.
template <class T, class X, class Acc>
struct Fns {
  static Value get(const void* o) { return TypeMap<X>::to_value(Acc::ref(*static_cast<const T*>(o))); }
  static void set(void* o, const Value& v) {
    try {
      Acc::ref(*static_cast<T*>(o)) = TypeMap<X>::from_value(v);
    } catch (const SchemaError& e) {
      rethrow_conversion(e, type_name<T>(), Acc::name());
    }
  }
  static void read(void* o, const CellSource& row, int col) {
    // Text into a string member: copied straight into the member (no
    // temporary std::string, and an optional's null test is the same kind()).
    using M = std::remove_cvref_t<decltype(Acc::ref(std::declval<T&>()))>;
    if constexpr (std::is_same_v<M, X> &&
                  (std::is_same_v<X, std::string> || std::is_same_v<X, std::optional<std::string>>)) {
      M& m = Acc::ref(*static_cast<T*>(o));
      const CellKind k = row.kind(col);
      if constexpr (std::is_same_v<X, std::optional<std::string>>) {
        if (k == CellKind::Null) {
          m.reset();
          return;
        }
        if (k == CellKind::Text) {
          const std::string_view text = row.get_text(col);
          if (m) m->assign(text);
          else m.emplace(text);
          return;
        }
      } else if (k == CellKind::Text) {
        const std::string_view text = row.get_text(col);
        // A fresh member (a new row's object) is constructed from the text:
        // fewer steps than assign(), which must allow for overlap.
        if (text.size() > m.capacity()) m = std::string(text);
        else m.assign(text);
        return;
      }
    }
    try {
      Acc::ref(*static_cast<T*>(o)) = TypeMap<X>::from_cell(row, col);
    } catch (const SchemaError& e) {
      rethrow_conversion(e, type_name<T>(), Acc::name());
    }
  }
  static bool equal(const void* a, const void* b) {
    return Acc::ref(*static_cast<const T*>(a)) == Acc::ref(*static_cast<const T*>(b));
  }
  static bool is_unset(const void* a) {
    using M = std::remove_cvref_t<decltype(Acc::ref(*static_cast<const T*>(a)))>;
    return Acc::ref(*static_cast<const T*>(a)) == M{};
  }
  static const std::string* text(const void* a) {
    const auto& m = Acc::ref(*static_cast<const T*>(a));
    using M = std::remove_cvref_t<decltype(m)>;
    if constexpr (std::is_same_v<M, std::string>) return &m;
    else if constexpr (std::is_same_v<M, std::optional<std::string>>) return m ? &*m : nullptr;
    else return nullptr;
  }
  static void put(const void* o, ParamView& p) {
    const auto& m = Acc::ref(*static_cast<const T*>(o));
    using M = std::remove_cvref_t<decltype(m)>;
    if constexpr (std::is_same_v<M, X>)
      if (put_plain(m, p)) return;
    p.kind = ParamView::Kind::Boxed;
    p.boxed = TypeMap<X>::to_value(m);
  }
  static void snap_put(const void* o, std::byte* slot, SnapshotArena& arena, bool overwrite) {
    SnapSlot<X>::put(Acc::ref(*static_cast<const T*>(o)), slot, arena, overwrite);
  }
  static bool snap_equal(const void* o, const std::byte* slot) {
    return SnapSlot<X>::equal(Acc::ref(*static_cast<const T*>(o)), slot);
  }
  static Value snap_get(const std::byte* slot) { return SnapSlot<X>::get(slot); }
  static void read_image(void* o, const CellSource& row, int col, std::byte* slot, SnapshotArena& arena) {
    read(o, row, col);
    SnapSlot<X>::put(Acc::ref(*static_cast<const T*>(o)), slot, arena, false);
  }
  static constexpr FieldFns fns() noexcept {
    return {&get,     &set,        &read,     &equal,      &is_unset,
            &text,    &snap_put,   &snap_equal, &snap_get, &read_image, SnapSlot<X>::size, &put};
  }
};

template <class T>
const ModelDraft& draft();

/// Field J of base B, reached from a T (non-virtual base: a fixed pointer adjustment).
template <class T, class B, std::size_t J>
struct BaseThunk {
  static const FieldInfo& f() { return draft<B>().info.fields[J]; }
  static const B* up(const void* o) noexcept { return static_cast<const B*>(static_cast<const T*>(o)); }
  static B* up(void* o) noexcept { return static_cast<B*>(static_cast<T*>(o)); }
  static Value get(const void* o) { return f().get(up(o)); }
  static void set(void* o, const Value& v) { f().set(up(o), v); }
  static void read(void* o, const CellSource& row, int col) { f().read(up(o), row, col); }
  static bool equal(const void* a, const void* b) { return f().equal(up(a), up(b)); }
  static bool is_unset(const void* a) { return f().is_unset(up(a)); }
  static const std::string* text(const void* a) { return f().text ? f().text(up(a)) : nullptr; }
  static void put(const void* o, ParamView& p) { f().put(up(o), p); }
  static void snap_put(const void* o, std::byte* slot, SnapshotArena& arena, bool overwrite) {
    f().snap_put(up(o), slot, arena, overwrite);
  }
  static bool snap_equal(const void* o, const std::byte* slot) { return f().snap_equal(up(o), slot); }
  static Value snap_get(const std::byte* slot) { return f().snap_get(slot); }
  static void read_image(void* o, const CellSource& row, int col, std::byte* slot, SnapshotArena& arena) {
    f().read_image(up(o), row, col, slot, arena);
  }
};

template <class T, class B, std::size_t... J>
BaseDecl make_base(std::index_sequence<J...>) {
  static_assert(std::is_base_of_v<B, T>, "strata: extends<B>() names a class that is not a base of the model");
  static_assert(described<B>,
                "strata: a base given in extends<B>() must be described with STRATA_MODEL(B, ...) "
                "(or STRATA_TABLE) before the derived model");
  return BaseDecl{&draft<B>, std::string(type_name<B>()),
                  {FieldFns{&BaseThunk<T, B, J>::get, &BaseThunk<T, B, J>::set,
                            &BaseThunk<T, B, J>::read, &BaseThunk<T, B, J>::equal,
                            &BaseThunk<T, B, J>::is_unset, &BaseThunk<T, B, J>::text,
                            &BaseThunk<T, B, J>::snap_put, &BaseThunk<T, B, J>::snap_equal,
                            &BaseThunk<T, B, J>::snap_get, &BaseThunk<T, B, J>::read_image, 0,
                            &BaseThunk<T, B, J>::put}...}};
}

// ---------------------------------------------------------------------------
// Nested models: a member whose type is a described model E or a std::vector<E>.

template <class X>
struct nested_model : std::false_type {};
template <class X>
  requires described<X>
struct nested_model<X> : std::true_type {
  using model = X;
  static constexpr bool list = false;
};
template <class E, class A>
  requires described<E>
struct nested_model<std::vector<E, A>> : std::true_type {
  using model = E;
  static constexpr bool list = true;
};

}  // namespace detail

template <class T>
const ModelInfo& info();

namespace detail {

/// The NestedInfo of member type X reached through Acc.
template <class T, class X, class Acc>
NestedInfo make_nested(std::string member, MemberKey key) {
  using NM = nested_model<X>;
  NestedInfo n;
  n.member = std::move(member);
  n.key = key;
  n.model = &info<typename NM::model>;
  n.list = NM::list;
  if constexpr (NM::list) {
    n.size = [](const void* o) -> std::size_t { return Acc::ref(*static_cast<const T*>(o)).size(); };
    n.resize = [](void* o, std::size_t k) { Acc::ref(*static_cast<T*>(o)).resize(k); };
    n.at = [](void* o, std::size_t i) -> void* { return &Acc::ref(*static_cast<T*>(o))[i]; };
    n.cat = [](const void* o, std::size_t i) -> const void* { return &Acc::ref(*static_cast<const T*>(o))[i]; };
  } else {
    n.ref = [](void* o) -> void* { return &Acc::ref(*static_cast<T*>(o)); };
    n.cref = [](const void* o) -> const void* { return &Acc::ref(*static_cast<const T*>(o)); };
  }
  return n;
}

/// The RelationDecl of relationship member type X (One<E> / Many<E>) reached through Acc.
template <class T, class X, class Acc>
RelationDecl make_relation(std::string member, MemberKey key) {
  using RA = RelationAccess;
  using E = typename std::conditional_t<is_one<X>::value, is_one<X>, is_many<X>>::target;
  RelationDecl d;
  d.member = std::move(member);
  d.key = key;
  d.list = is_many<X>::value;
  d.target_draft = &draft<E>;
  d.target = &info<E>;
  d.target_name = std::string(type_name<E>());
  RelationInfo& r = d.fns;
  r.loaded = [](const void* o) { return RA::loaded(Acc::ref(*static_cast<const T*>(o))); };
  r.set_unloaded = [](void* o, const char* n) { RA::set_unloaded(Acc::ref(*static_cast<T*>(o)), n); };
  if constexpr (is_one<X>::value) {
    r.peek = [](const void* o) -> std::shared_ptr<void> { return RA::peek(Acc::ref(*static_cast<const T*>(o))); };
    r.is_strong = [](const void* o) { return RA::is_strong(Acc::ref(*static_cast<const T*>(o))); };
    r.set_one = [](void* o, std::shared_ptr<void> p, bool weak, const char* n) {
      RA::set_one(Acc::ref(*static_cast<T*>(o)), std::static_pointer_cast<E>(std::move(p)), weak, n);
    };
  } else {
    r.size = [](const void* o) { return RA::items(Acc::ref(*static_cast<const T*>(o))).size(); };
    r.at = [](const void* o, std::size_t i) -> void* {
      return static_cast<void*>(RA::items(Acc::ref(*static_cast<const T*>(o)))[i].get());
    };
    r.shared_at = [](const void* o, std::size_t i) -> std::shared_ptr<void> {
      return RA::items(Acc::ref(*static_cast<const T*>(o)))[i];
    };
    r.reset = [](void* o, const char* n) {
      auto& m = Acc::ref(*static_cast<T*>(o));
      RA::items(m).clear();
      RA::set_loaded(m, n);
    };
    r.append = [](void* o, std::shared_ptr<void> p) {
      RA::items(Acc::ref(*static_cast<T*>(o))).push_back(std::static_pointer_cast<E>(std::move(p)));
    };
    r.reserve = [](void* o, std::size_t n) { RA::items(Acc::ref(*static_cast<T*>(o))).reserve(n); };
  }
  return d;
}

template <class Model, fixed_string Member, bool IsTable>
constexpr void check_relationship_in_table() {
  static_assert(IsTable,
                "strata: a strata::One<> / strata::Many<> member (see Model and Member above) is a "
                "relationship, allowed only in STRATA_TABLE models");
}

template <class Model, auto Member>
constexpr void check_field_not_relationship() {
  static_assert(!is_relationship_v<member_type_t<Member>>,
                "strata: field<&T::m>() names a strata::One<> / strata::Many<> member (see Model and "
                "Member above); give its options with relationship<&T::m>()");
}

template <class Model, fixed_string Member, bool IsTable>
constexpr void check_nested_not_in_table() {
  static_assert(!IsTable,
                "strata: a table model's members are columns; a member holding a model or a list of "
                "models (see Model and Member above) is allowed only in STRATA_MODEL models (API shapes)");
}

template <class Model, fixed_string Member, bool Bound>
constexpr void check_nested_without_bases() {
  static_assert(Bound,
                "strata: a member holding a model or a list of models (see Model and Member above) is "
                "supported only in models without extends<>()");
}

// ---------------------------------------------------------------------------
// Compile-time checks. Each is a template over the model and the member so
// that g++ prints both in its "In instantiation of ... [with Model = ...;
// Member = ...]" line above the message.

template <class Model, fixed_string Member, class X>
constexpr void check_member_type() {
  static_assert(is_mapped_type_v<X>,
                "strata: unsupported member type (see Model, Member and X in the line above); "
                "use a supported type or specialize strata::model::TypeMap<X>");
}

template <class Model, auto Member>
constexpr void check_listed_member() {
  static_assert(std::is_same_v<class_of_t<Member>, Model>,
                "strata: field<&C::m>() must name a member declared in the model itself (see Model "
                "and Member above); describe inherited members in the base's STRATA_MODEL");
}

template <class Model, auto Member, std::size_t Times>
constexpr void check_listed_once() {
  static_assert(Times == 1,
                "strata: the same member is listed twice with field<>() (see Model and Member "
                "above); give all its options in one field<>() entry");
}

template <class Model, std::size_t Members, std::size_t Bases, std::size_t Listed>
constexpr void check_all_members_described() {
  static_assert(Members == Bases + Listed,
                "strata: a model with extends<...>() has members that are not described: list "
                "every own member with field<&Model::m>() (relationship members with "
                "relationship<&Model::m>()) (see Model above)");
}

template <class A>
struct is_field_spec : std::false_type {};
template <auto M>
struct is_field_spec<FieldSpec<M>> : std::true_type {};

template <class T, class One, class... All>
constexpr void check_listed_once_in() {
  if constexpr (is_field_spec<One>::value)
    check_listed_once<T, One::pointer, (std::size_t{0} + ... + std::size_t{std::is_same_v<One, All>})>();
}

template <class A>
struct is_relationship_spec : std::false_type {};
template <auto M>
struct is_relationship_spec<RelationshipSpec<M>> : std::true_type {};

template <class A>
struct is_model_validator_spec : std::false_type {};
template <class F>
struct is_model_validator_spec<ModelValidatorSpec<F>> : std::true_type {};

template <class A>
struct is_extends : std::false_type {};
template <class... B>
struct is_extends<Extends<B...>> : std::true_type {};

template <class... E>
struct join_extends;
template <>
struct join_extends<> {
  using type = Extends<>;
};
template <class... B>
struct join_extends<Extends<B...>> {
  using type = Extends<B...>;
};
template <class A, class... E>
struct join_extends<A, E...> {
  using type = typename join_extends<E...>::type;
};
template <class... B, class... C, class... E>
struct join_extends<Extends<B...>, Extends<C...>, E...> {
  using type = typename join_extends<Extends<B..., C...>, E...>::type;
};
template <class... B, class A, class... E>
  requires(!is_extends<A>::value)
struct join_extends<Extends<B...>, A, E...> {
  using type = typename join_extends<Extends<B...>, E...>::type;
};

// ---------------------------------------------------------------------------
// The arguments of a description.

template <class T, bool Bound, class A>
void add_arg(ModelDecl& d, const A& a) {
  if constexpr (is_field_spec<A>::value) {
    constexpr auto M = A::pointer;
    using X = typename A::member_type;
    check_listed_member<T, M>();
    check_field_not_relationship<T, M>();
    if constexpr (is_relationship_v<X>)
      ;
    else if constexpr (nested_model<X>::value)
      check_nested_without_bases<T, fixed_string<member_name<M>().size() + 1>(member_name<M>()), Bound>();
    else
      check_member_type<T, fixed_string<member_name<M>().size() + 1>(member_name<M>()), X>();
    if constexpr (Bound) {
      d.listed.push_back(ListedOptions{std::string(member_name<M>()), member_key(M), a.options});
    } else if constexpr (is_mapped_type_v<X>) {
      d.fields.push_back(FieldDecl{std::string(member_name<M>()), member_key(M), TypeMap<X>::sql(),
                                   TypeMap<X>::nullable, Fns<T, X, ByPointer<T, M>>::fns(), a.options});
    }
  } else if constexpr (is_relationship_spec<A>::value) {
    constexpr auto M = A::pointer;
    using X = typename A::member_type;
    check_listed_member<T, M>();
    if constexpr (Bound) {
      d.listed_relations.push_back(ListedRelation{std::string(member_name<M>()), member_key(M), a.options});
    } else {
      RelationDecl r = make_relation<T, X, ByPointer<T, M>>(std::string(member_name<M>()), member_key(M));
      r.options = a.options;
      d.relations.push_back(std::move(r));
    }
  } else if constexpr (is_extends<A>::value) {
    // handled through the Description's Bases
  } else if constexpr (std::is_same_v<A, UniqueSpec>) {
    d.uniques.push_back(a);
  } else if constexpr (std::is_same_v<A, IndexSpec>) {
    d.indexes.push_back(a);
  } else if constexpr (std::is_same_v<A, CheckSpec>) {
    d.checks.push_back(a);
  } else if constexpr (is_model_validator_spec<A>::value) {
    using F = decltype(a.f);
    static_assert(returns_error_message<F, T>,
                  "strata: model_validator(f) takes a callable f(const Model&) returning "
                  "std::optional<std::string> (an error message, or std::nullopt when valid)");
    if constexpr (returns_error_message<F, T>)
      d.model_validators.push_back([f = a.f](const void* o) -> std::optional<std::string> {
        return f(*static_cast<const T*>(o));
      });
  } else if constexpr (std::is_same_v<A, ExtraForbid>) {
    d.extra_forbid = true;
  } else {
    static_assert(dependent_false_v<A>,
                  "strata: unexpected argument in a model description; expected field<>(), "
                  "relationship<>(), extends<>(), unique_constraint<>(), index<>(), check(), "
                  "model_validator() or extra_forbid()");
  }
}

/// One enumerated member I of a model without bases.
template <class T, bool IsTable, std::size_t N, std::size_t I>
void add_bound(ModelDecl& d, const T& probe) {
  using Acc = ByBinding<T, N, I>;
  using X = std::remove_cvref_t<decltype(nth_member<N, I>(std::declval<T&>()))>;
  auto offset = reinterpret_cast<const char*>(&Acc::ref(probe)) - reinterpret_cast<const char*>(&probe);
  if constexpr (is_relationship_v<X>) {
    check_relationship_in_table<T, fixed_string<Acc::name().size() + 1>(Acc::name()), IsTable>();
    d.relations.push_back(make_relation<T, X, Acc>(std::string(Acc::name()), MemberKey{typeid(T), offset}));
    return;
  } else if constexpr (nested_model<X>::value) {
    check_nested_not_in_table<T, fixed_string<Acc::name().size() + 1>(Acc::name()), IsTable>();
    d.nested.push_back(make_nested<T, X, Acc>(std::string(Acc::name()), MemberKey{typeid(T), offset}));
    return;
  } else {
    check_member_type<T, fixed_string<Acc::name().size() + 1>(Acc::name()), X>();
  }
  if constexpr (is_mapped_type_v<X>) {
    d.fields.push_back(FieldDecl{std::string(Acc::name()), MemberKey{typeid(T), offset},
                                 TypeMap<X>::sql(), TypeMap<X>::nullable, Fns<T, X, Acc>::fns(), {}});
  }
}

/// Member I's part of read_row_all: `k` is its field index (members that
/// are not columns have none).
template <class T, std::size_t N, std::size_t I>
[[gnu::always_inline]] inline void read_row_one(void* obj, const CellSource& row, int first, std::byte* image,
                                                SnapshotArena& arena, const FieldInfo* fields, std::size_t& k) {
  using Acc = ByBinding<T, N, I>;
  using X = std::remove_cvref_t<decltype(nth_member<N, I>(std::declval<T&>()))>;
  if constexpr (!is_relationship_v<X> && !nested_model<X>::value && is_mapped_type_v<X>) {
    const FieldInfo& f = fields[k];
    std::byte* slot = image + f.snap_offset;
    if (f.primary_key) Fns<T, X, Acc>::snap_put(obj, slot, arena, false);
    else Fns<T, X, Acc>::read_image(obj, row, first + static_cast<int>(k), slot, arena);
    ++k;
  }
}

/// ModelInfo::read_row of a model without bases: the fields' read_image
/// steps inlined into one function (one indirect call per row, not per field).
template <class T, std::size_t N, std::size_t... I>
void read_row_all(void* obj, const CellSource& row, int first, std::byte* image, SnapshotArena& arena,
                  const FieldInfo* fields) {
  std::size_t k = 0;
  (read_row_one<T, N, I>(obj, row, first, image, arena, fields, k), ...);
}

template <class T, bool IsTable, std::size_t N, std::size_t... I>
void add_bound_all(ModelDecl& d, std::index_sequence<I...>) {
  const auto probe = std::make_unique<T>();  // value-initialized; only member addresses are read
  (add_bound<T, IsTable, N, I>(d, *probe), ...);
  d.read_row = &read_row_all<T, N, I...>;
}

template <class T, bool IsTable, class... B, class... A>
Description<T, IsTable, B...> describe_with(Extends<B...>, std::string table, const A&... args) {
  static_assert(std::is_class_v<T> && std::is_aggregate_v<T>,
                "strata: a model must be an aggregate struct (no user-declared constructors, no "
                "virtual functions, public members)");
  static_assert(std::is_default_constructible_v<T> && std::is_copy_assignable_v<T>,
                "strata: a model must be default-constructible and copyable");
  constexpr std::size_t listed =
      (std::size_t{0} + ... + std::size_t{is_field_spec<A>::value || is_relationship_spec<A>::value});
  (check_listed_once_in<T, A, A...>(), ...);

  Description<T, IsTable, B...> out;
  ModelDecl& d = out.decl;
  d.model = std::string(type_name<T>());
  d.type = typeid(T);
  d.is_table = IsTable;
  d.table = std::move(table);
  d.make_shared = []() -> std::shared_ptr<void> { return std::make_shared<T>(); };
  d.clone = [](const void* o) -> std::shared_ptr<void> {
    return std::make_shared<T>(*static_cast<const T*>(o));
  };
  d.assign = [](void* dst, const void* src) { *static_cast<T*>(dst) = *static_cast<const T*>(src); };
  d.make_block = [](std::size_t n) -> std::shared_ptr<void> { return std::make_shared<T[]>(n); };
  d.block_at = [](void* block, std::size_t i) -> void* { return static_cast<T*>(block) + i; };
  d.make_pooled = [](ObjectPool& pool) -> std::shared_ptr<void> {
    return std::allocate_shared<T>(PoolAllocator<T>(pool));
  };

  if constexpr (sizeof...(B) == 0) {
    constexpr std::size_t n = aggregate_member_count<T>;
    static_assert(n >= 1 && n <= max_bound_members, "strata: a model needs 1 to 64 members");
    add_bound_all<T, IsTable, n>(d, std::make_index_sequence<n>{});
  } else {
    check_all_members_described<T, aggregate_member_count<T>, sizeof...(B), listed>();
    (d.bases.push_back(make_base<T, B>(std::make_index_sequence<field_count<B>()>{})), ...);
  }
  (add_arg<T, sizeof...(B) == 0>(d, args), ...);
  return out;
}

}  // namespace detail

/// Describes table model T: called by STRATA_TABLE. `args` are field<>(),
/// extends<>(), unique_constraint<>(), index<>() and check() entries.
template <class T, class... A>
auto describe_table(std::string table, const A&... args) {
  return detail::describe_with<T, true>(typename detail::join_extends<A...>::type{}, std::move(table),
                                        args...);
}

/// Describes a non-table model (a base, a Create / Update / Public shape):
/// called by STRATA_MODEL.
template <class T, class... A>
auto describe_model(const A&... args) {
  return detail::describe_with<T, false>(typename detail::join_extends<A...>::type{}, std::string{},
                                         args...);
}

namespace detail {

template <class T>
const ModelDraft& draft() {
  static_assert(described<T>,
                "strata: this type has no STRATA_MODEL / STRATA_TABLE description (see T above); "
                "describe it in its own namespace");
  static const ModelDraft d = finish_draft(std::move(strata_describe(tag_t<T>{}).decl));
  return d;
}

}  // namespace detail

/// The runtime description of model T, built once (thread-safe) on first use.
/// Throws: SchemaError naming the model and member when an option is invalid
/// (max_length on a non-string, autoincrement on a non-integer or composite
/// key, on_delete(SetNull) on a non-nullable member, a foreign key to a member
/// that is not a column of a table model, a table without primary key...).
/// A throwing first call is retried by the next call.
template <class T>
const ModelInfo& info() {
  static const ModelInfo i = detail::resolve_model(detail::draft<T>());
  return i;
}

/// True when T is described with STRATA_TABLE.
template <class T>
inline constexpr bool is_table_model_v = [] {
  if constexpr (detail::described<T>) return detail::description_t<T>::is_table;
  else return false;
}();

/// True when T is described with STRATA_MODEL or STRATA_TABLE.
template <class T>
inline constexpr bool is_model_v = detail::described<T>;

namespace detail {
/// Registers table model T; the value of the inline variable STRATA_TABLE defines.
template <class T>
bool register_table() {
  register_table(typeid(T), &info<T>);
  return true;
}
}  // namespace detail

}  // namespace strata::model

/// Describes a struct that is not a table (a shared base, a Create / Update
/// shape). See the Example at the top of this file.
#define STRATA_MODEL(Type, ...)                                             \
  inline auto strata_describe(::strata::model::tag_t<Type>) {               \
    using namespace ::strata::model::dsl;                                   \
    return ::strata::model::describe_model<Type>(__VA_ARGS__);              \
  }                                                                         \
  static_assert(true, "")

/// Describes a table model named `table_name` and registers it for
/// strata::model::metadata(). See the Example at the top of this file.
#define STRATA_TABLE(Type, table_name, ...)                                          \
  inline auto strata_describe(::strata::model::tag_t<Type>) {                        \
    using namespace ::strata::model::dsl;                                            \
    return ::strata::model::describe_table<Type>(table_name __VA_OPT__(, ) __VA_ARGS__); \
  }                                                                                  \
  inline const bool strata_registered_##Type = ::strata::model::detail::register_table<Type>()

// metadata() / registered_tables() come with the macros that register models.
#include "strata/model/registry.hpp"
