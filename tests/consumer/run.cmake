# Builds and runs the consumer program (main.cpp) in one of two ways, in WORK_DIR:
#   MODE=install       installs the build tree BUILD_DIR into a private prefix, then builds
#                      tests/consumer against it with find_package(typenet CONFIG REQUIRED)
#   MODE=subdirectory  builds tests/consumer/subdirectory, which compiles typenet inside itself
#                      with add_subdirectory(TYPENET_SOURCE) (with LAUNCHER, e.g. ccache)
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGV}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

# The same generator as the main build: a fresh machine may have ninja but no make.
if(MODE STREQUAL "install")
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
  run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${WORK_DIR}/build -G ${GENERATOR}
      -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
      "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
  set(how "against the install tree")
elseif(MODE STREQUAL "subdirectory")
  run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE}/subdirectory -B ${WORK_DIR}/build -G ${GENERATOR}
      -DTYPENET_SOURCE=${TYPENET_SOURCE} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
      "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}" "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/build --target consumer)
  set(how "with add_subdirectory(typenet)")
else()
  message(FATAL_ERROR "run.cmake: MODE must be install or subdirectory, not '${MODE}'")
endif()
run(${WORK_DIR}/build/consumer)
# 8x28x28 -> pool 8x14x14 -> 1568 -> 10: 8*9+8 + 1568*10+10 parameters.
if(NOT output MATCHES "total +15,770")
  message(FATAL_ERROR "unexpected consumer output:\n${output}")
endif()
message(STATUS "consumer built ${how}:\n${output}")
