#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/inbound.hpp"

namespace xuictl {

// What live shell completion offers: inbound ids with their remarks, and the
// client emails of each inbound. Holds no secrets (no URL, user or password).
struct CompletionListing {
    struct InboundEntry {
        int id = 0;
        std::string remark;
    };
    struct EmailEntry {
        int inbound_id = 0;
        std::string email;
    };
    std::vector<InboundEntry> inbounds;  // panel order
    std::vector<EmailEntry> emails;      // inbound order, then settings order
};

// How long a cached listing answers TABs before the panel is asked again.
inline constexpr int64_t kCompletionCacheTtlMs = 60'000;

// The listing of an inbound list; tabs and line breaks in remarks and emails
// become spaces so every value stays on one TSV field.
CompletionListing completion_listing(const std::vector<Inbound>& inbounds);

// The cache file's text: a header line "#xuictl-completion 1 <fetched_ms>",
// then "i\t<id>\t<remark>" and "e\t<inbound id>\t<email>" lines.
std::string encode_completion_listing(const CompletionListing& listing, int64_t fetched_ms);

// The listing in text, or nullopt when the text is not a cache file of this
// format, or was fetched more than max_age_ms before now_ms (or after it:
// a clock that went back must not keep a listing alive).
std::optional<CompletionListing> decode_completion_listing(std::string_view text, int64_t now_ms,
                                                           int64_t max_age_ms);

// <cache_dir>/completion (cache_dir from paths.hpp): the listings' directory.
std::string completion_cache_dir(std::string_view cache_dir);

// The listing file of one panel: <dir>/<16 hex digits>.tsv, named by a hash
// of the canonical base URL so the name does not reveal the secret web base
// path.
std::string completion_cache_file(std::string_view dir, std::string_view base_url);

}  // namespace xuictl
