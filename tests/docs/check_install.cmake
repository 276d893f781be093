# Installs the build into a scratch prefix and checks that every installed
# file is there, that the installed binary runs, and that the installed
# completion scripts are exactly what `xuictl completion SHELL` prints.
# Run as: cmake -DBUILD_DIR=... -DPREFIX=... -DVERSION=... -DBINDIR=... -DMANDIR=...
#               -DDATADIR=... -P check_install.cmake   (dirs relative, as GNUInstallDirs)
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${status}):\n${out}")
endif()

set(bin "${PREFIX}/${BINDIR}/xuictl")
set(expected
  "${bin}"
  "${PREFIX}/${MANDIR}/man1/xuictl.1"
  "${PREFIX}/${DATADIR}/bash-completion/completions/xuictl"
  "${PREFIX}/${DATADIR}/zsh/site-functions/_xuictl"
  "${PREFIX}/${DATADIR}/fish/vendor_completions.d/xuictl.fish")
foreach(path IN LISTS expected)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "not installed: ${path}")
  endif()
endforeach()

execute_process(COMMAND "${bin}" --version
  RESULT_VARIABLE status OUTPUT_VARIABLE version ERROR_VARIABLE err)
string(STRIP "${version}" version)
if(NOT status EQUAL 0 OR NOT version STREQUAL VERSION)
  message(FATAL_ERROR "installed xuictl --version: exit ${status}, '${version}' (want '${VERSION}') ${err}")
endif()

foreach(pair "bash;bash-completion/completions/xuictl" "zsh;zsh/site-functions/_xuictl"
             "fish;fish/vendor_completions.d/xuictl.fish")
  list(GET pair 0 shell)
  list(GET pair 1 relative)
  execute_process(COMMAND "${bin}" completion ${shell}
    RESULT_VARIABLE status OUTPUT_VARIABLE printed)
  file(READ "${PREFIX}/${DATADIR}/${relative}" installed)
  if(NOT status EQUAL 0 OR NOT printed STREQUAL installed)
    message(FATAL_ERROR "xuictl completion ${shell} differs from the installed ${relative}")
  endif()
endforeach()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "install: ${version}, man page and three completion scripts installed")
