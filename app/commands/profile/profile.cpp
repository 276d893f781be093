// xuictl profile list|show|add|remove — named panels in config.toml.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <filesystem>
#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "paths.hpp"
#include "store/config.hpp"
#include "ui/json_out.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

struct ProfileOptions {
    std::string name;
    bool make_default = false;
    bool save_password = false;
};

struct LoadedConfig {
    std::string path;
    Config config;
};

Result<LoadedConfig> load(Context& ctx) {
    auto path = config_file(ctx.env());
    if (!path) {
        return path.error();
    }
    auto config = load_config(*path);
    if (!config) {
        return config.error();
    }
    return LoadedConfig{*path, std::move(config.value())};
}

std::string auth_of(const Profile& p) {
    if (!p.token_file.empty()) {
        return "token-file";
    }
    if (!p.password_file.empty()) {
        return "password-file";
    }
    if (!p.password.empty()) {
        return "password (stored)";
    }
    return "prompt";
}

// One profile as JSON: every field, a stored password only as `true`.
void write_profile(JsonWriter& w, const Profile& p, bool is_default) {
    auto text = [&w](const char* key, const std::string& value) {
        write_key(w, key);
        if (value.empty()) {
            w.Null();
        } else {
            write_string(w, value);
        }
    };
    w.StartObject();
    text("name", p.name);
    write_key(w, "default");
    w.Bool(is_default);
    text("url", p.url);
    text("username", p.username);
    write_key(w, "auth");
    write_string(w, auth_of(p));
    text("password_file", p.password_file);
    write_key(w, "password_stored");
    w.Bool(!p.password.empty());
    text("token_file", p.token_file);
    text("cacert", p.cacert);
    text("pin", p.pin);
    write_key(w, "insecure");
    w.Bool(p.insecure.value_or(false));
    write_key(w, "timeout_s");
    if (p.timeout_s) {
        w.Double(*p.timeout_s);
    } else {
        w.Null();
    }
    w.EndObject();
}

int run_list(Context& ctx) {
    auto loaded = load(ctx);
    if (!loaded) {
        return ctx.report(loaded.error());
    }
    if (ctx.format() == Format::json) {
        JsonWriter w(ctx.env().out, ctx.pretty_json());
        w.StartArray();
        for (const auto& p : loaded->config.profiles) {
            write_profile(w, p, p.name == loaded->config.default_profile);
        }
        w.EndArray();
        w.finish();
        return 0;
    }
    Table t({{"NAME", false}, {"URL", false}, {"USERNAME", false}, {"AUTH", false}, {"DEFAULT", false}});
    for (const auto& p : loaded->config.profiles) {
        const bool is_default = p.name == loaded->config.default_profile;
        // TSV/CSV: true/false (data); a table marks the default with '*'.
        t.add_row({p.name, p.url, p.username, auth_of(p),
                   data_cells(ctx.format()) ? flag_cell(is_default, true) : (is_default ? "*" : "")});
    }
    if (t.empty() && ctx.format() == Format::table) {
        ctx.env().err << "no profiles in " << loaded->path << " (add one: xuictl profile add NAME --url URL)\n";
        return 0;
    }
    t.render(ctx.env().out, ctx.format());
    return 0;
}

int run_show(Context& ctx, const ProfileOptions& o) {
    auto loaded = load(ctx);
    if (!loaded) {
        return ctx.report(loaded.error());
    }
    const Profile* p = loaded->config.find(o.name);
    if (p == nullptr) {
        return ctx.report(make_error(ErrorKind::not_found, fmt::format("no profile named '{}'", o.name),
                                     "see: xuictl profile list"));
    }
    if (ctx.format() == Format::json) {
        JsonWriter w(ctx.env().out, ctx.pretty_json());
        write_profile(w, *p, p->name == loaded->config.default_profile);
        w.finish();
        return 0;
    }
    Table t({{"FIELD", false}, {"VALUE", false}});
    t.add_row({"name", p->name});
    t.add_row({"default", flag_cell(p->name == loaded->config.default_profile, data_cells(ctx.format()))});
    t.add_row({"url", p->url});
    t.add_row({"username", p->username});
    t.add_row({"password-file", p->password_file});
    t.add_row({"password", p->password.empty() ? "" : "(stored, not shown)"});
    t.add_row({"token-file", p->token_file});
    t.add_row({"cacert", p->cacert});
    t.add_row({"pin", p->pin});
    t.add_row({"insecure", p->insecure.value_or(false) ? "true" : "false"});
    t.add_row({"timeout", p->timeout_s ? fmt::format("{}", *p->timeout_s) : ""});
    t.render(ctx.env().out, ctx.format());
    return 0;
}

// A file named relative to where `profile add` ran means nothing to a
// later run from elsewhere (cron starts in $HOME): store it absolute.
std::string absolute_file(const std::string& file) {
    if (file.empty()) {
        return file;
    }
    std::error_code ec;
    auto absolute = std::filesystem::absolute(file, ec);
    return ec ? file : absolute.lexically_normal().string();
}

