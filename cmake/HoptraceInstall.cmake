# Installs the package config. Each part installs its own export set
# (hoptrace-<part>-targets.cmake, see core/CMakeLists.txt); the config loads the ones asked for
# with find_package(hoptrace COMPONENTS ...), or every installed one when none are named.
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(HOPTRACE_CONFIG_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hoptrace)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/hoptraceConfig.cmake.in
  ${PROJECT_BINARY_DIR}/hoptraceConfig.cmake
  INSTALL_DESTINATION ${HOPTRACE_CONFIG_INSTALL_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hoptraceConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/hoptraceConfig.cmake
  ${PROJECT_BINARY_DIR}/hoptraceConfigVersion.cmake
  DESTINATION ${HOPTRACE_CONFIG_INSTALL_DIR})
