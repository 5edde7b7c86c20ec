// tests/migrate/command_test.cpp - the verbs of migrate/command.hpp through the
// API, with a local ScriptDirectory and a live database: the suites that reach
// the database (CommandRevision, CommandListing, CommandCheck) are parametrized
// over SQLite and PostgreSQL (tests/support/database.hpp). Revision files
// cannot be compiled mid-test: `revision` is checked by the file it writes.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "strata/engine/engine.hpp"
#include "strata/migrate/command.hpp"
#include "strata/migrate/config.hpp"
#include "strata/migrate/diagram.hpp"
#include "strata/migrate/operations.hpp"
#include "strata/migrate/revision.hpp"
#include "strata/migrate/script.hpp"
#include "support/database.hpp"

namespace {

namespace fs = std::filesystem;
namespace command = strata::migrate::command;
using strata::SqlType;
using strata::migrate::column;
using strata::migrate::CommandError;
using strata::migrate::Config;
using strata::migrate::Operations;
using strata::migrate::Script;
using strata::migrate::ScriptDirectory;
namespace schema = strata::schema;

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

fs::path temp_dir(const std::string& stem) {
  static int counter = 0;
  const char* base = std::getenv("STRATA_TEST_TMP");
  fs::path dir = fs::path(base != nullptr ? base : fs::temp_directory_path().string()) /
                 (stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(dir);
  return dir;
}

// `false_literal`: is_completed's server default, raw SQL in the database's
// spelling of false ("0" on SQLite; PostgreSQL refuses an integer default on a
// boolean column).
schema::Table item_table(bool with_is_completed, const std::string& false_literal = "0") {
  std::vector<schema::Column> cols{column("id", SqlType::integer(), {.nullable = false, .primary_key = true}),
                                   column("title", SqlType::string(255), {.nullable = false})};
  if (with_is_completed)
    cols.push_back(column("is_completed", SqlType::boolean(),
                          {.nullable = false, .server_default = schema::ServerDefault::text(false_literal)}));
  return strata::migrate::table("item", std::move(cols),
                                {.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}}});
}

schema::MetaData models(bool with_is_completed, const std::string& false_literal) {
  schema::MetaData md;
  md.add_table(item_table(with_is_completed, false_literal));
  return md;
}

/// a1: create item(id, title); b2: an empty revision.
ScriptDirectory two_revisions() {
  ScriptDirectory dir;
  dir.add(Script{.revision = {.id = "a1", .message = "initialize models"},
                 .upgrade = [](Operations& op) { op.create_table(item_table(false)); },
                 .downgrade = [](Operations& op) { op.drop_table("item"); }});
  dir.add(Script{.revision = {.id = "b2", .down_revisions = {"a1"}, .message = "second"},
                 .upgrade = {}, .downgrade = {}});
  return dir;
}

/// A migration environment: a database, a script folder, the two revisions
/// and the models (with or without item.is_completed).
struct Env {
  strata::testing::TestDatabase db;
  fs::path dir = temp_dir("command_env");
  ScriptDirectory scripts = two_revisions();
  std::ostringstream out;
  Config cfg;
  Env(strata::testing::TestDatabase database, bool with_is_completed, std::string false_literal)
      : db(std::move(database)) {
    cfg.url = db.url();
    cfg.script_location = dir;
    cfg.out = &out;
    cfg.scripts = &scripts;
    cfg.target_metadata = [with_is_completed, false_literal] { return models(with_is_completed, false_literal); };
  }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  ~Env() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string take() {
    std::string s = out.str();
    out.str("");
    return s;
  }
};

/// The suites that reach the database, once per backend.
class CommandTest : public strata::testing::BackendTest {
 protected:
  /// An Env on this test's database; each further call gets a fresh database
  /// of the same backend.
  std::unique_ptr<Env> make_env(bool with_is_completed = true) {
    strata::testing::TestDatabase database =
        used_database_ ? strata::testing::TestDatabase(backend(), "command") : std::move(db());
    used_database_ = true;
    return std::make_unique<Env>(std::move(database), with_is_completed, false_literal());
  }
  /// A boolean false in this database's SQL (see item_table).
  std::string false_literal() const { return pick("0", "false"); }

