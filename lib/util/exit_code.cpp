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
        // The machine's own state directory failed (full, read-only): not the
        // operator's flags, so 1, not 2.
        case ErrorKind::local: return exit_code::failure;
    }
    return exit_code::failure;
}

}  // namespace xuictl
