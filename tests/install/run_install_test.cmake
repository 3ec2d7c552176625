# Installs the already-built tree into a scratch prefix, then configures, builds and runs a
# consumer project that only uses find_package(hoptrace ...).
#   -DCONSUMER_DIR=<project>  -DPROGRAM=<executable name>  -DEXPECT=<regex its stdout matches>
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR}
  -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring ${CONSUMER_DIR} against the installed tree failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building ${CONSUMER_DIR} against the installed tree failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/${PROGRAM} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(rc OR NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "${PROGRAM} failed: rc=${rc} out=${out} (expected ${EXPECT})")
endif()
message(STATUS "${PROGRAM} built against installed hoptrace and printed ${out}")
