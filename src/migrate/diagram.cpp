// migrate/diagram.cpp - schema::MetaData -> Mermaid / Graphviz ER diagram text
// (the shapes and escaping rules are documented in strata/migrate/diagram.hpp).
#include "strata/migrate/diagram.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "strata/core/error.hpp"

namespace strata::migrate {
namespace {

// --- what a column is: type text and markers, shared by both formats --------

/// The dialect-neutral DDL spelling of a type (the table in diagram.hpp).
/// Deliberately not a Dialect's type_name(): the diagram is of the models,
/// which belong to no database, and must not change with the URL.
std::string ddl_type(const SqlType& t) {
  switch (t.kind) {
    case TypeKind::Boolean: return "BOOLEAN";
    case TypeKind::SmallInteger: return "SMALLINT";
    case TypeKind::Integer: return "INTEGER";
    case TypeKind::BigInteger: return "BIGINT";
    case TypeKind::Float: return "FLOAT";
    case TypeKind::Double: return "DOUBLE PRECISION";
    case TypeKind::Numeric: {
      std::string s = "NUMERIC";
      if (t.precision) {
        s += '(';
        s += std::to_string(*t.precision);
        if (t.scale) {
          s += ", ";
          s += std::to_string(*t.scale);
        }
        s += ')';
      }
      return s;
    }
    case TypeKind::String: {
      if (!t.length) return "TEXT";
      std::string s = "VARCHAR(";
      s += std::to_string(*t.length);
      s += ')';
      return s;
    }
    case TypeKind::Bytes: return "BLOB";
    case TypeKind::Uuid: return "UUID";
    case TypeKind::Date: return "DATE";
    case TypeKind::Time: return "TIME";
    case TypeKind::DateTime: return t.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
    case TypeKind::Json: return "JSON";
    case TypeKind::StringArray: return "TEXT[]";
    case TypeKind::Enum: {
      if (t.enum_name.empty()) return "ENUM";
      std::string s = "ENUM(";
      s += t.enum_name;
      s += ')';
      return s;
    }
  }
  return "UNKNOWN";  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// The markers of one column, in the order PK, FK, UK (keys) then NOT NULL.
struct Markers {
  bool pk = false, fk = false, uk = false, not_null = false;
};

Markers markers_of(const schema::Table& t, const schema::Column& c) {
  Markers m;
  m.pk = c.primary_key || (t.primary_key && contains(t.primary_key->columns, c.name));
  m.fk = std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(),
                     [&](const schema::ForeignKeyConstraint& fk) { return contains(fk.columns, c.name); });
  m.uk = std::any_of(t.unique_constraints.begin(), t.unique_constraints.end(),
                     [&](const schema::UniqueConstraint& u) { return contains(u.columns, c.name); }) ||
         std::any_of(t.indexes.begin(), t.indexes.end(),
                     [&](const schema::Index& ix) { return ix.unique && contains(ix.columns, c.name); });
  m.not_null = !c.nullable;
  return m;
}

/// "PK, FK, UK" (the present ones); with_not_null appends "NOT NULL".
std::string marker_text(const Markers& m, bool with_not_null) {
  std::string s;
  auto add = [&s](const char* x) {
    if (!s.empty()) s += ", ";
    s += x;
  };
  if (m.pk) add("PK");
  if (m.fk) add("FK");
  if (m.uk) add("UK");
  if (with_not_null && m.not_null) add("NOT NULL");
  return s;
}

/// Many-to-one to "zero or one" rather than "exactly one": a NULL in any FK
/// column means the row refers to nothing (MATCH SIMPLE, both databases' default).
bool optional_reference(const schema::Table& t, const schema::ForeignKeyConstraint& fk) {
  return std::any_of(fk.columns.begin(), fk.columns.end(), [&](const std::string& name) {
    const schema::Column* c = t.find_column(name);
    return c != nullptr && c->nullable;
  });
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += ", ";
    s += x;
  }
  return s;
}

std::size_t position_of(const schema::Table& t, const std::string& column) {
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].name == column) return i;
  return 0;  // unreachable after MetaData::validate()
}

