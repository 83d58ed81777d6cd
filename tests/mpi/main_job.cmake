# The MPI main job (lenet_fashion_mnist_mpi) end to end on a subset of Fashion-MNIST, under
# MPIRUN ("|"-separated: mpiexec, its flags, its process-count flag) with PROGRAM, in OUTPUT:
#   mismatch    rank 1 given another --train-subset (mpirun's "A : B" form): both ranks stop
#               within seconds with the message naming the setting (a crash or a hang before)
#   early_failure  rank 0's output folder unusable, or rank 1 alone given a wrong argument:
#               every process stops (a hang before), each with a message
#   checkpoint  2 ranks write --checkpoint after each of 2 epochs; 1 process --resume-from it
#               and trains epoch 3 only, with the notice of the other process count; --epochs 1
#               from it is refused, naming both counts. The progress in the redirected output
#               has no carriage return or escape code (mpirun gives rank 0 a pseudo-terminal)
#   same_everywhere  a batch that does not split over 3 processes, and --help: said once; --help
#               given to rank 1 alone: rank 1 prints it
# Every message on stderr is a whole line: one write per process, never cut by another's.
string(REPLACE "|" ";" mpirun "${MPIRUN}")
list(POP_BACK mpirun processes_flag)
file(REMOVE_RECURSE ${OUTPUT})
set(subset --test-subset 200)

# Fails unless `text` holds `line` as a whole line exactly `count` times.
function(expect_lines text line count)
  set(marked "\n${text}")
  foreach(pass 1 2 3)  # a match takes the newline the next one starts with
    string(REPLACE "\n${line}\n" "\n@WHOLE@\n" marked "${marked}")
  endforeach()
  string(REGEX MATCHALL "@WHOLE@" found "${marked}")
  list(LENGTH found found)
  if(NOT found EQUAL count)
    message(FATAL_ERROR "${found} whole lines, not ${count}, of\n${line}\nin:\n${text}")
  endif()
endfunction()

# Fails when `text` holds a carriage return or an escape code (the terminal's progress bar).
function(expect_plain text what)
  string(ASCII 27 escape)
  string(FIND "${text}" "\r" return_at)
  string(FIND "${text}" "${escape}" escape_at)
  if(NOT return_at EQUAL -1 OR NOT escape_at EQUAL -1)
    message(FATAL_ERROR "${what}: the redirected output holds \\r or ESC:\n${text}")
  endif()
endfunction()

