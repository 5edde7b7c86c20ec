// strata::migrate::cli::run: argv -> one command.hpp call (see strata/migrate/cli.hpp).
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "strata/migrate/cli.hpp"
#include "strata/migrate/diagram.hpp"

namespace strata::migrate::cli {

namespace {

std::pair<std::string, std::string> parse_rename(const std::string& spec) {
  // "item.old:new" (column) or "old_table:new_table" (table)
  auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
    throw CommandError("--rename expects table.old:new or old_table:new_table, got '" + spec + "'");
  return {spec.substr(0, colon), spec.substr(colon + 1)};
}

}  // namespace

int run(int argc, char** argv, Config base) {
  CLI::App app{"Strata database migrations (Alembic's verbs)", "strata-migrate"};
  app.require_subcommand(1);
  std::string url, config_dir;
  app.add_option("--url", url, "Database URL (overrides strata.toml and DATABASE_URL)");
  app.add_option("-c,--config-dir", config_dir, "The migration environment directory (strata.toml, versions/)");

  std::string init_dir;
  auto* init = app.add_subcommand("init", "Scaffold a new migration environment");
  init->add_option("directory", init_dir, "Directory to create")->required();

  command::RevisionOptions rev;
  std::vector<std::string> renames;
  auto* revision = app.add_subcommand("revision", "Create a new revision file");
  revision->add_option("-m,--message", rev.message, "Message of the revision");
  revision->add_flag("--autogenerate", rev.autogenerate, "Compare the models with the database");
  revision->add_option("--head", rev.head, "The revision to base the new one on (default: head)");
  revision->add_flag("--splice", rev.splice, "Allow --head to be a non-head revision");
  revision->add_option("--branch-label", rev.branch_label, "A branch label for the new revision");
  revision->add_option("--rev-id", rev.rev_id, "The id of the new revision");
  revision->add_option("--rename", renames, "Confirm a rename: table.old:new or old_table:new_table");

  std::string target;
  command::RunVerbOptions run_opts;
  auto* upgrade = app.add_subcommand("upgrade", "Upgrade to a later revision");
  upgrade->add_option("revision", target, "Target revision (head, +1, an id, from:to with --sql)")->required();
  upgrade->add_flag("--sql", run_opts.sql, "Print the SQL instead of running it");
  auto* downgrade = app.add_subcommand("downgrade", "Revert to a previous revision");
  downgrade->add_option("revision", target, "Target revision (-1, base, an id, from:to with --sql)")->required();
  downgrade->add_flag("--sql", run_opts.sql, "Print the SQL instead of running it");
  auto* stamp = app.add_subcommand("stamp", "Set the version table without running migrations");
  stamp->add_option("revision", target, "Target revision")->required();
  stamp->add_flag("--sql", run_opts.sql, "Print the SQL instead of running it");
  stamp->add_flag("--purge", run_opts.purge, "Empty the version table first");

  bool verbose = false;
  std::string range;
  auto* current = app.add_subcommand("current", "Show the database's current revision(s)");
  current->add_flag("-v,--verbose", verbose, "Full output");
  auto* history = app.add_subcommand("history", "List revisions in chronological order (newest first)");
  history->add_option("-r,--rev-range", range, "Range A:B");
  history->add_flag("-v,--verbose", verbose, "Full output");
  auto* heads = app.add_subcommand("heads", "Show the head revisions");
  heads->add_flag("-v,--verbose", verbose, "Full output");
  auto* branches = app.add_subcommand("branches", "Show the branch points");
  branches->add_flag("-v,--verbose", verbose, "Full output");
  auto* show = app.add_subcommand("show", "Show one revision");
  show->add_option("revision", target, "Revision")->required();

  std::string merge_message, merge_rev_id;
  std::vector<std::string> merge_revs;
  auto* merge = app.add_subcommand("merge", "Merge revisions into one");
  merge->add_option("-m,--message", merge_message, "Message of the merge revision");
  merge->add_option("--rev-id", merge_rev_id, "The id of the merge revision");
  merge->add_option("revisions", merge_revs, "Revisions to merge (or 'heads')")->required();

  auto* check = app.add_subcommand("check", "Fail when the models differ from the database or the history");

  std::string diagram_format = "mermaid", diagram_output;
  auto* schema = app.add_subcommand("schema", "Draw the models as an entity-relationship diagram (no database)");
  schema
      ->add_option("-f,--format", diagram_format, "mermaid (default) or dot")
      // parse_diagram_format() is the one list of names: an unknown one is a
      // bad command line (exit 2) with its message.
      ->check(CLI::Validator(
          [](std::string& name) -> std::string {
            try {
              parse_diagram_format(name);
              return {};
            } catch (const ArgumentError& e) {
              return e.what();
            }
          },
          "mermaid|dot", "diagram format"));
  schema->add_option("-o,--output", diagram_output, "Write the diagram to FILE instead of standard output")
      ->type_name("FILE");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help: 0; a bad command line: CLI11's message, 2
  }

  try {
    if (init->parsed()) {
      command::InitOptions init_options;
      if (!url.empty()) init_options.url = url;
      command::init(init_dir, init_options, base.out);
      return 0;
    }
    Config cfg = load_config(config_dir.empty() ? base.script_location : std::filesystem::path(config_dir), base);
    if (!url.empty()) cfg.url = url;

    if (revision->parsed()) {
      for (const auto& r : renames) rev.renames.push_back(parse_rename(r));
      if (!cfg.confirm_rename && ::isatty(STDIN_FILENO)) {
        // A person is there: ask about each rename candidate (Alembic cannot).
        cfg.confirm_rename = [&cfg](const std::string& question) {
          cfg.output() << question << " [y/N] " << std::flush;
          std::string answer;
          if (!std::getline(std::cin, answer)) return false;
          return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
        };
      }
      command::revision(cfg, rev);
    } else if (upgrade->parsed()) {
      command::upgrade(cfg, target, run_opts);
    } else if (downgrade->parsed()) {
      command::downgrade(cfg, target, run_opts);
    } else if (stamp->parsed()) {
      command::stamp(cfg, target, run_opts);
    } else if (current->parsed()) {
      command::current(cfg, verbose);
    } else if (history->parsed()) {
      command::history(cfg, range, verbose);
    } else if (heads->parsed()) {
      command::heads(cfg, verbose);
    } else if (branches->parsed()) {
      command::branches(cfg, verbose);
    } else if (show->parsed()) {
      command::show(cfg, target);
    } else if (merge->parsed()) {
      command::merge(cfg, merge_revs, merge_message, merge_rev_id);
    } else if (check->parsed()) {
      return command::check(cfg).ok() ? 0 : 1;
    } else if (schema->parsed()) {
      command::schema(cfg, diagram_format, diagram_output);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "FAILED: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace strata::migrate::cli
