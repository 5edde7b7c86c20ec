// strata/migrate/command.hpp - one function per Alembic verb (Alembic's
// command.py). The CLI (src/cli) only parses argv into these calls and maps
// exceptions to "FAILED: <what>" and an exit status (STYLE rule 9); an app
// can call them at start-up too.
//
// Every verb prints to Config::output() the lines Alembic prints:
//   revision   "  Detected added column 'item.is_completed'" (autogenerate),
//              "  Generating migrations/versions/3f2a9c1d0b7e_add_is_completed.cpp ... done"
//   current    "3f2a9c1d0b7e (head)"
//   heads      "3f2a9c1d0b7e (mybranch) (head)"
//   history    "e2412789c190 -> 3f2a9c1d0b7e (head), add is_completed to item"
//              "<base> -> e2412789c190, initialize models"
//   branches   "a1 (branchpoint)" then "   -> b2 (head), message" per child
//   check      "No new upgrade operations detected." or the drift found
//   schema     the ER diagram (diagram.hpp), or with a file
//              "  Generating docs/schema.mmd ... done"
//
// Errors (the CLI prints "FAILED: " + what()):
//   CommandError         bad use of a verb (non-empty dir for init, --sql downgrade
//                        without a range, database not up to date for autogenerate)
//   RevisionError & co.  (revision.hpp) unknown / ambiguous targets, multiple heads
//   MigrationFailed      (runner.hpp) a revision failed while running
//   MigrationError       (errors.hpp) an op does not fit the schema
//   ConfigError          (config.hpp) strata.toml is malformed
//   DatabaseError & co.  the database refused something
//
// Example:
//   auto cfg = strata::migrate::load_config("migrations");
//   strata::migrate::command::upgrade(cfg, "head");
//   strata::migrate::command::revision(cfg, {.message = "add item", .autogenerate = true});
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strata/core/error.hpp"
#include "strata/migrate/compare.hpp"
#include "strata/migrate/config.hpp"

namespace strata::migrate {

/// A verb was used wrongly (Alembic's CommandError).
class CommandError : public Error {
 public:
  using Error::Error;
};

namespace command {

/// Options of init().
struct InitOptions {
  /// The url written to strata.toml.
  std::string url = "sqlite:///app.db";
};

/// Scaffolds a migration environment in `dir` (created when missing): env.cpp,
/// versions/, CMakeLists.txt calling strata_add_migrations(), strata.toml.
/// Prints "  Creating directory <dir> ... done" / "  Generating <file> ... done".
/// Throws: CommandError when `dir` exists and is not empty.
void init(const std::filesystem::path& dir, const InitOptions& options = {}, std::ostream* out = nullptr);

/// Options of revision() (Alembic's `revision` arguments).
struct RevisionOptions {
  std::string message{};
  bool autogenerate = false;
  /// The revision(s) the new one is based on: "head" (the single head), an id,
  /// "label@head", or "base" to start a new root (with branch_label).
  std::string head = "head";
  /// Allow `head` to be a revision that is not a head (start a branch).
  bool splice = false;
  /// A branch label for the new revision.
  std::string branch_label{};
  /// The id to use instead of new_revision_id().
  std::string rev_id{};
  /// Confirmed renames for autogenerate: {"item.old", "new"} or {"old_table", "new_table"}.
  std::vector<std::pair<std::string, std::string>> renames{};
};

/// Writes script_location/versions/<rev>_<slug>.cpp and returns its path.
/// With autogenerate: compares the live database (minus the version table)
/// with cfg.target_metadata(), prints the Detected lines and warnings, renders
/// the ops into upgrade() and their reverse into downgrade(); without: empty bodies.
/// Throws: CommandError (no models for autogenerate, database not up to date,
/// file exists, `head` not a head without splice, multiple heads), RevisionError.
std::filesystem::path revision(const Config& cfg, const RevisionOptions& options);

/// Options of upgrade() / downgrade() / stamp().
struct RunVerbOptions {
  /// Print the SQL instead of running it (offline mode). A range "from:to" is
  /// accepted as target; downgrade requires one.
  bool sql = false;
  /// stamp only: delete every row of the version table first.
  bool purge = false;
};

/// Upgrades the database to `target` ("head", "heads", an id, "+1", ...).
void upgrade(const Config& cfg, std::string_view target, const RunVerbOptions& options = {});
/// Downgrades the database to `target` ("-1", "base", an id, ...).
void downgrade(const Config& cfg, std::string_view target, const RunVerbOptions& options = {});
/// Sets the version table to `target` without running migrations.
void stamp(const Config& cfg, std::string_view target, const RunVerbOptions& options = {});

/// Prints the database's current revision(s): "<rev> (head)" per line.
void current(const Config& cfg, bool verbose = false);
/// Prints the revisions in `range` ("A:B", "A:", ":B", empty = all), newest first.
void history(const Config& cfg, std::string_view range = {}, bool verbose = false);
/// Prints the head revisions.
void heads(const Config& cfg, bool verbose = false);
/// Prints the branch points and their children.
void branches(const Config& cfg, bool verbose = false);
/// Prints one revision in full. Throws: UnknownRevision, AmbiguousRevision.
void show(const Config& cfg, std::string_view rev);

/// Writes a merge revision of `revisions` (ids, or "heads") with empty bodies
/// and returns its path. Throws: CommandError (fewer than two revisions).
std::filesystem::path merge(const Config& cfg, const std::vector<std::string>& revisions,
                            const std::string& message, const std::string& rev_id = {});

/// What check() found.
struct CheckResult {
  /// Models vs the live database (inspection).
  Diff database;
  /// Models vs the revision history replayed in memory.
  Diff history;
  bool database_drift() const noexcept { return !database.empty(); }
  bool history_drift() const noexcept { return !history.empty(); }
  /// No drift either way (the CLI exits 0).
  bool ok() const noexcept { return database.empty() && history.empty(); }
};

/// Compares the models with the live database and with the replayed history,
/// prints "No new upgrade operations detected." or which side differs and its
/// Detected lines. Throws: CommandError when cfg has no target_metadata.
CheckResult check(const Config& cfg);

/// Draws the models env.cpp names (cfg.target_metadata()) as an entity-relationship
/// diagram in `format` ("mermaid" or "dot", see diagram.hpp for the shapes) and
/// prints it to cfg.output(), or writes it to `output` (replaced when it exists)
/// and prints "  Generating <output> ... done". Reaches no database: cfg.url is
/// not used.
/// Throws: CommandError when `format` is not "mermaid" or "dot" (naming it), when
/// env.cpp names no models (target_metadata unset, as in the plain
/// `strata-migrate` binary, or giving no tables), or when `output` cannot be
/// written; SchemaError when a foreign key of the models points nowhere.
///
/// Example:
///   strata::migrate::command::schema(cfg, "dot", "docs/schema.dot");
void schema(const Config& cfg, std::string_view format = "mermaid", const std::filesystem::path& output = {});

/// The file-name slug of a message, as Alembic: lowercase, each run of
/// characters other than [a-z0-9] becomes one '_', trimmed of '_', cut at a
/// word boundary to at most 40 characters ("Add is_completed to item!" ->
/// "add_is_completed_to_item").
std::string slug(std::string_view message);

}  // namespace command
}  // namespace strata::migrate
