// SQLite inspector: PRAGMA table_info / index_list / index_info /
// foreign_key_list for the facts, the CREATE TABLE text in sqlite_master for
// what the pragmas do not report (constraint names, CHECKs, AUTOINCREMENT).
// The text is read with a small tokenizer that knows quotes, comments and
// parentheses; it is not a SQL parser, and it only has to find the shapes
// that CREATE TABLE allows for constraints. metadata() reads every table's
// pragmas in one statement per pragma (the table-valued pragma functions
// joined with sqlite_master); table() alone queries them per table.
#include "core/text.hpp"
#include "strata/dialect/inspector.hpp"
#include "strata/sql/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

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

// A token is a view into the text it was read from (no copy): Word as
// written; Ident with its quotes (name_of() unquotes it); Str the literal with
// its quotes; Group the text inside the parentheses.
struct Tok {
  enum Kind { Word, Ident, Str, Group, Punct } kind;
  std::string_view text;
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

// std::isspace / std::isalnum in the C locale, without a call per character.
bool space_char(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c == '.';
}

std::vector<Tok> tokenize(std::string_view s) {
  std::vector<Tok> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (space_char(c)) {
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      const std::size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else if (c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      const std::size_t end = skip_quoted(s, i, close);
      out.push_back({Tok::Ident, s.substr(i, end - i)});
      i = end;
    } else if (c == '\'') {
      const std::size_t end = skip_quoted(s, i, '\'');
      out.push_back({Tok::Str, s.substr(i, end - i)});
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
      out.push_back({Tok::Group, s.substr(i + 1, std::min(j, s.size()) - i - 1)});
      i = j + 1;
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < s.size() && word_char(s[j])) ++j;
      out.push_back({Tok::Word, s.substr(i, j - i)});
      i = j;
    } else {
      out.push_back({Tok::Punct, s.substr(i, 1)});
      ++i;
    }
  }
  return out;
}

