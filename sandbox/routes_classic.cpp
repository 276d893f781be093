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
