// strata/migrate/script.hpp - the revisions compiled into a migration tool
// (Alembic's ScriptDirectory, without the files).
//
// Each revision is a C++ file migrations/versions/<rev>_<slug>.cpp that defines
// two functions and registers them with STRATA_REVISION at static
// initialization; the migration tool links every such file (the CMake function
// strata_add_migrations() globs them). ScriptDirectory::global() holds them.
// Tests and tools may also build local ScriptDirectory instances.
//
// Example (a revision file):
//   #include "strata/migrate/script.hpp"
//   namespace {
//   void upgrade(strata::migrate::Operations& op) {
//     op.add_column("item", strata::migrate::column("is_completed", strata::SqlType::boolean(),
//                                                   {.nullable = false,
//                                                    .server_default = strata::schema::ServerDefault::text("0")}));
//   }
//   void downgrade(strata::migrate::Operations& op) { op.drop_column("item", "is_completed"); }
//   }  // namespace
//   STRATA_REVISION(rev_3f2a9c1d0b7e, {.id = "3f2a9c1d0b7e", .down_revisions = {"e2412789c190"},
//                   .message = "add is_completed to item", .create_date = "2026-11-21 10:00:00"},
//                   upgrade, downgrade)
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "strata/migrate/operations.hpp"
#include "strata/migrate/ops.hpp"
#include "strata/migrate/revision.hpp"

namespace strata::migrate {

/// One revision compiled into the migration tool (a file migrations/versions/<rev>_<slug>.cpp).
/// `upgrade` / `downgrade` record ops on the Operations they are given; either
/// may be empty (no ops). Every member has a default initializer, so
/// Script{rev} or designated initializers may leave any out without
/// -Wmissing-field-initializers.
struct Script {
  Revision revision = {};  ///< id, down_revisions, branch_labels, depends_on, message, create_date
  std::function<void(Operations&)> upgrade = {};
  std::function<void(Operations&)> downgrade = {};
};

/// The revisions of a migration environment (Alembic's ScriptDirectory, minus files).
///
/// Thread safety: add() must not run concurrently with anything else (it runs
/// at static initialization or while a test sets up); every const member may
/// be called from several threads at once (map() builds its cache under a lock).
class ScriptDirectory {
 public:
  ScriptDirectory() = default;
  ScriptDirectory(const ScriptDirectory& other);
  ScriptDirectory& operator=(const ScriptDirectory& other);

  /// The directory that STRATA_REVISION fills in the linked translation units.
  static ScriptDirectory& global();

  /// Adds a revision. The graph is validated lazily, by map().
  /// Throws: DuplicateRevision when a revision with this id is already present.
  void add(Script s);

  /// The revision graph (built on first use after an add(); revisions are given
  /// to it sorted by id, so that the order of static initialization, which
  /// depends on link order, never changes topological order).
  /// Throws: the RevisionMap constructor's errors (UnknownRevision for a
  /// down_revision that is not compiled in, CycleDetected, DuplicateBranchLabel...).
  const RevisionMap& map() const;

  /// The script of revision `id` (a full id, not a prefix).
  /// Throws: UnknownRevision.
  const Script& get(std::string_view id) const;

  /// Every script, bases first (RevisionMap::topological_order()). Throws: as map().
  std::vector<const Script*> scripts() const;

  /// Number of scripts added.
  std::size_t size() const noexcept { return scripts_.size(); }

  /// Runs the script's upgrade on a fresh Operations and returns the ops it recorded.
  /// Throws: UnknownRevision; whatever the script's function throws.
  std::vector<ops::Op> upgrade_ops(std::string_view id) const;
  /// As upgrade_ops() for the script's downgrade.
  std::vector<ops::Op> downgrade_ops(std::string_view id) const;

 private:
  std::vector<Script> scripts_;                                 // insertion order
  std::map<std::string, std::size_t, std::less<>> by_id_;       // id -> index in scripts_
  mutable std::mutex mutex_;                                    // guards map_
  mutable std::shared_ptr<const RevisionMap> map_;              // null = not built yet
};

namespace detail {
/// What STRATA_REVISION expands to: adds the script to ScriptDirectory::global().
/// Returns true (the value initializes a namespace-scope variable). A
/// DuplicateRevision at static initialization terminates the program with its
/// message, as any exception escaping a static initializer does.
bool register_revision(Revision revision, std::function<void(Operations&)> upgrade,
                       std::function<void(Operations&)> downgrade);
}  // namespace detail

}  // namespace strata::migrate

/// Registers a revision in ScriptDirectory::global() at static-initialization time.
/// Usage in a revision file:
///   STRATA_REVISION(rev_3f2a9c1d0b7e, {.id = "3f2a9c1d0b7e", .down_revisions = {"e2412789c190"},
///                   .message = "add is_completed to item", .create_date = "2026-11-21 10:00:00"},
///                   upgrade, downgrade)   // two functions void(strata::migrate::Operations&) defined in the file
/// `tag` must be unique in the translation unit; write no semicolon after the macro
/// (-Wpedantic flags an empty declaration). The macro is variadic because the
/// braced revision initializer contains commas that the preprocessor would split;
/// the arguments after `tag` are, in order, the Revision initializer, the upgrade
/// function and the downgrade function.
#define STRATA_REVISION(tag, ...)                                                     \
  namespace {                                                                         \
  [[maybe_unused]] const bool strata_revision_registered_##tag =                      \
      ::strata::migrate::detail::register_revision(__VA_ARGS__);                      \
  }
