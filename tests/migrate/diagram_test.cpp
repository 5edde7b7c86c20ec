// tests/migrate/diagram_test.cpp - render_diagram(): golden Mermaid and Graphviz
// text for a small hand-built MetaData and for the seeds' AI catalogue, the
// escaping rules, and the real `dot` drawing the catalogue as a PNG.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "seed_models.hpp"
#include "strata/migrate/diagram.hpp"
#include "strata/migrate/operations.hpp"
#include "strata/model/registry.hpp"

namespace {

namespace fs = std::filesystem;
namespace schema = strata::schema;
using strata::SqlType;
using strata::migrate::column;
using strata::migrate::DiagramFormat;
using strata::migrate::render_diagram;
using strata::migrate::table;

/// user(id UUID PK, email UNIQUE, name) <- item(owner_id NOT NULL, reviewer_id
/// nullable), one column of each interesting type.
schema::MetaData small() {
  schema::MetaData md;
  md.add_table(table("user",
                     {column("id", SqlType::uuid(), {.nullable = false, .primary_key = true}),
                      column("email", SqlType::string(255), {.nullable = false}),
                      column("name", SqlType::string())},
                     {.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}},
                      .unique_constraints = {schema::UniqueConstraint{{}, {"email"}}}}));
  md.add_table(table(
      "item",
      {column("id", SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
       column("title", SqlType::string(100), {.nullable = false}),
       column("owner_id", SqlType::uuid(), {.nullable = false}), column("reviewer_id", SqlType::uuid()),
       column("price", SqlType::numeric(10, 2)), column("ratio", SqlType::double_()),
       column("tags", SqlType::string_array()), column("created_at", SqlType::datetime(true)),
       column("status", SqlType::enumeration("item_status", {"draft", "done"}), {.nullable = false})},
      {.primary_key = schema::PrimaryKeyConstraint{{}, {"id"}},
       .foreign_keys = {schema::ForeignKeyConstraint{{}, {"owner_id"}, "user", {"id"}},
                        schema::ForeignKeyConstraint{{}, {"reviewer_id"}, "user", {"id"}}},
       .indexes = {schema::Index{{}, {"title"}, true}}}));
  return md;
}

schema::MetaData catalogue() {
  namespace c = seeds::catalog;
  return strata::model::metadata_of<c::Model, c::Benchmark, c::BenchmarkResult, c::Opinion, c::UseCase>();
}

TEST(DiagramFormat, ParseAndName) {
  EXPECT_EQ(strata::migrate::parse_diagram_format("mermaid"), DiagramFormat::mermaid);
  EXPECT_EQ(strata::migrate::parse_diagram_format("dot"), DiagramFormat::dot);
  EXPECT_STREQ(strata::migrate::to_string(DiagramFormat::dot), "dot");
  try {
    strata::migrate::parse_diagram_format("svg");
    FAIL() << "svg is no diagram format";
  } catch (const strata::ArgumentError& e) {
    EXPECT_STREQ(e.what(), "unknown diagram format 'svg': expected 'mermaid' or 'dot'");
  }
  EXPECT_THROW(strata::migrate::parse_diagram_format("Mermaid"), strata::ArgumentError);
  EXPECT_THROW(strata::migrate::parse_diagram_format(""), strata::ArgumentError);
}

TEST(DiagramMermaid, SmallMetaData) {
  EXPECT_EQ(render_diagram(small(), DiagramFormat::mermaid),
            R"(erDiagram
    user {
        uuid id PK "NOT NULL"
        varchar_255 email UK "NOT NULL"
        text name
    }
    item {
        integer id PK "NOT NULL"
        varchar_100 title UK "NOT NULL"
        uuid owner_id FK "NOT NULL"
        uuid reviewer_id FK
        numeric_10_2 price
        double_precision ratio
        text_array tags
        timestamp_with_time_zone created_at
        enum_item_status status "NOT NULL"
    }
    item }o--|| user : "owner_id"
    item }o--o| user : "reviewer_id"
)");
}