// --- Mermaid ------------------------------------------------------------------

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto first = static_cast<unsigned char>(s.front());
  if (std::isalpha(first) == 0 && first != '_') return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u < 128 && (std::isalnum(u) != 0 || u == '_');
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

/// Words Mermaid's (case-insensitive) erDiagram lexer turns into tokens outside
/// an entity block before it would read them as a name.
bool mermaid_keyword(std::string_view s) {
  static constexpr std::array<std::string_view, 18> words{
      "erdiagram", "style", "classdef", "class",    "subgraph",  "end",      "one",   "many", "to",
      "only",      "zero",  "optionally", "direction", "acctitle", "accdescr", "title", "u",    "o"};
  const std::string l = lower(s);
  return std::find(words.begin(), words.end(), l) != words.end();
}

std::string mermaid_entity(const std::string& name) {
  if (is_identifier(name) && !mermaid_keyword(name)) return name;
  // A quoted entity name may hold anything but " % \ and line breaks.
  std::string s = "\"";
  for (char ch : name) {
    auto u = static_cast<unsigned char>(ch);
    s += (ch == '"' || ch == '%' || ch == '\\' || u < 0x20 || u == 0x7f) ? '_' : ch;
  }
  if (name.empty()) s += '_';
  return s + "\"";
}

/// Runs of characters outside [A-Za-z0-9_] -> one '_'.
std::string underscored(std::string_view s) {
  std::string out;
  bool gap = false;
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    if (u < 128 && (std::isalnum(u) != 0 || u == '_')) {
      if (gap) out += '_';
      gap = false;
      out += ch;
    } else {
      gap = true;
    }
  }
  if (gap) out += '_';
  return out;
}

/// The attribute-type token: the DDL spelling lower-cased, "[]" -> "_array",
/// other runs of non-alphanumerics -> '_', trimmed.
std::string mermaid_type(const SqlType& t) {
  std::string ddl = lower(ddl_type(t));
  for (auto at = ddl.find("[]"); at != std::string::npos; at = ddl.find("[]")) ddl.replace(at, 2, " array");
  std::string s = underscored(ddl);
  while (!s.empty() && s.front() == '_') s.erase(s.begin());
  while (!s.empty() && s.back() == '_') s.pop_back();
  // Starts with a letter for every kind; an enum named "1x" would not.
  return !s.empty() && std::isalpha(static_cast<unsigned char>(s.front())) != 0 ? s : "t_" + s;
}

/// Text inside "...": a comment or a relationship label.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    out += ch == '"' ? '\'' : (u < 0x20 || u == 0x7f) ? ' ' : ch;
  }
  return out;
}

void mermaid_entity_block(std::string& out, const schema::Table& t) {
  out += "    " + mermaid_entity(t.name);
  if (t.columns.empty()) {
    out += "\n";  // a bare entity: Mermaid accepts no empty attribute list everywhere
    return;
  }
  out += " {\n";
  for (const auto& c : t.columns) {
    std::string name = c.name;
    std::vector<std::string> comment;
    const std::string l = lower(name);
    if (!is_identifier(name) || l == "pk" || l == "fk" || l == "uk") {
      name = underscored(name);
      if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) name = '_' + name;
      const std::string nl = lower(name);
      if (nl == "pk" || nl == "fk" || nl == "uk") name += '_';
      comment.push_back("column: " + c.name);
    }
    const Markers m = markers_of(t, c);
    if (m.not_null) comment.emplace_back("NOT NULL");
    out += "        " + mermaid_type(c.type) + " " + name;
    if (std::string keys = marker_text(m, false); !keys.empty()) out += " " + keys;
    if (!comment.empty()) {
      std::string text;
      for (const auto& part : comment) text += (text.empty() ? "" : "; ") + part;
      out += " \"" + mermaid_text(text) + "\"";
    }
    out += "\n";
  }
  out += "    }\n";
}

