# Fails unless `mandoc -Tlint PAGE` prints nothing: no error, warning or style
# message. Run as: cmake -DMANDOC=... -DPAGE=... -P check_man_lint.cmake
if(NOT MANDOC)
  message(FATAL_ERROR "mandoc not found; scripts/install-deps installs it")
endif()
execute_process(COMMAND "${MANDOC}" -Tlint "${PAGE}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT status EQUAL 0 OR NOT out STREQUAL "")
  message(FATAL_ERROR "mandoc -Tlint ${PAGE} (exit ${status}):\n${out}")
endif()
message(STATUS "mandoc -Tlint: ${PAGE} is clean")
