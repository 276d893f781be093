#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "context.hpp"
#include "env.hpp"
#include "global_options.hpp"
#include "panel_choice.hpp"
#include "store/config.hpp"
#include "ui/fleet_progress.hpp"
#include "util/result.hpp"

namespace xuictl {

// True when the command line names several panels: --all-profiles, or a
// comma list or @group in --profile. Known without reading the config, so
// commands that work on one panel refuse before anything is read.
bool wants_fleet(const GlobalOptions& global);

// The usage error a command that works on one panel gives for a fleet.
Error fleet_refused();

// The profiles of a fleet run, in the order given, each once (a profile
// named twice, directly or through groups, is one panel). Usage errors,
// before any request: an unknown profile or group (named), an empty list,
// --url or XUI_URL (they name one panel), and options that belong to one
// panel (--username, --password-file, --password-stdin, --token-file,
// --totp-file, --cacert, --pin): each panel uses its own profile's.
Result<std::vector<std::string>> fleet_profiles(const GlobalOptions& global, const EnvLookup& env,
                                                const Config& config,
                                                const std::string& config_path);

// The groups --profile names (its "@NAME" items, without the @), each
// once, in the order given; none for --all-profiles or one profile.
std::vector<std::string> selected_groups(const GlobalOptions& global);

// One panel of a fleet (DESIGN §9): its profile, and a Context of its own —
// its own settings (as if run with --profile NAME alone), credentials, TLS,
// transport, session and session cache. Its stderr is kept until the fleet
// prints it, so panels read at once never interleave their messages, and
// it sees none of the environment's XUI_* variables (they belong to
// XUI_URL's panel). Prompts (a password, a 2FA code) name the panel and
// take turns on the terminal.
class PanelTarget {
public:
    PanelTarget(Env& parent, const GlobalOptions& global, std::string profile,
                std::mutex& terminal_lock);
    PanelTarget(const PanelTarget&) = delete;
    PanelTarget& operator=(const PanelTarget&) = delete;

    const std::string& profile() const { return m_profile; }
    Context& context() { return m_context; }
    // What the panel's run wrote to stderr so far; cleared.
    std::string take_messages();

private:
    class SharedTerminal final : public Terminal {
    public:
        SharedTerminal(Terminal& inner, std::mutex& lock) : m_inner(inner), m_lock(lock) {}
        bool stdin_is_tty() const override { return m_inner.stdin_is_tty(); }
        bool stdout_is_tty() const override { return m_inner.stdout_is_tty(); }
        bool stderr_is_tty() const override { return m_inner.stderr_is_tty(); }
        bool has_controlling_tty() const override { return m_inner.has_controlling_tty(); }
        std::optional<std::string> read_line(const std::string& prompt) override;
        std::optional<std::string> read_secret(const std::string& prompt) override;
        int width() const override { return m_inner.width(); }

    private:
        Terminal& m_inner;
        std::mutex& m_lock;
    };

    std::string m_profile;
    SharedTerminal m_terminal;
    std::ostringstream m_err;
    GlobalOptions m_global;
    Env m_env;
    Context m_context;
};

// The panels one run reads: the run's own Context for a plain run, a
// PanelTarget per profile for a fleet. Both take the same path: read()
// maps over the panels and returns one Result per panel.
class Fleet {
public:
    // Resolves the selection and every panel's settings and credentials;
    // sends nothing. A usage or config error of any panel fails the whole
    // run here (nothing is read); other errors (a secret file that cannot
    // be read is config, so here too) stay with their panel.
    static Result<std::unique_ptr<Fleet>> open(Context& ctx);
    // A fleet of exactly these profiles (a fleet operation's records name
    // them), checked as `--profile a,b` would be; a fleet even when one.
    static Result<std::unique_ptr<Fleet>> open_profiles(Context& ctx,
                                                        const std::vector<std::string>& profiles);

    // Selected as a fleet (--profile a,b, @group, --all-profiles): output
    // rows carry their panel, even when the fleet is one panel.
    bool is_fleet() const { return !m_targets.empty(); }
    size_t size() const { return is_fleet() ? m_targets.size() : 1; }
    // The panel's name in output: its profile; for a plain run the label
    // plans use (profile, else host).
    const std::string& name(size_t i) const { return m_names[i]; }
    // Panel i's Context (the run's own for a plain run): after read(), for
    // what follows on that panel alone (its usage history). One thread.
    Context& context(size_t i) { return is_fleet() ? m_targets[i]->context() : m_ctx; }

