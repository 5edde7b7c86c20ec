// strata/migrate/diagram.hpp - a schema::MetaData drawn as an entity-relationship
// diagram, in Mermaid (`erDiagram`) or Graphviz (`dot`) text. The `schema` verb
// (command.hpp) draws the models env.cpp names; no database is involved.
//
// What is drawn, in metadata order (tables as added, columns as declared, then
// foreign keys as declared), so the same MetaData always gives the same text:
//   - one entity per table, one row per column: name, type, markers
//       PK        in the primary key
//       FK        in a foreign key
//       UK        in a unique constraint or a unique index (also composite ones:
//                 each member is marked, as Mermaid marks each PK member)
//       NOT NULL  Column::nullable is false
//   - one edge per foreign key, many-to-one from the referencing table to the
//     referenced one, labelled with the FK column name(s) ("a, b" when composite).
//     The referenced side is "exactly one", or "zero or one" when any FK column
//     is nullable.
//
// Types are written dialect-neutral, as standard DDL (not as SQLite or
// PostgreSQL would spell them):
//   Boolean BOOLEAN        SmallInteger SMALLINT   Integer INTEGER    BigInteger BIGINT
//   Float FLOAT            Double DOUBLE PRECISION Numeric NUMERIC(p, s) / NUMERIC(p) / NUMERIC
//   String VARCHAR(n), TEXT when unbounded        Bytes BLOB         Uuid UUID
//   Date DATE              Time TIME               DateTime TIMESTAMP / TIMESTAMP WITH TIME ZONE
//   Json JSON              StringArray TEXT[]      Enum ENUM(<enum_name>), ENUM when unnamed
//
// Mermaid (DiagramFormat::mermaid):
//   erDiagram
//       models {
//           integer id PK "NOT NULL"
//           varchar_255 name UK "NOT NULL"
//       }
//       benchmark_results }o--|| models : "model_id"
//   - An attribute type may not hold spaces or parentheses (and older Mermaid
//     versions reject more), so the type is the DDL spelling lower-cased with
//     "[]" -> "_array" and every other run of characters outside [a-z0-9]
//     -> one '_', trimmed: VARCHAR(255) -> varchar_255, NUMERIC(10, 2) ->
//     numeric_10_2, TIMESTAMP WITH TIME ZONE -> timestamp_with_time_zone,
//     TEXT[] -> text_array, ENUM(status) -> enum_status.
//   - Keys are Mermaid's PK / FK / UK ("PK, FK"); NOT NULL goes in the
//     attribute's comment, the only free text Mermaid allows there.
//   - Edges: `child }o--|| parent : "fk_col"`, or `}o--o|` when nullable.
//   - A table name that is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*) or
//     that Mermaid's lexer reads as a keyword (end, one, many, to, class, style,
//     ...) is written in double quotes; characters a quoted name cannot hold
//     (" % \ and control characters) become '_'. A column name that is not a
//     plain identifier (or is pk / fk / uk) is written with those characters
//     as '_' and its real name in the comment ("column: my col"). A '"' in a
//     comment or label becomes '\''.
//   (The output, these odd names included, was checked by hand with the
//   parsers of Mermaid 9.4.3 and 11.)
//
// Graphviz (DiagramFormat::dot):
//   digraph schema {
//     graph [rankdir=LR];
//     node [shape=plain, fontname="Helvetica", fontsize=10];
//     edge [dir=both, arrowtail=crowodot, fontname="Helvetica", fontsize=9];
//     "models" [label=<
//       <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
//         <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>models</B></TD></TR>
//         <TR><TD PORT="c0" ALIGN="LEFT">name</TD><TD ALIGN="LEFT">VARCHAR(255)</TD>
//             <TD PORT="c0_out" ALIGN="LEFT">UK, NOT NULL</TD></TR>      (one line per row)
//       </TABLE>>];
//     "benchmark_results":c6_out:e -> "models":c7:w [label=<model_id>, arrowhead=teetee];
//   }
//   - One HTML-table node per table (shape=plain), left to right (rankdir=LR);
//     a row per column: name | type | markers.
//   - The row of column i (its position in the table) has two ports: "c<i>" on
//     its name cell, where edges arrive (west side), and "c<i>_out" on its
//     markers cell, where edges leave (east side). Ports are positional because
//     a port named after the column could not hold every name (Graphviz drops a
//     port with a backslash). An edge runs from the first FK column's row to
//     the first referenced column's row; the tail is a crow's foot with a
//     circle (zero or many, `crowodot`), the head two bars (exactly one,
//     `teetee`) or a bar and a circle (zero or one, `teeodot`) when the FK is
//     nullable.
//   - Names and types in labels are HTML-escaped (& < > "); node ids are the
//     table names in double quotes with \ and " backslash-escaped.
//   `dot -Tpng` / `-Tsvg` draw it (tests/migrate/diagram_test.cpp runs dot).
//
// Example:
//   auto md = strata::model::metadata_of<User, Item>();   // in app code
//   std::cout << strata::migrate::render_diagram(md, strata::migrate::DiagramFormat::mermaid);
#pragma once

#include <string>
#include <string_view>

#include "strata/schema/metadata.hpp"

namespace strata::migrate {

/// The text formats render_diagram() writes.
enum class DiagramFormat {
  mermaid,  ///< Mermaid `erDiagram` (renders in GitHub / GitLab markdown)
  dot,      ///< Graphviz `digraph` with HTML-table nodes (`dot -Tsvg`)
};

/// The format's name as parse_diagram_format() reads it: "mermaid", "dot".
const char* to_string(DiagramFormat format) noexcept;

/// The format named `name` ("mermaid" or "dot", exactly: lower case).
/// Throws: ArgumentError naming the value and the choices, e.g.
/// "unknown diagram format 'svg': expected 'mermaid' or 'dot'".
DiagramFormat parse_diagram_format(std::string_view name);

/// The ER diagram of `md` in `format` (shapes above), ending in "\n". An empty
/// MetaData gives a diagram with no entities ("erDiagram\n", an empty digraph).
/// Pre: md.validate() passes (every foreign key names a known table and columns).
/// Throws: SchemaError from md.validate() (an edge would point nowhere).
std::string render_diagram(const schema::MetaData& md, DiagramFormat format);

}  // namespace strata::migrate
