// Lazy libcurl: the curl_* entry points xuictl uses, defined here as
// forwarders that dlopen libcurl on the first call.
//
// Why: linking libcurl makes the dynamic loader map and relocate its whole
// dependency tree (~36 shared libraries: OpenSSL, nghttp2, libssh2, GSSAPI,
// LDAP, ...) before main() runs, which was most of the start-up time of every
// command. Commands that never touch the network (--help, completion,
// version --local, profile, audit) must not pay for that. The forwarders have
// libcurl's own names and signatures, so net/curl_transport.cpp is written
// against plain <curl/curl.h> and does not know about this file.
//
// A curl_* function that is used but not defined here is an undefined symbol
// at link time (libcurl is no longer linked): add it to XUICTL_CURL_FUNCTIONS
// and define its forwarder below.
//
// If libcurl cannot be loaded, every forwarder fails the way libcurl itself
// reports failure (nullptr handles, CURLE_FAILED_INIT, CURLM_BAD_HANDLE) and
// xuictl_curl_load_error() says why.

// curl's typecheck-gcc.h turns curl_easy_setopt() and friends into macros,
// which would clash with the definitions below.
#define CURL_DISABLE_TYPECHECK 1

#include "net/curl_loader.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <cstdio>

#ifndef XUICTL_CURL_SONAME
#define XUICTL_CURL_SONAME "libcurl.so.4"  // set by CMake from the libcurl it found
#endif

// Every libcurl function xuictl calls, resolved together on first use.
#define XUICTL_CURL_FUNCTIONS(X) \
    X(curl_global_init)          \
    X(curl_global_cleanup)       \
    X(curl_easy_init)            \
    X(curl_easy_cleanup)         \
    X(curl_easy_reset)           \
    X(curl_easy_setopt)          \
    X(curl_easy_getinfo)         \
    X(curl_easy_perform)         \
    X(curl_easy_strerror)        \
    X(curl_easy_pause)           \
    X(curl_slist_append)         \
    X(curl_slist_free_all)       \
    X(curl_multi_init)           \
    X(curl_multi_cleanup)        \
    X(curl_multi_add_handle)     \
    X(curl_multi_remove_handle)  \
    X(curl_multi_perform)        \
    X(curl_multi_poll)           \
    X(curl_multi_wakeup)         \
    X(curl_multi_wait)           \
    X(curl_multi_timeout)        \
    X(curl_multi_info_read)      \
    X(curl_multi_strerror)       \
    X(curl_multi_setopt)         \
    X(curl_version)              \
    X(curl_version_info)

