# Runs an example with arguments it must refuse (or --help) and checks how it stops, before it
# reads any data: PROGRAM, ARGUMENTS ("|"-separated), the exit STATUS and a PATTERN its output
# must match (stderr for a refusal, stdout for --help). A refusal (STATUS other than 0) must be one
# line on stderr and nothing on stdout: the examples' arguments.hpp prints no more, and a program
# that went on to load the data or train would print its progress.
#
# READ_ONLY (optional): a folder made first without write permission; the program then runs as
# user nobody (setpriv) when this runs as root, whom permissions do not stop.
string(REPLACE "|" ";" arguments "${ARGUMENTS}")
set(as_user "")
if(READ_ONLY)
  file(REMOVE_RECURSE ${READ_ONLY})
  file(MAKE_DIRECTORY ${READ_ONLY})
  # Its parent must let nobody through (tests/CMakeLists.txt puts it under /tmp).
  get_filename_component(parent ${READ_ONLY} DIRECTORY)
  file(CHMOD ${parent} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                   WORLD_READ WORLD_EXECUTE)
  file(CHMOD ${READ_ONLY} PERMISSIONS OWNER_READ OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
                                     WORLD_EXECUTE)
  execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(uid STREQUAL "0")
    set(as_user setpriv --reuid=65534 --regid=65534 --clear-groups)
    # nobody must reach the program whatever the permissions of the folders above the build
    # (a CI checkout may be private): it runs a copy in a folder of its own under /tmp.
    string(MD5 tag "${PROGRAM}")
    set(private /tmp/typenet-as-nobody-${tag})
    file(REMOVE_RECURSE ${private})
    file(MAKE_DIRECTORY ${private})
    file(CHMOD ${private} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                                      GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
    file(COPY ${PROGRAM} DESTINATION ${private}
         FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                          WORLD_READ WORLD_EXECUTE)
    get_filename_component(name ${PROGRAM} NAME)
    set(PROGRAM ${private}/${name})
  endif()
endif()
execute_process(COMMAND ${as_user} ${PROGRAM} ${arguments} RESULT_VARIABLE status
                OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 20)
if(private)
  file(REMOVE_RECURSE ${private})
endif()
get_filename_component(name ${PROGRAM} NAME)
string(REPLACE ";" " " command "${name} ${arguments}")
if(NOT status STREQUAL STATUS)
  message(FATAL_ERROR "${command}: exit status ${status}, not ${STATUS}\nstdout:\n${out}\n"
                      "stderr:\n${err}")
endif()
if(STATUS EQUAL 0)
  set(text "${out}")
else()
  set(text "${err}")
  if(NOT out STREQUAL "" OR NOT err MATCHES "^[^\n]+\n$")
    message(FATAL_ERROR "${command}: not one line on stderr alone\nstdout:\n${out}\n"
                        "stderr:\n${err}")
  endif()
endif()
if(NOT text MATCHES "${PATTERN}")
  message(FATAL_ERROR "${command}: no match for '${PATTERN}' in:\n${text}")
endif()
