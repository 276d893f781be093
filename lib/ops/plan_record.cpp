#include "ops/plan_record.hpp"

#include "json/reader.hpp"

namespace xuictl {

std::vector<std::string> RecordedPlan::emails() const {
    std::vector<std::string> out;
    out.reserve(clients.size());
    for (const auto& c : clients) {
        out.push_back(c.email);
    }
    return out;
}

int64_t RecordedPlan::used_before() const {
    int64_t total = 0;
    for (const auto& c : clients) {
        total += c.used();
    }
    for (const auto& in : inbounds) {
        total += in.up + in.down;
    }
    return total;
}

Result<RecordedPlan> plan_from_json(const rapidjson::Value& value, const std::string& path) {
    Error error;
    ObjectReader r(value, path, error);
    RecordedPlan p;
    p.operation = r.string("operation");
    p.command = r.string_or("command", "");
    p.phrase = r.string_or("phrase", "");
    p.api = r.string_or("api", "");
    p.restore_from = r.string_or("restore_from", "");
    if (const auto* clients = r.array_or_null("clients")) {
        const std::string base = json_field(path, "clients");
        for (rapidjson::SizeType i = 0; i < clients->Size(); ++i) {
            ObjectReader c((*clients)[i], json_index(base, i), error);
            RecordedClient rc;
            rc.inbound_id = c.int32_or("inbound_id", 0);
            rc.email = c.string("email");
            rc.up = c.int64("up");
            rc.down = c.int64("down");
            rc.quota = c.int64_or("quota", 0);
            p.clients.push_back(std::move(rc));
        }
    }
    if (const auto* inbounds = r.array_or_null("inbounds")) {
        const std::string base = json_field(path, "inbounds");
        for (rapidjson::SizeType i = 0; i < inbounds->Size(); ++i) {
            ObjectReader in((*inbounds)[i], json_index(base, i), error);
            RecordedInbound ri;
            ri.id = in.int32("id");
            ri.remark = in.string_or("remark", "");
            ri.up = in.int64("up");
            ri.down = in.int64("down");
            p.inbounds.push_back(std::move(ri));
        }
    }
    if (const auto* targets = r.array_or_null("restore_to")) {
        const std::string base = json_field(path, "restore_to");
        for (rapidjson::SizeType i = 0; i < targets->Size(); ++i) {
            ObjectReader t((*targets)[i], json_index(base, i), error);
            ClientCounters cc;
            cc.email = t.string("email");
            cc.up = t.int64("up");
            cc.down = t.int64("down");
            p.restore_to.push_back(std::move(cc));
        }
    }
    if (!error.message.empty()) {
        return error;
    }
    return p;
}

}  // namespace xuictl
