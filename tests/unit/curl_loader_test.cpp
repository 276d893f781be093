#include <curl/curl.h>
#include <catch2/catch.hpp>

#include <string>

#include "net/curl_loader.hpp"

// net/curl_loader.cpp stands in for libcurl at link time: these check that
// the real library loads and that each kind of variadic argument reaches it
// with its own type.

namespace {
size_t discard(char*, size_t size, size_t count, void*) {
    return size * count;
}
}  // namespace

TEST_CASE("libcurl is loaded on first use", "[unit][curl]") {
    REQUIRE(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK);
    CHECK(xuictl_curl_load_error() == nullptr);
    CHECK(std::string(curl_version()).rfind("libcurl/", 0) == 0);
    CHECK(curl_version_info(CURLVERSION_NOW)->version_num >= 0x074400);  // 7.68.0
    CHECK(std::string(curl_easy_strerror(CURLE_OK)) == "No error");
}

TEST_CASE("curl_easy_setopt forwards each option type", "[unit][curl]") {
    CURL* h = curl_easy_init();
    REQUIRE(h != nullptr);
    CHECK(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK);                        // long
    CHECK(curl_easy_setopt(h, CURLOPT_URL, "http://127.0.0.1:1/") == CURLE_OK);          // pointer
    CHECK(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard) == CURLE_OK);              // function
    CHECK(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t{3}) == CURLE_OK);  // off_t
    curl_blob blob{};
    const CURLcode blob_code = curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);  // blob
    CHECK((blob_code == CURLE_OK || blob_code == CURLE_NOT_BUILT_IN));
    // A pointer makes the round trip through libcurl unchanged.
    int marker = 0;
    CHECK(curl_easy_setopt(h, CURLOPT_PRIVATE, &marker) == CURLE_OK);
    void* back = nullptr;
    CHECK(curl_easy_getinfo(h, CURLINFO_PRIVATE, &back) == CURLE_OK);
    CHECK(back == &marker);
    curl_easy_reset(h);
    long code = -1;
    CHECK(curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK);
    CHECK(code == 0);
    curl_easy_cleanup(h);
}

TEST_CASE("curl_multi_* forward to libcurl", "[unit][curl]") {
    CURLM* multi = curl_multi_init();
    REQUIRE(multi != nullptr);
    CHECK(curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 4L) == CURLM_OK);
    CHECK(curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, nullptr) == CURLM_OK);
    long timeout = 0;
    CHECK(curl_multi_timeout(multi, &timeout) == CURLM_OK);
    int running = -1;
    CHECK(curl_multi_perform(multi, &running) == CURLM_OK);
    CHECK(running == 0);
    int queued = -1;
    CHECK(curl_multi_info_read(multi, &queued) == nullptr);
    CHECK(std::string(curl_multi_strerror(CURLM_OK)) == "No error");
    CHECK(curl_multi_cleanup(multi) == CURLM_OK);
    curl_slist* list = curl_slist_append(nullptr, "Expect:");
    CHECK(list != nullptr);
    curl_slist_free_all(list);
}
