# Configures, builds and runs tests/consumer/subdirectory, a project that uses typenet through
# add_subdirectory(TYPENET_SOURCE): libtypenet is built inside it (with LAUNCHER, e.g. ccache).
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGV}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE}/subdirectory -B ${WORK_DIR} -G ${GENERATOR}
    -DTYPENET_SOURCE=${TYPENET_SOURCE} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}" "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR} --target consumer)
run(${WORK_DIR}/consumer)
# 8x28x28 -> pool 8x14x14 -> 1568 -> 10: 8*9+8 + 1568*10+10 parameters.
if(NOT output MATCHES "total +15,770")
  message(FATAL_ERROR "unexpected consumer output:\n${output}")
endif()
message(STATUS "consumer built with add_subdirectory(typenet):\n${output}")
