// The files `init` scaffolds (src/migrate/templates.cpp).
#pragma once

#include <string>

namespace strata::migrate::templates {

/// env.cpp: the migration tool's main(), with the app's models.
extern const char* const env_cpp;
/// CMakeLists.txt: strata_add_migrations(...) for the environment.
extern const char* const cmake_lists;
/// strata.toml with `url`.
std::string strata_toml(const std::string& url);

}  // namespace strata::migrate::templates
