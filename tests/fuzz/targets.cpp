#include "fuzz/targets.hpp"

#include <string>
#include <string_view>

#include "json/reader.hpp"
#include "model/decode.hpp"
#include "model/usage.hpp"
#include "net/url.hpp"
#include "panel/session.hpp"

namespace xuictl::fuzz {
namespace {

std::string_view text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Runs a decoder on the envelope's obj the way PanelApi does.
template <typename Decode>
void through_envelope(const uint8_t* data, size_t size, Decode decode) {
    HttpResponse response;
    response.status = 200;
    response.body = std::string(text(data, size));
    auto doc = decode_envelope(response, "fuzz", "fuzz");
    if (!doc) {
        return;
    }
    const auto& root = doc.value();
    if (!root.IsObject() || !root.HasMember("obj")) {
        return;
    }
    decode(root["obj"]);
}

}  // namespace

void inbound_list(const uint8_t* data, size_t size) {
    through_envelope(data, size, [](const rapidjson::Value& obj) {
        auto inbounds = decode_inbound_list(obj, "obj");
        if (inbounds) {
            // Exercise the joins and predicates the commands run next.
            auto usage = client_usage(*inbounds);
            const auto rule = depleted_rule_from_list(*inbounds);
            for (const auto& c : usage) {
                (void)is_depleted(c, rule, 0);
                (void)c.percent();
            }
        }
    });
}

void client_traffic(const uint8_t* data, size_t size) {
    through_envelope(data, size, [](const rapidjson::Value& obj) {
        (void)decode_client_traffic(obj, "obj");
    });
}

void server_status(const uint8_t* data, size_t size) {
    through_envelope(data, size, [](const rapidjson::Value& obj) {
        (void)decode_server_status(obj, "obj");
    });
}

void panel_url(const uint8_t* data, size_t size) {
    const std::string_view input = text(data, size);
    const auto newline = input.find('\n');
    auto url = PanelUrl::parse(input.substr(0, newline));
    const std::string_view rest = newline == std::string_view::npos ? "" : input.substr(newline + 1);
    (void)encode_path_segment(rest);
    (void)encode_form_value(rest);
    if (url) {
        const std::string joined = url->join(rest);
        (void)url->base_url();
        (void)url->origin();
        (void)joined;
    }
}

}  // namespace xuictl::fuzz
