#include "util/exit_code.hpp"

namespace xuictl {

int exit_code_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::usage: return exit_code::usage;
        case ErrorKind::cancelled: return exit_code::not_confirmed;
        case ErrorKind::auth: return exit_code::auth;
        case ErrorKind::not_found: return exit_code::not_found;
        case ErrorKind::unsupported: return exit_code::unsupported;
        case ErrorKind::partial: return exit_code::partial;
        // A bad config file is a usage problem for the operator to fix.
        case ErrorKind::config: return exit_code::usage;
        case ErrorKind::network:
        case ErrorKind::timeout:
        case ErrorKind::tls:
        case ErrorKind::http:
        case ErrorKind::api:
        case ErrorKind::verify:
        // A local database that cannot be written stops the command before
        // any panel write: a failure of this run, not a usage problem.
        case ErrorKind::storage: return exit_code::failure;
    }
    return exit_code::failure;
}

}  // namespace xuictl
