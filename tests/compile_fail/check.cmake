# Compiles one compile_fail case: cmake -DCOMPILER=... -DSOURCE=... -DINCLUDES=a|b -DMODE=fail|ok
#   -DMAX_LINES=N [-DEXPECT_OVERRIDE=regex] -P check.cmake
# MODE=ok: the file must compile. MODE=fail: with TYPENET_SHOULD_FAIL defined it must NOT
# compile, every "// expect: <regex>" line of the file must match within the first MAX_LINES
# (or "// expect-within: N")
# lines of the compiler's output (the user reads the rule there, not 200 lines down), and the
# compiler must report exactly one error (or "// expect-errors: N"): one mistake, one message.
string(REPLACE "|" ";" include_list "${INCLUDES}")
set(flags -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic)
# [-DPCH_DIR=dir -DSYSTEM_INCLUDES=a|b] (MODE=ok only): a directory of precompiled typenet
# headers, searched first, and the directories they were precompiled with as system headers
# (tests/CMakeLists.txt says why).
string(REPLACE "|" ";" system_list "${SYSTEM_INCLUDES}")
if(MODE STREQUAL "ok" AND PCH_DIR)
  list(APPEND flags "-I${PCH_DIR}")
  if(system_list)
    list(REMOVE_ITEM include_list ${system_list})
  endif()
  foreach(dir IN LISTS system_list)
    list(APPEND flags -isystem "${dir}")
  endforeach()
endif()
foreach(dir IN LISTS include_list)
  list(APPEND flags "-I${dir}")
endforeach()
if(MODE STREQUAL "fail")
  list(APPEND flags -DTYPENET_SHOULD_FAIL)
endif()

execute_process(COMMAND ${COMPILER} ${flags} ${SOURCE}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)

if(MODE STREQUAL "ok")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the positive twin of ${SOURCE} must compile, but:\n${output}")
  endif()
  if(NOT output STREQUAL "")
    message(FATAL_ERROR "the positive twin of ${SOURCE} must compile without warnings:\n${output}")
  endif()
  return()
endif()

if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled with TYPENET_SHOULD_FAIL, but must not")
endif()

# A case may allow more lines ("// expect-within: N"): an error inside a Residual or Concat
# branch comes after g++'s longer chain of "required from" lines.
file(STRINGS ${SOURCE} within REGEX "^// expect-within: [0-9]+$")
if(within)
  string(REGEX REPLACE "^// expect-within: " "" MAX_LINES "${within}")
endif()

# The first MAX_LINES lines of the output.
set(head "")
set(rest "${output}")
foreach(i RANGE 1 ${MAX_LINES})
  string(FIND "${rest}" "\n" newline)
  if(newline EQUAL -1)
    string(APPEND head "${rest}")
    break()
  endif()
  math(EXPR next "${newline} + 1")
  string(SUBSTRING "${rest}" 0 ${next} line)
  string(APPEND head "${line}")
  string(SUBSTRING "${rest}" ${next} -1 rest)
endforeach()

if(DEFINED EXPECT_OVERRIDE)
  set(expectations "${EXPECT_OVERRIDE}")
else()
  file(STRINGS ${SOURCE} expect_lines REGEX "^// expect: ")
  set(expectations "")
  foreach(expect_line IN LISTS expect_lines)
    string(REGEX REPLACE "^// expect: " "" regex "${expect_line}")
    list(APPEND expectations "${regex}")
  endforeach()
endif()
list(LENGTH expectations count)
if(count EQUAL 0)
  message(FATAL_ERROR "${SOURCE} has no '// expect: <regex>' line")
endif()

foreach(regex IN LISTS expectations)
  if(NOT head MATCHES "${regex}")
    message(FATAL_ERROR "${SOURCE}: the first ${MAX_LINES} lines of the compiler output do not "
                        "match '${regex}':\n${head}")
  endif()
endforeach()
file(STRINGS ${SOURCE} expected_errors REGEX "^// expect-errors: [0-9]+$")
if(expected_errors)
  string(REGEX REPLACE "^// expect-errors: " "" expected_errors "${expected_errors}")
else()
  set(expected_errors 1)
endif()
string(REGEX MATCHALL "error:" errors "${output}")
list(LENGTH errors error_count)
if(NOT error_count EQUAL expected_errors)
  message(FATAL_ERROR "${SOURCE}: expected ${expected_errors} error(s), the compiler reported "
                      "${error_count}:\n${output}")
endif()
message(STATUS "${SOURCE}: fails to compile as expected")