 private:
  bool used_database_ = false;
};
class CommandRevision : public CommandTest {};
class CommandListing : public CommandTest {};
class CommandCheck : public CommandTest {};
STRATA_INSTANTIATE_BACKENDS(CommandRevision);
STRATA_INSTANTIATE_BACKENDS(CommandListing);
STRATA_INSTANTIATE_BACKENDS(CommandCheck);

TEST(CommandSlug, AsAlembic) {
  EXPECT_EQ(command::slug("add is_completed to item"), "add_is_completed_to_item");
  EXPECT_EQ(command::slug("  Initialize   Models!! "), "initialize_models");
  EXPECT_EQ(command::slug("Ünïcode & spaces"), "n_code_spaces");
  EXPECT_EQ(command::slug(""), "");
  std::string long_slug = command::slug("a very long message that goes on and on past forty characters");
  EXPECT_LE(long_slug.size(), 40u);
  EXPECT_EQ(long_slug, "a_very_long_message_that_goes_on_and_on");
}

TEST(CommandConfig, TomlThenEnvironment) {
  // DATABASE_URL is put back afterwards: the PostgreSQL suites of this
  // program read it (tests/support/database.hpp).
  struct RestoreEnv {
    std::optional<std::string> saved;
    RestoreEnv() {
      if (const char* u = std::getenv("DATABASE_URL")) saved = u;
    }
    ~RestoreEnv() {
      if (saved) ::setenv("DATABASE_URL", saved->c_str(), 1);
      else ::unsetenv("DATABASE_URL");
    }
  } restore_env;
  fs::path dir = temp_dir("config");
  fs::create_directories(dir);
  std::ofstream(dir / "strata.toml") << "# comment\n[strata]\nurl = \"sqlite:///a.db\"  # trailing\n"
                                        "version_table = 'alembic_version'\nother = \"x\\\"y\"\n";
  ::unsetenv("DATABASE_URL");
  Config cfg = strata::migrate::load_config(dir);
  EXPECT_EQ(cfg.url, "sqlite:///a.db");
  EXPECT_EQ(cfg.version_table, "alembic_version");
  EXPECT_EQ(cfg.versions_dir(), dir / "versions");
  ::setenv("DATABASE_URL", "sqlite:///b.db", 1);
  EXPECT_EQ(strata::migrate::load_config(dir).url, "sqlite:///b.db");
  ::unsetenv("DATABASE_URL");
  EXPECT_EQ(strata::migrate::read_config_file(dir / "strata.toml").at("other"), "x\"y");

  std::ofstream(dir / "strata.toml") << "url = sqlite:///a.db\n";
  EXPECT_THROW(strata::migrate::load_config(dir), strata::migrate::ConfigError);
  fs::remove_all(dir);
}

TEST(CommandInit, ScaffoldsAndRefusesNonEmptyDirectory) {
  fs::path dir = temp_dir("init");
  std::ostringstream out;
  command::init(dir, {.url = "sqlite:///app.db"}, &out);
  EXPECT_TRUE(fs::is_directory(dir / "versions"));
  EXPECT_TRUE(contains(slurp(dir / "env.cpp"), "strata::migrate::cli::run(argc, argv, cfg)"));
  EXPECT_TRUE(contains(slurp(dir / "env.cpp"), "strata::model::metadata()"));
  EXPECT_TRUE(contains(slurp(dir / "CMakeLists.txt"), "strata_add_migrations(migrate DIRECTORY"));
  EXPECT_EQ(strata::migrate::read_config_file(dir / "strata.toml").at("url"), "sqlite:///app.db");
  EXPECT_TRUE(contains(out.str(), "  Generating " + (dir / "env.cpp").string() + " ... done\n"));
  EXPECT_THROW(command::init(dir, {}, &out), CommandError);
  fs::remove_all(dir);
}