TEST(DiagramDot, SmallMetaData) {
  EXPECT_EQ(render_diagram(small(), DiagramFormat::dot),
            R"(digraph schema {
  graph [rankdir=LR];
  node [shape=plain, fontname="Helvetica", fontsize=10];
  edge [dir=both, arrowtail=crowodot, fontname="Helvetica", fontsize=9];
  "user" [label=<
    <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
      <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>user</B></TD></TR>
      <TR><TD PORT="c0" ALIGN="LEFT">id</TD><TD ALIGN="LEFT">UUID</TD><TD PORT="c0_out" ALIGN="LEFT">PK, NOT NULL</TD></TR>
      <TR><TD PORT="c1" ALIGN="LEFT">email</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c1_out" ALIGN="LEFT">UK, NOT NULL</TD></TR>
      <TR><TD PORT="c2" ALIGN="LEFT">name</TD><TD ALIGN="LEFT">TEXT</TD><TD PORT="c2_out" ALIGN="LEFT"></TD></TR>
    </TABLE>>];
  "item" [label=<
    <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
      <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>item</B></TD></TR>
      <TR><TD PORT="c0" ALIGN="LEFT">id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c0_out" ALIGN="LEFT">PK, NOT NULL</TD></TR>
      <TR><TD PORT="c1" ALIGN="LEFT">title</TD><TD ALIGN="LEFT">VARCHAR(100)</TD><TD PORT="c1_out" ALIGN="LEFT">UK, NOT NULL</TD></TR>
      <TR><TD PORT="c2" ALIGN="LEFT">owner_id</TD><TD ALIGN="LEFT">UUID</TD><TD PORT="c2_out" ALIGN="LEFT">FK, NOT NULL</TD></TR>
      <TR><TD PORT="c3" ALIGN="LEFT">reviewer_id</TD><TD ALIGN="LEFT">UUID</TD><TD PORT="c3_out" ALIGN="LEFT">FK</TD></TR>
      <TR><TD PORT="c4" ALIGN="LEFT">price</TD><TD ALIGN="LEFT">NUMERIC(10, 2)</TD><TD PORT="c4_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c5" ALIGN="LEFT">ratio</TD><TD ALIGN="LEFT">DOUBLE PRECISION</TD><TD PORT="c5_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c6" ALIGN="LEFT">tags</TD><TD ALIGN="LEFT">TEXT[]</TD><TD PORT="c6_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c7" ALIGN="LEFT">created_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c7_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c8" ALIGN="LEFT">status</TD><TD ALIGN="LEFT">ENUM(item_status)</TD><TD PORT="c8_out" ALIGN="LEFT">NOT NULL</TD></TR>
    </TABLE>>];
  "item":c2_out:e -> "user":c0:w [label=<owner_id>, arrowhead=teetee];
  "item":c3_out:e -> "user":c0:w [label=<reviewer_id>, arrowhead=teeodot];
}
)");
}

/// Names that are no plain identifiers, Mermaid keywords and HTML / dot
/// metacharacters; a composite and a self-referencing foreign key.
schema::MetaData awkward() {
  schema::MetaData md;
  md.add_table(table("end",
                     {column("a", SqlType::integer(), {.nullable = false}),
                      column("b", SqlType::integer(), {.nullable = false}),
                      column("parent_a", SqlType::integer()), column("parent_b", SqlType::integer())},
                     {.primary_key = schema::PrimaryKeyConstraint{{}, {"a", "b"}},
                      .foreign_keys = {schema::ForeignKeyConstraint{
                          {}, {"parent_a", "parent_b"}, "end", {"a", "b"}}}}));
  md.add_table(table("order \"line\" <&>",
                     {column("pk", SqlType::integer(), {.nullable = false, .primary_key = true}),
                      column("end a", SqlType::integer(), {.nullable = false}),
                      column("end_b", SqlType::integer(), {.nullable = false}),
                      column("9 \"x\" %\\", SqlType::bytes())},
                     {.foreign_keys = {schema::ForeignKeyConstraint{{}, {"end a", "end_b"}, "end", {"a", "b"}}}}));
  md.add_table(table("empty", {}));
  return md;
}

TEST(DiagramMermaid, QuotesKeywordsAndOddNames) {
  EXPECT_EQ(render_diagram(awkward(), DiagramFormat::mermaid),
            R"(erDiagram
    "end" {
        integer a PK "NOT NULL"
        integer b PK "NOT NULL"
        integer parent_a FK
        integer parent_b FK
    }
    "order _line_ <&>" {
        integer pk_ PK "column: pk; NOT NULL"
        integer end_a FK "column: end a; NOT NULL"
        integer end_b FK "NOT NULL"
        blob _9_x_ "column: 9 'x' %\"
    }
    empty
    "end" }o--o| "end" : "parent_a, parent_b"
    "order _line_ <&>" }o--|| "end" : "end a, end_b"
)");
}

