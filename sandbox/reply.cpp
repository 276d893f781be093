#include "reply.hpp"

#include <rapidjson/stringbuffer.h>

namespace sandbox {

namespace {
constexpr std::string_view k_json_type = "application/json; charset=utf-8";
}  // namespace

Reply Reply::empty(int status) {
    Reply r;
    r.status = status;
    return r;
}

Reply Reply::json(std::string body, int status) {
    Reply r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::string(k_json_type);
    return r;
}

Reply Reply::html(std::string body, int status) {
    Reply r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = "text/html; charset=utf-8";
    return r;
}

Reply Reply::redirect(int status, const std::string& location, bool with_body) {
    Reply r;
    r.status = status;
    r.headers.emplace_back("Location", location);
    if (with_body) {
        const char* text = status == 301 ? "Moved Permanently" : "Temporary Redirect";
        r.body = "<a href=\"" + location + "\">" + text + "</a>.\n\n";
        r.content_type = "text/html; charset=utf-8";
    }
    return r;
}

Reply Reply::not_found(PanelVersion version) {
    if (version >= PanelVersion{2, 8, 11}) {
        return empty(404);
    }
    Reply r;
    r.status = 404;
    r.body = "404 page not found";
    r.content_type = "text/plain";
    return r;
}

std::string to_json(const ObjWriter& write, std::size_t capacity_hint) {
    rapidjson::StringBuffer buffer(nullptr, capacity_hint > 0 ? capacity_hint : 256);
    JsonWriter w(buffer);
    write(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

Reply envelope(bool success, std::string_view msg, const ObjWriter& obj, std::size_t capacity_hint,
               int status) {
    return Reply::json(to_json(
                           [&](JsonWriter& w) {
                               w.StartObject();
                               w.Key("success");
                               w.Bool(success);
                               put_field(w, "msg", msg);
                               w.Key("obj");
                               if (obj) {
                                   obj(w);
                               } else {
                                   w.Null();
                               }
                               w.EndObject();
                           },
                           capacity_hint),
                       status);
}

Reply json_msg(const Messages& messages, std::string_view msg, const OpStatus& status,
               const ObjWriter& obj) {
    switch (status.kind) {
        case OpStatus::Kind::ok:
            return envelope(true, msg, obj);
        case OpStatus::Kind::panic:
            return Reply::empty(500);  // gin Recovery
        case OpStatus::Kind::error:
            break;
    }
    if (!status.error.empty()) {
        return envelope(false, std::string(msg) + " (" + status.error + ")", obj);
    }
    return envelope(false, msg.empty() ? std::string_view(messages.something_went_wrong) : msg,
                    obj);
}

Reply json_obj(const ObjWriter& obj, std::size_t capacity_hint) {
    return envelope(true, "", obj, capacity_hint);
}

}  // namespace sandbox
