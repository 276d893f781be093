#include "commands/snapshot_load.hpp"

#include <fmt/format.h>

#include "local_store.hpp"
#include "store/files.hpp"

namespace xuictl {

Result<Snapshot> load_snapshot(Context& ctx, const std::string& arg) {
    const bool is_path = arg.find('/') != std::string::npos ||
                         (arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0);
    auto missing = [&] {
        return make_error(ErrorKind::not_found, fmt::format("no snapshot '{}'", arg),
                          "`xuictl audit` lists the ids of recorded operations; or give the "
                          "snapshot file's path");
    };
    if (is_path) {
        auto text = read_file(arg);
        if (!text) {
            return text.error().kind == ErrorKind::not_found ? missing() : text.error();
        }
        return snapshot_from_json(*text, arg);
    }
    auto store = open_local_store_if_any(ctx);
    if (!store) {
        return store.error();
    }
    if (!*store) {
        return missing();
    }
    auto body = (*store)->snapshot(arg);
    if (!body) {
        return body.error();
    }
    if (!*body) {
        return missing();
    }
    return snapshot_from_json(**body, fmt::format("snapshot {} in {}", arg, (*store)->location()));
}

Status require_counter_route(PanelApi& api, const std::vector<Inbound>& inbounds) {
    auto can = api.can_set_client_counters(inbounds);
    if (!can) {
        return can.error();
    }
    if (!*can) {
        return make_error(ErrorKind::unsupported,
                          "this panel version cannot set client traffic counters: classic 3x-ui "
                          "has no updateClientTraffic route before v2.6.3",
                          "upgrade the panel to restore counters; nothing was changed");
    }
    return ok_status();
}

}  // namespace xuictl