TEST(DiagramDot, EscapesNamesAndUsesPositionalPorts) {
  const std::string dot = render_diagram(awkward(), DiagramFormat::dot);
  EXPECT_NE(dot.find(R"(  "order \"line\" <&>" [label=<)"), std::string::npos) << dot;
  EXPECT_NE(dot.find(R"(<B>order &quot;line&quot; &lt;&amp;&gt;</B>)"), std::string::npos) << dot;
  EXPECT_NE(dot.find(R"(<TD PORT="c3" ALIGN="LEFT">9 &quot;x&quot; %\</TD><TD ALIGN="LEFT">BLOB</TD>)"
                     R"(<TD PORT="c3_out" ALIGN="LEFT"></TD>)"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find(R"(  "end":c2_out:e -> "end":c0:w [label=<parent_a, parent_b>, arrowhead=teeodot];)"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find(R"(  "order \"line\" <&>":c1_out:e -> "end":c0:w [label=<end a, end_b>, arrowhead=teetee];)"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("<B>empty</B></TD></TR>\n    </TABLE>>];\n"), std::string::npos) << dot;
}

TEST(Diagram, EmptyMetaDataAndDanglingForeignKey) {
  EXPECT_EQ(render_diagram(schema::MetaData{}, DiagramFormat::mermaid), "erDiagram\n");
  EXPECT_EQ(render_diagram(schema::MetaData{}, DiagramFormat::dot),
            "digraph schema {\n  graph [rankdir=LR];\n  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n"
            "  edge [dir=both, arrowtail=crowodot, fontname=\"Helvetica\", fontsize=9];\n}\n");
  schema::MetaData md;
  md.add_table(table("item", {column("owner_id", SqlType::integer())},
                     {.foreign_keys = {schema::ForeignKeyConstraint{{}, {"owner_id"}, "users", {"id"}}}}));
  EXPECT_THROW(render_diagram(md, DiagramFormat::dot), strata::SchemaError);
}

// The seeds' AI catalogue: the mixins' columns come first (metadata order),
// benchmark_results' composite unique (model_id, benchmark_id, date_tested) marks each member UK.
const char* const catalogue_mermaid = R"golden(erDiagram
    models {
        varchar_255 name UK "NOT NULL"
        varchar_255 organization "NOT NULL"
        date release_date
        text description
        varchar_255 license
        timestamp_with_time_zone created_at
        timestamp_with_time_zone updated_at
        integer id PK "NOT NULL"
        json metadata
    }
    benchmarks {
        varchar_255 name UK "NOT NULL"
        varchar_100 category
        text description
        varchar_500 url
        timestamp_with_time_zone created_at
        timestamp_with_time_zone updated_at
        integer id PK "NOT NULL"
    }
    benchmark_results {
        double_precision score "NOT NULL"
        date date_tested UK
        varchar_255 source
        timestamp_with_time_zone created_at
        timestamp_with_time_zone updated_at
        integer id PK "NOT NULL"
        integer model_id FK, UK "NOT NULL"
        integer benchmark_id FK, UK "NOT NULL"
    }
    opinions {
        text content "NOT NULL"
        varchar_50 sentiment
        varchar_255 source
        varchar_255 author
        date date_published
        timestamp_with_time_zone created_at
        timestamp_with_time_zone updated_at
        integer id PK "NOT NULL"
        integer model_id FK "NOT NULL"
        text_array tags
    }
    use_cases {
        varchar_255 use_case "NOT NULL"
        text description
        varchar_255 mentioned_by
        timestamp_with_time_zone created_at
        timestamp_with_time_zone updated_at
        integer id PK "NOT NULL"
        integer model_id FK "NOT NULL"
    }
    benchmark_results }o--|| models : "model_id"
    benchmark_results }o--|| benchmarks : "benchmark_id"
    opinions }o--|| models : "model_id"
    use_cases }o--|| models : "model_id"
)golden";

TEST(DiagramMermaid, Catalogue) {
  const std::string text = render_diagram(catalogue(), DiagramFormat::mermaid);
  EXPECT_EQ(text, catalogue_mermaid);
  EXPECT_EQ(text, render_diagram(catalogue(), DiagramFormat::mermaid)) << "deterministic";
}

