// strata/migrate/revision.hpp - the revision graph as a pure data structure
// (the behaviour of Alembic's script/revision.py, STYLE rule 8).
//
// A RevisionMap is built from plain Revision values and answers questions about
// the graph: heads, bases, branch and merge points, topological order, how to
// resolve a target such as "head", "ae10", "mybranch@head" or "head-1", and which
// revisions to apply (upgrade_path) or to unapply (downgrade_path) to go from a
// set of current heads to a target. It knows nothing of files, databases or the
// registry of compiled revisions: the runner reads the version table, asks the
// map for a path and executes it. Its tests build graphs in memory.
//
// Two kinds of edge:
//   down_revisions  the structural parents. A revision with none is a base, one
//                   with several is a merge point; heads, bases, branch points,
//                   branch labels and relative walks ("+1", "head-1") use these
//                   only.
//   depends_on      "must be applied before" without merging branches (Alembic's
//                   depends_on). A dependency is applied by an upgrade that needs
//                   it and unapplied by a downgrade of it, and counts for
//                   ancestors(), descendants(), is_ancestor() and the
//                   topological order; it does not make a head stop being a head.
//
// Errors (all derive from RevisionError, itself a strata::Error):
//   RevisionError          the base; also a relative walk that is ambiguous or
//                          goes past a head / base, and malformed ids
//   ├── MultipleHeads      "head" (or "+1") asked for one head and there are several
//   ├── CycleDetected      the graph has a cycle; names exactly the revisions on it
//   ├── UnknownRevision    no revision, prefix or branch label matches
//   ├── AmbiguousRevision  a partial id matches several revisions
//   ├── DuplicateRevision  a revision id is present more than once
//   ├── DuplicateBranchLabel  a branch label is used twice (or is a revision id)
//   └── RangeNotAncestor   upgrade to an older revision / downgrade to a newer one
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "strata/core/error.hpp"

namespace strata::migrate {

/// One revision: plain data, as registered by a migrations/versions/<rev>_<slug>.cpp
/// file (the upgrade/downgrade functions live elsewhere; the graph needs none).
/// Every member has a default initializer, so designated initializers may
/// leave any of them out without -Wmissing-field-initializers.
///
/// Example:
///   Revision{.id = "3f2a9c1d0b7e", .down_revisions = {"9a1b2c3d4e5f"},
///            .message = "add item.owner_id"}
struct Revision {
  std::string id{};                           ///< unique, typically 12 hex digits (new_revision_id())
  std::vector<std::string> down_revisions{};  ///< parents: none = a base, several = a merge point
  std::vector<std::string> branch_labels{};   ///< names usable in targets ("mybranch@head")
  std::vector<std::string> depends_on{};      ///< ids or branch labels that must be applied first
  std::string message{};                      ///< the -m text of `revision`
  std::string create_date{};                  ///< ISO-8601 text, informational only

  bool is_base() const noexcept { return down_revisions.empty(); }
  bool is_merge_point() const noexcept { return down_revisions.size() > 1; }
  bool operator==(const Revision&) const = default;
};

/// Base of every revision-graph error (Alembic's RevisionError). Thrown as is for
/// malformed ids and labels, for ambiguous relative walks ("+1" from a branch
/// point) and for relative walks that go past a head or past base.
class RevisionError : public Error {
 public:
  using Error::Error;
};

/// Several heads where one was needed: get_current_head(), target "head", or a
/// relative target ("+1", "-1") with several current heads.
/// Message: "Multiple heads are present: 3f2a9c1d0b7e, 9a1b2c3d4e5f; specify a head or use 'heads'".
class MultipleHeads : public RevisionError {
 public:
  /// `argument` is the target that needed one head ("head", "+1", "mybranch@head"), or empty.
  explicit MultipleHeads(std::vector<std::string> heads, std::string argument = {},
                         Location where = Location::current());
  const std::vector<std::string>& heads() const noexcept { return heads_; }
  const std::string& argument() const noexcept { return argument_; }

