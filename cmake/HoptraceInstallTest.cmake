# hoptrace_add_install_test(<name> <consumer project dir> <program> <expected stdout regex>)
# A ctest case that installs the build tree and builds a consumer project against it.
include_guard(GLOBAL)
function(hoptrace_add_install_test name consumer_dir program expect)
  if(NOT HOPTRACE_INSTALL OR HOPTRACE_SANITIZE)
    return()
  endif()
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND}
      -DBUILD_DIR=${PROJECT_BINARY_DIR}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/${name}
      -DCXX_COMPILER=${CMAKE_CXX_COMPILER}
      -DCONSUMER_DIR=${consumer_dir}
      -DPROGRAM=${program}
      -DEXPECT=${expect}
      -P ${PROJECT_SOURCE_DIR}/tests/install/run_install_test.cmake)
  # Installs share the build tree: run them one at a time.
  set_tests_properties(${name} PROPERTIES LABELS install TIMEOUT 600 RESOURCE_LOCK hoptrace_install)
endfunction()
