#include "support/describe.hpp"

#include <fmt/format.h>

namespace xuictl::test {

std::string describe(const Inbound& in) {
    std::string s =
        fmt::format("inbound {} '{}' {} {} {} en={} up={} down={} total={} exp={} reset={}/{}\n",
                    in.id, in.remark, in.protocol, in.tag, in.port, in.enable, in.up, in.down,
                    in.total, in.expiry_time, in.traffic_reset, in.has_traffic_reset);
    for (const auto& c : in.clients) {
        s += fmt::format("client {} en={} quota={} exp={} reset={}\n", c.email, c.enable,
                         c.total_bytes, c.expiry_time, c.reset);
    }
    for (const auto& t : in.client_stats) {
        s += fmt::format(
            "row {} in={} {} en={} up={} down={} total={} exp={} reset={} day={} online={} "
            "all={}\n",
            t.id, t.inbound_id, t.email, t.enable, t.up, t.down, t.total, t.expiry_time, t.reset,
            t.reset_day, t.last_online, t.all_time);
    }
    return s;
}

std::string describe(const ClientUsage& c) {
    return fmt::format("{} {} s={} t={} row={} up={} down={} quota={} exp={} reset={} day={}",
                       c.inbound_id, c.email, c.settings_enable, c.traffic_enable,
                       c.has_traffic_row, c.up, c.down, c.quota, c.expiry_time, c.reset,
                       c.reset_day);
}

}  // namespace xuictl::test
