#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_out.hpp"
#include "messages.hpp"
#include "op_status.hpp"

namespace sandbox {

// A complete HTTP answer produced by a route handler, before fault
// post-processing and before it is copied into the httplib response.
struct Reply {
    int status = 200;
    std::string body;
    std::string content_type;  // empty: no Content-Type header
    std::vector<std::pair<std::string, std::string>> headers;

    static Reply empty(int status);
    static Reply json(std::string body, int status = 200);
    static Reply html(std::string body, int status = 200);
    // gin c.Redirect / http.Redirect: GET and HEAD carry a tiny HTML body.
    static Reply redirect(int status, const std::string& location, bool with_body);
    // gin's 404: empty body from v2.8.11 (engine.NoRoute), "404 page not found" before (§2).
    static Reply not_found(PanelVersion version);
};

using ObjWriter = std::function<void(JsonWriter&)>;

// Serialises a value into a standalone JSON document (with a capacity hint).
[[nodiscard]] std::string to_json(const ObjWriter& write, std::size_t capacity_hint = 0);

// entity.Msg {success, msg, obj} with all three keys (§3.7).
[[nodiscard]] Reply envelope(bool success, std::string_view msg, const ObjWriter& obj = {},
                             std::size_t capacity_hint = 0, int status = 200);

// jsonMsgObj (controller/util.go): on error the message becomes
// `msg + " (" + err + ")"`, or `msg`, or somethingWentWrong; a panic is a bare 500.
[[nodiscard]] Reply json_msg(const Messages& messages, std::string_view msg, const OpStatus& status,
                             const ObjWriter& obj = {});

// jsonObj: success with an empty msg.
[[nodiscard]] Reply json_obj(const ObjWriter& obj, std::size_t capacity_hint = 0);

}  // namespace sandbox
