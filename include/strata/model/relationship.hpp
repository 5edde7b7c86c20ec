// strata/model/relationship.hpp - the members that hold related objects:
// strata::One<T> (many-to-one, or a one-to-one reverse) and strata::Many<T>
// (one-to-many, many-to-many), and their options in a description:
// relationship<&T::m>() (SQLAlchemy's relationship(), SQLModel's Relationship()).
//
// Values, no hidden I/O: a relationship member holds what was loaded and
// nothing more. Reading one that was not loaded throws NotLoadedError naming
// it ("Model.opinions"); it never sends a query. Loading is explicit: the
// query options selectin() / joined() (strata/orm/loading.hpp) or
// Session::load().
//
// States:
//   loaded    a new object's members (default-constructed) are loaded and
//             empty: a new user has no items yet. The session sets a member
//             loaded when a loader fills it.
//   unloaded  an object the session read from a row has every relationship
//             member unloaded until a loader fills it.
//
// Ownership: related objects are the session's std::shared_ptr objects (the
// identity map: one object per row). A collection holds its children strongly.
// A many-to-one member filled as the back-reference of a loaded collection
// (back_populates) holds its parent weakly, so that parent <-> child never form
// a std::shared_ptr cycle: keep the parent (or the query result) alive while
// you use child->parent; reading a released parent throws InvalidRequestError.
// A many-to-one member set by a loader of its own (selectin(&Item::owner)) or
// by your code holds its parent strongly, unless that parent's loaded
// collection holds the child (then the session stores it weakly).
//
// Example:
//   struct User { int id = 0; std::string email; strata::Many<Item> items; };
//   struct Item { int id = 0; std::string title; int owner_id = 0; strata::One<User> owner; };
//   STRATA_TABLE(User, "user", field<&User::id>().primary_key().autoincrement(),
//                relationship<&User::items>().back_populates("owner").cascade("all, delete-orphan"));
//   STRATA_TABLE(Item, "item", field<&Item::id>().primary_key().autoincrement(),
//                field<&Item::owner_id>().foreign_key<&User::id>(),
//                relationship<&Item::owner>().back_populates("items"));
//
//   auto u = session.add(User{.email = "ada@example.com"});
//   u->items.push_back(Item{.title = "first"});   // pending with u (cascade save-update)
//   session.commit();                             // INSERT user, then item with owner_id = u->id
//   auto users = session.exec(select<User>().options(selectin(&User::items))).all();
//   for (const auto& item : users[0]->items) item->owner->email;  // both directions loaded
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "strata/core/error.hpp"

namespace strata::model {

namespace detail {
struct RelationAccess;
/// Throws NotLoadedError naming the relationship (`name`, e.g. "Model.opinions",
/// or the member type when the session has not named it).
[[noreturn]] void throw_not_loaded(const char* name, const char* kind);
/// Throws InvalidRequestError: the weakly held parent is gone.
[[noreturn]] void throw_released(const char* name);
/// Throws InvalidRequestError: operator-> / operator* of an empty One.
[[noreturn]] void throw_empty(const char* name);
}  // namespace detail

/// A reference to one related object (many-to-one, e.g. Item::owner), or none.
/// T may be incomplete where the member is declared.
template <class T>
class One {
 public:
  /// Loaded and empty (a new object has no related object yet).
  One() = default;
  /// Loaded, referring to `p` (strongly); nullptr: loaded and empty.
  One(std::shared_ptr<T> p) noexcept : strong_(std::move(p)) {}  // NOLINT(google-explicit-constructor)
  One(std::nullptr_t) noexcept {}                                  // NOLINT(google-explicit-constructor)

  /// Sets the related object (strongly held). The flush copies its key into
  /// the foreign-key members (after inserting it first when it is new).
  One& operator=(std::shared_ptr<T> p) noexcept {
    strong_ = std::move(p);
    weak_.reset();
    loaded_ = true;
    return *this;
  }
  One& operator=(std::nullptr_t) noexcept { return *this = std::shared_ptr<T>(); }

  /// True when the member holds what the database has (or what you set).
  bool loaded() const noexcept { return loaded_; }
  /// The related object, or nullptr when there is none.
  /// Throws: NotLoadedError when not loaded; InvalidRequestError when the
  /// weakly held parent (a back-reference) was released.
  T* get() const { return shared().get(); }
  /// As get(), as a std::shared_ptr (keeps the object alive).
  std::shared_ptr<T> shared() const {
    if (!loaded_) detail::throw_not_loaded(name_, "One<>");
    if (strong_) return strong_;
    if (weak_.expired()) {
      if (held_weak_) detail::throw_released(name_);
      return nullptr;
    }
    return weak_.lock();
  }
  /// The related object. Throws: as get(), and InvalidRequestError when there is none.
  T& operator*() const {
    T* p = get();
    if (!p) detail::throw_empty(name_);
    return *p;
  }
  T* operator->() const { return &**this; }
  /// True when loaded and set. Throws: as get().
  explicit operator bool() const { return get() != nullptr; }

