#include "util/error.hpp"

namespace xuictl {

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::usage: return "usage";
        case ErrorKind::config: return "config";
        case ErrorKind::local: return "local";
        case ErrorKind::network: return "network";
        case ErrorKind::timeout: return "timeout";
        case ErrorKind::tls: return "tls";
        case ErrorKind::http: return "http";
        case ErrorKind::api: return "api";
        case ErrorKind::auth: return "auth";
        case ErrorKind::not_found: return "not_found";
        case ErrorKind::unsupported: return "unsupported";
        case ErrorKind::cancelled: return "cancelled";
        case ErrorKind::partial: return "partial";
        case ErrorKind::verify: return "verify";
        case ErrorKind::storage: return "storage";
    }
    return "unknown";
}

}  // namespace xuictl
