#include "commands/snapshot_load.hpp"

#include <fmt/format.h>

#include "paths.hpp"
#include "store/files.hpp"

namespace xuictl {
namespace {

// An id names $XDG_STATE_HOME/xuictl/snapshots/<id>.json; anything with a
// slash or a .json suffix is a path.
Result<std::string> snapshot_path(Env& env, const std::string& arg) {
    const bool is_path = arg.find('/') != std::string::npos ||
                         (arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0);
    if (is_path) {
        return arg;
    }
    auto dir = snapshots_dir(env);
    if (!dir) {
        return dir.error();
    }
    return path_join(*dir, arg + ".json");
}

}  // namespace

Result<Snapshot> load_snapshot(Env& env, const std::string& arg) {
    auto path = snapshot_path(env, arg);
    if (!path) {
        return path.error();
    }
    auto text = read_file(*path);
    if (!text) {
        if (text.error().kind == ErrorKind::not_found) {
            return make_error(ErrorKind::not_found,
                              fmt::format("no snapshot '{}' ({})", arg, *path),
                              "`xuictl audit` lists the ids of recorded operations; or give the "
                              "snapshot file's path");
        }
        return text.error();
    }
    return snapshot_from_json(*text, *path);
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
