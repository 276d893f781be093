#pragma once

// libcurl is not linked into xuictl: net/curl_loader.cpp defines the curl_*
// functions xuictl calls and loads the real library on the first call. This
// header is the one thing the loader adds to libcurl's own API.

extern "C" {

// Why libcurl is unavailable: nullptr once it is loaded, otherwise a one-line
// message such as "cannot load libcurl.so.4: <dlerror text>". Loads libcurl
// if no curl_* call has tried yet. Thread-safe; the text lives as long as the
// process.
const char* xuictl_curl_load_error() noexcept;

}  // extern "C"