TEST_P(CommandRevision, EmptyRevisionOnTheHead) {
  auto env_ptr = make_env();
  Env& env = *env_ptr;
  fs::path path = command::revision(env.cfg, {.message = "Add a thing", .rev_id = "c3d4e5f6a7b8"});
  EXPECT_EQ(path, env.dir / "versions" / "c3d4e5f6a7b8_add_a_thing.cpp");
  std::string text = slurp(path);
  EXPECT_TRUE(contains(text, "STRATA_REVISION(rev_c3d4e5f6a7b8, {.id = \"c3d4e5f6a7b8\", .down_revisions = {\"b2\"},"))
      << text;
  EXPECT_TRUE(contains(text, ".message = \"Add a thing\""));
  EXPECT_TRUE(contains(text, "void upgrade(strata::migrate::Operations& op) {\n    (void)op;\n}"));
  EXPECT_TRUE(contains(text, "#include \"strata/migrate/script.hpp\""));
  EXPECT_TRUE(contains(env.take(), "  Generating " + path.string() + " ... done\n"));

  // --head of a non-head needs --splice; a branch label is written.
  EXPECT_THROW(command::revision(env.cfg, {.message = "x", .head = "a1", .rev_id = "dd"}), CommandError);
  std::string spliced = slurp(command::revision(
      env.cfg, {.message = "x", .head = "a1", .splice = true, .branch_label = "feature", .rev_id = "ee"}));
  EXPECT_TRUE(contains(spliced, ".down_revisions = {\"a1\"}, .branch_labels = {\"feature\"}")) << spliced;
  std::string root = slurp(command::revision(env.cfg, {.message = "root", .head = "base", .rev_id = "ff"}));
  EXPECT_TRUE(contains(root, ".down_revisions = {}")) << root;
}

TEST_P(CommandRevision, AutogenerateWritesOpsAndTheirReverse) {
  auto env_ptr = make_env();
  Env& env = *env_ptr;
  command::upgrade(env.cfg, "head");
  env.take();
  fs::path path = command::revision(env.cfg, {.message = "add is_completed to item", .autogenerate = true,
                                               .rev_id = "3f2a9c1d0b7e"});
  std::string printed = env.take();
  EXPECT_EQ(printed,
            "  Detected added column 'item.is_completed'\n  Generating " + path.string() + " ... done\n");
  EXPECT_EQ(path.filename(), "3f2a9c1d0b7e_add_is_completed_to_item.cpp");
  std::string text = slurp(path);
  EXPECT_TRUE(contains(text, "    op.add_column(\"item\", ")) << text;
  EXPECT_TRUE(contains(text, "\"is_completed\"")) << text;
  EXPECT_TRUE(contains(text, "    op.drop_column(\"item\", \"is_completed\"")) << text;
  EXPECT_TRUE(contains(text, "STRATA_REVISION(rev_3f2a9c1d0b7e, {.id = \"3f2a9c1d0b7e\", .down_revisions = {\"b2\"}"))
      << text;
  EXPECT_LT(text.find("op.add_column"), text.find("void downgrade"));
  EXPECT_GT(text.find("op.drop_column"), text.find("void downgrade"));
}

