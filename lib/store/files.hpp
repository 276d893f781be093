#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace xuictl {

// Creates dir and its parents; dir itself ends up mode 0700 (parents are
// created 0700 too when missing). Files xuictl keeps hold panel names,
// emails and counters, which are nobody else's business.
Status ensure_private_dir(const std::string& dir);

// Writes content to path atomically and durably: a 0600 temp file in the same
// directory, fsync, rename over path, fsync of the directory. A crash or
// Ctrl-C leaves either the old file or the new one, never a torn one.
// `mode` is the final file's mode (umask does not apply); 0600 unless a
// reader runs as another user (node_exporter reads a textfile 0644).
Status write_file_atomic(const std::string& path, std::string_view content, unsigned mode = 0600);

// Reads a whole file; a missing file is a not_found Error.
Result<std::string> read_file(const std::string& path);

// Joins path parts with exactly one '/'.
std::string path_join(std::string_view a, std::string_view b);

}  // namespace xuictl
