// The consumer program of the package tests: a model, create_all, a Session,
// and a typed query on a real SQLite file (argv[1]). Exits 0 when all worked,
// so that the test proves the installed (or add_subdirectory'd) strata::strata
// target gives headers, library and transitive dependencies that link and run.
#include <strata/dialect/sqlite.hpp>
#include <strata/strata.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace consumer {
struct Note {
  std::int64_t id{};
  std::string title;
  std::optional<std::string> body;
  bool done = false;
};
STRATA_TABLE(Note, "note", field<&Note::id>().primary_key().autoincrement(), field<&Note::title>().max_length(80));
}  // namespace consumer

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <database file>\n", argv[0]);
    return 2;
  }
  using consumer::Note;
  using strata::col;
  auto q = strata::select<Note>().where(col(&Note::title) == "b" && !col(&Note::done));
  const auto sql = strata::dialect::sqlite_dialect().compile(strata::sql::Statement{q.stmt}).sql;
  const std::string want =
      R"(SELECT "note"."id", "note"."title", "note"."body", "note"."done" FROM "note")"
      R"( WHERE "note"."title" = ? AND NOT "note"."done")";
  if (sql != want) {
    std::fprintf(stderr, "unexpected SQL: %s\n", sql.c_str());
    return 1;
  }

  auto engine = strata::create_engine(std::string("sqlite:///") + argv[1]);
  strata::create_all(engine, strata::model::metadata_of<Note>());
  strata::Session session{engine};
  session.add(Note{.title = "a", .body = {}, .done = true});
  session.add(Note{.title = "b", .body = "x", .done = false});
  session.commit();
  auto found = session.exec(q).all();
  if (found.size() != 1 || found[0]->body != std::optional<std::string>("x")) {
    std::fprintf(stderr, "unexpected rows: %zu\n", found.size());
    return 1;
  }
  std::printf("strata consumer: ok\n");
  return 0;
}
