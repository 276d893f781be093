#include "control.hpp"

#include <rapidjson/document.h>

#include "json_out.hpp"
#include "request_body.hpp"
#include "totp.hpp"

namespace sandbox {

namespace {

Reply ok_reply() {
    return Reply::json(R"({"ok":true})");
}

Reply error_reply(int status, std::string_view message) {
    return Reply::json(to_json([message](JsonWriter& w) {
                           w.StartObject();
                           put_field(w, "error", message);
                           w.EndObject();
                       }),
                       status);
}

Reply list_faults(const FaultTable& faults) {
    return Reply::json(to_json([&faults](JsonWriter& w) {
        w.StartObject();
        w.Key("ok");
        w.Bool(true);
        w.Key("faults");
        w.StartArray();
        for (const auto& f : faults.rules()) {
            w.StartObject();
            put_field(w, "mode", f.mode);
            put_field(w, "path", f.path);
            w.Key("count");
            w.Int(f.count);
            w.Key("delay_ms");
            w.Int(f.delay_ms);
            put_field(w, "email", f.email);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }));
}

Reply set_fault(FaultTable& faults, const httplib::Request& req) {
    Binding body(req, Binding::Mode::json_only, "fault");
    FaultSpec spec;
    spec.mode = body.str("mode");
    spec.path = body.str("path");
    spec.count = body.i32("count");
    if (body.member("email") != nullptr) {
        spec.email = body.str("email");
    }
    const int delay = body.i32("delay_ms");
    if (body.failed()) {
        return error_reply(400, body.error());
    }
    if (!is_fault_mode(spec.mode)) {
        return error_reply(400, "unknown fault mode");
    }
    if (spec.count < 0 || delay < 0) {
        return error_reply(400, "count and delay_ms must be >= 0");
    }
    if (body.member("delay_ms") != nullptr) {
        spec.delay_ms = delay;
    }
    faults.set(spec);
    return list_faults(faults);
}

}  // namespace

Reply handle_control(ControlDeps& deps, const httplib::Request& req, std::string_view path,
                     std::int64_t now) {
    const std::string_view name = path.substr(std::string_view("/__sandbox/").size());
    const bool get = req.method == "GET";
    const bool post = req.method == "POST";
    if (get && name == "state") {
        return Reply::json(to_json([&](JsonWriter& w) { write_state(w, deps.db, now); },
                                   deps.db.client_count() * 256 + 1024));
    }
    if (get && name == "requests") {
        return Reply::json(deps.log.to_json_array());
    }
    if (post && name == "expire-sessions") {
        deps.sessions.clear();
        return ok_reply();
    }
    if (get && name == "totp") {
        if (!deps.creds.totp_key) {
            return error_reply(404, "2FA is not enabled");
        }
        const std::string code = totp_code(*deps.creds.totp_key, now / 1000);
        return Reply::json(R"({"code":")" + code + R"("})");
    }
    if (post && name == "reset-log") {
        deps.log.clear();
        return ok_reply();
    }
    if (name == "fault") {
        if (post) {
            return set_fault(deps.faults, req);
        }
        if (get) {
            return list_faults(deps.faults);
        }
    }
    return error_reply(404, "unknown control route");
}

}  // namespace sandbox
