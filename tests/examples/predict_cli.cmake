# `lenet_fashion_mnist predict` end to end, on the model the smoke run trained (MODEL) and on the
# files predict_fixtures writes into DIR: one line per image, "<file>: <class> <p>%, ..." with
# the top 3 (or --top N) Fashion-MNIST classes; every error one line on stderr and a non-zero
# exit, the other images still predicted.
set(classes "(T-shirt/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot)")
set(class "${classes} ([0-9]+\\.[0-9])%")

file(REMOVE_RECURSE ${DIR})
execute_process(COMMAND ${FIXTURES} ${DIR} RESULT_VARIABLE result ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "predict_fixtures failed: ${errors}")
endif()
if(NOT EXISTS ${MODEL})
  message(FATAL_ERROR "${MODEL} is missing (the example.lenet_fashion_mnist test writes it)")
endif()

# Runs the program; checks its exit status, that stderr is `error_lines` lines, and returns
# stdout and stderr.
function(run expected_status error_lines)
  execute_process(COMMAND ${PROGRAM} ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  string(REPLACE ";" " " command "${ARGN}")
  if(NOT status EQUAL expected_status)
    message(FATAL_ERROR "${command}: exit status ${status}, not ${expected_status}\n${out}\n${err}")
  endif()
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines count)
  if(NOT count EQUAL error_lines)
    message(FATAL_ERROR "${command}: ${count} lines on stderr, not ${error_lines}:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect what text pattern)
  if(NOT text MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: no match for '${pattern}' in:\n${text}")
  endif()
endfunction()

# Every format read_image reads: one line each, in the order given, three classes whose
# probabilities are in decreasing order and sum to at most 100 %.
set(files ${DIR}/test-0.png ${DIR}/test-1.png ${DIR}/test-2.png ${DIR}/test-3.bmp
          ${DIR}/test-4.jpg ${DIR}/test-5.pgm)
run(0 0 predict ${MODEL} ${files})
string(REGEX MATCHALL "[^\n]+" lines "${out}")
list(LENGTH lines count)
if(NOT count EQUAL 6)
  message(FATAL_ERROR "6 images, ${count} lines:\n${out}")
endif()
foreach(i RANGE 5)
  list(GET lines ${i} line)
  list(GET files ${i} file)
  expect("image ${i}" "${line}" "^${file}: ${class}, ${class}, ${class}$")
  string(REGEX MATCH "^${file}: ${class}, ${class}, ${class}$" ignored "${line}")
  string(REPLACE "." "" p1 "${CMAKE_MATCH_2}")
  string(REPLACE "." "" p2 "${CMAKE_MATCH_4}")
  string(REPLACE "." "" p3 "${CMAKE_MATCH_6}")
  if(p1 LESS p2 OR p2 LESS p3 OR CMAKE_MATCH_1 STREQUAL CMAKE_MATCH_3)
    message(FATAL_ERROR "image ${i}: not three classes by decreasing probability: ${line}")
  endif()
  math(EXPR total "${p1} + ${p2} + ${p3}")
  if(total GREATER 1001)
    message(FATAL_ERROR "image ${i}: probabilities above 100 %: ${line}")
  endif()
endforeach()

# --top N prints N classes.
run(0 0 predict ${MODEL} --top 5 ${DIR}/test-0.png)
expect("--top 5" "${out}" "^[^\n]*test-0.png: ${class}, ${class}, ${class}, ")
string(REGEX MATCHALL "[0-9]+\\.[0-9]%" probabilities "${out}")
list(LENGTH probabilities count)
if(NOT count EQUAL 5)
  message(FATAL_ERROR "--top 5 printed ${count} classes:\n${out}")
endif()

# A missing image and a text file: their errors, one line each; the good image between them is
# still predicted.
run(1 2 predict ${MODEL} ${DIR}/missing.png ${DIR}/test-0.png ${DIR}/notes.png)
expect("missing image" "${err}" "lenet_fashion_mnist: [^\n]*missing.png: no such file\n")
expect("text file" "${err}" "notes.png: not a PNG, JPEG, BMP or binary PGM/PPM file")
expect("good image among bad" "${out}" "^[^\n]*test-0.png: ${class}, ${class}, ${class}\n$")

# A weight file of another network, one without the preprocessing, a missing one, an image as
# the weight file.
run(1 1 predict ${DIR}/other.safetensors ${DIR}/test-0.png)
expect("other network" "${err}" "other.safetensors: does not fit the network: .*this file holds the network Input 1x32x32 -> Flatten -> Dense\\(10\\)")
run(1 1 predict ${DIR}/bare.safetensors ${DIR}/test-0.png)
expect("no preprocessing" "${err}" "bare.safetensors: its metadata has no 'normalizer.mean'")
run(1 1 predict ${DIR}/missing.safetensors ${DIR}/test-0.png)
expect("missing model" "${err}" "missing.safetensors: no such file")
run(1 1 predict ${DIR}/test-0.png ${DIR}/test-0.png)
expect("image as model" "${err}" "lenet_fashion_mnist: [^\n]*test-0.png: ")
if(out)
  message(FATAL_ERROR "a failed model load printed predictions:\n${out}")
endif()

# Wrong arguments: one line and status 2.
run(2 1 predict ${MODEL})
expect("no image" "${err}" "lenet_fashion_mnist: .*images.* \\(--help lists the arguments\\)")
run(2 1 predict ${MODEL} ${DIR}/test-0.png --top 11)
run(2 1 --epochs many)
run(0 0 predict --help)
expect("help" "${out}" "model.*images.*--top")