 private:
  std::vector<std::string> heads_;
  std::string argument_;
};

/// The down_revisions / depends_on edges form a cycle. revisions() lists exactly
/// the revisions on one cycle, starting from the earliest given, each followed by
/// one of its down revisions (or dependencies).
/// Message: "Cycle is detected in revisions: a1b2, c3d4, e5f6".
class CycleDetected : public RevisionError {
 public:
  explicit CycleDetected(std::vector<std::string> revisions, Location where = Location::current());
  const std::vector<std::string>& revisions() const noexcept { return revisions_; }

 private:
  std::vector<std::string> revisions_;
};

/// No revision id, unique prefix or branch label matches `revision()`. When raised
/// while building a RevisionMap, referenced_by() names the revision whose
/// down_revisions / depends_on holds the unknown reference (empty for a lookup).
/// Messages: "No such revision or branch 'ffff'",
///           "Revision 'b2c3' has unknown down_revision 'ffff'".
class UnknownRevision : public RevisionError {
 public:
  explicit UnknownRevision(std::string revision, std::string referenced_by = {},
                           std::string_view field = "down_revision",
                           Location where = Location::current());
  const std::string& revision() const noexcept { return revision_; }
  const std::string& referenced_by() const noexcept { return referenced_by_; }

 private:
  std::string revision_, referenced_by_;
};

/// A partial id matches several revisions.
/// Message: "Multiple revisions start with 'ab': ab12..., ab34...".
class AmbiguousRevision : public RevisionError {
 public:
  AmbiguousRevision(std::string prefix, std::vector<std::string> candidates,
                    Location where = Location::current());
  const std::string& prefix() const noexcept { return prefix_; }
  /// The matching ids, sorted.
  const std::vector<std::string>& candidates() const noexcept { return candidates_; }

 private:
  std::string prefix_;
  std::vector<std::string> candidates_;
};

/// Two revisions share an id. Message: "Revision 'a1b2' is present more than once".
class DuplicateRevision : public RevisionError {
 public:
  explicit DuplicateRevision(std::string revision, Location where = Location::current());
  const std::string& revision() const noexcept { return revision_; }

 private:
  std::string revision_;
};

/// A branch label is given by two revisions, or equals a revision id.
/// Message: "Branch label 'feature' is used by revisions 'a1b2' and 'c3d4'".
class DuplicateBranchLabel : public RevisionError {
 public:
  /// `revisions` = the two revisions involved (the labelled one and the other
  /// labelled one, or the revision whose id is the label).
  DuplicateBranchLabel(std::string label, std::vector<std::string> revisions, std::string message,
                       Location where = Location::current());
  const std::string& label() const noexcept { return label_; }
  const std::vector<std::string>& revisions() const noexcept { return revisions_; }

 private:
  std::string label_;
  std::vector<std::string> revisions_;
};

/// `lower` is not an ancestor of `upper` (Alembic's RangeNotAncestorError): an
/// upgrade whose target is already below a current head, or a downgrade whose
/// target is not below the current heads. An empty field means base.
/// Message: "Revision 'c3d4' is not an ancestor of revision 'a1b2'".
class RangeNotAncestor : public RevisionError {
 public:
  RangeNotAncestor(std::string lower, std::string upper, Location where = Location::current());
  const std::string& lower() const noexcept { return lower_; }
  const std::string& upper() const noexcept { return upper_; }

