# Optional parts (adapters, the OTLP exporter): each is built when its client libraries are
# found with pkg-config. HOPTRACE_WITH_<PART>=ON forces it (a missing library is then a configure
# error that says what to install); OFF skips it; AUTO (default) builds it when found.
include_guard(GLOBAL)
find_package(PkgConfig QUIET)

# hoptrace_find_part(<PART> <result-var> MODULES <pkg-config modules...> PACKAGES <debian pkgs>)
# Sets <result-var> to TRUE when the part should be built, and creates PkgConfig::<module>
# imported targets for each module.
function(hoptrace_find_part part result)
  cmake_parse_arguments(ARG "" "" "MODULES;PACKAGES" ${ARGN})
  string(TOUPPER "${part}" upper)
  set(HOPTRACE_WITH_${upper} AUTO CACHE STRING "Build the ${part} part: ON, OFF or AUTO")
  set_property(CACHE HOPTRACE_WITH_${upper} PROPERTY STRINGS ON OFF AUTO)
  set(mode "${HOPTRACE_WITH_${upper}}")
  if(mode STREQUAL "OFF")
    set(${result} FALSE PARENT_SCOPE)
    message(STATUS "hoptrace: ${part} disabled (HOPTRACE_WITH_${upper}=OFF)")
    return()
  endif()
  set(missing "")
  foreach(module ${ARG_MODULES})
    if(PKG_CONFIG_FOUND)
      pkg_check_modules(HOPTRACE_PC_${module} QUIET IMPORTED_TARGET GLOBAL ${module})
    endif()
    if(NOT HOPTRACE_PC_${module}_FOUND)
      list(APPEND missing ${module})
    endif()
  endforeach()
  if(missing)
    if(mode STREQUAL "ON")
      message(FATAL_ERROR "hoptrace: HOPTRACE_WITH_${upper}=ON but pkg-config cannot find: "
        "${missing}. Install ${ARG_PACKAGES} (scripts/setup.sh does) or configure with "
        "-DHOPTRACE_WITH_${upper}=OFF.")
    endif()
    message(STATUS "hoptrace: ${part} skipped (not found: ${missing}; install ${ARG_PACKAGES})")
    set(${result} FALSE PARENT_SCOPE)
    return()
  endif()
  message(STATUS "hoptrace: building ${part}")
  set(${result} TRUE PARENT_SCOPE)
endfunction()

# hoptrace_install_part(<target> <part> PKG_MODULES <pkg-config modules...> REQUIRES <parts...>)
# Installs a part's library and headers with its own export set and a deps file that the
# package config includes when the part is requested.
function(hoptrace_install_part target part)
  cmake_parse_arguments(ARG "" "" "PKG_MODULES;REQUIRES" ${ARGN})
  if(NOT HOPTRACE_INSTALL)
    return()
  endif()
  install(TARGETS ${target} EXPORT hoptrace-${part}-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY include/hoptrace DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT hoptrace-${part}-targets NAMESPACE hoptrace::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hoptrace)
  set(deps "include(CMakeFindDependencyMacro)\nfind_dependency(PkgConfig)\n")
  foreach(module ${ARG_PKG_MODULES})
    string(APPEND deps "if(NOT TARGET PkgConfig::HOPTRACE_PC_${module})\n"
      "  pkg_check_modules(HOPTRACE_PC_${module} REQUIRED IMPORTED_TARGET GLOBAL ${module})\n"
      "endif()\n")
  endforeach()
  # Parts this one builds on are loaded first, so COMPONENTS kafka_cpp alone works.
  foreach(required ${ARG_REQUIRES})
    string(APPEND deps "if(NOT TARGET hoptrace::${required})\n"
      "  include(\"\${CMAKE_CURRENT_LIST_DIR}/hoptrace-${required}-deps.cmake\" OPTIONAL)\n"
      "  include(\"\${CMAKE_CURRENT_LIST_DIR}/hoptrace-${required}-targets.cmake\")\n"
      "endif()\n")
  endforeach()
  file(WRITE ${PROJECT_BINARY_DIR}/hoptrace-${part}-deps.cmake "${deps}")
  install(FILES ${PROJECT_BINARY_DIR}/hoptrace-${part}-deps.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hoptrace)
endfunction()
