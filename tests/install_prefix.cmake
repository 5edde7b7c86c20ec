# The install.prefix test (tests/CMakeLists.txt): installs the build tree
# BUILD_DIR into a fresh PREFIX (what was there before is removed, so no file
# of an older build survives) and checks that the tool and the headers arrived.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed (${rc})")
endif()
foreach(f bin/strata-migrate include/strata/strata.hpp)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "the install did not put ${f} under ${PREFIX}")
  endif()
endforeach()
message(STATUS "installed ${BUILD_DIR} into ${PREFIX}")