 private:
  friend struct detail::RelationAccess;
  std::shared_ptr<T> strong_;
  std::weak_ptr<T> weak_;
  const char* name_ = nullptr;  // "Item.owner", set by the session
  bool loaded_ = true;
  bool held_weak_ = false;      // weak_ was set (a back-reference)
};

/// A collection of related objects (one-to-many, e.g. User::items, or
/// many-to-many through a link model). T may be incomplete where the member
/// is declared. Every read and write throws NotLoadedError when the collection
/// is not loaded: appending to a collection Strata has not read would hide the
/// other rows.
template <class T>
class Many {
 public:
  using value_type = std::shared_ptr<T>;
  using const_iterator = typename std::vector<std::shared_ptr<T>>::const_iterator;

  /// Loaded and empty (a new object has no related objects yet).
  Many() = default;
  /// Loaded, holding `items`.
  Many(std::initializer_list<std::shared_ptr<T>> items) : items_(items) {}

  bool loaded() const noexcept { return loaded_; }

  std::size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }
  const_iterator begin() const { return items().begin(); }
  const_iterator end() const { return items().end(); }
  const std::shared_ptr<T>& operator[](std::size_t i) const { return items()[i]; }
  /// Throws: NotLoadedError; std::out_of_range when i >= size().
  const std::shared_ptr<T>& at(std::size_t i) const { return items().at(i); }
  /// The objects, in the order loaded (the relationship's order_by, else the
  /// database's order) and then appended. Throws: NotLoadedError.
  const std::vector<std::shared_ptr<T>>& items() const {
    if (!loaded_) detail::throw_not_loaded(name_, "Many<>");
    return items_;
  }

  /// Appends `obj`; at the next flush it is saved with its foreign key set to
  /// this parent (cascade save-update). Returns `obj`. Throws: NotLoadedError;
  /// ArgumentError for a null pointer.
  std::shared_ptr<T> push_back(std::shared_ptr<T> obj) {
    if (!loaded_) detail::throw_not_loaded(name_, "Many<>");
    if (!obj) throw ArgumentError("Many<>::push_back(): a null std::shared_ptr");
    items_.push_back(obj);
    return obj;
  }
  /// Appends a copy of `value` as a new object and returns it.
  std::shared_ptr<T> push_back(T value) { return push_back(std::make_shared<T>(std::move(value))); }
  /// Removes `obj` (compared by address); at the next flush it is deleted
  /// (cascade delete-orphan) or its foreign key is set to NULL. Returns false
  /// when it was not in the collection. Throws: NotLoadedError.
  bool remove(const std::shared_ptr<T>& obj) {
    if (!loaded_) detail::throw_not_loaded(name_, "Many<>");
    for (auto it = items_.begin(); it != items_.end(); ++it)
      if (*it == obj) {
        items_.erase(it);
        return true;
      }
    return false;
  }
  /// Removes every object (each as remove()). Throws: NotLoadedError.
  void clear() {
    if (!loaded_) detail::throw_not_loaded(name_, "Many<>");
    items_.clear();
  }

 private:
  friend struct detail::RelationAccess;
  std::vector<std::shared_ptr<T>> items_;
  const char* name_ = nullptr;  // "User.items", set by the session
  bool loaded_ = true;
};

template <class X>
struct is_one : std::false_type {};
template <class T>
struct is_one<One<T>> : std::true_type {
  using target = T;
};
template <class X>
struct is_many : std::false_type {};
template <class T>
struct is_many<Many<T>> : std::true_type {
  using target = T;
};
/// True for One<T> and Many<T> members.
template <class X>
inline constexpr bool is_relationship_v = is_one<X>::value || is_many<X>::value;

namespace detail {

/// The session's access to a relationship member (type-erased accessors are
/// built from these in describe.hpp).
struct RelationAccess {
  template <class T>
  static void set_unloaded(One<T>& m, const char* name) noexcept {
    m.strong_.reset();
    m.weak_.reset();
    m.name_ = name;
    m.loaded_ = false;
    m.held_weak_ = false;
  }
  template <class T>
  static void set_unloaded(Many<T>& m, const char* name) noexcept {
    m.items_.clear();
    m.name_ = name;
    m.loaded_ = false;
  }
  template <class T>
  static void set_one(One<T>& m, std::shared_ptr<T> p, bool weak, const char* name) noexcept {
    m.name_ = name;
    m.loaded_ = true;
    if (weak && p) {
      m.strong_.reset();
      m.weak_ = p;
      m.held_weak_ = true;
    } else {
      m.strong_ = std::move(p);
      m.weak_.reset();
      m.held_weak_ = false;
    }
  }
  /// The object referred to (nullptr when none, unloaded or released).
  template <class T>
  static std::shared_ptr<T> peek(const One<T>& m) noexcept {
    if (!m.loaded_) return nullptr;
    return m.strong_ ? m.strong_ : m.weak_.lock();
  }
  template <class T>
  static bool is_strong(const One<T>& m) noexcept {
    return m.loaded_ && m.strong_ != nullptr;
  }
  template <class T>
  static std::vector<std::shared_ptr<T>>& items(Many<T>& m) noexcept {
    return m.items_;
  }
  template <class T>
  static const std::vector<std::shared_ptr<T>>& items(const Many<T>& m) noexcept {
    return m.items_;
  }
  template <class T>
  static void set_loaded(Many<T>& m, const char* name) noexcept {
    m.name_ = name;
    m.loaded_ = true;
  }
  template <class X>
  static bool loaded(const X& m) noexcept {
    return m.loaded_;
  }
};

}  // namespace detail

}  // namespace strata::model

namespace strata {
using model::Many;
using model::One;
}  // namespace strata
