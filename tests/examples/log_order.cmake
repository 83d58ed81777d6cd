# A program's stdout and stderr redirected to one log (`program > log 2>&1`) keep their order:
# the error line comes after what was printed before it (FIRST, a pattern of an earlier line),
# and as a line of its own that starts with MESSAGE. stdout is a full buffer when redirected; the
# examples flush it before their error line (examples/arguments.hpp, report_error), which landed
# first in the log, or inside a line of the summary table, before.
#   cmake -DPROGRAM=... -DARGUMENTS=a|b -DLOG=file -DFIRST=regex -DMESSAGE=regex -P log_order.cmake
string(REPLACE "|" "\" \"" arguments "${ARGUMENTS}")
execute_process(COMMAND sh -c "\"${PROGRAM}\" \"${arguments}\" > \"${LOG}\" 2>&1"
                RESULT_VARIABLE status TIMEOUT 60)
file(READ ${LOG} log)
if(status EQUAL 0)
  message(FATAL_ERROR "succeeded, it should fail:\n${log}")
endif()
string(REGEX MATCH "${FIRST}" earlier "${log}")
string(FIND "${log}" "${earlier}" earlier_at)
string(REGEX MATCH "\n${MESSAGE}[^\n]*\n" error_line "${log}")
if(earlier STREQUAL "" OR error_line STREQUAL "")
  message(FATAL_ERROR "no line matching '${FIRST}', or no line starting with '${MESSAGE}':\n${log}")
endif()
string(FIND "${log}" "${error_line}" error_at)
if(error_at LESS earlier_at)
  message(FATAL_ERROR "the error line came before '${earlier}':\n${log}")
endif()
