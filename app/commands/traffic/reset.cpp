// xuictl traffic reset [INBOUND] EMAIL — zero one client's up/down counters.
#include <CLI/CLI.hpp>

#include <charconv>
#include <memory>

#include "commands/command.hpp"
#include "commands/destructive.hpp"

namespace xuictl {
namespace {

struct TrafficResetOptions {
    std::string first;   // INBOUND, or EMAIL when it is the only argument
    std::string second;  // EMAIL when INBOUND is given
    DestructiveOptions destructive;
};

int run_traffic_reset(Context& ctx, const TrafficResetOptions& o) {
    std::optional<int> inbound;
    std::string email;
    if (!o.second.empty()) {
        int id = 0;
        const auto& text = o.first;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || ptr != text.data() + text.size() || id < 0) {
            return ctx.report(make_error(
                ErrorKind::usage, "INBOUND must be a non-negative inbound id, got '" + text + "'",
                "usage: xuictl traffic reset [INBOUND] EMAIL"));
        }
        inbound = id;
        email = o.second;
    } else {
        email = o.first;
    }
    return run_destructive(
        ctx, o.destructive,
        [&](const std::vector<Inbound>& inbounds, const Capabilities& caps, int64_t now) {
            return plan_reset_client(inbounds, inbound, email, caps, now);
        },
        [](PanelApi& api, const Plan& plan) {
            return api.reset_client(*plan.inbound_id, plan.email);
        });
}

}  // namespace

void register_traffic_reset(CLI::App& traffic, Dispatch& dispatch) {
    auto o = std::make_shared<TrafficResetOptions>();
    auto* cmd = traffic.add_subcommand(
        "reset", "Reset one client's up/down counters (INBOUND may be omitted on v3.1+ panels)");
    cmd->add_option("inbound", o->first, "Inbound id (or the email, on v3.1+ panels)")
        ->required()
        ->type_name("INBOUND");
    cmd->add_option("email", o->second, "Client email (exact)")->type_name("EMAIL");
    add_destructive_options(*cmd, o->destructive);
    cmd->footer("Confirm by typing: RESET <email>. Expiry and quota are not changed.");
    cmd->callback([&dispatch, o] {
        dispatch.fleet_ok = true;  // one plan, one phrase, a result per panel
        dispatch.selected = [o](Context& c) { return run_traffic_reset(c, *o); };
    });
}

}  // namespace xuictl
