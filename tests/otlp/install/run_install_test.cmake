# Installs the already-built tree into a scratch prefix, then configures, builds and runs a
# consumer project that uses find_package(hoptrace COMPONENTS otlp) only.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/otlp/install/consumer
  -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the otlp consumer project against the installed tree failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the otlp consumer project failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/otlp_consumer OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(rc OR NOT out MATCHES "^http://127.0.0.1:4318/v1/traces")
  message(FATAL_ERROR "otlp consumer program failed: rc=${rc} out=${out}")
endif()
message(STATUS "otlp consumer built against installed hoptrace and printed ${out}")
