#pragma once

#include <array>
#include <string_view>

namespace xuictl {

// One shell's completion script, as the file in completions/ reads.
struct EmbeddedCompletion {
    std::string_view shell;   // bash | zsh | fish
    std::string_view script;  // the whole file
};

// The files in completions/ (the one source of truth), embedded into the
// binary at build time by cmake/embed_completions.cmake.
extern const std::array<EmbeddedCompletion, 3> kEmbeddedCompletions;

}  // namespace xuictl
