#include "commands/usage_query.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <algorithm>
#include <set>
#include <unordered_set>

#include "context.hpp"

#include "cli_checks.hpp"

namespace xuictl {

Result<InboundsRead> read_inbounds(Context& ctx, PanelApi::ListDetail detail) {
    auto panel = ctx.panel();
    if (!panel) {
        return panel.error();
    }
    UsageBuilder usage;
    auto inbounds =
        panel.value()->list_inbounds(detail, [&usage](Inbound& in) { usage.consume(in); });
    if (!inbounds) {
        return inbounds.error();
    }
    const DepletedRule rule = depleted_rule_from_list(*inbounds);
    return InboundsRead{std::move(inbounds.value()), usage.finish(),
                        UsageStyle{ctx.raw_bytes(), ctx.clock().now_ms(), rule}, std::nullopt};
}

void add_usage_query_options(CLI::App& cmd, UsageQuery& q) {
    cmd.add_option("--inbound", q.inbound, "Only this inbound (id)")
        ->type_name("ID")
        ->check(whole_number("--inbound"));
    cmd.add_option("--client", q.client, "Only this client (email)")->type_name("EMAIL");
    cmd.add_flag("--depleted", q.depleted_only,
                 "Only clients the panel calls depleted (quota used up or expired)");
    cmd.add_option("--over", q.over_percent, "Only clients above PCT % of their quota")
        ->type_name("PCT")
        ->check(number_from(0.0, 100000.0, "--over"));
    cmd.add_option("--sort", q.sort, "Sort by inbound, email, used, percent, quota or expiry")
        ->type_name("KEY")
        ->check(CLI::IsMember({"inbound", "email", "used", "percent", "quota", "expiry"}));
    cmd.add_flag("--reverse", q.reverse, "Reverse the sort order");
}

std::vector<Inbound> shown_inbounds(const std::vector<Inbound>& all,
                                    const std::vector<ClientUsage>& selected, const UsageQuery& q) {
    std::set<int> holding;
    for (const auto& c : selected) {
        holding.insert(c.inbound_id);
    }
    std::vector<Inbound> out;
    for (const auto& in : all) {
        if (q.inbound ? in.id == *q.inbound : holding.count(in.id) > 0) {
            out.push_back(in);
        }
    }
    return out;
}

void keep_shown_inbounds(std::vector<ClientUsage>& clients, const std::vector<Inbound>& shown) {
    std::set<int> ids;
    for (const auto& in : shown) {
        ids.insert(in.id);
    }
    std::erase_if(clients, [&](const ClientUsage& c) { return ids.count(c.inbound_id) == 0; });
}

void keep_first_per_email(std::vector<ClientUsage>& clients) {
    std::unordered_set<std::string> seen;
    std::erase_if(clients, [&](const ClientUsage& c) { return !seen.insert(c.email).second; });
}

Result<std::vector<std::vector<ClientUsage>>> select_fleet_clients(
    std::vector<Result<InboundsRead>>& reads, const UsageQuery& query) {
    std::vector<std::vector<ClientUsage>> out(reads.size());
    std::optional<Error> missing;
    size_t answered = 0;
    size_t found = 0;
    for (size_t i = 0; i < reads.size(); ++i) {
        if (!reads[i]) {
            continue;
        }
        ++answered;
        auto& read = reads[i].value();
        auto selected = select_clients(std::move(read.clients), read.inbounds, query,
                                       read.style.rule, read.style.now_ms);
        if (!selected) {
            if (!missing) {
                missing = selected.error();
            }
            continue;
        }
        ++found;
        out[i] = std::move(selected.value());
    }
    if (answered > 0 && found == 0 && missing) {
        return *missing;
    }
    return out;
}

Error unknown_inbound(int id, const std::vector<Inbound>& inbounds) {
    std::string ids;
    for (size_t i = 0; i < inbounds.size() && i < 20; ++i) {
        ids += (i ? ", " : "") + std::to_string(inbounds[i].id);
    }
    if (inbounds.size() > 20) {
        ids += ", ...";
    }
    return make_error(ErrorKind::not_found, fmt::format("no inbound with id {}", id),
                      inbounds.empty()
                          ? "the panel has no inbounds"
                          : fmt::format("existing ids: {} (xuictl inbound list)", ids));
}

Error unknown_client(const std::string& email) {
    return make_error(ErrorKind::not_found, fmt::format("no client with email '{}'", email),
                      "emails are exact and case-sensitive; see xuictl clients list");
}

Result<std::vector<ClientUsage>> select_clients(std::vector<ClientUsage> all,
                                                const std::vector<Inbound>& inbounds,
                                                const UsageQuery& q, DepletedRule rule,
                                                int64_t now_ms) {
    if (q.inbound) {
        const bool found = std::any_of(inbounds.begin(), inbounds.end(),
                                       [&](const Inbound& in) { return in.id == *q.inbound; });
        if (!found) {
            return unknown_inbound(*q.inbound, inbounds);
        }
    }
    if (!q.client.empty()) {
        const bool found = std::any_of(all.begin(), all.end(),
                                       [&](const ClientUsage& c) { return c.email == q.client; });
        if (!found) {
            return unknown_client(q.client);
        }
    }
    // Filtered in place: a second vector of 100 000 clients would double the
    // memory of the biggest thing `stats` holds.
    const bool filtered = q.inbound || !q.client.empty() || q.depleted_only || q.over_percent;
    if (filtered) {
        std::erase_if(all, [&](const ClientUsage& c) {
            if (q.inbound && c.inbound_id != *q.inbound) {
                return true;
            }
            if (!q.client.empty() && c.email != q.client) {
                return true;
            }
            if (q.depleted_only && !is_depleted(c, rule, now_ms)) {
                return true;
            }
            if (q.over_percent) {
                const auto p = c.percent();
                if (!p || *p <= *q.over_percent) {
                    return true;
                }
            }
            return false;
        });
    }
    // The key is chosen once, not per comparison; "inbound" keeps the panel's
    // order, so there is nothing to sort (stable_sort with an always-false
    // comparator still costs n log n calls: bench/ at 100 000 clients).
    const auto sort_by = [&all](auto key_less) {
        std::stable_sort(all.begin(), all.end(), key_less);
    };
    if (q.sort == "email") {
        sort_by([](const ClientUsage& a, const ClientUsage& b) { return a.email < b.email; });
    } else if (q.sort == "used") {
        // biggest first reads naturally
        sort_by([](const ClientUsage& a, const ClientUsage& b) { return a.used() > b.used(); });
    } else if (q.sort == "percent") {
        sort_by([](const ClientUsage& a, const ClientUsage& b) {
            return a.percent().value_or(-1.0) > b.percent().value_or(-1.0);
        });
    } else if (q.sort == "quota") {
        sort_by([](const ClientUsage& a, const ClientUsage& b) { return a.quota > b.quota; });
    } else if (q.sort == "expiry") {
        // Soonest first; "never" (0) and delay-start (negative) last.
        const auto key = [](const ClientUsage& c) {
            return c.expiry_time > 0 ? c.expiry_time : INT64_MAX;
        };
        sort_by([key](const ClientUsage& a, const ClientUsage& b) { return key(a) < key(b); });
    }
    if (q.reverse) {
        std::reverse(all.begin(), all.end());
    }
    return all;  // moved: a parameter
}

}  // namespace xuictl
