#include "control.hpp"

#include <rapidjson/document.h>

#include <string>
#include <utility>
#include <vector>

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

// The counters of one client, set directly (traffic that "flowed", or a
// reset the panel did by itself): what usage-history tests script.
Reply set_traffic(Db& db, const httplib::Request& req) {
    Binding body(req, Binding::Mode::json_only, "traffic");
    const std::string email = body.str("email");
    const std::int64_t up = body.i64("up");
    const std::int64_t down = body.i64("down");
    if (body.failed()) {
        return error_reply(400, body.error());
    }
    if (up < 0 || down < 0) {
        return error_reply(400, "up and down must be >= 0");
    }
    if (db.traffic_by_email(email) == nullptr) {
        return error_reply(404, "no traffic row with that email");
    }
    db.update_client_traffic(email, up, down);
    return ok_reply();
}

// Traffic for many clients at once (benchmarks): adds up/down to every
// `every`-th traffic row (row-id order), starting at `offset`.
Reply add_traffic(Db& db, const httplib::Request& req) {
    Binding body(req, Binding::Mode::json_only, "traffic-flow");
    const std::int64_t every = body.i64("every");
    const std::int64_t offset = body.i64("offset");
    const std::int64_t up = body.i64("up");
    const std::int64_t down = body.i64("down");
    if (body.failed()) {
        return error_reply(400, body.error());
    }
    if (every < 1 || offset < 0 || up < 0 || down < 0) {
        return error_reply(400, "every must be >= 1; offset, up and down >= 0");
    }
    std::int64_t i = 0;
    std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> changes;
    for (const auto& [id, row] : db.traffic_rows()) {
        if (i++ % every == offset % every) {
            changes.push_back({row.email, {row.up + up, row.down + down}});
        }
    }
    for (const auto& [email, counters] : changes) {
        db.update_client_traffic(email, counters.first, counters.second);
    }
    return ok_reply();
}

// Sets what a test needs on one client: shared inbounds, renewal and cycle
// fields, limits and counters. Client and traffic row are kept in step.
Reply edit_client(Db& db, const httplib::Request& req) {
    Binding body(req, Binding::Mode::json_only, "client");
    const std::string email = body.str("email");
    const auto attach = body.int_list("attach");
    if (body.failed()) {
        return error_reply(400, body.error());
    }
    Client* c = db.client_for_edit(email);
    TrafficRow* row = db.traffic_for_edit(email);
    if (c == nullptr) {
        return error_reply(404, "no such client");
    }
    for (int id : attach) {
        if (const OpStatus s = db.attach_client(email, id); !s.ok()) {
            return error_reply(400, s.error);
        }
    }
    const auto int_field = [&body](const char* key, auto apply) {
        if (const rapidjson::Value* v = body.member(key); v != nullptr && v->IsInt64()) {
            apply(v->GetInt64());
        }
    };
    int_field("reset", [&](std::int64_t v) {
        c->reset = static_cast<int>(v);
        if (row != nullptr) {
            row->reset = c->reset;
        }
    });
    int_field("resetDay", [&](std::int64_t v) {
        c->reset_day = static_cast<int>(v);
        if (row != nullptr) {
            row->reset_day = c->reset_day;
        }
    });
    int_field("resetMax", [&](std::int64_t v) {
        c->reset_max = static_cast<int>(v);
        if (row != nullptr) {
            row->reset_max = c->reset_max;
        }
    });
    int_field("resetCount", [&](std::int64_t v) {
        if (row != nullptr) {
            row->reset_count = static_cast<int>(v);
        }
    });
    int_field("trafficResetDay",
              [&](std::int64_t v) { c->traffic_reset_day = static_cast<int>(v); });
    int_field("expiryTime", [&](std::int64_t v) {
        c->expiry_time = v;
        if (row != nullptr) {
            row->expiry_time = v;
        }
    });
    int_field("total", [&](std::int64_t v) {
        c->total_gb = v;
        if (row != nullptr) {
            row->total = v;
        }
    });
    int_field("up", [&](std::int64_t v) {
        if (row != nullptr) {
            row->up = v;
        }
    });
    int_field("down", [&](std::int64_t v) {
        if (row != nullptr) {
            row->down = v;
        }
    });
    if (const rapidjson::Value* v = body.member("trafficReset"); v != nullptr && v->IsString()) {
        c->traffic_reset = v->GetString();
    }
    return ok_reply();
}

// Makes one inbound look like a protocol the emulator does not model, or
// like one a master hosts on a node, or moves it to another port.
Reply edit_inbound(Db& db, const httplib::Request& req) {
    Binding body(req, Binding::Mode::json_only, "inbound");
    const int id = body.i32("id");
    if (body.failed()) {
        return error_reply(400, body.error());
    }
    Inbound* ib = db.inbound_for_edit(id);
    if (ib == nullptr) {
        return error_reply(404, "no such inbound");
    }
    if (const rapidjson::Value* v = body.member("protocol"); v != nullptr && v->IsString()) {
        ib->protocol_override = v->GetString();
    }
    if (const rapidjson::Value* v = body.member("nodeId"); v != nullptr && v->IsInt()) {
        ib->node_id = v->GetInt();
    }
    // Another inbound taking a port (a re-created inbound's port clash).
    if (const rapidjson::Value* v = body.member("port"); v != nullptr && v->IsInt()) {
        ib->port = v->GetInt();
    }
    return ok_reply();
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
    if (post && name == "inbound") {
        return edit_inbound(deps.db, req);
    }
    if (post && name == "client") {
        return edit_client(deps.db, req);
    }
    if (post && name == "reset-log") {
        deps.log.clear();
        return ok_reply();
    }
    if (post && name == "traffic") {
        return set_traffic(deps.db, req);
    }
    if (post && name == "traffic-flow") {
        return add_traffic(deps.db, req);
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
