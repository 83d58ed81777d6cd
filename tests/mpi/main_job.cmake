# The MPI main job (lenet_fashion_mnist_mpi) end to end on a subset of Fashion-MNIST, under
# MPIRUN ("|"-separated: mpiexec, its flags, its process-count flag) with PROGRAM, in OUTPUT:
#   mismatch    rank 1 given another --train-subset (mpirun's "A : B" form): both ranks stop
#               within seconds with the message naming the setting (a crash or a hang before)
#   early_failure  rank 0's output folder unusable, or rank 1 alone given a wrong argument:
#               every process stops (a hang before), each with a message
#   checkpoint  2 ranks write --checkpoint after each of 2 epochs; 1 process --resume-from it
#               and trains epoch 3 only, with the notice of the other process count
string(REPLACE "|" ";" mpirun "${MPIRUN}")
list(POP_BACK mpirun processes_flag)
file(REMOVE_RECURSE ${OUTPUT})
set(subset --test-subset 200)

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
  # The ranks write to one stderr, their "program: " and message pieces interleaved: count the
  # messages themselves (each one write).
  # (Up to its "; docs/distributed.md)": a ";" would split the list of matches.)
  set(message "fit: the processes differ: rank 1 has training samples = 550, rank 0 has 1100 \\(every process must be given the same data and options")
  string(REGEX MATCHALL "${message}" said "${err}")
  list(LENGTH said count)
  if(NOT count EQUAL 2 OR NOT err MATCHES "${message}; docs/distributed.md\\)")
    message(FATAL_ERROR "the message is not on both ranks' stderr:\n${err}")
  endif()
  math(EXPR seconds "${end} - ${start}")
  message(STATUS "both ranks stopped after ${seconds} s")
elseif(MODE STREQUAL "checkpoint")
  set(checkpoint ${OUTPUT}/run/checkpoint.safetensors)
  run(0 ${processes_flag} 2 ${PROGRAM} ${OUTPUT}/two --epochs 2 --train-subset 1200 ${subset}
      --checkpoint ${checkpoint})
  if(NOT EXISTS ${checkpoint})
    message(FATAL_ERROR "2 ranks wrote no ${checkpoint}:\n${out}\n${err}")
  endif()
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
      set(message "--epochs: Value abc not in range 1 to 1000000")
    endif()
    run(fails ${command})
    if(NOT err MATCHES "${message}" OR
       NOT err MATCHES "another process stopped before training \\(its message says why\\)")
      message(FATAL_ERROR "${case}: not both messages on stderr:\n${out}\n${err}")
    endif()
    if(out MATCHES "epoch 1/1")
      message(FATAL_ERROR "${case}: a process trained:\n${out}")
    endif()
  endforeach()
else()
  message(FATAL_ERROR "MODE: mismatch, checkpoint or early_failure")
endif()
