// The verbs of strata/migrate/command.hpp (Alembic's command.py behaviour).
#include "strata/migrate/command.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <ostream>
#include <set>

#include "strata/dialect/inspector.hpp"
#include "strata/engine/engine.hpp"
#include "strata/migrate/diagram.hpp"
#include "strata/migrate/render.hpp"
#include "strata/migrate/reverse.hpp"
#include "strata/migrate/revision.hpp"
#include "strata/migrate/runner.hpp"
#include "strata/migrate/script.hpp"
#include "templates.hpp"

namespace strata::migrate::command {

namespace fs = std::filesystem;

namespace {

engine::Engine make_engine(const Config& cfg) {
  if (cfg.url.empty())
    throw CommandError("no database URL: set url in " + cfg.config_file().string() +
                       ", the DATABASE_URL environment variable or --url");
  return engine::create_engine(cfg.url);
}

MigrationContext make_context(const Config& cfg) {
  return MigrationContext(make_engine(cfg), cfg.script_directory(),
                          RunOptions{.version_table = cfg.version_table, .out = &cfg.output()});
}

schema::MetaData target_of(const Config& cfg, const char* verb) {
  if (!cfg.target_metadata)
    throw CommandError(std::string(verb) +
                       " needs the models: run the migration tool built from env.cpp "
                       "(strata_add_migrations), which sets Config::target_metadata");
  return cfg.target_metadata();
}

/// The live schema, without the version table.
schema::MetaData inspect(engine::Engine& eng, const Config& cfg) {
  auto conn = eng.connect();
  return eng.dialect().inspector(conn.driver())->metadata({cfg.version_table});
}

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

std::string now_text() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string cpp_list(const std::vector<std::string>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + cpp_string(v[i]);
  return s + "}";
}

std::string identifier(std::string_view id) {
  std::string s = "rev_";
  for (char c : id) s += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  return s;
}

/// The text of a revision file.
std::string revision_file(const Revision& r, const std::string& upgrade_body, const std::string& downgrade_body) {
  std::string s;
  s += "// " + (r.message.empty() ? std::string("(no message)") : r.message) + "\n";
  // (no trailing space after "Revises:" for a base revision, unlike Alembic's docstring)
  s += "//\n// Revision ID: " + r.id + "\n// Revises:";
  if (!r.down_revisions.empty()) {
    s += ' ';
    s += join(r.down_revisions);
  }
  s += "\n// Create Date: " + r.create_date + "\n";
  s += "#include \"strata/migrate/operations.hpp\"\n#include \"strata/migrate/script.hpp\"\n\nnamespace {\n\n";
  s += "void upgrade(strata::migrate::Operations& op) {\n" + upgrade_body + "}\n\n";
  s += "void downgrade(strata::migrate::Operations& op) {\n" + downgrade_body + "}\n\n";
  s += "}  // namespace\n\n";
  s += "STRATA_REVISION(" + identifier(r.id) + ", {.id = " + cpp_string(r.id) +
       ", .down_revisions = " + cpp_list(r.down_revisions);
  if (!r.branch_labels.empty()) s += ", .branch_labels = " + cpp_list(r.branch_labels);
  s += ",\n                .message = " + cpp_string(r.message) + ", .create_date = " + cpp_string(r.create_date) +
       "},\n                upgrade, downgrade);\n";
  return s;
}

fs::path write_revision(const Config& cfg, const Revision& r, const std::string& up, const std::string& down) {
  fs::create_directories(cfg.versions_dir());
  std::string name = r.id;
  if (std::string sl = slug(r.message); !sl.empty()) name += "_" + sl;
  fs::path path = cfg.versions_dir() / (name + ".cpp");
  if (fs::exists(path)) throw CommandError("revision file " + path.string() + " already exists");
  std::ofstream f(path);
  f << revision_file(r, up, down);
  f.close();
  if (!f) throw CommandError("cannot write " + path.string());
  cfg.output() << "  Generating " << path.string() << " ... done\n";
  return path;
}

constexpr const char* empty_body = "    (void)op;\n";

// --- formatting of revisions (Alembic's Script.cmd_format / log_entry) -------

bool is_head(const RevisionMap& m, const Revision& r) { return m.children(r.id).empty(); }

std::string markers(const RevisionMap& m, const Revision& r, bool labels = true) {
  std::string s;
  if (labels && !r.branch_labels.empty()) s += " (" + join(r.branch_labels) + ")";
  if (is_head(m, r)) s += " (head)";
  if (m.children(r.id).size() > 1) s += " (branchpoint)";
  if (r.is_merge_point()) s += " (mergepoint)";
  return s;
}

std::string down_text(const Revision& r) {
  if (r.down_revisions.empty()) return "<base>";
  if (r.down_revisions.size() == 1) return r.down_revisions.front();
  return "(" + join(r.down_revisions) + ")";
}

std::string short_line(const RevisionMap& m, const Revision& r) {
  return down_text(r) + " -> " + r.id + markers(m, r) + ", " + r.message;
}

std::string head_line(const RevisionMap& m, const Revision& r) { return r.id + markers(m, r); }

std::string verbose_entry(const RevisionMap& m, const Revision& r) {
  std::string s = "Rev: " + r.id + markers(m, r, false) + "\n";
  if (r.is_merge_point())
    s += "Merges: " + join(r.down_revisions) + "\n";
  else
    s += "Parent: " + down_text(r) + "\n";
  if (auto ch = m.children(r.id); ch.size() > 1) {
    std::vector<std::string> ids;
    for (const auto* c : ch) ids.push_back(c->id);
    s += "Branches into: " + join(ids) + "\n";
  }
  if (!r.branch_labels.empty()) s += "Branch names: " + join(r.branch_labels) + "\n";
  if (!r.depends_on.empty()) s += "Also depends on: " + join(r.depends_on) + "\n";
  s += "\n    " + r.message + "\n\n";
  s += "    Revision ID: " + r.id + "\n    Revises: " + join(r.down_revisions) + "\n    Create Date: " +
       r.create_date + "\n";
  return s;
}

std::pair<std::string, std::string> split_range(std::string_view range) {
  auto colon = range.find(':');
  if (colon == std::string_view::npos) return {"", std::string(range)};
  return {std::string(range.substr(0, colon)), std::string(range.substr(colon + 1))};
}

}  // namespace

std::string slug(std::string_view message) {
  std::string s;
  for (char c : message) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 128)
      s += static_cast<char>(std::tolower(u));
    else if (!s.empty() && s.back() != '_')
      s += '_';
  }
  while (!s.empty() && s.back() == '_') s.pop_back();
  constexpr std::size_t max_len = 40;
  if (s.size() > max_len) {
    auto cut = s.rfind('_', max_len);
    s.resize(cut == std::string::npos || cut == 0 ? max_len : cut);
  }
  return s;
}

