#include "fleet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <ostream>
#include <thread>

#include "fleet_hint.hpp"
#include "ui/display.hpp"
#include "ui/fleet_progress.hpp"
#include "util/exit_code.hpp"

namespace xuictl {
namespace {

// The environment a panel of a fleet sees: the XUI_* variables describe
// XUI_URL's panel (its URL, user and secrets), never a profile's.
bool hidden_from_targets(std::string_view name) {
    return name.rfind("XUI_", 0) == 0 || name == "XUICTL_PROFILE";
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        std::string item = text.substr(start, comma - start);
        // " de1" from "a, de1": spaces around names are not part of them.
        const auto first = item.find_first_not_of(' ');
        const auto last = item.find_last_not_of(' ');
        out.push_back(first == std::string::npos ? "" : item.substr(first, last - first + 1));
        start = comma + 1;
    }
    return out;
}

}  // namespace

bool wants_fleet(const GlobalOptions& g) {
    return g.all_profiles || g.profile.find(',') != std::string::npos ||
           g.profile.rfind('@', 0) == 0;
}

std::vector<std::string> selected_groups(const GlobalOptions& g) {
    std::vector<std::string> groups;
    if (g.all_profiles || !wants_fleet(g)) {
        return groups;
    }
    for (const auto& item : split_list(g.profile)) {
        if (item.size() > 1 && item[0] == '@' &&
            std::find(groups.begin(), groups.end(), item.substr(1)) == groups.end()) {
            groups.push_back(item.substr(1));
        }
    }
    return groups;
}

Error fleet_refused() {
    return make_error(ErrorKind::usage,
                      "--all-profiles, --profile a,b and @group work with stats, collect, "
                      "inbound list, clients list, clients show, version, inbound reset, traffic "
                      "reset, traffic reset-all, clients purge-depleted and schedule; this "
                      "command works on one panel",
                      "give one profile: --profile NAME");
}

Result<std::vector<std::string>> fleet_profiles(const GlobalOptions& g, const EnvLookup& env,
                                                const Config& config,
                                                const std::string& config_path) {
    const char* selection = g.all_profiles ? "--all-profiles" : "--profile a,b / @group";
    if (g.all_profiles && !g.profile.empty()) {
        return make_error(ErrorKind::usage, "--all-profiles and --profile both choose the panels",
                          "give one of them");
    }
    auto one_panel = [&](const std::string& what) {
        return make_error(
            ErrorKind::usage,
            fmt::format("{} names one panel, but {} selects several", what, selection),
            "each panel of a fleet uses its own profile's url and credentials: drop " + what);
    };
    if (!g.url.empty()) {
        return one_panel("--url");
    }
    if (!env("XUI_URL").value_or("").empty()) {
        return one_panel("XUI_URL");
    }
    const std::pair<bool, const char*> per_panel[] = {{!g.username.empty(), "--username"},
                                                      {!g.password_file.empty(), "--password-file"},
                                                      {g.password_stdin, "--password-stdin"},
                                                      {!g.token_file.empty(), "--token-file"},
                                                      {!g.totp_file.empty(), "--totp-file"},
                                                      {!g.cacert.empty(), "--cacert"},
                                                      {!g.pin.empty(), "--pin"}};
    for (const auto& [given, flag] : per_panel) {
        if (given) {
            return one_panel(flag);
        }
    }
    std::vector<std::string> names;
    auto add = [&names](const std::string& name) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    };
    if (g.all_profiles) {
        for (const auto& p : config.profiles) {
            add(p.name);
        }
        if (names.empty()) {
            return make_error(ErrorKind::usage,
                              fmt::format("--all-profiles: no profiles in {}", config_path),
                              "add one: xuictl profile add NAME --url URL ...");
        }
        return names;
    }
    for (const auto& item : split_list(g.profile)) {
        if (item.empty()) {
            return make_error(ErrorKind::usage,
                              fmt::format("--profile '{}': an empty name in the list", g.profile),
                              "separate names with commas: --profile de1,nl2");
        }
        if (item[0] == '@') {
            const Group* group = config.find_group(item.substr(1));
            if (group == nullptr) {
                return make_error(
                    ErrorKind::usage,
                    fmt::format("no group named '{}' in {}", item.substr(1), config_path),
                    "groups are lists of profiles: [groups] eu = [\"de1\", \"nl2\"]");
            }
            for (const auto& member : group->profiles) {
                add(member);
            }
            continue;
        }
        if (config.find(item) == nullptr) {
            return make_error(ErrorKind::usage,
                              fmt::format("no profile named '{}' in {}", item, config_path),
                              "see: xuictl profile list");
        }
        add(item);
    }
    return names;
}

std::optional<std::string> PanelTarget::SharedTerminal::read_line(const std::string& prompt) {
    std::lock_guard<std::mutex> hold(m_lock);
    return m_inner.read_line(prompt);
}

std::optional<std::string> PanelTarget::SharedTerminal::read_secret(const std::string& prompt) {
    std::lock_guard<std::mutex> hold(m_lock);
    return m_inner.read_secret(prompt);
}

PanelTarget::PanelTarget(Env& parent, const GlobalOptions& global, std::string profile,
                         std::mutex& terminal_lock)
    : m_profile(std::move(profile)),
      m_terminal(parent.terminal, terminal_lock),
      m_global(global),
      m_env{m_terminal,
            parent.out,
            m_err,
            parent.in,
            parent.clock,
            [lookup = parent.getenv](std::string_view name) -> std::optional<std::string> {
                if (hidden_from_targets(name)) {
                    return std::nullopt;
                }
                return lookup(name);
            },
            parent.make_transport},
      m_context(m_env, m_global) {
    m_global.profile = m_profile;
    m_global.all_profiles = false;
    m_context.set_fleet_panel(m_profile);
}