 private:
  std::string lower_, upper_;
};

/// The revision graph. Immutable once built, so const calls may run concurrently;
/// all queries are const and the
/// `const Revision*` they return point into the map (valid while it lives and is
/// not assigned to). Lists come out in a deterministic order that depends only on
/// the graph and on the order of the input vector.
///
/// Targets understood by resolve(), get(), upgrade_path() and downgrade_path():
///   "heads"                  every head
///   "head"                   the one head (MultipleHeads if several)
///   "base"                   nothing applied (an empty result)
///   "3f2a9c1d0b7e", "3f2a"   a full id or any unique prefix of one
///   "mybranch"               the revision carrying that branch label
///   "mybranch@head"          the head descending from the labelled revision
///   "mybranch@heads"         every head descending from it
///   "mybranch@3f2a"          a revision, checked to be on that branch
///   "+2", "-1"               relative to the current head (needs exactly one)
///   "mybranch@+1"            relative to the current head on that branch
///   "head-1", "base+2", "3f2a+1", "3f2a-1", "mybranch@head-1"
/// Relative walks follow down_revisions one step at a time; a step up from a
/// branch point or down from a merge point is ambiguous and throws RevisionError
/// (use a branch label, or name the revision). "-N" may end at base ("base" is
/// one step below a base revision); "base+1" is the (single) base revision.
///
/// Example:
///   RevisionMap map({{.id = "a1"}, {.id = "b2", .down_revisions = {"a1"}},
///                    {.id = "c3", .down_revisions = {"b2"}}});
///   map.get_current_head()->id;             // "c3"
///   map.upgrade_path({"a1"}, "head");       // b2, c3
///   map.downgrade_path({"c3"}, "-2");       // c3, b2
///   map.resolve("head-1").front()->id;      // "b2"
class RevisionMap {
 public:
  /// An empty map: no revisions; "head" and "heads" resolve to base.
  RevisionMap() = default;

  /// Builds and validates the graph. Cost O((n + e) log n).
  /// Throws: DuplicateRevision (same id twice), DuplicateBranchLabel,
  ///         UnknownRevision (a down_revision that is not an id, or a depends_on
  ///         that is neither an id nor a branch label; referenced_by() names the
  ///         revision), CycleDetected (naming the revisions on the cycle),
  ///         RevisionError (empty id, an id or label containing '@', '+' or '-',
  ///         or equal to "head", "heads" or "base").
  explicit RevisionMap(std::vector<Revision> revisions);

  std::size_t size() const noexcept { return revisions_.size(); }
  bool empty() const noexcept { return revisions_.empty(); }

  /// The revision with exactly this id, or nullptr. Never throws.
  const Revision* find(std::string_view id) const noexcept;

  /// One revision by full id, unique prefix, branch label or any single-valued
  /// target of the list above resolved from base (so "head", "heads" when there
  /// is one head, "mybranch@head", "head-1"). Returns nullptr for "base" (and for
  /// "head" of an empty map).
  /// Throws: UnknownRevision, AmbiguousRevision (prefix matches several),
  ///         MultipleHeads ("head" / "heads" with several heads), RevisionError.
  const Revision* get(std::string_view id_or_target) const;

  /// Revisions no other revision names as a down_revision, in topological order.
  std::vector<const Revision*> heads() const;
  /// Revisions without down_revisions, in topological order.
  std::vector<const Revision*> bases() const;
  /// Revisions that are the down_revision of two or more revisions.
  std::vector<const Revision*> branch_points() const;
  /// Revisions with two or more down_revisions.
  std::vector<const Revision*> merge_points() const;

  /// The single head (of the whole graph, or of the branch whose labelled revision
  /// is `branch_label`); nullptr when the map is empty.
  /// Throws: MultipleHeads (naming the heads), UnknownRevision (unknown label).
  const Revision* get_current_head(std::string_view branch_label = {}) const;

  /// Resolves a target (see the class comment) to revisions; an empty result
  /// means base. `current` holds the ids (or unique prefixes) of the current
  /// heads, as read from the version table; only relative targets use it.
  /// Throws: UnknownRevision, AmbiguousRevision, MultipleHeads, RevisionError
  ///         (ambiguous walk, walk past a head or base, "label@base").
  std::vector<const Revision*> resolve(std::string_view target,
                                       const std::vector<std::string>& current = {}) const;

  /// The revisions to apply, in order, to go from `current_heads` (empty = base)
  /// to `target`: every ancestor of the target (down_revisions and depends_on)
  /// not yet applied, parents before children, so a merge revision comes after
  /// all its parents. Empty when the target is already applied as a head.
  /// Throws: as resolve(); RangeNotAncestor when the target is a strict
  ///         ancestor of a current head, or base while revisions are applied
  ///         (that is a downgrade).
  ///
  /// Example: with a1 <- b2 <- c3, upgrade_path({"a1"}, "head") == {b2, c3}.
  std::vector<const Revision*> upgrade_path(const std::vector<std::string>& current_heads,
                                            std::string_view target) const;