namespace {

// The real functions, all or none: a libcurl without one of them (older than
// 7.68) counts as not loadable rather than failing later in the middle of a
// request.
struct CurlApi {
#define XUICTL_CURL_MEMBER(name) decltype(&::name) name = nullptr;
    XUICTL_CURL_FUNCTIONS(XUICTL_CURL_MEMBER)
#undef XUICTL_CURL_MEMBER
    bool loaded = false;
    char error[512] = {};
};

CurlApi load_curl() noexcept {
    CurlApi api;
    // RTLD_LAZY: the same binding a linked libcurl gets; RTLD_LOCAL: its
    // symbols must not interpose on anything else. Never dlclose'd: OpenSSL
    // registers exit handlers.
    void* lib = dlopen(XUICTL_CURL_SONAME, RTLD_LAZY | RTLD_LOCAL);
    if (lib == nullptr) {
        const char* why = dlerror();
        std::snprintf(api.error, sizeof api.error, "cannot load %s: %s", XUICTL_CURL_SONAME,
                      why != nullptr ? why : "unknown error");
        return api;
    }
#define XUICTL_CURL_RESOLVE(name)                                                      \
    api.name = reinterpret_cast<decltype(api.name)>(dlsym(lib, #name));                \
    if (api.name == nullptr) {                                                         \
        std::snprintf(api.error, sizeof api.error, "cannot load %s: no %s in it (%s)", \
                      XUICTL_CURL_SONAME, #name, "libcurl 7.68 or later is needed");   \
        return api;                                                                    \
    }
    XUICTL_CURL_FUNCTIONS(XUICTL_CURL_RESOLVE)
#undef XUICTL_CURL_RESOLVE
    api.loaded = true;
    return api;
}

// A function-local static: initialised exactly once, even when the first
// curl_* calls race on several threads.
const CurlApi& curl_api() noexcept {
    static const CurlApi api = load_curl();
    return api;
}

// The one variadic argument of curl_easy_setopt/curl_multi_setopt, read with
// the type its option number encodes (CURLOPTTYPE_* in curl.h) so it is passed
// on exactly as the caller passed it.
struct OptionValue {
    int type = -1;  // one of the CURLOPTTYPE_* bases, -1 if unknown
    long as_long = 0;
    void* as_pointer = nullptr;
    void (*as_function)() = nullptr;
    curl_off_t as_off_t = 0;
};

OptionValue read_option_value(int option, va_list args) {
    OptionValue value;
    value.type = option / 10000 * 10000;
    switch (value.type) {
        case CURLOPTTYPE_LONG:
            value.as_long = va_arg(args, long);
            break;
        case CURLOPTTYPE_OBJECTPOINT:
        case CURLOPTTYPE_BLOB:  // a struct curl_blob*
            value.as_pointer = va_arg(args, void*);
            break;
        case CURLOPTTYPE_FUNCTIONPOINT:
            value.as_function = va_arg(args, void (*)());
            break;
        case CURLOPTTYPE_OFF_T:
            value.as_off_t = va_arg(args, curl_off_t);
            break;
        default:
            value.type = -1;
            break;
    }
    return value;
}

// Calls the real setopt `fn` with the value in its own type; `unknown` when
// the option number has no known type.
template <typename Handle, typename Option, typename Code>
Code forward_option(Code (*fn)(Handle*, Option, ...), Handle* handle, Option option,
                    const OptionValue& value, Code unknown) {
    switch (value.type) {
        case CURLOPTTYPE_LONG:
            return fn(handle, option, value.as_long);
        case CURLOPTTYPE_OBJECTPOINT:
        case CURLOPTTYPE_BLOB:
            return fn(handle, option, value.as_pointer);
        case CURLOPTTYPE_FUNCTIONPOINT:
            return fn(handle, option, value.as_function);
        case CURLOPTTYPE_OFF_T:
            return fn(handle, option, value.as_off_t);
        default:
            return unknown;
    }
}

// What curl_version()/curl_version_info() report without a libcurl: callers
// may print or inspect these, and libcurl never returns nullptr from them.
// constinit: no static initialiser runs for them at start-up.
char g_unavailable_version[] = "libcurl unavailable";
const char* const g_no_protocols[] = {nullptr};

constexpr curl_version_info_data unavailable_info() {
    curl_version_info_data info{};
    info.age = CURLVERSION_NOW;
    info.version = g_unavailable_version;
    info.protocols = g_no_protocols;
    return info;
}
constinit curl_version_info_data g_unavailable_info = unavailable_info();

}  // namespace

// The signatures below are curl.h's, with an enum as the last named parameter
// before "...". Clang warns that va_start on a promotable type is undefined;
// these enums are int-sized and passed like int (libcurl's own definitions
// do the same).
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wvarargs"
#endif

extern "C" {

const char* xuictl_curl_load_error() noexcept {
    const CurlApi& api = curl_api();
    return api.loaded ? nullptr : api.error;
}

CURLcode curl_global_init(long flags) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_global_init(flags) : CURLE_FAILED_INIT;
}

void curl_global_cleanup() {
    const CurlApi& api = curl_api();
    if (api.loaded) {
        api.curl_global_cleanup();
    }
}

CURL* curl_easy_init() {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_easy_init() : nullptr;
}

void curl_easy_cleanup(CURL* curl) {
    const CurlApi& api = curl_api();
    if (api.loaded) {
        api.curl_easy_cleanup(curl);
    }
}

void curl_easy_reset(CURL* curl) {
    const CurlApi& api = curl_api();
    if (api.loaded) {
        api.curl_easy_reset(curl);
    }
}

CURLcode curl_easy_setopt(CURL* curl, CURLoption option, ...) {
    va_list args;
    va_start(args, option);
    const OptionValue value = read_option_value(static_cast<int>(option), args);
    va_end(args);
    const CurlApi& api = curl_api();
    if (!api.loaded) {
        return CURLE_FAILED_INIT;
    }
    return forward_option(api.curl_easy_setopt, curl, option, value, CURLE_UNKNOWN_OPTION);
}

CURLcode curl_easy_getinfo(CURL* curl, CURLINFO info, ...) {
    // Every CURLINFO_* takes a pointer to where the answer goes.
    va_list args;
    va_start(args, info);
    void* out = va_arg(args, void*);
    va_end(args);
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_easy_getinfo(curl, info, out) : CURLE_FAILED_INIT;
}

CURLcode curl_easy_perform(CURL* curl) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_easy_perform(curl) : CURLE_FAILED_INIT;
}

const char* curl_easy_strerror(CURLcode code) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_easy_strerror(code) : api.error;
}

CURLcode curl_easy_pause(CURL* curl, int bitmask) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_easy_pause(curl, bitmask) : CURLE_FAILED_INIT;
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_slist_append(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
    const CurlApi& api = curl_api();
    if (api.loaded) {
        api.curl_slist_free_all(list);
    }
}

CURLM* curl_multi_init() {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_init() : nullptr;
}

CURLMcode curl_multi_cleanup(CURLM* multi) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_cleanup(multi) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_add_handle(CURLM* multi, CURL* curl) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_add_handle(multi, curl) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_remove_handle(CURLM* multi, CURL* curl) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_remove_handle(multi, curl) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_perform(CURLM* multi, int* running_handles) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_perform(multi, running_handles) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_poll(CURLM* multi, curl_waitfd extra_fds[], unsigned int extra_nfds,
                          int timeout_ms, int* ret) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_poll(multi, extra_fds, extra_nfds, timeout_ms, ret)
                      : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_wakeup(CURLM* multi) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_wakeup(multi) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_wait(CURLM* multi, curl_waitfd extra_fds[], unsigned int extra_nfds,
                          int timeout_ms, int* ret) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_wait(multi, extra_fds, extra_nfds, timeout_ms, ret)
                      : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_timeout(CURLM* multi, long* milliseconds) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_timeout(multi, milliseconds) : CURLM_BAD_HANDLE;
}

CURLMsg* curl_multi_info_read(CURLM* multi, int* msgs_in_queue) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_info_read(multi, msgs_in_queue) : nullptr;
}

const char* curl_multi_strerror(CURLMcode code) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_multi_strerror(code) : api.error;
}

CURLMcode curl_multi_setopt(CURLM* multi, CURLMoption option, ...) {
    va_list args;
    va_start(args, option);
    const OptionValue value = read_option_value(static_cast<int>(option), args);
    va_end(args);
    const CurlApi& api = curl_api();
    if (!api.loaded) {
        return CURLM_BAD_HANDLE;
    }
    return forward_option(api.curl_multi_setopt, multi, option, value, CURLM_UNKNOWN_OPTION);
}

char* curl_version() {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_version() : g_unavailable_version;
}

curl_version_info_data* curl_version_info(CURLversion age) {
    const CurlApi& api = curl_api();
    return api.loaded ? api.curl_version_info(age) : &g_unavailable_info;
}

}  // extern "C"
