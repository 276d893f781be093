// xuictl login / logout — verify credentials and cache the session; forget it.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <ostream>

#include "commands/command.hpp"

namespace xuictl {
namespace {

int run_login(Context& ctx) {
    auto panel = ctx.panel();
    if (!panel) {
        return ctx.report(panel.error());
    }
    PanelApi& api = *panel.value();
    if (api.session().uses_token()) {
        // Tokens need no session; check that the token works instead.
        auto caps = api.capabilities();
        if (!caps) {
            return ctx.report(caps.error());
        }
        ctx.env().err << fmt::format("token accepted by {} ({}); no session to cache\n",
                                     api.session().url().base_url(), caps->describe());
        return 0;
    }
    ctx.forget_cached_session();  // always a fresh login: that is the point
    if (auto s = api.session().login(); !s) {
        return ctx.report(s.error());
    }
    auto caps = api.capabilities();
    if (!caps) {
        return ctx.report(caps.error());
    }
    ctx.env().err << fmt::format("logged in to {} ({}); session cached for the next commands\n",
                                 api.session().url().base_url(), caps->describe());
    return 0;
}

int run_logout(Context& ctx) {
    auto panel = ctx.panel();
    if (!panel) {
        return ctx.report(panel.error());
    }
    Session& session = panel.value()->session();
    if (!session.has_session()) {
        // Nothing cached (or only an expired session, removed here too): no
        // request, and the user learns that this logout changed nothing.
        if (auto s = ctx.delete_cached_session(); !s) {
            return ctx.report(s.error());
        }
        ctx.env().err << fmt::format("no cached session for {}; nothing to delete\n",
                                     ctx.panel_description());
        return 0;
    }
    Status remote = session.logout();  // best effort: the cache goes either way
    if (auto s = ctx.delete_cached_session(); !s) {
        return ctx.report(s.error());
    }
    if (!remote) {
        ctx.warn("the panel did not confirm the logout: " + remote.error().message);
    }
    ctx.env().err << fmt::format("logged out of {}; cached session deleted\n",
                                 ctx.panel_description());
    return 0;
}

}  // namespace

void register_login(CLI::App& root, Dispatch& dispatch) {
    auto* login = root.add_subcommand(
        "login", "Log in (asking for the password and 2FA code if needed) and cache the session");
    login->footer("The session cache ($XDG_CACHE_HOME/xuictl/sessions/, mode 0600) lets later\n"
                  "commands, and cron jobs, run without a login request.");
    login->callback([&dispatch] { dispatch.selected = run_login; });
    auto* logout = root.add_subcommand("logout", "Log out on the panel and delete the cached session");
    logout->callback([&dispatch] { dispatch.selected = run_logout; });
}

}  // namespace xuictl
