# scripts/main's argument check, which runs before anything is installed or built (--check-args
# stops after it): --ranks must be a number of processes that divides the batch of 64, refused
# with one line on stderr and exit status 2 otherwise. SCRIPT: scripts/main.
function(check expected_status pattern)
  execute_process(COMMAND ${SCRIPT} --check-args ${ARGN} RESULT_VARIABLE status
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REPLACE ";" " " command "${ARGN}")
  if(NOT status EQUAL expected_status)
    message(FATAL_ERROR "scripts/main ${command}: exit status ${status}, not ${expected_status}\n"
                        "${out}${err}")
  endif()
  if(NOT "${out}${err}" MATCHES "${pattern}")
    message(FATAL_ERROR "scripts/main ${command}: no match for '${pattern}' in:\n${out}${err}")
  endif()
endfunction()

set(use "use 1, 2, 4, 8, 16, 32 or 64")
check(2 "^scripts/main: --ranks 3: the batch of 64 does not split over 3 processes; ${use}\n$"
      --ranks 3)
check(2 "^scripts/main: --ranks 0: it takes at least 1 process; ${use}\n$" --ranks 0)
check(2 "^scripts/main: --ranks 'abc' is not a number of processes; ${use} " --ranks abc)
check(2 "^scripts/main: --ranks '-2' is not a number of processes" --ranks=-2)
check(2 "^scripts/main: --ranks needs a number of processes" OUT --ranks)
check(2 "does not split over 99999999999999999999 processes" --ranks 99999999999999999999)
check(0 "^scripts/main: --ranks fine: 1 process\\(es\\) of batch 64 \\(the example checks" OUT
      --epochs 2)
check(0 "--ranks fine: 2 process\\(es\\) of batch 32" --ranks 2 OUT)
check(0 "--ranks fine: 8 process\\(es\\) of batch 8" --ranks=008)
# Leading zeros do not count towards the length limit: 0000002 is two, 0000000 none.
check(0 "--ranks fine: 2 process\\(es\\) of batch 32" --ranks 0000002)
check(2 "^scripts/main: --ranks 0: it takes at least 1 process" --ranks 0000000)