function(run expected_status)
  execute_process(COMMAND ${mpirun} ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE err TIMEOUT 60)
  string(REPLACE ";" " " command "${ARGN}")
  if(expected_status STREQUAL "fails" AND status EQUAL 0)
    message(FATAL_ERROR "${command}: succeeded, it should fail\n${out}\n${err}")
  elseif(NOT expected_status STREQUAL "fails" AND NOT status EQUAL expected_status)
    message(FATAL_ERROR "${command}: exit status ${status}, not ${expected_status}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "mismatch")
  string(TIMESTAMP start "%s")
  run(fails ${processes_flag} 1 ${PROGRAM} ${OUTPUT} --epochs 1 --train-subset 1200 ${subset} :
      ${processes_flag} 1 ${PROGRAM} ${OUTPUT} --epochs 1 --train-subset 600 ${subset})
  string(TIMESTAMP end "%s")
  # Both ranks' messages, each a whole line (their "program: " and message pieces were written
  # apart, and now and then ran together on one line).
  expect_lines("${err}" "lenet_fashion_mnist_mpi: fit: the processes differ: rank 1 has training samples = 550, rank 0 has 1100 (every process must be given the same data and options; docs/distributed.md)" 2)
  math(EXPR seconds "${end} - ${start}")
  message(STATUS "both ranks stopped after ${seconds} s")
elseif(MODE STREQUAL "checkpoint")
  set(checkpoint ${OUTPUT}/run/checkpoint.safetensors)
  run(0 ${processes_flag} 2 ${PROGRAM} ${OUTPUT}/two --epochs 2 --train-subset 1200 ${subset}
      --checkpoint ${checkpoint})
  if(NOT EXISTS ${checkpoint})
    message(FATAL_ERROR "2 ranks wrote no ${checkpoint}:\n${out}\n${err}")
  endif()
  expect_plain("${out}" "2 ranks")
  run(0 ${processes_flag} 1 ${PROGRAM} ${OUTPUT}/one --epochs 3 --train-subset 1200 ${subset}
      --resume-from ${checkpoint})
  foreach(pattern "fit: resuming a checkpoint of 2 processes on 1" "epoch 3/3"
                  "final test accuracy: [0-9.]+%")
    if(NOT out MATCHES "${pattern}")
      message(FATAL_ERROR "the resumed run: no '${pattern}' in:\n${out}\n${err}")
    endif()
  endforeach()
  if(out MATCHES "epoch [12]/3")
    message(FATAL_ERROR "the resumed run trained epochs 1 or 2 again:\n${out}")
  endif()
  expect_plain("${out}" "1 process")
  # Fewer epochs than the checkpoint holds: refused (it was silent, and trained nothing), in the
  # command line's words (fit's message spoke of its own options), by each process that read it.
  run(2 ${processes_flag} 2 ${PROGRAM} ${OUTPUT}/fewer --epochs 1 --train-subset 1200 ${subset}
      --resume-from ${checkpoint})
  expect_lines("${err}" "lenet_fashion_mnist_mpi: --resume-from ${checkpoint} holds 2 finished epochs, more than --epochs 1: give --epochs 2 or more (a run cannot be made shorter)" 2)
  if(out MATCHES "epoch 1/1")
    message(FATAL_ERROR "--epochs 1 from a checkpoint of 2 epochs: a process trained:\n${out}")
  endif()
elseif(MODE STREQUAL "early_failure")
  # A process that stops before training stops the other too (it waited in fit's first exchange
  # for ever before): rank 0 cannot use its output folder; rank 1 alone has a wrong argument.
  file(WRITE ${OUTPUT}/a-file "")
  foreach(case folder argument)
    if(case STREQUAL "folder")
      set(command ${processes_flag} 2 ${PROGRAM} ${OUTPUT}/a-file/sub --epochs 1
          --train-subset 1200 ${subset})
      set(message "cannot use .*a-file/sub as the output folder")
    else()
      set(command ${processes_flag} 1 ${PROGRAM} ${OUTPUT}/ok --epochs 1 --train-subset 1200
          ${subset} : ${processes_flag} 1 ${PROGRAM} ${OUTPUT}/ok --epochs abc)
      set(message "--epochs: Value 'abc' is not a whole number")
    endif()
    run(fails ${command})
    if(NOT err MATCHES "${message}" OR
       NOT err MATCHES "another process stopped before training \\(its message says why\\)")
      message(FATAL_ERROR "${case}: not both messages on stderr:\n${out}\n${err}")
    endif()
    if(out MATCHES "epoch 1/1")
      message(FATAL_ERROR "${case}: a process trained:\n${out}")
    endif()
    if(case STREQUAL "folder")
      set(other 1)
    else()
      set(other 0)
    endif()
    expect_lines("${err}" "lenet_fashion_mnist_mpi: rank ${other} of 2: another process stopped before training (its message says why)" 1)
  endforeach()
  # A --checkpoint rank 0 cannot write stops both before training (it was found after epoch 1),
  # each with rank 0's message.
  set(unwritable /proc/typenet-checkpoint.safetensors)
  run(fails ${processes_flag} 2 ${PROGRAM} ${OUTPUT}/ok --epochs 1 --train-subset 1200 ${subset}
      --checkpoint ${unwritable})
  if(out MATCHES "epoch 1/1")
    message(FATAL_ERROR "--checkpoint ${unwritable}: a process trained:\n${out}")
  endif()
  expect_lines("${err}" "lenet_fashion_mnist_mpi: rank 0 of 2: fit: cannot write the checkpoint: ${unwritable}: cannot create a file in /proc (No such file or directory)" 2)
elseif(MODE STREQUAL "same_everywhere")
  # What every process finds alike is said once, by rank 0 (it was said by each): a batch that
  # does not split over the processes, with the counts that do; --help.
  run(2 ${processes_flag} 3 ${PROGRAM} ${OUTPUT}/three --epochs 1 --train-subset 1200 ${subset})
  expect_lines("${err}" "lenet_fashion_mnist_mpi: the batch of 64 does not split over 3 processes; use 1, 2, 4, 8, 16, 32 or 64 processes" 1)
  run(0 ${processes_flag} 2 ${PROGRAM} --help)
  string(REGEX MATCHALL "Usage: " usages "${out}")
  list(LENGTH usages usages)
  if(NOT usages EQUAL 1 OR NOT out MATCHES "lenet_fashion_mnist_mpi")
    message(FATAL_ERROR "--help on 2 processes: ${usages} usages, not 1, or not the program's name:\n${out}")
  endif()
  # --help given to rank 1 alone: it prints the help itself (it stopped without a word, and rank
  # 0 pointed at a message that did not exist).
  run(fails ${processes_flag} 1 ${PROGRAM} ${OUTPUT}/help --epochs 1 --train-subset 1200 ${subset} :
      ${processes_flag} 1 ${PROGRAM} --help)
  string(REGEX MATCHALL "Usage: " usages "${out}")
  list(LENGTH usages usages)
  if(NOT usages EQUAL 1)
    message(FATAL_ERROR "--help on rank 1 alone: ${usages} usages, not 1:\n${out}\n${err}")
  endif()
  expect_lines("${err}" "lenet_fashion_mnist_mpi: rank 0 of 2: another process stopped before training (its message says why)" 1)
else()
  message(FATAL_ERROR "MODE: mismatch, checkpoint, early_failure or same_everywhere")
endif()
