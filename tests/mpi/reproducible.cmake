# Runs the 2-rank training of distributed_test twice and compares rank 0's weights byte for byte.
# -DMPIRUN=<mpirun and its flags, '|'-separated> -DPROGRAM=<distributed_test> -DOUTPUT=<folder>
string(REPLACE "|" ";" mpirun "${MPIRUN}")
file(MAKE_DIRECTORY ${OUTPUT})
foreach(run 1 2)
  execute_process(COMMAND ${mpirun} 2 ${PROGRAM} train ${OUTPUT}/weights-${run}.bin
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "run ${run} failed (${result})")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUTPUT}/weights-1.bin
                        ${OUTPUT}/weights-2.bin RESULT_VARIABLE different)
if(different)
  message(FATAL_ERROR "the two 2-rank runs ended with different weights")
endif()
file(SIZE ${OUTPUT}/weights-1.bin bytes)
message(STATUS "two 2-rank runs: the same ${bytes} bytes of weights")
