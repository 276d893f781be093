// <base>panel/api/inbounds/* as in web/controller/inbound.go of v2.0.0 - v3.0.2 (§4.1).
#include <variant>

#include "json_out.hpp"
#include "request_body.hpp"
#include "routes.hpp"

namespace sandbox {

namespace {

const std::string k_prefix = "panel/api/inbounds/";

// addClient / updateClient body: a flat Inbound whose `settings` is a JSON
// *string* holding {"clients":[...]} (§4.2). Returns the inbound id and the
// decoded clients, or a reply to send as is.
struct ClientPayload {
    int inbound_id = 0;
    std::vector<Client> clients;
};

std::variant<ClientPayload, Reply> read_client_payload(const Services& s,
                                                       const RequestContext& ctx) {
    const Messages& m = s.msg;
    Binding body(ctx.req, Binding::Mode::should_bind, "model.Inbound");
    ClientPayload payload;
    payload.inbound_id = body.i32("id");
    const std::string settings = body.str("settings");
    if (body.failed()) {
        // Quirk (§3.7): the bind error is prefixed with the *success* text.
        return json_msg(m, m.inbound_update, OpStatus::fail(body.error()));
    }
    rapidjson::Document doc;
    if (auto err = parse_json_text(settings, doc)) {
        return json_msg(m, m.something_went_wrong, OpStatus::fail(*err));
    }
    const rapidjson::Value* clients = find_member(doc, "clients");
    if (clients == nullptr || !clients->IsArray()) {
        // settings["clients"].([]any) on a missing key is a type-assertion panic.
        return Reply::empty(500);
    }
    for (const auto& item : clients->GetArray()) {
        Client c;
        std::string err;
        if (!client_from_json(item, c, err)) {
            return json_msg(m, m.something_went_wrong, OpStatus::fail(err));
        }
        payload.clients.push_back(std::move(c));
    }
    return payload;
}

// inbounds/add body (§4.2): a flat model.Inbound, JSON or form; the JSON
// text columns are strings (a nested object fails to bind up to v3.0.2).
struct InboundPayload {
    Inbound inbound;
    std::vector<Client> clients;
    std::vector<TrafficRow> stats;
};

std::int64_t i64_member(const rapidjson::Value& object, const char* key) {
    const rapidjson::Value* v = find_member(object, key);
    return v != nullptr && v->IsInt64() ? v->GetInt64() : 0;
}

std::variant<InboundPayload, Reply> read_inbound_payload(const Services& s,
                                                         const RequestContext& ctx) {
    const Messages& m = s.msg;
    // The bind error carries the *create* text (v2.9.4 controller/inbound.go:146).
    const std::string_view bind_prefix = m.inbound_create;
    Binding body(ctx.req, Binding::Mode::should_bind, "model.Inbound");
    InboundPayload p;
    Inbound& ib = p.inbound;
    ib.id = body.i32("id");
    ib.up = body.i64("up");
    ib.down = body.i64("down");
    ib.total = body.i64("total");
    ib.all_time = body.i64("allTime");
    ib.remark = body.str("remark");
    ib.enable = body.boolean("enable");
    ib.expiry_time = body.i64("expiryTime");
    ib.traffic_reset = body.str("trafficReset");
    ib.last_traffic_reset_time = body.i64("lastTrafficResetTime");
    ib.listen = body.str("listen");
    ib.port = body.i32("port");
    const std::string protocol = body.str("protocol");
    const std::string settings = body.str("settings");
    ib.stream_settings = body.str("streamSettings");
    ib.tag = body.str("tag");
    ib.sniffing = body.str("sniffing");
    if (body.failed()) {
        return json_msg(m, bind_prefix, OpStatus::fail(body.error()));
    }
    if (ib.traffic_reset.empty()) {
        ib.traffic_reset = "never";  // gorm default:never (model.go:57)
    }
    ib.protocol = Protocol::vless;
    bool known = false;
    for (Protocol candidate :
         {Protocol::vless, Protocol::vmess, Protocol::trojan, Protocol::shadowsocks}) {
        if (protocol == protocol_name(candidate)) {
            ib.protocol = candidate;
            known = true;
        }
    }
    if (!known) {
        ib.protocol_override = protocol;
    }
    rapidjson::Document doc;
    if (auto err = parse_json_text(settings, doc)) {
        // GetClients: json.Unmarshal of the settings text.
        return json_msg(m, m.something_went_wrong, OpStatus::fail(*err));
    }
    if (const rapidjson::Value* clients = find_member(doc, "clients");
        clients != nullptr && clients->IsArray()) {
        for (const auto& item : clients->GetArray()) {
            Client c;
            std::string err;
            if (!client_from_json(item, c, err)) {
                return json_msg(m, m.something_went_wrong, OpStatus::fail(err));
            }
            p.clients.push_back(std::move(c));
        }
    }
    if (const rapidjson::Value* root = body.json_root()) {
        if (const rapidjson::Value* stats = find_member(*root, "clientStats");
            stats != nullptr && stats->IsArray()) {
            for (const auto& item : stats->GetArray()) {
                if (!item.IsObject()) {
                    continue;
                }
                TrafficRow row;
                const rapidjson::Value* email = find_member(item, "email");
                row.email = email != nullptr && email->IsString() ? email->GetString() : "";
                const rapidjson::Value* enable = find_member(item, "enable");
                row.enable = enable != nullptr && enable->IsBool() && enable->GetBool();
                row.up = i64_member(item, "up");
                row.down = i64_member(item, "down");
                row.all_time = i64_member(item, "allTime");
                row.total = i64_member(item, "total");
                row.expiry_time = i64_member(item, "expiryTime");
                row.reset = static_cast<int>(i64_member(item, "reset"));
                p.stats.push_back(std::move(row));
            }
        }
    }
    return p;
}

}  // namespace

void add_classic_routes(Router& r, Services& s) {
    const PanelVersion v = s.opts.version;
    const Messages& m = s.msg;
    Db& db = s.db;
    // Every handler below parses `:id` the same way: strconv.Atoi, the
    // failure prefixed with the key the controller uses for it.
    const auto with_id = [&m](std::string_view prefix, auto&& body) {
        return [&m, prefix, body](RequestContext& ctx) -> Reply {
            OpStatus err;
            const auto id = go_atoi(ctx.param("id"), err);
            if (!id) {
                return json_msg(m, prefix, err);
            }
            return body(ctx, *id);
        };
    };

    r.add("GET", k_prefix + "list", Guard::api, k_route_plain, [&db](RequestContext&) {
        return json_obj([&db](JsonWriter& w) { write_inbound_list(w, db, InboundView::classic); },
                        listing_capacity(db));
    });

    // The missing i18n key "get" renders as "" (§3.7); clientStats is null (§4.1).
    r.add("GET", k_prefix + "get/:id", Guard::api, k_route_plain,
          with_id("", [&m, &db](RequestContext&, int id) {
              const Inbound* ib = db.inbound(id);
              if (ib == nullptr) {
                  return json_msg(m, m.obtain, OpStatus::fail(std::string(k_record_not_found)));
              }
              return json_obj([&db, ib](JsonWriter& w) {
                  write_inbound(w, db, *ib, InboundView::classic, nullptr);
              });
          }));

    r.add("GET", k_prefix + "getClientTraffics/:email", Guard::api, k_route_plain,
          [&m, &db, v](RequestContext& ctx) {
              const std::string& email = ctx.param("email");
              const TrafficRow* row = db.traffic_by_email(email);
              if (row == nullptr) {
                  if (v <
                      PanelVersion{2, 8, 1}) {  // unknown email: obj null with success up to v2.8.0
                      return json_obj({});
                  }
                  return json_msg(
                      m, m.traffic_get_error,
                      OpStatus::fail(go_new_error("Inbound Not Found For Email:", email)));
              }
              const Client* c = db.client_by_email(email);
              // v2.8.1 - v2.8.11 report settings.clients[].enable, not the row's flag (§6.2).
              const bool settings_flag =
                  v <= PanelVersion{2, 8, 11} && v >= PanelVersion{2, 8, 1} && c != nullptr;
              const bool enable = settings_flag ? c->enable : row->enable;
              return json_obj([&db, row, settings_flag, enable](JsonWriter& w) {
                  write_traffic(w, db, *row, settings_flag ? &enable : nullptr);
              });
          });

    r.add("POST", k_prefix + "resetAllTraffics", Guard::api, k_route_write | k_route_reset,
          [&m, &db](RequestContext& ctx) {
              db.reset_all_inbound_traffics(ctx.now);  // §7.1: inbound counters only
              return json_msg(m, m.reset_all_traffic, OpStatus::success());
          });

    r.add("POST", k_prefix + "resetAllClientTraffics/:id", Guard::api,
          k_route_write | k_route_reset,
          with_id(m.inbound_update, [&m, &db](RequestContext& ctx, int id) {
              return service_reply(m, m.reset_all_client_traffic,
                                   db.reset_all_client_traffics(id, ctx.now));
          }));

    r.add("POST", k_prefix + ":id/resetClientTraffic/:email", Guard::api,
          k_route_write | k_route_reset,
          with_id(m.inbound_update, [&m, &db](RequestContext& ctx, int id) {
              return service_reply(m, m.reset_client_traffic,
                                   db.reset_client_traffic(id, ctx.param("email"), ctx.now));
          }));

    r.add("POST", k_prefix + "delDepletedClients/:id", Guard::api, k_route_write,
          with_id(m.inbound_update, [&m, &db](RequestContext& ctx, int id) {
              db.del_depleted_clients(id, ctx.now);
              return json_msg(m, m.del_depleted, OpStatus::success());
          }));

    if (v >= PanelVersion{2, 6, 3}) {
        r.add("POST", k_prefix + "updateClientTraffic/:email", Guard::api, k_route_write,
              [&m, &db](RequestContext& ctx) {
                  Binding body(ctx.req, Binding::Mode::json_only,
                               "controller.TrafficUpdateRequest");
                  const std::int64_t upload = body.i64("upload");
                  const std::int64_t download = body.i64("download");
                  if (body.failed()) {
                      return json_msg(m, m.inbound_update, OpStatus::fail(body.error()));
                  }
                  db.update_client_traffic(ctx.param("email"), upload, download);
                  return json_msg(m, m.client_update, OpStatus::success());
              });
    }

    if (v >= PanelVersion{3, 0, 2}) {
        r.add("POST", k_prefix + ":id/resetTraffic", Guard::api, k_route_write | k_route_reset,
              with_id(m.inbound_update, [&m, &db](RequestContext& ctx, int id) {
                  return service_reply(m, m.reset_inbound_traffic,
                                       db.reset_inbound_traffic(id, ctx.now));
              }));
    }

    r.add("POST", k_prefix + "onlines", Guard::api, k_route_plain,
          [&db](RequestContext&) { return onlines_reply(db); });
    if (v >= PanelVersion{2, 6, 8}) {
        r.add("POST", k_prefix + "lastOnline", Guard::api, k_route_plain,
              [&db](RequestContext&) { return last_online_reply(db); });
    }

    r.add("POST", k_prefix + ":id/delClient/:clientId", Guard::api, k_route_write,
          with_id(m.inbound_update, [&m, &db](RequestContext& ctx, int id) {
              return service_reply(m, m.client_delete, db.del_client(id, ctx.param("clientId")));
          }));

    // POST add (§4.1, §4.2; v2.9.4 web/controller/inbound.go:142-167,
    // web/service/inbound.go:223-330): the created inbound as obj. Up to
    // v2.5.x success and failure both carry pages.inbounds.create ("Create",
    // v2.5.8 controller/inbound.go:107); later a failure is somethingWentWrong.
    r.add(
        "POST", k_prefix + "add", Guard::api, k_route_write, [&s, &m, &db, v](RequestContext& ctx) {
            auto payload = read_inbound_payload(s, ctx);
            if (auto* reply = std::get_if<Reply>(&payload)) {
                return std::move(*reply);
            }
            auto& data = std::get<InboundPayload>(payload);
            int id = 0;
            const OpStatus status = db.add_inbound(std::move(data.inbound), std::move(data.clients),
                                                   std::move(data.stats), ctx.now, id);
            const bool translated = v >= PanelVersion{2, 6, 0};
            if (!status.ok()) {
                return json_msg(m,
                                translated ? std::string_view(m.something_went_wrong)
                                           : std::string_view(m.inbound_create),
                                status);
            }
            const Inbound* ib = db.inbound(id);
            return json_msg(m, m.inbound_create, status, [&db, ib](JsonWriter& w) {
                write_inbound(w, db, *ib, InboundView::classic, nullptr);
            });
        });

    r.add("POST", k_prefix + "addClient", Guard::api, k_route_write,
          [&s, &m, &db](RequestContext& ctx) {
              auto payload = read_client_payload(s, ctx);
              if (auto* reply = std::get_if<Reply>(&payload)) {
                  return std::move(*reply);
              }
              auto& data = std::get<ClientPayload>(payload);
              return service_reply(
                  m, m.client_add,
                  db.add_clients(data.inbound_id, std::move(data.clients), ctx.now));
          });

    // Only clients[0] is used (§4.1).
    r.add("POST", k_prefix + "updateClient/:clientId", Guard::api, k_route_write,
          [&s, &m, &db](RequestContext& ctx) {
              auto payload = read_client_payload(s, ctx);
              if (auto* reply = std::get_if<Reply>(&payload)) {
                  return std::move(*reply);
              }
              auto& data = std::get<ClientPayload>(payload);
              if (data.clients.empty()) {
                  return Reply::empty(500);  // clients[0] on an empty slice panics
              }
              return service_reply(m, m.client_update,
                                   db.update_client(data.inbound_id, ctx.param("clientId"),
                                                    std::move(data.clients.front()), ctx.now));
          });
}

}  // namespace sandbox