std::string PanelTarget::take_messages() {
    std::string text = m_err.str();
    m_err.str({});
    return text;
}

Result<std::unique_ptr<Fleet>> Fleet::open(Context& ctx) {
    if (!wants_fleet(ctx.global())) {
        std::unique_ptr<Fleet> fleet(new Fleet(ctx));
        fleet->m_names.push_back("");  // named after panel() succeeds (see run_each)
        return fleet;
    }
    return open_selection(ctx, ctx.global());
}

Result<std::unique_ptr<Fleet>> Fleet::open_profiles(Context& ctx,
                                                    const std::vector<std::string>& profiles) {
    GlobalOptions selection = ctx.global();
    selection.all_profiles = false;
    selection.profile.clear();
    for (const auto& name : profiles) {
        selection.profile += (selection.profile.empty() ? "" : ",") + name;
    }
    return open_selection(ctx, selection);
}

Result<std::unique_ptr<Fleet>> Fleet::open_selection(Context& ctx, const GlobalOptions& selection) {
    std::unique_ptr<Fleet> fleet(new Fleet(ctx));
    auto config = ctx.config();
    if (!config) {
        return config.error();
    }
    auto names = fleet_profiles(selection, ctx.env().getenv, **config, ctx.config_path());
    if (!names) {
        return names.error();
    }
    for (const auto& name : *names) {
        fleet->m_targets.push_back(
            std::make_unique<PanelTarget>(ctx.env(), ctx.global(), name, fleet->m_terminal_lock));
        fleet->m_names.push_back(name);
    }
    // Every panel's settings and credentials first (no request is sent
    // yet: connections are lazy): a usage or config error in any of them
    // stops the run before the first request to any panel. Built here, on
    // one thread (transports, session caches, secret files); the panel
    // threads only send requests.
    for (auto& target : fleet->m_targets) {
        if (auto panel = target->context().panel(); !panel) {
            const Error& e = panel.error();
            if (e.kind == ErrorKind::usage || e.kind == ErrorKind::config) {
                fleet->flush_messages();
                Error named = e;
                named.message = fmt::format("profile '{}': {}", target->profile(), e.message);
                named.hint = fleet_panel_advice(e.hint, target->profile());
                return named;
            }
        }
    }
    return fleet;
}

Error Fleet::explain(size_t i, const Error& error) const {
    return is_fleet() ? m_targets[i]->context().explained(error) : error;
}

void Fleet::flush_messages(bool named) {
    for (size_t i = 0; i < m_targets.size(); ++i) {
        const std::string text = m_targets[i]->take_messages();
        if (named && !text.empty()) {
            m_ctx.env().err << "panel " << display(m_names[i]) << ":\n";
        }
        m_ctx.env().err << text;
    }
    m_ctx.env().err.flush();
}

void Fleet::run_phase(
    const std::function<FleetProgress::State(size_t, Context&, const Mark&)>& work, bool named,
    std::vector<FleetProgress::State> initial) {
    flush_messages(named);
    FleetProgress progress(m_ctx.env().err, m_ctx.env().terminal.stderr_is_tty(), m_names,
                           std::move(initial));
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i = next++; i < m_targets.size(); i = next++) {
            const Mark mark = [&progress, i](FleetProgress::State s) { progress.set(i, s); };
            // A panel whose connection could not be built (open()) fails
            // again in work() with the same error, in its place.
            progress.set(i, work(i, m_targets[i]->context(), mark));
        }
    };
    const size_t threads =
        std::min(m_targets.size(), static_cast<size_t>(std::max(1, m_ctx.global().parallel)));
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (size_t t = 0; t < threads; ++t) {
        pool.emplace_back(worker);
    }
    for (auto& thread : pool) {
        thread.join();
    }
    for (auto& target : m_targets) {
        target->context().finish();
    }
    flush_messages(named);
}

void Fleet::run_each(const std::function<bool(size_t, Context&)>& work) {
    if (!is_fleet()) {
        work(0, m_ctx);
        m_names[0] = m_ctx.panel_label();
        return;
    }
    run_phase(
        [&work](size_t i, Context& c, const Mark& mark) {
            mark(FleetProgress::State::reading);
            return work(i, c) ? FleetProgress::State::done : FleetProgress::State::failed;
        },
        false);
}

Error fleet_panel_error(const std::string& name, const Error& error) {
    Error named = error;
    named.message = fmt::format("panel {}: {}", name, error.message);
    named.hint = fleet_panel_hint(error.hint, name);
    return named;
}

int report_panel_errors(Context& ctx, const Fleet& fleet, const std::vector<const Error*>& errors) {
    size_t failed = 0;
    int first = exit_code::success;
    for (size_t i = 0; i < errors.size(); ++i) {
        if (errors[i] == nullptr) {
            continue;
        }
        const int code = ctx.report(fleet.is_fleet() ? fleet_panel_error(fleet.name(i), *errors[i])
                                                     : *errors[i]);
        if (failed++ == 0) {
            first = code;
        }
    }
    return fleet_exit_code(errors.size(), failed, first);
}

int report_panels_then(Context& ctx, const Fleet& fleet, const std::vector<const Error*>& errors,
                       const Error& error) {
    const int panels = report_panel_errors(ctx, fleet, errors);
    const int code = ctx.report(error);
    return panels == exit_code::success ? code : exit_code::partial;
}

}  // namespace xuictl