    // Runs `read` once per panel (at most --parallel at a time, each on its
    // own thread and transport); results in selection order. A fleet on a
    // terminal shows one progress line per panel on stderr (reading, done,
    // failed), updated in place. Afterwards each panel's session is cached
    // and its messages are printed, in selection order.
    template <typename T>
    std::vector<Result<T>> read(const std::function<Result<T>(Context&)>& read) {
        std::vector<std::optional<Result<T>>> slots(size());
        run_each([&](size_t i, Context& c) {
            slots[i].emplace(read(c));
            return slots[i]->ok();
        });
        std::vector<Result<T>> out;
        out.reserve(slots.size());
        for (size_t i = 0; i < slots.size(); ++i) {
            if (slots[i]->ok() || !is_fleet()) {
                out.push_back(std::move(*slots[i]));
            } else {
                out.push_back(explain(i, slots[i]->error()));
            }
        }
        return out;
    }

    // One phase of a fleet run (the destructive flow's read and write):
    // work(i, context, mark) for every panel, --parallel at a time, `mark`
    // setting the panel's progress line while it works; the returned state
    // is its last. Afterwards each panel's session is cached and its
    // messages are printed (after a line "panel NAME:" when `named`). For
    // a fleet only. `initial`: each panel's progress line before its work
    // starts (empty: waiting), so a write phase starts from "planned".
    using Mark = std::function<void(FleetProgress::State)>;
    void run_phase(const std::function<FleetProgress::State(size_t, Context&, const Mark&)>& work,
                   bool named, std::vector<FleetProgress::State> initial = {});
    // Prints what the panels wrote to stderr so far (see run_phase).
    void flush_messages(bool named = false);
    // Panel i's error as its own Context explains it (Context::explained:
    // a refused login counted, the hint naming the panel); once per error,
    // on this thread. A plain run's error as it is.
    Error explain(size_t i, const Error& error) const;

private:
    explicit Fleet(Context& ctx) : m_ctx(ctx) {}
    static Result<std::unique_ptr<Fleet>> open_selection(Context& ctx,
                                                         const GlobalOptions& selection);
    // Calls work(i, context) for every panel; work returns false on failure.
    void run_each(const std::function<bool(size_t, Context&)>& work);

    Context& m_ctx;
    std::mutex m_terminal_lock;
    std::vector<std::unique_ptr<PanelTarget>> m_targets;
    std::vector<std::string> m_names;
};

// Panel `name`'s error as a fleet shows it: "panel NAME: " before its
// message, and its hint naming the panel (fleet_panel_hint: how to retry
// it alone).
Error fleet_panel_error(const std::string& name, const Error& error);

// Each failed panel on stderr ("xuictl: error: panel de1: ..." and its
// hint, as fleet_panel_error gives them), in selection order; returns the
// run's exit code (fleet_exit_code).
template <typename T>
int report_panels(Context& ctx, const Fleet& fleet, const std::vector<Result<T>>& results);

// The errors of `results` (nullptr for a panel that answered), for views.
template <typename T>
std::vector<const Error*> panel_errors(const std::vector<Result<T>>& results) {
    std::vector<const Error*> out;
    out.reserve(results.size());
    for (const auto& r : results) {
        out.push_back(r ? nullptr : &r.error());
    }
    return out;
}

// Non-template core of report_panels.
int report_panel_errors(Context& ctx, const Fleet& fleet, const std::vector<const Error*>& errors);

template <typename T>
int report_panels(Context& ctx, const Fleet& fleet, const std::vector<Result<T>>& results) {
    return report_panel_errors(ctx, fleet, panel_errors(results));
}

// The failed panels (as above), then `error` (what the panels that
// answered have in common, e.g. no panel has the asked client); exit 7
// when a panel failed (it might have had it), else error's own code.
int report_panels_then(Context& ctx, const Fleet& fleet, const std::vector<const Error*>& errors,
                       const Error& error);

}  // namespace xuictl