  /// The revisions to unapply, in order (children before parents), to go from
  /// `current_heads` down to `target`: every applied revision that descends
  /// from the target; the target itself stays. "base" unapplies everything;
  /// "-N" walks down from the single current head. Other branches are kept.
  /// Throws: as resolve(); RangeNotAncestor when the target is not applied
  ///         (not an ancestor of, or equal to, a current head).
  ///
  /// Example: with a1 <- b2 <- c3, downgrade_path({"c3"}, "a1") == {c3, b2}.
  std::vector<const Revision*> downgrade_path(const std::vector<std::string>& current_heads,
                                              std::string_view target) const;

  /// True when `ancestor` must be applied before `descendant` (reachable through
  /// down_revisions / depends_on; a revision is not its own ancestor). Both are
  /// ids, unique prefixes or branch labels.
  /// Throws: UnknownRevision, AmbiguousRevision for either argument.
  bool is_ancestor(std::string_view ancestor, std::string_view descendant) const;
  /// Strict ancestors of a revision (any get() target; "base" has none), in
  /// topological order. Throws: as get().
  std::vector<const Revision*> ancestors(std::string_view id) const;
  /// Strict descendants of a revision (any get() target; "base" = every
  /// revision), in topological order. Throws: as get().
  std::vector<const Revision*> descendants(std::string_view id) const;
  /// Revisions naming `id` as a down_revision, in input order ("base" = the
  /// base revisions). Throws: as get().
  std::vector<const Revision*> children(std::string_view id) const;

  /// Every revision, bases first: parents and dependencies before children;
  /// among revisions ready at the same time, the children of the revision just
  /// placed come first (so each branch stays contiguous), then input order.
  std::vector<const Revision*> topological_order() const;
  /// Ids as `history` prints them: heads first, down to the bases (the reverse
  /// of topological_order()).
  std::vector<std::string> history_order() const;

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  struct Node {
    std::vector<std::size_t> parents;      // down_revisions, deduplicated
    std::vector<std::size_t> children;     // revisions naming this one as down_revision
    std::vector<std::size_t> after;        // parents + dependencies, deduplicated
    std::vector<std::size_t> before;       // children + dependents, input order
  };

  std::size_t lookup(std::string_view symbol) const;  // id, label or prefix; throws
  std::size_t index_of(std::string_view id_or_target) const;  // npos = base
  std::vector<std::size_t> resolve_indices(std::string_view target,
                                           const std::vector<std::string>& current) const;
  std::vector<std::size_t> current_indices(const std::vector<std::string>& current) const;
  std::vector<std::size_t> heads_from(std::size_t labelled) const;
  std::vector<char> on_branch(std::size_t labelled) const;
  std::size_t walk(std::size_t start, long steps, const std::vector<char>* branch,
                   std::string_view target) const;
  std::vector<char> closure(const std::vector<std::size_t>& from, bool toward_children,
                            bool all_edges, bool inclusive) const;
  std::vector<const Revision*> in_topo_order(const std::vector<char>& marked, bool reverse) const;
  std::vector<const Revision*> pointers(const std::vector<std::size_t>& indices) const;

  std::vector<Revision> revisions_;
  std::vector<Node> nodes_;
  std::vector<std::size_t> topo_;      // indices, bases first
  std::vector<std::size_t> topo_pos_;  // index -> position in topo_
  std::map<std::string, std::size_t, std::less<>> by_id_;  // sorted: prefix lookups
  std::map<std::string, std::size_t, std::less<>> labels_;
};

/// A fresh revision id: 12 random lowercase hex digits (48 bits), e.g.
/// "3f2a9c1d0b7e". Uses a per-thread std::mt19937_64 seeded from
/// std::random_device.
std::string new_revision_id();

}  // namespace strata::migrate