int run_add(Context& ctx, const ProfileOptions& o) {
    auto loaded = load(ctx);
    if (!loaded) {
        return ctx.report(loaded.error());
    }
    const auto& g = ctx.global();
    Profile p;
    p.name = o.name;
    p.url = g.url;
    p.username = g.username;
    p.password_file = absolute_file(g.password_file);
    p.token_file = absolute_file(g.token_file);
    p.cacert = absolute_file(g.cacert);
    p.pin = g.pin;
    if (g.insecure) {
        p.insecure = true;
    }
    p.timeout_s = g.timeout_s;
    auto& term = ctx.env().terminal;
    // Ask for what is missing, on a terminal only: scripts get a usage error.
    auto ask = [&](std::string& field, const char* what) -> bool {
        if (!field.empty()) {
            return true;
        }
        if (!term.can_prompt()) {
            return false;
        }
        auto answer = term.read_line(fmt::format("{} for profile {}: ", what, o.name));
        if (!answer || answer->empty()) {
            return false;
        }
        field = *answer;
        return true;
    };
    if (!ask(p.url, "Panel URL")) {
        return ctx.report(make_error(ErrorKind::usage, "a profile needs a URL", "add --url URL"));
    }
    if (auto url = PanelUrl::parse(p.url); !url) {
        return ctx.report(url.error());
    } else {
        p.url = url->base_url();
    }
    if (p.token_file.empty() && !ask(p.username, "User name")) {
        return ctx.report(make_error(ErrorKind::usage, "a profile needs a user name or a token file",
                                     "add --username NAME or --token-file FILE"));
    }
    if (o.save_password) {
        // Only on explicit request, and the file is written 0600.
        if (!term.can_prompt()) {
            return ctx.report(make_error(ErrorKind::usage, "--save-password needs a terminal to ask",
                                         "prefer --password-file FILE (mode 0600)"));
        }
        auto secret = term.read_secret(fmt::format("Password for {} (stored in {}): ", p.username,
                                                   loaded->path));
        if (!secret || secret->empty()) {
            return ctx.report(make_error(ErrorKind::cancelled, "no password entered; nothing saved"));
        }
        p.password = *secret;
    }
    const bool replaced = loaded->config.find(o.name) != nullptr;
    if (replaced) {
        *loaded->config.find(o.name) = p;
    } else {
        loaded->config.profiles.push_back(p);
    }
    if (o.make_default || loaded->config.default_profile.empty()) {
        loaded->config.default_profile = o.name;
    }
    if (auto s = save_config(loaded->path, loaded->config); !s) {
        return ctx.report(s.error());
    }
    ctx.env().err << fmt::format("profile '{}' {} in {}{}\n", o.name, replaced ? "updated" : "added",
                                 loaded->path,
                                 loaded->config.default_profile == o.name ? " (default)" : "");
    return 0;
}

int run_remove(Context& ctx, const ProfileOptions& o) {
    auto loaded = load(ctx);
    if (!loaded) {
        return ctx.report(loaded.error());
    }
    // A group keeps naming its members: removing one would leave a config
    // that no longer loads (or a fleet that silently shrank).
    for (const auto& group : loaded->config.groups) {
        if (std::find(group.profiles.begin(), group.profiles.end(), o.name) != group.profiles.end()) {
            return ctx.report(make_error(
                ErrorKind::usage, fmt::format("profile '{}' is in group '{}'", o.name, group.name),
                fmt::format("remove it from [groups] {} in {} first", group.name, loaded->path)));
        }
    }
    auto& profiles = loaded->config.profiles;
    const auto before = profiles.size();
    profiles.erase(std::remove_if(profiles.begin(), profiles.end(),
                                  [&](const Profile& p) { return p.name == o.name; }),
                   profiles.end());
    if (profiles.size() == before) {
        return ctx.report(make_error(ErrorKind::not_found, fmt::format("no profile named '{}'", o.name),
                                     "see: xuictl profile list"));
    }
    if (loaded->config.default_profile == o.name) {
        loaded->config.default_profile.clear();
    }
    if (auto s = save_config(loaded->path, loaded->config); !s) {
        return ctx.report(s.error());
    }
    ctx.env().err << fmt::format("profile '{}' removed from {}\n", o.name, loaded->path);
    return 0;
}

}  // namespace

void register_profile(CLI::App& root, Dispatch& dispatch) {
    auto* profile = root.add_subcommand("profile", "Named panels in config.toml: list, show, add, remove");
    profile->require_subcommand(1);

    auto* list = profile->add_subcommand("list", "List the profiles (* marks the default)");
    list->callback([&dispatch] { dispatch.selected = run_list; });

    auto show_o = std::make_shared<ProfileOptions>();
    auto* show = profile->add_subcommand("show", "Show one profile (a stored password is never shown)");
    show->add_option("name", show_o->name, "Profile name")->required()->type_name("NAME");
    show->callback([&dispatch, show_o] {
        dispatch.selected = [show_o](Context& c) { return run_show(c, *show_o); };
    });

    auto add_o = std::make_shared<ProfileOptions>();
    auto* add = profile->add_subcommand(
        "add", "Add or update a profile from --url, --username, --password-file, --token-file, "
               "--cacert, --pin, --insecure, --timeout (asks for a missing URL/user on a terminal)");
    add->add_option("name", add_o->name, "Profile name")->required()->type_name("NAME");
    add->add_flag("--default", add_o->make_default, "Make it the default profile");
    add->add_flag("--save-password", add_o->save_password,
                  "Ask for the password and store it in config.toml (mode 0600); prefer --password-file");
    add->callback([&dispatch, add_o] {
        dispatch.selected = [add_o](Context& c) { return run_add(c, *add_o); };
    });

    auto rm_o = std::make_shared<ProfileOptions>();
    auto* rm = profile->add_subcommand("remove", "Remove a profile");
    rm->add_option("name", rm_o->name, "Profile name")->required()->type_name("NAME");
    rm->callback([&dispatch, rm_o] {
        dispatch.selected = [rm_o](Context& c) { return run_remove(c, *rm_o); };
    });
}

}  // namespace xuictl
