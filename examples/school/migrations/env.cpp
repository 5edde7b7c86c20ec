// env.cpp - the migration tool of this app (scaffolded by `strata-migrate init`).
//
// Built by strata_add_migrations() (see CMakeLists.txt next to this file) from
// this file and every versions/*.cpp, so that the revisions register
// themselves. Run it as Alembic: `migrate revision --autogenerate -m "..."`,
// `migrate upgrade head`, `migrate check`, `migrate --help`.
//
// Include the headers that declare your models (STRATA_TABLE ...) below, and
// link your models' library with MODELS in CMakeLists.txt: autogenerate and
// check compare strata::model::metadata() with the database.
#include "strata/migrate/cli.hpp"
#include "strata/model/registry.hpp"
#include "school/models.hpp"

int main(int argc, char** argv) {
  strata::migrate::Config cfg;
#ifdef STRATA_MIGRATIONS_DIR
  cfg.script_location = STRATA_MIGRATIONS_DIR;  // this directory (set by strata_add_migrations)
#endif
  cfg.target_metadata = [] { return strata::model::metadata(); };
  return strata::migrate::cli::run(argc, argv, cfg);
}