TEST_P(CommandRevision, AutogenerateWarnsInTheFileAndNeedsAnUpToDateDatabase) {
  auto env_ptr = make_env(false);
  Env& env = *env_ptr;
  EXPECT_THROW(command::revision(env.cfg, {.message = "x", .autogenerate = true}), CommandError);
  command::upgrade(env.cfg, "head");
  auto conn = strata::create_engine(env.db.url()).connect();
  conn.execute_script("ALTER TABLE item ADD COLUMN legacy INTEGER");
  env.take();
  std::string text = slurp(command::revision(env.cfg, {.message = "drop legacy", .autogenerate = true}));
  std::string printed = env.take();
  EXPECT_TRUE(contains(printed, "  Detected removed column 'item.legacy'\n")) << printed;
  EXPECT_TRUE(contains(printed, "  WARNING: ")) << printed;
  EXPECT_TRUE(contains(text, "    // WARNING: ")) << text;
  EXPECT_TRUE(contains(text, "op.drop_column(\"item\", \"legacy\"")) << text;
  EXPECT_TRUE(contains(text, "op.add_column(\"item\"")) << text;
}

TEST_P(CommandRevision, AutogenerateAsksAboutRenameCandidates) {
  // The database has item.done, the models item.is_completed (same type): a
  // rename candidate. Unconfirmed it stays drop + add; confirmed it is a rename.
  for (bool answer : {false, true}) {
    auto env_ptr = make_env();
    Env& env = *env_ptr;
    command::upgrade(env.cfg, "head");
    strata::create_engine(env.db.url()).connect().execute_script(
        "ALTER TABLE item ADD COLUMN done BOOLEAN NOT NULL DEFAULT " + false_literal());
    std::vector<std::string> asked;
    env.cfg.confirm_rename = [&](const std::string& q) {
      asked.push_back(q);
      return answer;
    };
    env.take();
    std::string text = slurp(command::revision(env.cfg, {.message = "rename done", .autogenerate = true}));
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0], "Is column 'item.done' renamed to 'is_completed'?");
    std::string printed = env.take();
    if (answer) {
      EXPECT_TRUE(contains(printed, "renamed column")) << printed;
      EXPECT_FALSE(contains(text, "op.drop_column(\"item\", \"done\"")) << text;
      EXPECT_TRUE(contains(text, "op.alter_column(\"item\", \"done\"")) << text;
    } else {
      EXPECT_TRUE(contains(printed, "possible rename of column")) << printed;
      EXPECT_TRUE(contains(text, "op.drop_column(\"item\", \"done\"")) << text;
    }
  }
}

TEST_P(CommandRevision, RefusesIdsAndLabelsThatWouldBreakTheTool) {
  auto env_ptr = make_env();
  Env& env = *env_ptr;
  EXPECT_THROW(command::revision(env.cfg, {.message = "x", .rev_id = "../../x"}), CommandError);
  EXPECT_THROW(command::revision(env.cfg, {.message = "x", .rev_id = "my-rev"}), CommandError);
  EXPECT_THROW(command::revision(env.cfg, {.message = "x", .branch_label = "feature-x", .rev_id = "abc"}),
               CommandError);
  EXPECT_FALSE(fs::exists(env.dir / "versions")) << "nothing may be written";
}

TEST_P(CommandListing, HistoryHeadsCurrentBranches) {
  auto env_ptr = make_env();
  Env& env = *env_ptr;
  command::history(env.cfg);
  EXPECT_EQ(env.take(), "a1 -> b2 (head), second\n<base> -> a1, initialize models\n");
  command::history(env.cfg, "a1:a1");
  EXPECT_EQ(env.take(), "<base> -> a1, initialize models\n");
  command::history(env.cfg, "b2:");
  EXPECT_EQ(env.take(), "a1 -> b2 (head), second\n");
  command::heads(env.cfg);
  EXPECT_EQ(env.take(), "b2 (head)\n");
  command::current(env.cfg);
  EXPECT_EQ(env.take(), "");
  command::upgrade(env.cfg, "a1");
  env.take();
  command::current(env.cfg);
  EXPECT_EQ(env.take(), "a1\n");
  command::upgrade(env.cfg, "head");
  env.take();
  command::current(env.cfg);
  EXPECT_EQ(env.take(), "b2 (head)\n");
  command::show(env.cfg, "b2");
  std::string shown = env.take();
  EXPECT_TRUE(contains(shown, "Rev: b2 (head)\nParent: a1\n")) << shown;
  EXPECT_TRUE(contains(shown, "    second\n")) << shown;
  command::branches(env.cfg);
  EXPECT_EQ(env.take(), "");

  command::downgrade(env.cfg, "-1");
  env.take();
  command::current(env.cfg);
  EXPECT_EQ(env.take(), "a1\n");
  EXPECT_THROW(command::downgrade(env.cfg, "base", {.sql = true}), CommandError);
  command::upgrade(env.cfg, "a1:b2", {.sql = true});
  EXPECT_TRUE(contains(env.take(), "b2")) << "upgrade --sql prints the version update";
  command::current(env.cfg);
  EXPECT_EQ(env.take(), "a1\n") << "--sql changes nothing";
}

