# Writes OUTPUT, a C++ file defining xuictl::kEmbeddedCompletions from the
# completion scripts BASH, ZSH and FISH (app/commands/completion_scripts.hpp).
# Run as: cmake -DOUTPUT=... -DBASH=... -DZSH=... -DFISH=... -P embed_completions.cmake
set(delimiter "xuictl_embedded")
set(body "")
foreach(pair "bash;${BASH}" "zsh;${ZSH}" "fish;${FISH}")
  list(GET pair 0 shell)
  list(GET pair 1 file)
  file(READ "${file}" content)
  string(FIND "${content}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw string delimiter )${delimiter}\"")
  endif()
  string(APPEND body "    EmbeddedCompletion{\"${shell}\", R\"${delimiter}(${content})${delimiter}\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from completions/ by cmake/embed_completions.cmake. Do not edit.\n"
  "#include \"commands/completion_scripts.hpp\"\n\n"
  "namespace xuictl {\n\n"
  "const std::array<EmbeddedCompletion, 3> kEmbeddedCompletions{\n${body}};\n\n"
  "}  // namespace xuictl\n")
# Rewrite only on change, so an unrelated reconfigure does not rebuild the CLI.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
