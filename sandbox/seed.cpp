#include "seed.hpp"

#include <array>
#include <string>

#include <fmt/format.h>

#include "prng.hpp"

namespace sandbox {

namespace {

constexpr std::int64_t k_gib = 1024LL * 1024 * 1024;
constexpr std::int64_t k_day_ms = 86'400'000LL;
constexpr std::string_view k_alnum =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view k_sub_alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

constexpr std::string_view k_stream_settings =
    R"({"network":"tcp","security":"none","externalProxy":[],"tcpSettings":{"acceptProxyProtocol":false,"header":{"type":"none"}}})";
constexpr std::string_view k_sniffing =
    R"({"enabled":false,"destOverride":["http","tls","quic","fakedns"],"metadataOnly":false,"routeOnly":false})";

enum class State {
    near_quota,
    normal,
    depleted_traffic,
    expired,
    admin_disabled,
    unlimited,
    delay_start,
    periodic
};

State state_for(int k) {
    static constexpr std::array<State, 8> cycle = {
        State::near_quota,     State::normal,    State::depleted_traffic, State::expired,
        State::admin_disabled, State::unlimited, State::delay_start,      State::periodic};
    return cycle[static_cast<std::size_t>(k % 8)];
}

class Seeder {
public:
    Seeder(Db& db, const SeedSpec& spec)
        : m_db(db),
          m_spec(spec),
          m_rng(spec.seed),
          // v2.9.4+ auto-disable also flips settings.enable (§7.1); v2.8.1+
          // add/update copy the client's enable into the traffic row (§6.2).
          m_auto_disable_flips_settings(db.api() == ApiKind::v3 ||
                                        db.version() >= PanelVersion{2, 9, 4}),
          m_row_copies_enable(db.api() == ApiKind::v3 || db.version() >= PanelVersion{2, 8, 1}) {}

    void run() {
        static constexpr std::array<Protocol, 4> protocols = {
            Protocol::vless, Protocol::vmess, Protocol::trojan, Protocol::shadowsocks};
        for (int id = 1; id <= m_spec.inbounds; ++id) {
            Inbound ib;
            ib.protocol = protocols[static_cast<std::size_t>((id - 1) % 4)];
            ib.port = 20000 + id;
            ib.tag = fmt::format("inbound-{}", ib.port);
            ib.remark = id == 2 ? "inbound-2 Tokyo – 東京" : fmt::format("inbound-{}", id);
            ib.up = m_rng.range(k_gib, 40 * k_gib);
            ib.down = m_rng.range(k_gib, 120 * k_gib);
            ib.all_time = ib.up + ib.down + m_rng.range(0, 100 * k_gib);
            ib.total = id % 2 == 0 ? m_rng.range(500, 2000) * k_gib : 0;
            ib.stream_settings = std::string(k_stream_settings);
            ib.sniffing = std::string(k_sniffing);
            const int inbound_id = m_db.insert_inbound(std::move(ib));
            const bool purge_target = m_spec.inbounds >= 3 && id == m_spec.inbounds;
            for (int k = 1; k <= m_spec.clients_per_inbound; ++k) {
                State state = state_for(k);
                if (purge_target) {
                    state = k % 2 == 1 ? State::depleted_traffic : State::expired;
                }
                add_client(inbound_id, protocols[static_cast<std::size_t>((id - 1) % 4)], k, state);
            }
        }
    }

private:
    std::int64_t gib(std::int64_t lo, std::int64_t hi) { return m_rng.range(lo, hi) * k_gib; }
    std::int64_t percent_of(std::int64_t total, std::int64_t lo, std::int64_t hi) {
        return total / 100 * m_rng.range(lo, hi) + m_rng.range(0, k_gib / 4);
    }
    std::int64_t days_from_now(std::int64_t lo, std::int64_t hi) {
        return m_spec.now_ms + m_rng.range(lo, hi) * k_day_ms;
    }

