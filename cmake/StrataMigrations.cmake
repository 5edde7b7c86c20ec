# strata_add_migrations(<target> DIRECTORY <dir> [MODELS <lib>...])
#
# Builds the migration tool of an app: an executable <target> from <dir>/env.cpp
# (scaffolded by `strata-migrate init <dir>`) and every <dir>/versions/*.cpp.
# It also defines <target>_revisions, the revision files alone (an OBJECT
# library, or an empty INTERFACE one while there is no revision): an app that
# links it can upgrade at start-up with strata::migrate::upgrade(engine), as the
# seeds' prestart step does.
# The glob is CONFIGURE_DEPENDS, so a revision file written by
# `<target> revision ...` is compiled by the next build. The revision files are
# compiled into the executable itself (not a static library), so their
# STRATA_REVISION registrations always run at start-up. MODELS are the
# libraries holding the app's models (linked, so that env.cpp's
# strata::model::metadata() sees them). <dir> is baked in as
# STRATA_MIGRATIONS_DIR: the tool finds strata.toml and versions/ from any
# working directory (-c overrides).
#
# Example (the app's CMakeLists.txt):
#   find_package(strata REQUIRED)
#   add_library(app_models INTERFACE)
#   target_include_directories(app_models INTERFACE include)
#   strata_add_migrations(migrate DIRECTORY migrations MODELS app_models)
include_guard(GLOBAL)

function(strata_add_migrations target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "DIRECTORY" "MODELS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "strata_add_migrations: unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_DIRECTORY)
    message(FATAL_ERROR "strata_add_migrations(${target}): DIRECTORY <dir> is required")
  endif()
  get_filename_component(_dir "${ARG_DIRECTORY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${_dir}/env.cpp")
    message(FATAL_ERROR "strata_add_migrations(${target}): no env.cpp in ${_dir} (run `strata-migrate init ${_dir}`)")
  endif()
  file(GLOB _versions CONFIGURE_DEPENDS "${_dir}/versions/*.cpp")
  if(_versions)
    add_library(${target}_revisions OBJECT ${_versions})
    target_link_libraries(${target}_revisions PUBLIC strata::migrate strata::strata)
  else()
    add_library(${target}_revisions INTERFACE)
    target_link_libraries(${target}_revisions INTERFACE strata::migrate strata::strata)
  endif()
  add_executable(${target} "${_dir}/env.cpp")
  target_link_libraries(${target} PRIVATE ${target}_revisions strata::migrate_cli strata::migrate strata::strata ${ARG_MODELS})
  target_compile_definitions(${target} PRIVATE "STRATA_MIGRATIONS_DIR=\"${_dir}\"")
endfunction()
