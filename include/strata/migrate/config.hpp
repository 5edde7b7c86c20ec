// strata/migrate/config.hpp - the settings of a migration environment (Alembic's
// Config), shared by every verb of command.hpp and by the CLI.
//
// Where the database URL comes from, last one wins:
//   1. `url = "..."` in <script_location>/strata.toml
//   2. the environment variable DATABASE_URL
//   3. --url on the command line (the CLI sets Config::url after load_config)
//
// strata.toml is read by a small reader of `key = "value"` lines (TOML basic
// strings with \" \\ \n \t escapes, or 'literal strings'), `#` comments and
// blank lines; a `[table]` header is accepted and ignored, so the file stays
// valid TOML for other tools. Anything else is a ConfigError naming the file
// and line. Known keys: url, version_table; unknown keys are ignored.
// (No toml++ dependency: two string keys do not need a TOML library.)
//
// Example:
//   strata::migrate::Config cfg = strata::migrate::load_config("migrations");
//   cfg.target_metadata = [] { return strata::model::metadata(); };
//   strata::migrate::command::upgrade(cfg, "head");
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>

#include "strata/core/error.hpp"
#include "strata/schema/metadata.hpp"

namespace strata::migrate {

class ScriptDirectory;

/// strata.toml cannot be read or parsed; names the file and line.
class ConfigError : public Error {
 public:
  using Error::Error;
};

struct Config {
  /// Database URL (engine::create_engine syntax), e.g. "sqlite:///app.db".
  std::string url{};
  /// The environment directory: env.cpp, strata.toml, versions/.
  std::filesystem::path script_location{"migrations"};
  /// Name of the version table (`alembic_version` to adopt an Alembic database).
  std::string version_table{"strata_version"};
  /// Where the verbs print; null = std::cout.
  std::ostream* out = nullptr;
  /// The models' schema for autogenerate and check (env.cpp: strata::model::metadata()).
  /// Empty in the plain `strata-migrate` binary, which links no models.
  std::function<schema::MetaData()> target_metadata{};
  /// Asked by `revision --autogenerate` for each rename candidate (a dropped and
  /// an added column of the same type): true confirms the rename. The CLI sets it
  /// when standard input is a terminal; unset, candidates stay drop + add with a
  /// warning (confirm them with RevisionOptions::renames / --rename).
  std::function<bool(const std::string& question)> confirm_rename{};
  /// The revisions; null = ScriptDirectory::global() (what STRATA_REVISION fills).
  const ScriptDirectory* scripts = nullptr;

  /// *out, or std::cout.
  std::ostream& output() const;
  /// *scripts, or ScriptDirectory::global().
  const ScriptDirectory& script_directory() const;
  /// script_location / "versions".
  std::filesystem::path versions_dir() const { return script_location / "versions"; }
  /// script_location / "strata.toml".
  std::filesystem::path config_file() const { return script_location / "strata.toml"; }
};

/// The `key = "value"` pairs of a strata.toml file (see the header comment).
/// Throws: ConfigError (unreadable file, malformed line, naming file:line).
std::map<std::string, std::string> read_config_file(const std::filesystem::path& file);

/// `base` with script_location = `dir`, then the keys of dir/strata.toml (when
/// the file exists), then DATABASE_URL (when set and not empty).
/// Throws: ConfigError.
Config load_config(const std::filesystem::path& dir, Config base = {});

}  // namespace strata::migrate