const char* const catalogue_dot = R"golden(digraph schema {
  graph [rankdir=LR];
  node [shape=plain, fontname="Helvetica", fontsize=10];
  edge [dir=both, arrowtail=crowodot, fontname="Helvetica", fontsize=9];
  "models" [label=<
    <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
      <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>models</B></TD></TR>
      <TR><TD PORT="c0" ALIGN="LEFT">name</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c0_out" ALIGN="LEFT">UK, NOT NULL</TD></TR>
      <TR><TD PORT="c1" ALIGN="LEFT">organization</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c1_out" ALIGN="LEFT">NOT NULL</TD></TR>
      <TR><TD PORT="c2" ALIGN="LEFT">release_date</TD><TD ALIGN="LEFT">DATE</TD><TD PORT="c2_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c3" ALIGN="LEFT">description</TD><TD ALIGN="LEFT">TEXT</TD><TD PORT="c3_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c4" ALIGN="LEFT">license</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c4_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c5" ALIGN="LEFT">created_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c5_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c6" ALIGN="LEFT">updated_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c6_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c7" ALIGN="LEFT">id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c7_out" ALIGN="LEFT">PK, NOT NULL</TD></TR>
      <TR><TD PORT="c8" ALIGN="LEFT">metadata</TD><TD ALIGN="LEFT">JSON</TD><TD PORT="c8_out" ALIGN="LEFT"></TD></TR>
    </TABLE>>];
  "benchmarks" [label=<
    <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
      <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>benchmarks</B></TD></TR>
      <TR><TD PORT="c0" ALIGN="LEFT">name</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c0_out" ALIGN="LEFT">UK, NOT NULL</TD></TR>
      <TR><TD PORT="c1" ALIGN="LEFT">category</TD><TD ALIGN="LEFT">VARCHAR(100)</TD><TD PORT="c1_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c2" ALIGN="LEFT">description</TD><TD ALIGN="LEFT">TEXT</TD><TD PORT="c2_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c3" ALIGN="LEFT">url</TD><TD ALIGN="LEFT">VARCHAR(500)</TD><TD PORT="c3_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c4" ALIGN="LEFT">created_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c4_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c5" ALIGN="LEFT">updated_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c5_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c6" ALIGN="LEFT">id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c6_out" ALIGN="LEFT">PK, NOT NULL</TD></TR>
    </TABLE>>];
  "benchmark_results" [label=<
    <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
      <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>benchmark_results</B></TD></TR>
      <TR><TD PORT="c0" ALIGN="LEFT">score</TD><TD ALIGN="LEFT">DOUBLE PRECISION</TD><TD PORT="c0_out" ALIGN="LEFT">NOT NULL</TD></TR>
      <TR><TD PORT="c1" ALIGN="LEFT">date_tested</TD><TD ALIGN="LEFT">DATE</TD><TD PORT="c1_out" ALIGN="LEFT">UK</TD></TR>
      <TR><TD PORT="c2" ALIGN="LEFT">source</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c2_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c3" ALIGN="LEFT">created_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c3_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c4" ALIGN="LEFT">updated_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c4_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c5" ALIGN="LEFT">id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c5_out" ALIGN="LEFT">PK, NOT NULL</TD></TR>
      <TR><TD PORT="c6" ALIGN="LEFT">model_id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c6_out" ALIGN="LEFT">FK, UK, NOT NULL</TD></TR>
      <TR><TD PORT="c7" ALIGN="LEFT">benchmark_id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c7_out" ALIGN="LEFT">FK, UK, NOT NULL</TD></TR>
    </TABLE>>];
  "opinions" [label=<
    <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
      <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>opinions</B></TD></TR>
      <TR><TD PORT="c0" ALIGN="LEFT">content</TD><TD ALIGN="LEFT">TEXT</TD><TD PORT="c0_out" ALIGN="LEFT">NOT NULL</TD></TR>
      <TR><TD PORT="c1" ALIGN="LEFT">sentiment</TD><TD ALIGN="LEFT">VARCHAR(50)</TD><TD PORT="c1_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c2" ALIGN="LEFT">source</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c2_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c3" ALIGN="LEFT">author</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c3_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c4" ALIGN="LEFT">date_published</TD><TD ALIGN="LEFT">DATE</TD><TD PORT="c4_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c5" ALIGN="LEFT">created_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c5_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c6" ALIGN="LEFT">updated_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c6_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c7" ALIGN="LEFT">id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c7_out" ALIGN="LEFT">PK, NOT NULL</TD></TR>
      <TR><TD PORT="c8" ALIGN="LEFT">model_id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c8_out" ALIGN="LEFT">FK, NOT NULL</TD></TR>
      <TR><TD PORT="c9" ALIGN="LEFT">tags</TD><TD ALIGN="LEFT">TEXT[]</TD><TD PORT="c9_out" ALIGN="LEFT"></TD></TR>
    </TABLE>>];
  "use_cases" [label=<
    <TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">
      <TR><TD COLSPAN="3" BGCOLOR="#d9e2f3"><B>use_cases</B></TD></TR>
      <TR><TD PORT="c0" ALIGN="LEFT">use_case</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c0_out" ALIGN="LEFT">NOT NULL</TD></TR>
      <TR><TD PORT="c1" ALIGN="LEFT">description</TD><TD ALIGN="LEFT">TEXT</TD><TD PORT="c1_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c2" ALIGN="LEFT">mentioned_by</TD><TD ALIGN="LEFT">VARCHAR(255)</TD><TD PORT="c2_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c3" ALIGN="LEFT">created_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c3_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c4" ALIGN="LEFT">updated_at</TD><TD ALIGN="LEFT">TIMESTAMP WITH TIME ZONE</TD><TD PORT="c4_out" ALIGN="LEFT"></TD></TR>
      <TR><TD PORT="c5" ALIGN="LEFT">id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c5_out" ALIGN="LEFT">PK, NOT NULL</TD></TR>
      <TR><TD PORT="c6" ALIGN="LEFT">model_id</TD><TD ALIGN="LEFT">INTEGER</TD><TD PORT="c6_out" ALIGN="LEFT">FK, NOT NULL</TD></TR>
    </TABLE>>];
  "benchmark_results":c6_out:e -> "models":c7:w [label=<model_id>, arrowhead=teetee];
  "benchmark_results":c7_out:e -> "benchmarks":c6:w [label=<benchmark_id>, arrowhead=teetee];
  "opinions":c8_out:e -> "models":c7:w [label=<model_id>, arrowhead=teetee];
  "use_cases":c6_out:e -> "models":c7:w [label=<model_id>, arrowhead=teetee];
}
)golden";