void init(const fs::path& dir, const InitOptions& options, std::ostream* out) {
  std::ostream& o = out != nullptr ? *out : Config{}.output();
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    throw CommandError("Directory " + dir.string() + " already exists and is not empty");
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir);
    o << "  Creating directory " << dir.string() << " ... done\n";
  }
  fs::create_directories(dir / "versions");
  o << "  Creating directory " << (dir / "versions").string() << " ... done\n";
  auto write = [&](const fs::path& p, const std::string& text) {
    std::ofstream f(p);
    f << text;
    f.close();
    if (!f) throw CommandError("cannot write " + p.string());
    o << "  Generating " << p.string() << " ... done\n";
  };
  write(dir / "env.cpp", templates::env_cpp);
  write(dir / "CMakeLists.txt", templates::cmake_lists);
  write(dir / "strata.toml", templates::strata_toml(options.url));
  o << "  Please edit " << (dir / "strata.toml").string() << " (url) and " << (dir / "env.cpp").string()
    << " (include your models) before proceeding.\n";
}

fs::path revision(const Config& cfg, const RevisionOptions& options) {
  const ScriptDirectory& scripts = cfg.script_directory();
  const RevisionMap& map = scripts.map();

  // An id or label becomes part of a file name and of C++ source that every later
  // command compiles in: check it before anything is written.
  auto check_identifier = [](const std::string& s, const char* what) {
    const bool ok = !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '_';
    });
    if (!ok)
      throw CommandError(std::string(what) + " '" + s + "' must be 1 to 32 letters, digits or '_'");
  };
  if (!options.rev_id.empty()) check_identifier(options.rev_id, "revision id");
  if (!options.branch_label.empty()) check_identifier(options.branch_label, "branch label");
  Revision r;
  r.id = options.rev_id.empty() ? new_revision_id() : options.rev_id;
  r.message = options.message;
  r.create_date = now_text();
  if (!options.branch_label.empty()) r.branch_labels.push_back(options.branch_label);
  if (map.find(r.id) != nullptr) throw CommandError("Revision " + r.id + " is already present");

  if (options.head != "base") {
    std::vector<const Revision*> parents;
    try {
      parents = map.resolve(options.head);
    } catch (const MultipleHeads&) {
      throw CommandError(
          "Multiple heads are present; please specify the head revision on which the new revision should be "
          "based, or perform a merge.");
    }
    for (const auto* p : parents) {
      if (!options.splice && !is_head(map, *p))
        throw CommandError("Revision " + p->id +
                           " is not a head revision; please specify --splice to create a new branch from this "
                           "revision");
      r.down_revisions.push_back(p->id);
    }
  }

  std::string up = empty_body, down = empty_body;
  if (options.autogenerate) {
    schema::MetaData target = target_of(cfg, "autogenerate");
    auto eng = make_engine(cfg);
    MigrationContext ctx(eng, scripts, RunOptions{.version_table = cfg.version_table});
    std::vector<std::string> current = ctx.current_heads();
    std::vector<std::string> want;
    for (const auto* h : map.heads()) want.push_back(h->id);
    std::sort(current.begin(), current.end());
    std::sort(want.begin(), want.end());
    if (current != want) throw CommandError("Target database is not up to date.");

    CompareOptions copts{.confirmed_renames = options.renames, .dialect = &eng.dialect()};
    const schema::MetaData current_schema = inspect(eng, cfg);
    Diff diff = compare(current_schema, target, copts);
    // Renames are never silent: with someone to ask (a terminal), each candidate
    // is a question; confirmed ones become renames and the comparison is redone.
    if (cfg.confirm_rename && !diff.rename_candidates.empty()) {
      bool any = false;
      for (const auto& [from, to] : diff.rename_candidates) {
        const bool column = from.find('.') != std::string::npos;
        std::string question = column ? "Is column '" + from + "' renamed to '" + to + "'?"
                                      : "Is table '" + from + "' renamed to '" + to + "'?";
        if (cfg.confirm_rename(question)) {
          copts.confirmed_renames.emplace_back(from, to);
          any = true;
        }
      }
      if (any) diff = compare(current_schema, target, copts);
    }
    std::ostream& o = cfg.output();
    for (const auto& m : diff.messages) o << "  " << m << "\n";
    for (const auto& w : diff.warnings) o << "  WARNING: " << w << "\n";
    if (!diff.ops.empty()) {
      up.clear();
      for (const auto& w : diff.warnings) up += "    // WARNING: " + w + "\n";
      up += render(diff.ops);
      try {
        down = render(reverse(diff.ops));
      } catch (const IrreversibleOperation& e) {
        down = std::string(empty_body) + "    // TODO: write the downgrade by hand: " + e.what() + "\n";
      }
    }
  }
  return write_revision(cfg, r, up, down);
}

