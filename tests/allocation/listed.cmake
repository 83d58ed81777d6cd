cmake_minimum_required(VERSION 3.21)
# The allocation tests cover what the library declares, not what was at hand: every public layer
# spec (include/typenet/spec/, the topologies of include/typenet/graph/), every loss spec, every
# optimiser and every penalty must be named in tests/allocation/*_test.cpp (as ::Name). A spec
# added without its allocation test fails here. Run with -DROOT=<repository>.
set(not_layers Pool2D Head Sequential SummaryRow Summary ClassIndex BoundLayer Input Kernel Stride
    Pad OutputPad Dilation Groups Bias Scale Nearest Bilinear MultiTask FixedString
    ReturnSequences Bidirectional)
file(GLOB declaring ${ROOT}/include/typenet/spec/*.hpp ${ROOT}/include/typenet/graph/*.hpp
     ${ROOT}/include/typenet/optim/*.hpp ${ROOT}/include/typenet/reg/*.hpp)
set(names "")
foreach(header IN LISTS declaring)
  file(STRINGS ${header} declarations REGEX "^struct [A-Z][A-Za-z0-9]*")
  foreach(line IN LISTS declarations)
    string(REGEX MATCH "^struct ([A-Z][A-Za-z0-9]*)" match "${line}")
    if(NOT CMAKE_MATCH_1 IN_LIST not_layers)
      list(APPEND names ${CMAKE_MATCH_1})
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES names)

file(GLOB tests ${ROOT}/tests/allocation/*_test.cpp)
set(text "")
foreach(test IN LISTS tests)
  file(READ ${test} content)
  string(APPEND text "${content}")
endforeach()
set(missing "")
foreach(name IN LISTS names)
  if(NOT text MATCHES "::${name}[^A-Za-z0-9_]")
    list(APPEND missing ${name})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "tests/allocation/ does not test: ${missing}")
endif()
list(LENGTH names count)
message(STATUS "tests/allocation/ names all ${count} specs, losses, optimisers and penalties: ${names}")