TEST(DiagramDot, Catalogue) {
  const std::string text = render_diagram(catalogue(), DiagramFormat::dot);
  EXPECT_EQ(text, catalogue_dot);
  EXPECT_EQ(text, render_diagram(catalogue(), DiagramFormat::dot)) << "deterministic";
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

/// Runs the real Graphviz on `dot_text`; "" when it drew a PNG without a word on
/// stderr (an unknown port or a malformed label is only a warning there), else
/// what went wrong.
std::string graphviz_png(const std::string& dot_text, const std::string& stem) {
  const char* base = std::getenv("STRATA_TEST_TMP");
  const fs::path dir = fs::path(base != nullptr ? base : fs::temp_directory_path().string()) /
                       ("diagram_" + stem + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "in.dot") << dot_text;
  const std::string cmd = "/usr/bin/dot -Tpng -o '" + (dir / "out.png").string() + "' '" + (dir / "in.dot").string() +
                          "' 2>'" + (dir / "stderr.txt").string() + "'";
  const int status = std::system(cmd.c_str());
  const std::string err = slurp(dir / "stderr.txt"), png = slurp(dir / "out.png");
  fs::remove_all(dir);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return cmd + " failed (status " + std::to_string(status) + "): " + err;
  if (!err.empty()) return "dot warned: " + err;
  if (png.size() < 8 || png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) != 0) return "no PNG written";
  return "";
}

TEST(DiagramDot, GraphvizDrawsIt) {
  if (!fs::exists("/usr/bin/dot")) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") FAIL() << "/usr/bin/dot (graphviz) is missing and CI=true";
    GTEST_SKIP() << "/usr/bin/dot (graphviz) is not installed";
  }
  EXPECT_EQ(graphviz_png(render_diagram(catalogue(), DiagramFormat::dot), "catalogue"), "");
  EXPECT_EQ(graphviz_png(render_diagram(awkward(), DiagramFormat::dot), "awkward"), "");
}

}  // namespace
