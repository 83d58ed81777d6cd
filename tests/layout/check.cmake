cmake_minimum_required(VERSION 3.21)
# The house plan, checked (docs/design.md, "The map"):
# - every `#include "typenet/<folder>/..."` in include/typenet/<folder>/ and src/<folder>/ goes
#   up the folder order written in docs/design.md (a folder includes itself and the folders
#   before it, never one after it), so the folders have no cycle;
# - every file under include/, src/, tests/, examples/ and bench/ has fewer than MAX_LINES lines;
# - every src/<folder>/<name>.cpp implements include/typenet/<folder>/<name>.hpp, and the test
#   folders tests/unit/<folder>/ and tests/static/<folder>/ are folders of include/typenet/.
# Run with -DROOT=<repository>; prints every violation and fails if there is one.
set(MAX_LINES 400)
file(STRINGS ${ROOT}/docs/design.md order_line REGEX "^Folder order: ")
if(NOT order_line)
  message(FATAL_ERROR "docs/design.md has no 'Folder order: a -> b -> ...' line")
endif()
string(REGEX REPLACE "^Folder order: " "" order "${order_line}")
string(REPLACE "`" "" order "${order}")
string(REGEX REPLACE "[ ]*->[ ]*" ";" order "${order}")
string(STRIP "${order}" order)
list(TRANSFORM order STRIP)

set(problems "")
# The folder of a path under include/typenet/ or src/, or "" for the top-level headers (the
# umbrellas typenet.hpp and shapes.hpp, which may include anything, and typenet/detail/, which
# includes nothing).
function(folder_of path out)
  string(REGEX MATCH "^(include/typenet|src)/([a-z_]+)/" match "${path}")
  set(${out} "${CMAKE_MATCH_2}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE sources RELATIVE ${ROOT} ${ROOT}/include/typenet/*.hpp ${ROOT}/src/*.cpp)
foreach(source IN LISTS sources)
  folder_of(${source} folder)
  if(folder STREQUAL "" OR folder STREQUAL "detail")
    continue()
  endif()
  list(FIND order ${folder} rank)
  if(rank EQUAL -1)
    string(APPEND problems "  ${source}: folder '${folder}' is not in docs/design.md's folder order\n")
    continue()
  endif()
  file(STRINGS ${ROOT}/${source} includes REGEX "^#include [<\"]typenet/[a-z_]+/")
  foreach(line IN LISTS includes)
    string(REGEX MATCH "typenet/([a-z_]+)/" match "${line}")
    set(target ${CMAKE_MATCH_1})
    if(target STREQUAL "detail")
      continue()
    endif()
    list(FIND order ${target} target_rank)
    if(target_rank EQUAL -1 OR target_rank GREATER rank)
      string(APPEND problems "  ${source}: includes ${target}/ (${line}), which comes after ${folder}/\n")
    endif()
  endforeach()
endforeach()

file(GLOB_RECURSE all RELATIVE ${ROOT} ${ROOT}/include/*.hpp ${ROOT}/src/*.cpp ${ROOT}/tests/*.cpp
     ${ROOT}/tests/*.hpp ${ROOT}/examples/*.cpp ${ROOT}/examples/*.hpp ${ROOT}/bench/*.cpp)
foreach(path IN LISTS all)
  file(STRINGS ${ROOT}/${path} lines)
  list(LENGTH lines count)
  if(count GREATER_EQUAL MAX_LINES)
    string(APPEND problems "  ${path}: ${count} lines (keep files under ${MAX_LINES}: split it)\n")
  endif()
endforeach()

file(GLOB_RECURSE implementations RELATIVE ${ROOT}/src ${ROOT}/src/*.cpp)
foreach(path IN LISTS implementations)
  string(REGEX REPLACE "\\.cpp$" ".hpp" header "${path}")
  if(NOT EXISTS ${ROOT}/include/typenet/${header})
    string(APPEND problems "  src/${path}: no include/typenet/${header} (src/ mirrors include/typenet/)\n")
  endif()
endforeach()

foreach(kind unit static)
  file(GLOB test_folders LIST_DIRECTORIES true RELATIVE ${ROOT}/tests/${kind} ${ROOT}/tests/${kind}/*)
  foreach(folder IN LISTS test_folders)
    if(IS_DIRECTORY ${ROOT}/tests/${kind}/${folder} AND NOT IS_DIRECTORY ${ROOT}/include/typenet/${folder})
      string(APPEND problems "  tests/${kind}/${folder}/: no include/typenet/${folder}/ (tests mirror the source tree)\n")
    endif()
  endforeach()
endforeach()

# catch_discover_tests hands CTest the test names as a CMake list: a ';' in a name splits it into
# names that match no test, and the test silently stops running under CTest.
file(GLOB_RECURSE catch_sources RELATIVE ${ROOT} ${ROOT}/tests/*.cpp)
foreach(path IN LISTS catch_sources)
  file(READ ${ROOT}/${path} text)
  string(REGEX MATCH "TEST_CASE\\(\"[^\"]*;" bad "${text}")
  if(bad)
    string(APPEND problems "  ${path}: a TEST_CASE name holds ';' (CTest would split it and not run the test)\n")
  endif()
endforeach()

# The README's count of compile-fail cases is the count of files in tests/compile_fail/.
# (The layout harness checks trees without a README.)
if(EXISTS ${ROOT}/README.md)
  file(GLOB compile_fail_cases ${ROOT}/tests/compile_fail/*.cpp)
  list(LENGTH compile_fail_cases case_count)
  file(READ ${ROOT}/README.md readme)
  string(REGEX MATCH "`tests/compile_fail/` \\| ([0-9]+) mistakes" claim "${readme}")
  if(NOT CMAKE_MATCH_1 STREQUAL case_count)
    string(APPEND problems "  README.md: says '${CMAKE_MATCH_1}' compile-fail cases, tests/compile_fail/ has ${case_count}\n")
  endif()
endif()

if(problems)
  message(FATAL_ERROR "the layout breaks the house plan:\n${problems}")
endif()
list(JOIN order " -> " shown)
message(STATUS "layout: ${shown}; no folder includes a later one, every file under ${MAX_LINES} lines")