std::string mermaid(const schema::MetaData& md) {
  std::string out = "erDiagram\n";
  for (const auto& t : md.tables()) mermaid_entity_block(out, t);
  for (const auto& t : md.tables())
    for (const auto& fk : t.foreign_keys) {
      // `}o` at the referencing table: zero or more of its rows per parent.
      out += "    " + mermaid_entity(t.name) + (optional_reference(t, fk) ? " }o--o| " : " }o--|| ") +
             mermaid_entity(fk.referred_table) + " : \"" + mermaid_text(join(fk.columns)) + "\"\n";
    }
  return out;
}

// --- Graphviz dot --------------------------------------------------------------

std::string html(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

/// A node id: the table name as a dot double-quoted string.
std::string dot_id(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string port(std::size_t i) {
  std::string p(1, 'c');  // not "c" + to_string(i): g++ 12 -O2 warns a false -Wrestrict there
  p += std::to_string(i);
  return p;
}

void dot_node(std::string& out, const schema::Table& t) {
  const char* left = "<TD ALIGN=\"LEFT\">";
  out += "  " + dot_id(t.name) + " [label=<\n";
  out += "    <TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\">\n";
  out += "      <TR><TD COLSPAN=\"3\" BGCOLOR=\"#d9e2f3\"><B>" + html(t.name) + "</B></TD></TR>\n";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const auto& c = t.columns[i];
    out += "      <TR><TD PORT=\"" + port(i) + "\" ALIGN=\"LEFT\">" + html(c.name) + "</TD>" + left +
           html(ddl_type(c.type)) + "</TD><TD PORT=\"" + port(i) + "_out\" ALIGN=\"LEFT\">" +
           html(marker_text(markers_of(t, c), true)) + "</TD></TR>\n";
  }
  out += "    </TABLE>>];\n";
}

std::string dot(const schema::MetaData& md) {
  std::string out =
      "digraph schema {\n"
      "  graph [rankdir=LR];\n"
      "  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [dir=both, arrowtail=crowodot, fontname=\"Helvetica\", fontsize=9];\n";
  for (const auto& t : md.tables()) dot_node(out, t);
  for (const auto& t : md.tables())
    for (const auto& fk : t.foreign_keys) {
      const schema::Table& ref = md.table(fk.referred_table);
      // validate() guarantees both columns exist, so both ports do. The edge
      // leaves the FK row on its right (east) and enters the referenced row on
      // its left (west): with rankdir=LR the referenced table is placed to the
      // right, and a port without a side lets the line cross the row's cells.
      const std::string tail = dot_id(t.name) + ":" + port(position_of(t, fk.columns.front())) + "_out:e";
      const std::string head = dot_id(ref.name) + ":" + port(position_of(ref, fk.referred_columns.front())) + ":w";
      out += "  " + tail + " -> " + head + " [label=<" +
             html(join(fk.columns)) + ">, arrowhead=" + (optional_reference(t, fk) ? "teeodot" : "teetee") + "];\n";
    }
  return out + "}\n";
}

}  // namespace

const char* to_string(DiagramFormat format) noexcept {
  switch (format) {
    case DiagramFormat::mermaid: return "mermaid";
    case DiagramFormat::dot: return "dot";
  }
  return "unknown";  // unreachable for valid enumerators
}

DiagramFormat parse_diagram_format(std::string_view name) {
  for (DiagramFormat f : {DiagramFormat::mermaid, DiagramFormat::dot})
    if (name == to_string(f)) return f;
  throw ArgumentError("unknown diagram format '" + std::string(name) + "': expected 'mermaid' or 'dot'");
}

std::string render_diagram(const schema::MetaData& md, DiagramFormat format) {
  md.validate();
  switch (format) {
    case DiagramFormat::mermaid: return mermaid(md);
    case DiagramFormat::dot: return dot(md);
  }
  throw ArgumentError("unknown diagram format " + std::to_string(static_cast<int>(format)));
}

}  // namespace strata::migrate
