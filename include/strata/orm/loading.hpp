// strata/orm/loading.hpp - relationship loader options: selectin() and
// joined(), as SQLAlchemy's selectinload() and joinedload().
//
// Loading is explicit: a query loads the relationships its options name and
// nothing else; a member that was not loaded throws NotLoadedError when read
// (relationship.hpp).
//
//   selectin(&Model::opinions)  after the main query, one SELECT per level and
//                               per 1000 parents: ... WHERE opinions.model_id IN (...)
//   joined(&Opinion::model)     the same query, with a LEFT OUTER JOIN of the
//                               related table (parents are deduplicated when a
//                               collection is joined)
//
// Nesting follows the path of relationships, each level with its strategy:
//   session.exec(select<Model>().options(
//       selectin(&Model::benchmark_results).joined(&BenchmarkResult::benchmark),
//       selectin(&Model::opinions))).all();
//   // 3 statements: models; results LEFT JOIN benchmarks; opinions
//
// then(&X::m) continues with the same strategy as the level before it.
// Session::load(obj, option) loads on objects already in hand (selectin;
// joined levels below the first are also folded into its query).
//
// Errors (ArgumentError, when the statement is executed): joined() of a
// many-to-many, of a table already in the query (a self-reference: use
// selectin()), or of a collection in a query with limit() / offset().
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

#include "strata/model/describe.hpp"
#include "strata/model/model_info.hpp"
#include "strata/model/relationship.hpp"

namespace strata::orm {

enum class LoadStrategy { SelectIn, Joined };

/// One level of a loader path: a relationship of model `owner` and how to load
/// it, with what to load under it. Plain data; see Loader for the typed builder.
struct LoaderOption {
  LoadStrategy strategy = LoadStrategy::SelectIn;
  const model::ModelInfo& (*owner)() = nullptr;  ///< info<Owner>
  model::MemberKey key;                          ///< the One<X> / Many<X> member
  std::vector<LoaderOption> children;
};

namespace detail {
template <class R>
struct relation_target {
  static_assert(model::is_relationship_v<R>,
                "strata: a loader option takes a relationship member (strata::One<X> / strata::Many<X>) "
                "such as selectin(&User::items)");
  using type = void;
};
template <class X>
struct relation_target<model::One<X>> {
  using type = X;
};
template <class X>
struct relation_target<model::Many<X>> {
  using type = X;
};
template <class R>
using relation_target_t = typename relation_target<R>::type;

template <class Expected, class Given>
constexpr void check_loader_owner() {
  static_assert(std::is_same_v<Expected, Given>,
                "strata: this relationship is not a member of the model loaded at this level (see "
                "Expected and Given above): then(), selectin() and joined() continue from the "
                "previous relationship's model");
}
}  // namespace detail

/// A loader path being built: its root option, and the level that the next
/// then() / selectin() / joined() extends (whose objects are Target).
template <class Owner, class Target>
class Loader {
 public:
  Loader(LoaderOption root, std::vector<std::size_t> path) : root_(std::move(root)), path_(std::move(path)) {}

  /// Loads relationship `m` of the Target objects, with selectin.
  template <class C, class R>
  Loader<Owner, detail::relation_target_t<R>> selectin(R C::*m) const {
    return extend(LoadStrategy::SelectIn, m);
  }
  /// Loads relationship `m` of the Target objects, with a LEFT OUTER JOIN.
  template <class C, class R>
  Loader<Owner, detail::relation_target_t<R>> joined(R C::*m) const {
    return extend(LoadStrategy::Joined, m);
  }
  /// Loads relationship `m` of the Target objects with this level's strategy.
  template <class C, class R>
  Loader<Owner, detail::relation_target_t<R>> then(R C::*m) const {
    return extend(level().strategy, m);
  }

  /// The whole path, from its first level.
  const LoaderOption& option() const noexcept { return root_; }

 private:
  const LoaderOption& level() const {
    const LoaderOption* o = &root_;
    for (std::size_t i : path_) o = &o->children[i];
    return *o;
  }
  template <class C, class R>
  Loader<Owner, detail::relation_target_t<R>> extend(LoadStrategy how, R C::*m) const {
    detail::check_loader_owner<Target, C>();
    LoaderOption root = root_;
    LoaderOption* o = &root;
    for (std::size_t i : path_) o = &o->children[i];
    o->children.push_back(LoaderOption{how, &model::info<C>, model::member_key(m), {}});
    std::vector<std::size_t> path = path_;
    path.push_back(o->children.size() - 1);
    return Loader<Owner, detail::relation_target_t<R>>(std::move(root), std::move(path));
  }

  LoaderOption root_;
  std::vector<std::size_t> path_;
};

/// Loads relationship `m` with one extra SELECT ... WHERE key IN (...) per level.
template <class C, class R>
Loader<C, detail::relation_target_t<R>> selectin(R C::*m) {
  return {LoaderOption{LoadStrategy::SelectIn, &model::info<C>, model::member_key(m), {}}, {}};
}
/// Loads relationship `m` in the same statement, with a LEFT OUTER JOIN.
template <class C, class R>
Loader<C, detail::relation_target_t<R>> joined(R C::*m) {
  return {LoaderOption{LoadStrategy::Joined, &model::info<C>, model::member_key(m), {}}, {}};
}

template <class T>
struct is_loader : std::false_type {};
template <class O, class X>
struct is_loader<Loader<O, X>> : std::true_type {
  using owner = O;
};

}  // namespace strata::orm

namespace strata {
using orm::joined;
using orm::selectin;
}  // namespace strata