// `kw` is upper case; compared without building an upper-cased copy (ASCII, as
// std::toupper in the C locale).
bool is_kw(const Tok& t, std::string_view kw) {
  if (t.kind != Tok::Word || t.text.size() != kw.size()) return false;
  for (std::size_t i = 0; i < kw.size(); ++i) {
    const char c = t.text[i];
    if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c) != kw[i]) return false;
  }
  return true;
}
bool is_name(const Tok& t) { return t.kind == Tok::Word || t.kind == Tok::Ident || t.kind == Tok::Str; }
std::string name_of(const Tok& t) {
  if (t.kind == Tok::Str) return unquote(t.text, '\'');
  if (t.kind == Tok::Ident) return unquote(t.text, t.text.front() == '[' ? ']' : t.text.front());
  return std::string(t.text);
}

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
  if (toks.size() != 3 || !is_name(toks[0]) || toks[0].kind == Tok::Str || name_of(toks[0]) != column ||
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

// ---- what the pragmas tell, per table -------------------------------------------------

struct ColumnRow {  // pragma_table_info
  std::int64_t cid = 0;
  std::string name, type;
  bool notnull = false;
  std::optional<std::string> dflt;
  std::int64_t pk = 0;
};
struct IndexRow {  // pragma_index_list, with its pragma_index_info rows
  std::int64_t seq = 0;
  std::string name, origin;
  bool unique = false;
  std::vector<std::pair<std::int64_t, std::optional<std::string>>> columns;  // (seqno, name; NULL = expression)
};
struct FkRow {  // pragma_foreign_key_list
  std::int64_t id = 0, seq = 0;
  std::string table, from;
  std::optional<std::string> to;  // NULL for REFERENCES t without columns
  std::string on_update, on_delete;
};
struct Facts {
  std::vector<ColumnRow> columns;
  std::vector<IndexRow> indexes;
  std::vector<FkRow> fks;
};

std::optional<std::string> text_or_null(const Cursor& cur, int i) {
  if (cur.is_null(i)) return std::nullopt;
  return std::string(cur.get_text(i));
}

// The pragmas' own orders, which the per-table queries ask for with ORDER BY:
// columns by cid, indexes as index_list lists them, index columns by seqno,
// foreign keys by (id, seq). The table-valued pragmas already return rows in
// these orders; sorting (stable, and skipped when already sorted) only makes
// sure of it.
template <class T, class Key>
void sort_by(std::vector<T>& v, Key key) {
  auto less = [&](const T& a, const T& b) { return key(a) < key(b); };
  if (!std::is_sorted(v.begin(), v.end(), less)) std::stable_sort(v.begin(), v.end(), less);
}
void normalize(Facts& f) {
  sort_by(f.columns, [](const ColumnRow& c) { return c.cid; });
  sort_by(f.indexes, [](const IndexRow& r) { return r.seq; });
  for (auto& ix : f.indexes) sort_by(ix.columns, [](const auto& c) { return c.first; });
  sort_by(f.fks, [](const FkRow& r) { return std::pair(r.id, r.seq); });
}

// The user tables, as table_names() selects them.
constexpr std::string_view kUserTables =
    "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

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

  /// All tables in a fixed number of statements, whatever their count:
  /// sqlite_master once (it has no index: per-table lookups in it made reading
  /// N tables quadratic), and each pragma once for every table at once through
  /// its table-valued function joined with sqlite_master (per-table queries
  /// cost one statement per table and pragma, plus one per index). All of it
  /// runs inside one read transaction (a SAVEPOINT, which nests in a
  /// transaction already open), so the statements see one snapshot.
  schema::MetaData metadata(const std::vector<std::string>& exclude) override {
    conn_.execute_script("SAVEPOINT strata_inspect");
    master_.emplace();
    try {
      read_master();
      read_all_facts();
      schema::MetaData md = Inspector::metadata(exclude);
      master_.reset();
      conn_.execute_script("RELEASE strata_inspect");
      return md;
    } catch (...) {
      master_.reset();
      try {
        conn_.execute_script("RELEASE strata_inspect");  // nothing was written
      } catch (...) {
      }
      throw;
    }
  }

  schema::Table table(std::string_view name) override {
    if (master_) {
      auto it = master_->tables.find(std::string(name));
      if (it == master_->tables.end()) throw SchemaError("no table '" + std::string(name) + "' in the database");
      static const Facts none;
      auto f = master_->facts.find(it->first);
      return build(name, it->second, f == master_->facts.end() ? none : f->second);
    }
    const auto params = one(name);
    std::string create_sql;
    {
      auto cur = conn_.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", params);
      if (!cur->next()) throw SchemaError("no table '" + std::string(name) + "' in the database");
      create_sql = std::string(cur->get_text(0));
    }
    return build(name, create_sql, read_facts(params));
  }

 private:
  /// sqlite_master and the pragmas as read by metadata(), for the duration of that call.
  struct Master {
    std::unordered_map<std::string, std::string> tables;  // name -> CREATE TABLE text
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::int64_t>>> indexes;  // by table
    std::unordered_map<std::string, Facts> facts;                                                // by table
  };
  std::optional<Master> master_;

  void read_master() {
    auto cur = conn_.execute("SELECT type, name, tbl_name, sql, rowid FROM sqlite_master", {});
    while (cur->next()) {
      const std::string_view type = cur->get_text(0);
      if (type == "table")
        master_->tables.emplace(cur->get_text(1), cur->get_text(3));
      else if (type == "index")
        master_->indexes[std::string(cur->get_text(2))].emplace_back(cur->get_text(1), cur->get_int64(4));
    }
  }

  // Rows of the joined queries come grouped by table (sqlite_master is the
  // outer loop); `last` saves a hash lookup per row.
  Facts& facts_of(std::string_view table, std::pair<std::string, Facts*>& last) {
    if (!last.second || last.first != table) {
      last.first = std::string(table);
      last.second = &master_->facts[last.first];
    }
    return *last.second;
  }

  void read_all_facts() {
    std::pair<std::string, Facts*> last{};
    {
      auto cur = conn_.execute(
          "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
          "FROM sqlite_master AS m, pragma_table_info(m.name) AS p WHERE " + std::string(kUserTables),
          {});
      while (cur->next())
        facts_of(cur->get_text(0), last)
            .columns.push_back({cur->get_int64(1), std::string(cur->get_text(2)), std::string(cur->get_text(3)),
                                cur->get_int64(4) != 0, text_or_null(*cur, 5), cur->get_int64(6)});
    }
    {
      // LEFT JOIN: an index is listed even if index_info gave no row for it.
      auto cur = conn_.execute(
          "SELECT m.name, il.seq, il.name, il.\"unique\", il.origin, ii.seqno, ii.name "
          "FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS il "
          "LEFT JOIN pragma_index_info(il.name) AS ii WHERE " + std::string(kUserTables),
          {});
      while (cur->next()) {
        Facts& f = facts_of(cur->get_text(0), last);
        const std::int64_t seq = cur->get_int64(1);
        const std::string_view name = cur->get_text(2);
        if (f.indexes.empty() || f.indexes.back().seq != seq || f.indexes.back().name != name)
          f.indexes.push_back({seq, std::string(name), std::string(cur->get_text(4)), cur->get_int64(3) != 0, {}});
        if (!cur->is_null(5)) f.indexes.back().columns.emplace_back(cur->get_int64(5), text_or_null(*cur, 6));
      }
    }
    {
      auto cur = conn_.execute(
          "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
          "FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f WHERE " + std::string(kUserTables),
          {});
      while (cur->next())
        facts_of(cur->get_text(0), last)
            .fks.push_back({cur->get_int64(1), cur->get_int64(2), std::string(cur->get_text(3)),
                            std::string(cur->get_text(4)), text_or_null(*cur, 5), std::string(cur->get_text(6)),
                            std::string(cur->get_text(7))});
    }
    for (auto& [name, f] : master_->facts) normalize(f);
  }

  /// One table's facts, one pragma at a time (table() outside metadata()).
  Facts read_facts(const std::vector<Value>& params) {
    Facts f;
    {
      auto cur = conn_.execute(
          "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", params);
      while (cur->next())
        f.columns.push_back({cur->get_int64(0), std::string(cur->get_text(1)), std::string(cur->get_text(2)),
                             cur->get_int64(3) != 0, text_or_null(*cur, 4), cur->get_int64(5)});
    }
    {
      auto cur = conn_.execute("SELECT seq, name, \"unique\", origin FROM pragma_index_list(?)", params);
      while (cur->next())
        f.indexes.push_back({cur->get_int64(0), std::string(cur->get_text(1)), std::string(cur->get_text(3)),
                             cur->get_int64(2) != 0, {}});
    }
    for (auto& ix : f.indexes) {
      auto cur = conn_.execute("SELECT seqno, name FROM pragma_index_info(?) ORDER BY seqno", one(ix.name));
      while (cur->next()) ix.columns.emplace_back(cur->get_int64(0), text_or_null(*cur, 1));
    }
    {
      auto cur = conn_.execute(
          "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) "
          "ORDER BY id, seq",
          params);
      while (cur->next())
        f.fks.push_back({cur->get_int64(0), cur->get_int64(1), std::string(cur->get_text(2)),
                         std::string(cur->get_text(3)), text_or_null(*cur, 4), std::string(cur->get_text(5)),
                         std::string(cur->get_text(6))});
    }
    normalize(f);
    return f;
  }

  schema::Table build(std::string_view name, std::string_view create_sql, const Facts& facts) {
    const CreateText text = read_create_text(create_sql);

    schema::Table t;
    t.name = std::string(name);
    std::vector<std::pair<std::int64_t, std::string>> pk;
    for (const ColumnRow& row : facts.columns) {
      schema::Column c;
      c.name = row.name;
      c.type = parse_sqlite_type(row.type);
      // A key column holds no NULL (SQLite's rowid alias cannot; Strata
      // always writes NOT NULL on the others, as SQLAlchemy does).
      c.nullable = !row.notnull && row.pk == 0;
      if (row.dflt) c.server_default = read_default(*row.dflt);
      c.primary_key = row.pk > 0;
      c.autoincrement =
          std::find(text.autoincrement.begin(), text.autoincrement.end(), c.name) != text.autoincrement.end();
      if (row.pk > 0) pk.emplace_back(row.pk, c.name);
      t.columns.push_back(std::move(c));
    }
    if (!pk.empty()) {
      std::sort(pk.begin(), pk.end());
      schema::PrimaryKeyConstraint p;
      p.name = text.pk_name.value_or(std::string{});
      for (auto& [pos, col] : pk) p.columns.push_back(col);
      t.primary_key = std::move(p);
    }

    read_indexes(t, text, facts);
    read_foreign_keys(t, text, facts);

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

  void read_indexes(schema::Table& t, const CreateText& text, const Facts& facts) {
    // Creation order, as the DDL (and the model) lists them.
    std::map<std::string, std::int64_t> created;
    if (master_) {
      if (auto it = master_->indexes.find(t.name); it != master_->indexes.end())
        for (const auto& [name, rowid] : it->second) created[name] = rowid;
    } else {
      auto cur =
          conn_.execute("SELECT name, rowid FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", one(t.name));
      while (cur->next()) created[std::string(cur->get_text(0))] = cur->get_int64(1);
    }
    std::vector<std::pair<std::size_t, schema::UniqueConstraint>> uniques;
    std::vector<std::pair<std::int64_t, schema::Index>> indexes;
    for (const IndexRow& r : facts.indexes) {
      std::vector<std::string> cols;
      bool expression = false;
      for (const auto& [seqno, col] : r.columns) {
        if (!col) expression = true;
        else cols.push_back(*col);
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

  void read_foreign_keys(schema::Table& t, const CreateText& text, const Facts& facts) {
    std::map<std::int64_t, schema::ForeignKeyConstraint> by_id;
    for (const FkRow& row : facts.fks) {
      auto& fk = by_id[row.id];
      fk.referred_table = row.table;
      fk.columns.push_back(row.from);
      // "to" is NULL for REFERENCES t without columns: the referred primary key.
      fk.referred_columns.push_back(row.to.value_or(std::string{}));
      fk.on_update = fk_action(row.on_update);
      fk.on_delete = fk_action(row.on_delete);
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