fs::path merge(const Config& cfg, const std::vector<std::string>& revisions, const std::string& message,
               const std::string& rev_id) {
  const RevisionMap& map = cfg.script_directory().map();
  Revision r;
  r.id = rev_id.empty() ? new_revision_id() : rev_id;
  r.message = message;
  r.create_date = now_text();
  for (const auto& spec : revisions)
    for (const auto* p : map.resolve(spec))
      if (std::find(r.down_revisions.begin(), r.down_revisions.end(), p->id) == r.down_revisions.end())
        r.down_revisions.push_back(p->id);
  if (r.down_revisions.size() < 2)
    throw CommandError("merge needs at least two revisions, got " + std::to_string(r.down_revisions.size()));
  return write_revision(cfg, r, empty_body, empty_body);
}

void upgrade(const Config& cfg, std::string_view target, const RunVerbOptions& options) {
  auto ctx = make_context(cfg);
  if (options.sql) {
    auto [from, to] = split_range(target);
    cfg.output() << ctx.upgrade_sql(from.empty() ? "base" : from, to);
    return;
  }
  if (target.find(':') != std::string_view::npos)
    throw CommandError("a range (from:to) is only allowed with --sql");
  ctx.upgrade(target);
}

void downgrade(const Config& cfg, std::string_view target, const RunVerbOptions& options) {
  auto ctx = make_context(cfg);
  if (options.sql) {
    if (target.find(':') == std::string_view::npos)
      throw CommandError("downgrade with --sql requires <fromrev>:<torev>");
    auto [from, to] = split_range(target);
    cfg.output() << ctx.downgrade_sql(from, to);
    return;
  }
  if (target.find(':') != std::string_view::npos)
    throw CommandError("a range (from:to) is only allowed with --sql");
  ctx.downgrade(target);
}

void stamp(const Config& cfg, std::string_view target, const RunVerbOptions& options) {
  if (options.sql) {
    // Offline: the version-table statements a stamp from base would run.
    const RevisionMap& map = cfg.script_directory().map();
    std::ostream& o = cfg.output();
    const std::string& t = cfg.version_table;
    o << "CREATE TABLE IF NOT EXISTS " << t << " (version_num VARCHAR(32) NOT NULL, CONSTRAINT " << t
      << "_pkc PRIMARY KEY (version_num));\n\n";
    if (options.purge) o << "DELETE FROM " << t << ";\n\n";
    for (const auto* r : map.resolve(target))
      o << "INSERT INTO " << t << " (version_num) VALUES ('" << r->id << "');\n\n";
    return;
  }
  make_context(cfg).stamp(target, options.purge);
}

