# Installs the build tree into a private prefix, then configures, builds and runs the consumer
# project against it with find_package(typenet CONFIG REQUIRED).
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGV}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
# The same generator as the main build: a fresh machine may have ninja but no make.
run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
# 8x28x28 -> pool 8x14x14 -> 1568 -> 10: 8*9+8 + 1568*10+10 parameters.
if(NOT output MATCHES "total +15,770")
  message(FATAL_ERROR "unexpected consumer output:\n${output}")
endif()
message(STATUS "consumer built against the install tree:\n${output}")
