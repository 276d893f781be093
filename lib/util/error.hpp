#pragma once

#include <string>

namespace xuictl {

// What went wrong, in the categories an operator (and a script reading the
// exit code) cares about. The mapping to exit codes lives in exit_code.cpp.
enum class ErrorKind {
    usage,        // bad flag or argument
    config,       // bad configuration file, missing URL, unreadable file
    local,        // a local file or directory cannot be written (permissions, full disk)
    network,      // DNS, refused, reset
    timeout,      // connect or total timeout
    tls,          // certificate or handshake
    http,         // unexpected HTTP status
    api,          // the panel answered success:false, or JSON we cannot read
    auth,         // credentials, 2FA, lockout, expired token
    not_found,    // inbound id or client email
    unsupported,  // panel version or API shape not recognised
    cancelled,    // not confirmed, interrupted
    partial,      // some targets changed, some did not
    verify,       // write acknowledged but the re-read disagrees
    storage,      // the local database cannot be opened, read or written
};

// One error: a kind, a one-line message, and optional context.
// `where` is the request that failed ("POST /panel/api/inbounds/list: HTTP 500"),
// `hint` one line of advice ("check --url: a wrong base path looks like 404").
struct Error {
    ErrorKind kind = ErrorKind::api;
    std::string message;
    std::string where;
    std::string hint;
    long http_status = 0;  // the panel's HTTP status behind an http Error; 0 when none
    // A write got no clear answer (none at all, a timeout, a 5xx, an HTML
    // page, a body that is not an envelope): the panel may have applied it.
    // Set by Session for every method but GET; a success:false is clear.
    bool answer_lost = false;
};

// Short human name of a kind ("network", "auth", ...), used in JSON errors.
const char* to_string(ErrorKind kind);

}  // namespace xuictl
