// <base>panel/api/inbounds/* and <base>panel/api/clients/* of v3.1.0+
// (internal/web/controller/{inbound,client}.go, §5).
#include "json_out.hpp"
#include "request_body.hpp"
#include "routes.hpp"

namespace sandbox {

namespace {

const std::string k_inbounds = "panel/api/inbounds/";
const std::string k_clients = "panel/api/clients/";

void write_int_array(JsonWriter& w, const std::vector<int>& ids) {
    w.StartArray();
    for (int id : ids) {
        w.Int(id);
    }
    w.EndArray();
}

Reply list_inbounds(const Db& db, InboundView view) {
    return json_obj([&db, view](JsonWriter& w) { write_inbound_list(w, db, view); },
                    listing_capacity(db));
}

// clients/get/:email: a gin.H, so keys come out sorted (§12.13 for the per-version keys).
Reply get_client(const Services& s, const std::string& email) {
    const Db& db = s.db;
    const PanelVersion v = s.opts.version;
    const Client* c = db.client_by_email(email);
    if (c == nullptr) {
        // The prefix is "Obtain" from v3.6.0; before, the missing key "get" renders as "".
        return json_msg(
            s.msg, v >= PanelVersion{3, 6, 0} ? std::string_view(s.msg.obtain) : std::string_view(),
            OpStatus::fail(std::string(k_record_not_found)));
    }
    const TrafficRow* row = db.traffic_by_email(email);
    return json_obj([c, row, v](JsonWriter& w) {
        w.StartObject();
        w.Key("client");
        w.StartObject();
        write_client_record_members(w, *c, v);
        w.EndObject();
        if (v >= PanelVersion{3, 4, 0}) {
            w.Key("externalLinks");
            w.StartArray();
            w.EndArray();
        }
        w.Key("inboundIds");
        if (c->inbound_ids.empty()) {
            w.Null();
        } else {
            write_int_array(w, c->inbound_ids);
        }
        if (v >= PanelVersion{3, 3, 1}) {
            w.Key("usedTraffic");
            w.Int64(row != nullptr ? row->up + row->down : 0);
        }
        w.EndObject();
    });
}

// updateTraffic/:email and bulk bodies are bound with ShouldBindJSON;
// a bind failure is reported with the somethingWentWrong prefix.
Reply bind_failure(const Messages& m, const Binding& body) {
    return json_msg(m, m.something_went_wrong, OpStatus::fail(body.error()));
}

}  // namespace

void add_v3_routes(Router& r, Services& s) {
    const PanelVersion v = s.opts.version;
    const Messages& m = s.msg;
    Db& db = s.db;

    // ---- inbounds ---------------------------------------------------------------
    r.add("GET", k_inbounds + "list", Guard::api, k_route_plain,
          [&db](RequestContext&) { return list_inbounds(db, InboundView::nested); });
    r.add("GET", k_inbounds + "list/slim", Guard::api, k_route_plain,
          [&db](RequestContext&) { return list_inbounds(db, InboundView::slim); });

    r.add("GET", k_inbounds + "get/:id", Guard::api, k_route_plain,
          [&m, &db, v](RequestContext& ctx) {
              OpStatus err;
              const auto id = go_atoi(ctx.param("id"), err);
              if (!id) {
                  return json_msg(m, "", err);
              }
              const Inbound* ib = db.inbound(*id);
              if (ib == nullptr) {
                  return json_msg(m, m.obtain, OpStatus::fail(std::string(k_record_not_found)));
              }
              // §12.10: clientStats preloaded only from v3.2.5.
              return json_obj([&db, ib, v](JsonWriter& w) {
                  if (v < PanelVersion{3, 2, 5}) {
                      write_inbound(w, db, *ib, InboundView::nested, nullptr);
                      return;
                  }
                  const auto index = db.traffic_by_inbound();
                  static const std::vector<const TrafficRow*> none;
                  const auto it = index.find(ib->id);
                  write_inbound(w, db, *ib, InboundView::nested,
                                it == index.end() ? &none : &it->second);
              });
          });

    r.add("POST", k_inbounds + "resetAllTraffics", Guard::api, k_route_write | k_route_reset,
          [&m, &db](RequestContext& ctx) {
              db.reset_all_inbound_traffics(ctx.now);
              return json_msg(m, m.reset_all_traffic, OpStatus::success());
          });

    r.add("POST", k_inbounds + ":id/resetTraffic", Guard::api, k_route_write | k_route_reset,
          [&m, &db](RequestContext& ctx) {
              OpStatus err;
              const auto id = go_atoi(ctx.param("id"), err);
              if (!id) {
                  return json_msg(m, m.inbound_update, err);
              }
              return service_reply(m, m.reset_inbound_traffic,
                                   db.reset_inbound_traffic(*id, ctx.now));
          });

    // ---- clients ------------------------------------------------------------------
    r.add("GET", k_clients + "list", Guard::api, k_route_plain, [&db](RequestContext&) {
        return json_obj(
            [&db](JsonWriter& w) {
                w.StartArray();
                db.for_each_client(
                    [&w, &db](const Client& c) { write_client_with_attachments(w, db, c); });
                w.EndArray();
            },
            listing_capacity(db));
    });

    r.add("GET", k_clients + "get/:email", Guard::api, k_route_plain,
          [&s](RequestContext& ctx) { return get_client(s, ctx.param("email")); });

    r.add("GET", k_clients + "traffic/:email", Guard::api, k_route_plain,
          [&m, &db, v](RequestContext& ctx) {
              const std::string& email = ctx.param("email");
              const TrafficRow* row = db.traffic_by_email(email);
              if (row == nullptr) {
                  if (v >= PanelVersion{3, 2, 8}) {  // §12.4
                      return json_obj({});
                  }
                  return json_msg(
                      m, m.traffic_get_error,
                      OpStatus::fail(go_new_error("Inbound Not Found For Email:", email)));
              }
              return json_obj([&db, row](JsonWriter& w) { write_traffic(w, db, *row); });
          });

    r.add("POST", k_clients + "resetTraffic/:email", Guard::api, k_route_write | k_route_reset,
          [&m, &db](RequestContext& ctx) {
              return service_reply(m, m.reset_client_traffic,
                                   db.reset_traffic_by_email(ctx.param("email"), ctx.now));
          });

    r.add("POST", k_clients + "resetAllTraffics", Guard::api, k_route_write | k_route_reset,
          [&m, &db](RequestContext&) {
              db.reset_all_client_rows();  // §12.3: enable=true only from v3.6.0
              return json_msg(m, m.reset_all_client_traffic, OpStatus::success());
          });

    r.add("POST", k_clients + "delDepleted", Guard::api, k_route_write, [&db](RequestContext& ctx) {
        const int deleted =
            db.del_depleted_global(ctx.now);  // §7.1 HEAD: global, empty inbounds kept
        return json_obj([deleted](JsonWriter& w) {
            w.StartObject();
            w.Key("deleted");
            w.Int(deleted);
            w.EndObject();
        });
    });

    if (v >= PanelVersion{3, 2, 0}) {  // §12.1
        r.add("POST", k_clients + "bulkResetTraffic", Guard::api, k_route_write | k_route_reset,
              [&m, &db](RequestContext& ctx) {
                  Binding body(ctx.req, Binding::Mode::json_only, "controller.bulkResetRequest");
                  const auto emails = body.str_list("emails");
                  if (body.failed()) {
                      return bind_failure(m, body);
                  }
                  const BulkResetResult result = db.bulk_reset_traffic(emails, ctx.now);
                  if (!result.status.ok()) {
                      return json_msg(m, m.something_went_wrong, result.status);
                  }
                  return json_obj([&result](JsonWriter& w) {
                      w.StartObject();
                      w.Key("affected");
                      w.Int(result.affected);
                      w.EndObject();
                  });
              });

        r.add("POST", k_clients + "bulkDel", Guard::api, k_route_write,
              [&m, &db](RequestContext& ctx) {
                  Binding body(ctx.req, Binding::Mode::json_only, "controller.bulkDeleteRequest");
                  const auto emails = body.str_list("emails");
                  const bool keep_traffic = body.boolean("keepTraffic");
                  if (body.failed()) {
                      return bind_failure(m, body);
                  }
                  const BulkDeleteResult result = db.bulk_delete(emails, keep_traffic);
                  return json_obj([&result](JsonWriter& w) {
                      w.StartObject();
                      w.Key("deleted");
                      w.Int(result.deleted);
                      if (!result.skipped.empty()) {  // `skipped,omitempty`
                          w.Key("skipped");
                          w.StartArray();
                          for (const auto& [email, reason] : result.skipped) {
                              w.StartObject();
                              put_field(w, "email", email);
                              put_field(w, "reason", reason);
                              w.EndObject();
                          }
                          w.EndArray();
                      }
                      w.EndObject();
                  });
              });
    }

    r.add("POST", k_clients + "del/:email", Guard::api, k_route_write,
          [&m, &db](RequestContext& ctx) {
              const bool keep_traffic = query_value(ctx.req, "keepTraffic").value_or("") == "1";
              return service_reply(m, m.client_delete,
                                   db.delete_by_email(ctx.param("email"), keep_traffic));
          });

    r.add("POST", k_clients + "updateTraffic/:email", Guard::api, k_route_write,
          [&m, &db](RequestContext& ctx) {
              Binding body(ctx.req, Binding::Mode::json_only, "controller.trafficUpdateRequest");
              const std::int64_t upload = body.i64("upload");
              const std::int64_t download = body.i64("download");
              if (body.failed()) {
                  return bind_failure(m, body);
              }
              db.update_client_traffic(ctx.param("email"), upload, download);
              return json_msg(m, m.client_update, OpStatus::success());
          });

    r.add("POST", k_clients + "add", Guard::api, k_route_write, [&m, &db](RequestContext& ctx) {
        Binding body(ctx.req, Binding::Mode::json_only, "service.ClientCreatePayload");
        const auto inbound_ids = body.int_list("inboundIds");
        if (body.failed()) {
            return bind_failure(m, body);
        }
        Client client;
        std::string err;
        if (const rapidjson::Value* value = body.member("client");
            value != nullptr && !value->IsNull() && !client_from_json(*value, client, err)) {
            return json_msg(m, m.something_went_wrong, OpStatus::fail(err));
        }
        return service_reply(m, m.client_add,
                             db.create_client(std::move(client), inbound_ids, ctx.now));
    });

    // Full replacement, not a patch (§5.2).
    r.add("POST", k_clients + "update/:email", Guard::api, k_route_write,
          [&m, &db](RequestContext& ctx) {
              Binding body(ctx.req, Binding::Mode::json_only, "model.Client");
              Client client;
              std::string err;
              if (body.failed()) {
                  return bind_failure(m, body);
              }
              if (!client_from_json(*body.json_root(), client, err)) {
                  return json_msg(m, m.something_went_wrong, OpStatus::fail(err));
              }
              return service_reply(
                  m, m.client_update,
                  db.update_by_email(ctx.param("email"), std::move(client), ctx.now));
          });

    // ---- nodes (multi-panel, v3.1.0+: web/controller/node.go; at 02002dc1
    // internal/web/controller/node.go:29-48, NodeView in
    // internal/web/service/node_contract.go:12-55) -----------------------------
    r.add("GET", "panel/api/nodes/list", Guard::api, k_route_plain, [&s](RequestContext&) {
        const int count = s.opts.nodes;
        return json_obj([count, &s](JsonWriter& w) {
            w.StartArray();
            for (int i = 1; i <= count; ++i) {
                w.StartObject();
                w.Key("id");
                w.Int(i);
                put_field(w, "name", "node-" + std::to_string(i));
                put_field(w, "remark", i == 1 ? "Frankfurt" : "");
                put_field(w, "scheme", "https");
                put_field(w, "address", "node" + std::to_string(i) + ".example.test");
                w.Key("port");
                w.Int(2053);
                put_field(w, "basePath", "/");
                w.Key("hasApiToken");
                w.Bool(true);
                w.Key("enable");
                w.Bool(true);
                put_field(w, "status", i % 2 == 1 ? "online" : "offline");
                w.Key("lastHeartbeat");
                w.Int64(1'700'000'000);
                put_field(w, "panelVersion", "v3.6.0");
                w.Key("clientCount");
                w.Int(0);
                w.EndObject();
            }
            // --node URL: real addresses (another sandbox), ids after those.
            int id = count;
            for (const auto& n : s.opts.node_addresses) {
                ++id;
                w.StartObject();
                w.Key("id");
                w.Int(id);
                put_field(w, "name", "node-" + std::to_string(id));
                put_field(w, "scheme", n.scheme);
                put_field(w, "address", n.address);
                w.Key("port");
                w.Int(n.port);
                put_field(w, "basePath", n.base_path);
                w.Key("enable");
                w.Bool(true);
                put_field(w, "inboundSyncMode", "all");
                put_field(w, "status", "online");
                w.EndObject();
            }
            w.EndArray();
        });
    });

    // ---- API tokens (GET <base>panel/api/setting/apiTokens: under the API
    // group from v3.3.0, api.go:87; at 02002dc1 internal/web/controller/
    // setting.go:71, ApiTokenView in internal/web/service/panel/api_token.go:
    // 22-30, no token value). After 3.6.0 each has a scope and expiresAt (ms,
    // 0 = never). --master-token NAME lists a master's node-sync token: what
    // marks a node (docs/panel-api.md "Master and node panels"). Scoped
    // tokens may not call it (it is in neither allow-list, api.go:76-114). ----
    if (s.opts.version >= PanelVersion{3, 3, 0}) {
        r.add("GET", "panel/api/setting/apiTokens", Guard::api, k_route_plain,
              [&s](RequestContext&) {
                  const bool scoped = s.opts.version >= k_after_3_6;
                  return json_obj([&s, scoped](JsonWriter& w) {
                      w.StartArray();
                      int id = 0;
                      auto token = [&](const std::string& name, const std::string& scope,
                                       std::int64_t expires_at) {
                          w.StartObject();
                          w.Key("id");
                          w.Int(++id);
                          put_field(w, "name", name);
                          w.Key("enabled");
                          w.Bool(true);
                          w.Key("createdAt");
                          w.Int64(s.start_ms / 1000);  // seconds (api_token.go:32-37)
                          if (scoped) {
                              put_field(w, "scope", scope);
                              w.Key("expiresAt");
                              w.Int64(expires_at);
                          }
                          w.EndObject();
                      };
                      if (s.opts.api_token) {
                          token("xuictl-sandbox", s.opts.token_scope,
                                s.creds.token_expires_ms.value_or(0));
                      }
                      if (!s.opts.master_token.empty()) {
                          token(s.opts.master_token, "node-sync", 0);
                      }
                      w.EndArray();
                  });
              });
    }

    r.add("POST", k_clients + "onlines", Guard::api, k_route_plain,
          [&db](RequestContext&) { return onlines_reply(db); });
    r.add("POST", k_clients + "lastOnline", Guard::api, k_route_plain,
          [&db](RequestContext&) { return last_online_reply(db); });
}

}  // namespace sandbox
