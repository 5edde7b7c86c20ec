// SQLite inspector: PRAGMA table_info / index_list / index_info /
// foreign_key_list for the facts, the CREATE TABLE text in sqlite_master for
// what the pragmas do not report (constraint names, CHECKs, AUTOINCREMENT).
// The text is read with a small tokenizer that knows quotes, comments and
// parentheses; it is not a SQL parser, and it only has to find the shapes
// that CREATE TABLE allows for constraints.
#include "core/text.hpp"
#include "strata/dialect/inspector.hpp"
#include "strata/sql/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <optional>

#include "strata/core/error.hpp"

namespace strata::dialect {
namespace {

using strata::detail::trim;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// ---- tokenizer ---------------------------------------------------------------

struct Tok {
  enum Kind { Word, Ident, Str, Group, Punct } kind;
  std::string text;  // Word: as written; Ident: unquoted; Str: the literal with quotes; Group: inner text
};

// Index just past the quoted run starting at s[i] (closing char `close`,
// doubled to escape).
std::size_t skip_quoted(std::string_view s, std::size_t i, char close) {
  ++i;
  while (i < s.size()) {
    if (s[i] == close) {
      if (close != ']' && i + 1 < s.size() && s[i + 1] == close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return s.size();
}

// The text between the quotes of `raw` (opened by its first char, closed by
// `close`), with doubled quotes undone. An unterminated run keeps what there is.
std::string unquote(std::string_view raw, char close) {
  if (raw.empty()) return {};
  std::string_view body = raw.substr(1);
  if (!body.empty() && body.back() == close) body.remove_suffix(1);
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    out += body[i];
    if (body[i] == close && close != ']' && i + 1 < body.size() && body[i + 1] == close) ++i;
  }
  return out;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.'; }

std::vector<Tok> tokenize(std::string_view s) {
  std::vector<Tok> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      const std::size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else if (c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      const std::size_t end = skip_quoted(s, i, close);
      out.push_back({Tok::Ident, unquote(s.substr(i, end - i), close)});
      i = end;
    } else if (c == '\'') {
      const std::size_t end = skip_quoted(s, i, '\'');
      out.push_back({Tok::Str, std::string(s.substr(i, end - i))});
      i = end;
    } else if (c == '(') {
      // The matching ')', skipping quoted runs that may hold parentheses.
      int depth = 0;
      std::size_t j = i;
      while (j < s.size()) {
        const char d = s[j];
        if (d == '\'' || d == '"' || d == '`') {
          j = skip_quoted(s, j, d);
          continue;
        }
        if (d == '[') {
          j = skip_quoted(s, j, ']');
          continue;
        }
        if (d == '(') ++depth;
        if (d == ')' && --depth == 0) break;
        ++j;
      }
      out.push_back({Tok::Group, std::string(s.substr(i + 1, std::min(j, s.size()) - i - 1))});
      i = j + 1;
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < s.size() && word_char(s[j])) ++j;
      out.push_back({Tok::Word, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      out.push_back({Tok::Punct, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

bool is_kw(const Tok& t, std::string_view kw) { return t.kind == Tok::Word && upper(t.text) == kw; }
bool is_name(const Tok& t) { return t.kind == Tok::Word || t.kind == Tok::Ident || t.kind == Tok::Str; }
std::string name_of(const Tok& t) { return t.kind == Tok::Str ? unquote(t.text, '\'') : t.text; }

// Splits tokens at top-level commas.
std::vector<std::vector<Tok>> split_commas(std::vector<Tok> toks) {
  std::vector<std::vector<Tok>> out(1);
  for (auto& t : toks) {
    if (t.kind == Tok::Punct && t.text == ",") out.emplace_back();
    else out.back().push_back(std::move(t));
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// "a", b COLLATE x, c DESC -> {a, b, c}
std::vector<std::string> column_list(std::string_view group) {
  std::vector<std::string> out;
  for (const auto& part : split_commas(tokenize(group)))
    if (!part.empty() && is_name(part.front())) out.push_back(name_of(part.front()));
  return out;
}

// ---- what the CREATE TABLE text tells ----------------------------------------------

struct Named {
  std::string name;
  std::vector<std::string> columns;
  std::size_t pos = 0;  // order of appearance
};

struct CreateText {
  std::optional<std::string> pk_name;
  std::vector<Named> uniques, fks;
  std::vector<schema::CheckConstraint> checks;
  std::vector<std::string> autoincrement;  // columns declared AUTOINCREMENT
};

CreateText read_create_text(std::string_view sql) {
  CreateText out;
  const auto toks = tokenize(sql);
  auto body = std::find_if(toks.begin(), toks.end(), [](const Tok& t) { return t.kind == Tok::Group; });
  if (body == toks.end()) return out;
  std::size_t pos = 0;
  for (auto& item : split_commas(tokenize(body->text))) {
    if (item.empty()) continue;
    const bool table_constraint = is_kw(item[0], "CONSTRAINT") || is_kw(item[0], "PRIMARY") ||
                                  is_kw(item[0], "UNIQUE") || is_kw(item[0], "FOREIGN") || is_kw(item[0], "CHECK");
    // A column definition starts with its name; its inline constraints apply to it.
    const std::string column = table_constraint ? std::string{} : name_of(item[0]);
    std::string pending;  // name from a preceding CONSTRAINT <name>
    for (std::size_t i = table_constraint ? 0 : 1; i < item.size(); ++i) {
      const Tok& t = item[i];
      auto next_group = [&](std::size_t from) -> const Tok* {
        for (std::size_t j = from; j < item.size(); ++j)
          if (item[j].kind == Tok::Group) return &item[j];
        return nullptr;
      };
      if (is_kw(t, "CONSTRAINT") && i + 1 < item.size()) {
        pending = name_of(item[++i]);
      } else if (is_kw(t, "AUTOINCREMENT")) {
        out.autoincrement.push_back(column);
      } else if (is_kw(t, "PRIMARY")) {
        out.pk_name = pending;
        pending.clear();
      } else if (is_kw(t, "UNIQUE")) {
        std::vector<std::string> cols{column};
        if (column.empty()) {
          const Tok* g = next_group(i + 1);
          if (g) cols = column_list(g->text);
        }
        out.uniques.push_back({pending, cols, pos++});
        pending.clear();
      } else if (is_kw(t, "FOREIGN") || (is_kw(t, "REFERENCES") && !column.empty())) {
        std::vector<std::string> cols{column};
        if (is_kw(t, "FOREIGN")) {
          const Tok* g = next_group(i + 1);
          if (g) cols = column_list(g->text);
          while (i < item.size() && !is_kw(item[i], "REFERENCES")) ++i;
        }
        out.fks.push_back({pending, cols, pos++});
        pending.clear();
      } else if (is_kw(t, "CHECK") && i + 1 < item.size() && item[i + 1].kind == Tok::Group) {
        out.checks.push_back({pending, std::string(trim(item[i + 1].text))});
        pending.clear();
        ++i;
      }
    }
  }
  return out;
}

// `"col" IN ('a', 'b')` -> {a, b}; nullopt for any other shape.
std::optional<std::vector<std::string>> enum_values(std::string_view check, const std::string& column) {
  const auto toks = tokenize(check);
  if (toks.size() != 3 || !is_name(toks[0]) || toks[0].kind == Tok::Str || toks[0].text != column ||
      !is_kw(toks[1], "IN") || toks[2].kind != Tok::Group)
    return std::nullopt;
  std::vector<std::string> values;
  for (const auto& part : split_commas(tokenize(toks[2].text))) {
    if (part.size() != 1 || part[0].kind != Tok::Str) return std::nullopt;
    values.push_back(unquote(part[0].text, '\''));
  }
  return values;
}

// ---- pragmas ------------------------------------------------------------------------

schema::FkAction fk_action(std::string_view s) {
  const std::string u = upper(trim(s));
  if (u == "CASCADE") return schema::FkAction::Cascade;
  if (u == "RESTRICT") return schema::FkAction::Restrict;
  if (u == "SET NULL") return schema::FkAction::SetNull;
  if (u == "SET DEFAULT") return schema::FkAction::SetDefault;
  return schema::FkAction::NoAction;
}

// table_info's dflt_value is the text after DEFAULT. SQLite requires
// parentheses around an expression, which the model does not write: one
// level is taken off; CURRENT_TIMESTAMP is ServerDefault::now().
schema::ServerDefault read_default(std::string_view dflt) {
  std::string_view s = trim(dflt);
  if (sql::is_parenthesized(s)) s = trim(s.substr(1, s.size() - 2));
  if (upper(s) == "CURRENT_TIMESTAMP") return schema::ServerDefault::now();
  return schema::ServerDefault::text(std::string(s));
}

std::vector<Value> one(std::string_view v) { return {Value(v)}; }

class SqliteInspector final : public Inspector {
 public:
  explicit SqliteInspector(DriverConnection& conn) : conn_(conn) {}

  std::vector<std::string> table_names(const std::vector<std::string>& exclude) override {
    std::vector<std::string> out;
    auto cur = conn_.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY name",
        {});
    while (cur->next()) {
      std::string n(cur->get_text(0));
      if (std::find(exclude.begin(), exclude.end(), n) == exclude.end()) out.push_back(std::move(n));
    }
    return out;
  }

  /// All tables, reading sqlite_master once: per-table lookups in it are scans
  /// (it has no index), which made reading N tables quadratic.
  schema::MetaData metadata(const std::vector<std::string>& exclude) override {
    master_.emplace();
    {
      auto cur = conn_.execute("SELECT type, name, tbl_name, sql, rowid FROM sqlite_master", {});
      while (cur->next()) {
        MasterRow r{std::string(cur->get_text(0)), std::string(cur->get_text(1)), std::string(cur->get_text(2)),
                    std::string(cur->get_text(3)), cur->get_int64(4)};
        if (r.type == "table") master_->tables.emplace(r.name, r.sql);
        if (r.type == "index") master_->indexes[r.tbl_name].emplace_back(r.name, r.rowid);
      }
    }
    try {
      schema::MetaData md = Inspector::metadata(exclude);
      master_.reset();
      return md;
    } catch (...) {
      master_.reset();
      throw;
    }
  }

  schema::Table table(std::string_view name) override {
    const auto params = one(name);
    std::string create_sql;
    if (master_) {
      auto it = master_->tables.find(std::string(name));
      if (it == master_->tables.end()) throw SchemaError("no table '" + std::string(name) + "' in the database");
      create_sql = it->second;
    } else {
      auto cur = conn_.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", params);
      if (!cur->next()) throw SchemaError("no table '" + std::string(name) + "' in the database");
      create_sql = std::string(cur->get_text(0));
    }
    const CreateText text = read_create_text(create_sql);

    schema::Table t;
    t.name = std::string(name);
    std::vector<std::pair<std::int64_t, std::string>> pk;
    {
      auto cur = conn_.execute(
          "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", params);
      while (cur->next()) {
        schema::Column c;
        c.name = std::string(cur->get_text(0));
        c.type = parse_sqlite_type(cur->get_text(1));
        const std::int64_t pk_pos = cur->get_int64(4);
        // A key column holds no NULL (SQLite's rowid alias cannot; Strata
        // always writes NOT NULL on the others, as SQLAlchemy does).
        c.nullable = cur->get_int64(2) == 0 && pk_pos == 0;
        if (!cur->is_null(3)) c.server_default = read_default(cur->get_text(3));
        c.primary_key = pk_pos > 0;
        c.autoincrement = std::find(text.autoincrement.begin(), text.autoincrement.end(), c.name) !=
                          text.autoincrement.end();
        if (pk_pos > 0) pk.emplace_back(pk_pos, c.name);
        t.columns.push_back(std::move(c));
      }
    }
    if (!pk.empty()) {
      std::sort(pk.begin(), pk.end());
      schema::PrimaryKeyConstraint p;
      p.name = text.pk_name.value_or(std::string{});
      for (auto& [pos, col] : pk) p.columns.push_back(col);
      t.primary_key = std::move(p);
    }

    read_indexes(t, text, params);
    read_foreign_keys(t, text, params);

    // CHECKs: the enum check of a column becomes its Enum type.
    for (const auto& ck : text.checks) {
      bool is_enum = false;
      for (auto& c : t.columns) {
        if (ck.name != "ck_" + t.name + "_" + c.name + "_enum" || c.type.kind != TypeKind::String) continue;
        if (auto values = enum_values(ck.sqltext, c.name)) {
          c.type = SqlType::enumeration({}, std::move(*values));
          is_enum = true;
        }
      }
      if (!is_enum) t.checks.push_back(ck);
    }
    return t;
  }

 private:
  struct MasterRow {
    std::string type, name, tbl_name, sql;
    std::int64_t rowid;
  };
  /// sqlite_master as read by metadata(), for the duration of that call.
  struct Master {
    std::unordered_map<std::string, std::string> tables;  // name -> CREATE TABLE text
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::int64_t>>> indexes;  // by table
  };
  std::optional<Master> master_;

  void read_indexes(schema::Table& t, const CreateText& text, const std::vector<Value>& params) {
    // Creation order, as the DDL (and the model) lists them.
    std::map<std::string, std::int64_t> created;
    if (master_) {
      if (auto it = master_->indexes.find(t.name); it != master_->indexes.end())
        for (const auto& [name, rowid] : it->second) created[name] = rowid;
    } else {
      auto cur = conn_.execute("SELECT name, rowid FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", params);
      while (cur->next()) created[std::string(cur->get_text(0))] = cur->get_int64(1);
    }
    struct Row {
      std::string name, origin;
      bool unique;
    };
    std::vector<Row> rows;
    {
      auto cur = conn_.execute("SELECT name, \"unique\", origin FROM pragma_index_list(?)", params);
      while (cur->next())
        rows.push_back({std::string(cur->get_text(0)), std::string(cur->get_text(2)), cur->get_int64(1) != 0});
    }
    std::vector<std::pair<std::size_t, schema::UniqueConstraint>> uniques;
    std::vector<std::pair<std::int64_t, schema::Index>> indexes;
    for (const auto& r : rows) {
      std::vector<std::string> cols;
      bool expression = false;
      auto cur = conn_.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", one(r.name));
      while (cur->next()) {
        if (cur->is_null(0)) expression = true;
        else cols.emplace_back(cur->get_text(0));
      }
      if (expression) continue;  // schema::Index holds columns only
      if (r.origin == "u") {
        std::size_t pos = SIZE_MAX;
        std::string uname;
        for (const auto& u : text.uniques)
          if (u.columns == cols) {
            uname = u.name;
            pos = u.pos;
            break;
          }
        uniques.push_back({pos, schema::UniqueConstraint{uname, cols}});
      } else if (r.origin == "c") {
        auto it = created.find(r.name);
        indexes.push_back({it == created.end() ? INT64_MAX : it->second, schema::Index{r.name, cols, r.unique}});
      }
    }
    std::stable_sort(uniques.begin(), uniques.end(), [](auto& a, auto& b) { return a.first < b.first; });
    std::stable_sort(indexes.begin(), indexes.end(), [](auto& a, auto& b) { return a.first < b.first; });
    for (auto& [p, u] : uniques) t.unique_constraints.push_back(std::move(u));
    for (auto& [p, ix] : indexes) t.indexes.push_back(std::move(ix));
  }

  void read_foreign_keys(schema::Table& t, const CreateText& text, const std::vector<Value>& params) {
    std::map<std::int64_t, schema::ForeignKeyConstraint> by_id;
    {
      auto cur = conn_.execute(
          "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) "
          "ORDER BY id, seq",
          params);
      while (cur->next()) {
        auto& fk = by_id[cur->get_int64(0)];
        fk.referred_table = std::string(cur->get_text(1));
        fk.columns.emplace_back(cur->get_text(2));
        // "to" is NULL for REFERENCES t without columns: the referred primary key.
        fk.referred_columns.emplace_back(cur->is_null(3) ? std::string{} : std::string(cur->get_text(3)));
        fk.on_update = fk_action(cur->get_text(4));
        fk.on_delete = fk_action(cur->get_text(5));
      }
    }
    std::vector<std::pair<std::size_t, schema::ForeignKeyConstraint>> fks;
    for (auto& [id, fk] : by_id) {
      if (std::any_of(fk.referred_columns.begin(), fk.referred_columns.end(), [](auto& c) { return c.empty(); })) {
        const auto ref = fk.referred_table == t.name ? t : table(fk.referred_table);
        const auto pk = ref.primary_key_columns();
        for (std::size_t i = 0; i < fk.referred_columns.size() && i < pk.size(); ++i)
          if (fk.referred_columns[i].empty()) fk.referred_columns[i] = pk[i];
      }
      std::size_t pos = SIZE_MAX;
      for (const auto& n : text.fks)
        if (n.columns == fk.columns) {
          fk.name = n.name;
          pos = n.pos;
          break;
        }
      fks.push_back({pos, std::move(fk)});
    }
    std::stable_sort(fks.begin(), fks.end(), [](auto& a, auto& b) { return a.first < b.first; });
    for (auto& [p, fk] : fks) t.foreign_keys.push_back(std::move(fk));
  }

  DriverConnection& conn_;
};

std::optional<int> to_int(std::string_view s) {
  s = trim(s);
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

SqlType parse_sqlite_type(std::string_view declared) {
  // Collapse runs of spaces so "DOUBLE  PRECISION" and "NUMERIC(10, 2)" read alike.
  std::string u;
  for (char c : upper(trim(declared))) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!u.empty() && u.back() != ' ') u += ' ';
    } else {
      u += c;
    }
  }
  std::string base = u;
  std::vector<std::optional<int>> args;
  if (const auto open = u.find('('); open != std::string::npos) {
    base = std::string(trim(std::string_view(u).substr(0, open)));
    const auto close = u.find(')', open);
    std::string_view inner = std::string_view(u).substr(open + 1, close == std::string::npos ? std::string::npos
                                                                                              : close - open - 1);
    while (true) {
      const auto comma = inner.find(',');
      args.push_back(to_int(inner.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      inner.remove_prefix(comma + 1);
    }
  }
  const std::optional<int> a0 = args.empty() ? std::nullopt : args[0];
  const std::optional<int> a1 = args.size() < 2 ? std::nullopt : args[1];

  if (base == "INTEGER" || base == "INT") return SqlType::integer();
  if (base == "BIGINT") return SqlType::big_integer();
  if (base == "SMALLINT") return SqlType::small_integer();
  if (base == "BOOLEAN" || base == "BOOL") return SqlType::boolean();
  if (base == "FLOAT" || base == "REAL") return SqlType::float_();
  if (base == "DOUBLE" || base == "DOUBLE PRECISION") return SqlType::double_();
  if (base == "NUMERIC" || base == "DECIMAL") return SqlType::numeric(a0, a1);
  if (base == "VARCHAR" || base == "NVARCHAR" || base == "CHARACTER VARYING") return SqlType::string(a0);
  if (base == "CHAR" || base == "CHARACTER" || base == "NCHAR")
    return a0 == 32 ? SqlType::uuid() : SqlType::string(a0);
  if (base == "TEXT" || base == "CLOB") return SqlType::string();
  if (base == "BLOB" || base.empty()) return SqlType::bytes();
  if (base == "DATE") return SqlType::date();
  if (base == "TIME") return SqlType::time();
  if (base == "DATETIME" || base == "TIMESTAMP") return SqlType::datetime();
  if (base == "JSON") return SqlType::json();
  // SQLite's affinity rules (datatype3.html section 3.1) for other names.
  if (base.find("INT") != std::string::npos) return SqlType::integer();
  if (base.find("CHAR") != std::string::npos || base.find("CLOB") != std::string::npos ||
      base.find("TEXT") != std::string::npos)
    return SqlType::string(a0);
  if (base.find("BLOB") != std::string::npos) return SqlType::bytes();
  if (base.find("REAL") != std::string::npos || base.find("FLOA") != std::string::npos ||
      base.find("DOUB") != std::string::npos)
    return SqlType::double_();
  return SqlType::numeric(a0, a1);
}

schema::MetaData Inspector::metadata(const std::vector<std::string>& exclude) {
  schema::MetaData md;
  for (const auto& name : table_names(exclude)) md.add_table(table(name));
  return md;
}

std::unique_ptr<Inspector> make_sqlite_inspector(DriverConnection& conn) {
  return std::make_unique<SqliteInspector>(conn);
}

}  // namespace strata::dialect