TEST(CommandMerge, WritesAMergePoint) {
  // No database is reached: SQLite only.
  Env env(strata::testing::TestDatabase(strata::testing::Backend::sqlite, "command"), true, "0");
  env.scripts.add(Script{.revision = {.id = "c3", .down_revisions = {"a1"}, .message = "other"},
                         .upgrade = {}, .downgrade = {}});
  command::heads(env.cfg);
  EXPECT_EQ(env.take(), "b2 (head)\nc3 (head)\n");
  command::branches(env.cfg);
  EXPECT_EQ(env.take(), "a1 (branchpoint)\n   -> b2 (head), second\n   -> c3 (head), other\n");
  std::string text = slurp(command::merge(env.cfg, {"heads"}, "merge heads", "m4"));
  EXPECT_TRUE(contains(text, ".down_revisions = {\"b2\", \"c3\"}")) << text;
  EXPECT_THROW(command::revision(env.cfg, {.message = "x"}), CommandError) << "multiple heads";
}

TEST_P(CommandCheck, DriftFromTheDatabaseAndFromTheHistory) {
  auto same_ptr = make_env(false);
  Env& same = *same_ptr;
  command::upgrade(same.cfg, "head");
  same.take();
  EXPECT_TRUE(command::check(same.cfg).ok());
  EXPECT_EQ(same.take(), "No new upgrade operations detected.\n");

  auto drift_ptr = make_env(true);
  Env& drift = *drift_ptr;
  command::upgrade(drift.cfg, "head");
  drift.take();
  auto r = command::check(drift.cfg);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.database_drift());
  EXPECT_TRUE(r.history_drift());
  std::string printed = drift.take();
  EXPECT_TRUE(contains(printed, "The models differ from the database:\n  Detected added column 'item.is_completed'\n"))
      << printed;
  EXPECT_TRUE(contains(printed, "The models differ from the revision history:\n")) << printed;

  // The database altered by hand to match the models: only the history drifts.
  auto conn = strata::create_engine(drift.db.url()).connect();
  conn.execute_script("ALTER TABLE item ADD COLUMN is_completed BOOLEAN DEFAULT " + false_literal() + " NOT NULL");
  r = command::check(drift.cfg);
  EXPECT_FALSE(r.database_drift()) << drift.take();
  EXPECT_TRUE(r.history_drift());
  EXPECT_FALSE(r.ok());

  Config no_models = drift.cfg;
  no_models.target_metadata = {};
  EXPECT_THROW(command::check(no_models), CommandError);
}

TEST(CommandSchema, DrawsTheModelsWithoutADatabase) {
  // No url, no database, no revisions: only the models are read.
  std::ostringstream out;
  Config cfg;
  cfg.out = &out;
  cfg.target_metadata = [] { return models(true, "0"); };
  command::schema(cfg);
  EXPECT_EQ(out.str(),
            "erDiagram\n"
            "    item {\n"
            "        integer id PK \"NOT NULL\"\n"
            "        varchar_255 title \"NOT NULL\"\n"
            "        boolean is_completed \"NOT NULL\"\n"
            "    }\n");
  out.str("");
  command::schema(cfg, "dot");
  EXPECT_EQ(out.str(), strata::migrate::render_diagram(models(true, "0"), strata::migrate::DiagramFormat::dot));
}

