#include "commands/completion_cache.hpp"

#include <fmt/format.h>
#include <charconv>

#include "model/usage.hpp"
#include "store/files.hpp"
#include "util/fnv1a.hpp"

namespace xuictl {
namespace {

constexpr std::string_view kHeader = "#xuictl-completion 1 ";

std::string one_field(std::string_view value) {
    std::string out(value);
    for (char& c : out) {
        if (c == '\t' || c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    return out;
}

template <typename Int>
std::optional<Int> parse_int(std::string_view text) {
    Int value{};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

CompletionListing completion_listing(const std::vector<Inbound>& inbounds) {
    CompletionListing listing;
    for (const auto& in : inbounds) {
        listing.inbounds.push_back({in.id, one_field(in.remark)});
    }
    for (const auto& c : client_usage(inbounds)) {
        listing.emails.push_back({c.inbound_id, one_field(c.email)});
    }
    return listing;
}

std::string encode_completion_listing(const CompletionListing& listing, int64_t fetched_ms) {
    std::string out = fmt::format("{}{}\n", kHeader, fetched_ms);
    for (const auto& in : listing.inbounds) {
        out += fmt::format("i\t{}\t{}\n", in.id, one_field(in.remark));
    }
    for (const auto& e : listing.emails) {
        out += fmt::format("e\t{}\t{}\n", e.inbound_id, one_field(e.email));
    }
    return out;
}

std::optional<CompletionListing> decode_completion_listing(std::string_view text, int64_t now_ms,
                                                           int64_t max_age_ms) {
    const auto header_end = text.find('\n');
    if (header_end == std::string_view::npos || text.substr(0, kHeader.size()) != kHeader) {
        return std::nullopt;
    }
    const auto fetched =
        parse_int<int64_t>(text.substr(kHeader.size(), header_end - kHeader.size()));
    if (!fetched || *fetched > now_ms || now_ms - *fetched >= max_age_ms) {
        return std::nullopt;
    }
    CompletionListing listing;
    text.remove_prefix(header_end + 1);
    while (!text.empty()) {
        const auto end = text.find('\n');
        if (end == std::string_view::npos) {
            return std::nullopt;  // a torn last line: not a file we wrote
        }
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        const auto tab1 = line.find('\t');
        const auto tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string_view::npos) {
            return std::nullopt;
        }
        const auto kind = line.substr(0, tab1);
        const auto id = parse_int<int>(line.substr(tab1 + 1, tab2 - tab1 - 1));
        const std::string value(line.substr(tab2 + 1));
        if (!id) {
            return std::nullopt;
        }
        if (kind == "i") {
            listing.inbounds.push_back({*id, value});
        } else if (kind == "e") {
            listing.emails.push_back({*id, value});
        } else {
            return std::nullopt;
        }
    }
    return listing;
}

std::string completion_cache_dir(std::string_view cache_dir) {
    return path_join(cache_dir, "completion");
}

std::string completion_cache_file(std::string_view dir, std::string_view base_url) {
    return path_join(dir, fmt::format("{:016x}.tsv", fnv1a(base_url)));
}

}  // namespace xuictl
