# Runs one package consumer test (see CMakeLists.txt): configures, builds and
# runs the project in SOURCE in a fresh WORK folder.
# Inputs: MODE (find_package | add_subdirectory), SOURCE, WORK, GENERATOR,
# CXX, BUILD_TYPE, LAUNCHER (may be empty), FLAGS (extra compile and link
# flags, may be empty); for find_package STRATA_BUILD_DIR (installed first into
# WORK/prefix); for add_subdirectory STRATA_SOURCE_DIR, SANITIZE and FULL
# (OFF: configure and generate only; ON: also build the library and run).
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(args -S ${SOURCE} -B ${WORK}/build -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX}
         -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
if(LAUNCHER)
  list(APPEND args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
if(FLAGS)
  list(APPEND args "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
endif()

if(MODE STREQUAL "find_package")
  run("install of ${STRATA_BUILD_DIR}" ${CMAKE_COMMAND} --install ${STRATA_BUILD_DIR} --prefix ${WORK}/prefix)
  list(APPEND args -DCMAKE_PREFIX_PATH=${WORK}/prefix)
  # Nothing of the build or source tree may leak into the consumer: only the prefix.
  if(EXISTS ${WORK}/prefix/include/strata/strata.hpp)
    message(STATUS "headers installed")
  else()
    message(FATAL_ERROR "install did not put include/strata/strata.hpp under ${WORK}/prefix")
  endif()
elseif(MODE STREQUAL "add_subdirectory")
  list(APPEND args -DSTRATA_SOURCE_DIR=${STRATA_SOURCE_DIR} -DSTRATA_SANITIZE=${SANITIZE})
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

run("configure" ${CMAKE_COMMAND} ${args})
if(MODE STREQUAL "add_subdirectory")
  # Not the top-level project: Strata must add no tests, examples or install rules.
  if(EXISTS ${WORK}/build/strata/tests OR EXISTS ${WORK}/build/strata/examples)
    message(FATAL_ERROR "strata added its tests or examples although it is not the top-level project")
  endif()
  if(NOT FULL)
    message(STATUS "configured and generated; build skipped (STRATA_PACKAGE_TEST_FULL=OFF)")
    return()
  endif()
endif()
run("build" ${CMAKE_COMMAND} --build ${WORK}/build --target consumer -j 2)
run("run" ${WORK}/build/consumer ${WORK}/consumer.db)
# Passed: the prefix and the consumer's build go (a sanitizer build's prefix
# is about 420 MB), unless STRATA_KEEP_WORK=1; a failure above keeps them.
if(NOT "$ENV{STRATA_KEEP_WORK}" STREQUAL "1")
  file(REMOVE_RECURSE ${WORK})
endif()