TEST(CommandSchema, WritesTheFileNamedByOutput) {
  fs::path dir = temp_dir("schema");
  fs::create_directories(dir);
  std::ostringstream out;
  Config cfg;
  cfg.out = &out;
  cfg.target_metadata = [] { return models(false, "0"); };
  const fs::path file = dir / "schema.dot";
  std::ofstream(file) << std::string(10000, 'x');  // longer than the diagram: truncated, not overwritten in place
  command::schema(cfg, "dot", file);
  EXPECT_EQ(out.str(), "  Generating " + file.string() + " ... done\n") << "the diagram goes to the file only";
  EXPECT_EQ(slurp(file), strata::migrate::render_diagram(models(false, "0"), strata::migrate::DiagramFormat::dot));
  EXPECT_THROW(command::schema(cfg, "mermaid", dir / "no_such_dir" / "schema.mmd"), CommandError);
  fs::remove_all(dir);
}

TEST(CommandSchema, RefusesAnUnknownFormatAndNoModels) {
  std::ostringstream out;
  Config cfg;
  cfg.out = &out;
  cfg.target_metadata = [] { return models(false, "0"); };
  try {
    command::schema(cfg, "svg");
    FAIL() << "svg is no diagram format";
  } catch (const CommandError& e) {
    EXPECT_STREQ(e.what(), "unknown diagram format 'svg': expected 'mermaid' or 'dot'");
  }
  cfg.target_metadata = {};  // the plain strata-migrate binary
  try {
    command::schema(cfg, "mermaid");
    FAIL() << "no models";
  } catch (const CommandError& e) {
    EXPECT_TRUE(contains(e.what(), "env.cpp names no models")) << e.what();
  }
  cfg.target_metadata = [] { return schema::MetaData{}; };
  try {
    command::schema(cfg, "dot");
    FAIL() << "no tables";
  } catch (const CommandError& e) {
    EXPECT_TRUE(contains(e.what(), "env.cpp names no models")) << e.what();
  }
  EXPECT_EQ(out.str(), "") << "nothing printed on failure";
}

// The verb through the real command line: the plain strata-migrate binary
// (built next to this test's folder) links no models.
TEST(CommandSchema, CommandLine) {
  const fs::path tool = fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "strata-migrate";
  if (!fs::exists(tool)) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") FAIL() << tool << " is not built and CI=true";
    GTEST_SKIP() << tool << " is not built (cmake --build ... --target strata-migrate)";
  }
  fs::path dir = temp_dir("schema_cli");
  fs::create_directories(dir);
  auto run = [&](const std::string& args) {
    const std::string cmd = "'" + tool.string() + "' -c '" + dir.string() + "' " + args + " >'" +
                            (dir / "out.txt").string() + "' 2>'" + (dir / "err.txt").string() + "'";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(run("schema --format svg -o x.svg"), 2) << "a bad command line";
  EXPECT_TRUE(contains(slurp(dir / "err.txt"), "unknown diagram format 'svg': expected 'mermaid' or 'dot'"))
      << slurp(dir / "err.txt");
  EXPECT_EQ(run("schema -f dot -o '" + (dir / "schema.dot").string() + "'"), 1);
  EXPECT_TRUE(contains(slurp(dir / "err.txt"), "FAILED: schema: env.cpp names no models")) << slurp(dir / "err.txt");
  EXPECT_FALSE(fs::exists(dir / "schema.dot"));
  EXPECT_EQ(run("schema --help"), 0);
  EXPECT_TRUE(contains(slurp(dir / "out.txt"), "mermaid (default) or dot")) << slurp(dir / "out.txt");
  fs::remove_all(dir);
}

}  // namespace