void current(const Config& cfg, bool verbose) {
  auto ctx = make_context(cfg);
  const RevisionMap& map = cfg.script_directory().map();
  std::ostream& o = cfg.output();
  if (verbose) o << "Current revision(s) for " << engine::Url::parse(cfg.url).str(true) << ":\n";
  for (const auto& id : ctx.current_heads()) {
    const Revision* r = map.find(id);
    if (r == nullptr)
      o << id << " (not in the migration scripts)\n";
    else
      o << (verbose ? verbose_entry(map, *r) : head_line(map, *r)) << "\n";
  }
}

void heads(const Config& cfg, bool verbose) {
  const RevisionMap& map = cfg.script_directory().map();
  for (const auto* r : map.heads()) cfg.output() << (verbose ? verbose_entry(map, *r) : head_line(map, *r)) << "\n";
}

void branches(const Config& cfg, bool verbose) {
  const RevisionMap& map = cfg.script_directory().map();
  std::ostream& o = cfg.output();
  for (const auto* r : map.branch_points()) {
    o << (verbose ? verbose_entry(map, *r) : head_line(map, *r)) << "\n";
    for (const auto* c : map.children(r->id))
      o << std::string(r->id.size(), ' ') << " -> " << head_line(map, *c) << ", " << c->message << "\n";
  }
}

void show(const Config& cfg, std::string_view rev) {
  const RevisionMap& map = cfg.script_directory().map();
  for (const auto* r : map.resolve(rev)) cfg.output() << verbose_entry(map, *r);
}

void history(const Config& cfg, std::string_view range, bool verbose) {
  const RevisionMap& map = cfg.script_directory().map();
  auto [lower, upper] = split_range(range);
  std::vector<std::string> current;
  if (lower == "current" || upper == "current") current = make_context(cfg).current_heads();
  auto ids_of = [&](const std::string& spec) {
    std::vector<std::string> ids;
    if (spec == "current") return current;
    for (const auto* r : map.resolve(spec, current)) ids.push_back(r->id);
    return ids;
  };
  std::set<std::string> keep;
  bool all_upper = upper.empty() || upper == "heads";
  if (!all_upper)
    for (const auto& id : ids_of(upper)) {
      keep.insert(id);
      for (const auto* a : map.ancestors(id)) keep.insert(a->id);
    }
  std::set<std::string> above;
  bool all_lower = lower.empty() || lower == "base";
  if (!all_lower)
    for (const auto& id : ids_of(lower)) {
      above.insert(id);
      for (const auto* d : map.descendants(id)) above.insert(d->id);
    }
  std::ostream& o = cfg.output();
  for (const auto& id : map.history_order()) {
    if (!all_upper && !keep.count(id)) continue;
    if (!all_lower && !above.count(id)) continue;
    const Revision& r = *map.find(id);
    o << (verbose ? verbose_entry(map, r) + "\n" : short_line(map, r) + "\n");
  }
}

CheckResult check(const Config& cfg) {
  schema::MetaData target = target_of(cfg, "check");
  auto eng = make_engine(cfg);
  MigrationContext ctx(eng, cfg.script_directory(), RunOptions{.version_table = cfg.version_table});
  CheckResult result;
  result.database =
      compare(inspect(eng, cfg), target, CompareOptions{.confirmed_renames = {}, .dialect = &eng.dialect()});
  result.history = compare(ctx.replay("heads"), target);
  std::ostream& o = cfg.output();
  if (result.ok()) {
    o << "No new upgrade operations detected.\n";
    return result;
  }
  if (result.database_drift()) {
    o << "The models differ from the database:\n";
    for (const auto& m : result.database.messages) o << "  " << m << "\n";
  }
  if (result.history_drift()) {
    o << "The models differ from the revision history:\n";
    for (const auto& m : result.history.messages) o << "  " << m << "\n";
  }
  return result;
}

void schema(const Config& cfg, std::string_view format, const fs::path& output) {
  DiagramFormat fmt{};
  try {
    fmt = parse_diagram_format(format);
  } catch (const ArgumentError& e) {
    throw CommandError(e.what());  // a bad --format is bad use of the verb
  }
  // Not target_of(): an empty MetaData is an error here too (there is nothing
  // to draw), and the message names env.cpp, where the models are listed.
  if (!cfg.target_metadata)
    throw CommandError(
        "schema: env.cpp names no models (Config::target_metadata is not set); run the migration tool "
        "built from the app's env.cpp (strata_add_migrations), not the plain strata-migrate");
  const schema::MetaData md = cfg.target_metadata();
  if (md.tables().empty())
    throw CommandError("schema: env.cpp names no models (Config::target_metadata gives no tables)");
  const std::string text = render_diagram(md, fmt);
  if (output.empty()) {
    cfg.output() << text;
    return;
  }
  std::ofstream f(output, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw CommandError("cannot write " + output.string());
  cfg.output() << "  Generating " << output.string() << " ... done\n";
}

}  // namespace strata::migrate::command
