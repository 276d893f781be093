#include "util/exit_code.hpp"

namespace xuictl {

int exit_code_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::usage:
            return exit_code::usage;
        case ErrorKind::cancelled:
            return exit_code::not_confirmed;
        case ErrorKind::auth:
            return exit_code::auth;
        case ErrorKind::not_found:
            return exit_code::not_found;
        case ErrorKind::unsupported:
            return exit_code::unsupported;
        case ErrorKind::partial:
            return exit_code::partial;
        // A bad config file is a usage problem for the operator to fix.
        case ErrorKind::config:
            return exit_code::usage;
        // An unwritable or full state, cache or config directory is a
        // failure of this machine, not of the command line.
        case ErrorKind::local:
        case ErrorKind::network:
        case ErrorKind::timeout:
        case ErrorKind::tls:
        case ErrorKind::http:
        case ErrorKind::api:
        case ErrorKind::verify:
        // A local database that cannot be written stops the command before
        // any panel write: a failure of this run, not a usage problem.
        case ErrorKind::storage:
            return exit_code::failure;
    }
    return exit_code::failure;
}

int fleet_exit_code(size_t panels, size_t failed, int first_failure) {
    if (failed == 0) {
        return exit_code::success;
    }
    return failed == panels ? first_failure : exit_code::partial;
}

int fleet_write_exit_code(size_t ok, size_t not_ok, bool interrupted) {
    if (interrupted) {
        return exit_code::not_confirmed;  // as one panel's write cut short
    }
    if (not_ok == 0) {
        return exit_code::success;
    }
    return ok > 0 ? exit_code::partial : exit_code::failure;
}

int fleet_monitor_exit_code(int level, size_t panels, size_t failed, int first_failure) {
    if (failed == panels && failed > 0) {
        return first_failure;
    }
    if (level != exit_code::success) {
        return level;
    }
    return fleet_exit_code(panels, failed, first_failure);
}

}  // namespace xuictl