    void add_client(int inbound_id, Protocol protocol, int k, State state) {
        Client c;
        c.email = m_next_email < m_spec.emails.size()
                      ? m_spec.emails[m_next_email++]
                      : fmt::format("c{}-{}@example.test", inbound_id, k);
        if (protocol == Protocol::vless || protocol == Protocol::vmess) {
            c.uuid = m_rng.uuid();
        } else {
            c.password = m_rng.text(protocol == Protocol::trojan ? 10 : 22, k_alnum);
        }
        if (protocol == Protocol::vmess) {
            c.security = "auto";
        }
        c.sub_id = m_rng.text(16, k_sub_alphabet);
        c.created_at = m_spec.now_ms - m_rng.range(30, 400) * k_day_ms;
        c.updated_at = c.created_at + m_rng.range(0, 20) * k_day_ms;

        TrafficRow row;
        std::int64_t used = 0;
        bool auto_disabled = false;
        switch (state) {
            case State::normal:
                c.total_gb = gib(20, 200);
                used = percent_of(c.total_gb, 1, 50);
                c.expiry_time = days_from_now(10, 90);
                break;
            case State::depleted_traffic:
                c.total_gb = gib(5, 50);
                used = c.total_gb + m_rng.range(0, 2 * k_gib);
                c.expiry_time = days_from_now(5, 60);
                auto_disabled = true;
                break;
            case State::expired:
                c.total_gb = gib(20, 100);
                used = percent_of(c.total_gb, 1, 60);
                c.expiry_time = days_from_now(-30, -1);
                auto_disabled = true;
                break;
            case State::admin_disabled:
                c.total_gb = gib(20, 100);
                used = percent_of(c.total_gb, 10, 50);
                c.expiry_time = days_from_now(10, 90);
                c.enable = false;
                row.enable = !m_row_copies_enable;
                break;
            case State::unlimited:
                used = gib(200, 2000) + m_rng.range(0, k_gib);
                c.limit_ip = 2;
                c.comment = "unlimited";
                break;
            case State::delay_start:
                // Negative expiry = start on first use (§6.3); no traffic yet.
                c.total_gb = gib(10, 50);
                c.expiry_time = -7 * k_day_ms;
                break;
            case State::periodic:
                // Auto-renew clients (reset > 0) are never purged (§7.1).
                c.reset = 30;
                c.total_gb = gib(10, 50);
                used = c.total_gb + m_rng.range(0, k_gib);
                c.expiry_time = days_from_now(-10, -1);
                auto_disabled = true;
                break;
            case State::near_quota:
                c.total_gb = gib(10, 100);
                used = percent_of(c.total_gb, 80, 94);
                c.expiry_time = days_from_now(10, 90);
                break;
        }
        if (auto_disabled) {
            row.enable = false;
            c.enable = !m_auto_disable_flips_settings;
        }
        row.up = used == 0 ? 0 : used / 100 * m_rng.range(10, 40);
        row.down = used - row.up;
        row.all_time = used + (used == 0 ? 0 : m_rng.range(0, 50 * k_gib));
        row.total = c.total_gb;
        row.expiry_time = c.expiry_time;
        row.reset = c.reset;
        row.last_online = used == 0 ? 0 : m_spec.now_ms - m_rng.range(1, 7 * 24 * 60) * 60'000;
        if (state == State::normal && k == 1) {
            row.online = true;
            row.last_online = m_spec.now_ms;
        }
        m_db.insert_client(std::move(c), inbound_id, std::move(row));
    }

    Db& m_db;
    const SeedSpec& m_spec;
    SplitMix64 m_rng;
    bool m_auto_disable_flips_settings;
    bool m_row_copies_enable;
    std::size_t m_next_email = 0;
};

}  // namespace

void seed_db(Db& db, const SeedSpec& spec) {
    Seeder(db, spec).run();
}

}  // namespace sandbox
