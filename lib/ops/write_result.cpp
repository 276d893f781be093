#include "ops/write_result.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "model/usage.hpp"

namespace xuictl {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

void strings(Writer& w, const std::vector<std::string>& list) {
    w.StartArray();
    for (const auto& s : list) {
        str(w, s);
    }
    w.EndArray();
}

std::set<std::string> emails_of(const std::vector<Inbound>& inbounds) {
    std::set<std::string> out;
    for (const auto& in : inbounds) {
        for (const auto& c : in.clients) {
            out.insert(c.email);
        }
    }
    return out;
}

std::set<int> ids_of(const std::vector<Inbound>& inbounds) {
    std::set<int> out;
    for (const auto& in : inbounds) {
        out.insert(in.id);
    }
    return out;
}

}  // namespace

std::string result_to_json(const WriteResult& r) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("id");
    if (r.id.empty()) {
        w.Null();
    } else {
        str(w, r.id);
    }
    w.Key("status");
    str(w, r.status);
    w.Key("panel");
    str(w, r.panel);
    w.Key("command");
    str(w, r.command);
    w.Key("message");
    str(w, r.message);
    w.Key("done");
    strings(w, r.done);
    w.Key("not_done");
    strings(w, r.not_done);
    w.Key("answer_lost");
    w.Bool(r.answer_lost);
    w.Key("verification");
    w.StartObject();
    w.Key("checked");
    w.Bool(r.verification.has_value());
    w.Key("ok");
    if (r.verification) {
        w.Bool(r.verification->empty());
    } else {
        w.Null();
    }
    w.Key("mismatches");
    strings(w, r.verification.value_or(std::vector<std::string>{}));
    w.EndObject();
    w.Key("exit_code");
    w.Int(r.exit_code);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<std::string> unplanned_deletions(const Plan& plan,
                                             const std::vector<Inbound>& before_write,
                                             const std::vector<Inbound>& after,
                                             std::vector<std::string>* emails_out) {
    std::vector<std::string> out;
    const auto emails = plan.emails();
    const std::set<std::string> planned(emails.begin(), emails.end());
    const auto still = emails_of(after);
    for (const auto& in : before_write) {
        for (const auto& c : in.clients) {
            if (planned.count(c.email) == 0 && still.count(c.email) == 0) {
                out.push_back(
                    fmt::format("{} (inbound {}): deleted, but not in the plan", c.email, in.id));
                if (emails_out != nullptr) {
                    emails_out->push_back(c.email);
                }
            }
        }
    }
    const std::set<int> planned_inbounds(plan.inbounds_deleted.begin(),
                                         plan.inbounds_deleted.end());
    const auto ids_after = ids_of(after);
    for (const auto& in : before_write) {
        if (planned_inbounds.count(in.id) == 0 && ids_after.count(in.id) == 0) {
            out.push_back(
                fmt::format("inbound {} ({}): deleted, but not in the plan", in.id, in.remark));
        }
    }
    return out;
}

std::vector<std::string> unplanned_resets(const Plan& plan,
                                          const std::vector<Inbound>& before_write,
                                          const std::vector<Inbound>& after) {
    std::vector<std::string> out;
    const auto emails = plan.emails();
    const std::set<std::string> planned(emails.begin(), emails.end());
    const auto seen = emails_of(before_write);
    for (const auto& in : after) {
        if (plan.inbound_id && in.id != *plan.inbound_id) {
            continue;
        }
        for (const auto& c : in.clients) {
            if (planned.count(c.email) == 0 && seen.count(c.email) == 0) {
                out.push_back(fmt::format(
                    "{} (inbound {}): added while the write was sent, not in the plan; the "
                    "panel's route resets every client of the inbound, so it may have been "
                    "reset too",
                    c.email, in.id));
            }
        }
    }
    return out;
}

std::vector<std::string> plan_drift(const Plan& confirmed, const Plan& now) {
    std::vector<std::string> out;
    const auto before = confirmed.emails();
    const auto current = now.emails();
    const std::set<std::string> was(before.begin(), before.end());
    const std::set<std::string> is(current.begin(), current.end());
    for (const auto& e : current) {
        if (was.count(e) == 0) {
            out.push_back(fmt::format("{}: now also a target", e));
        }
    }
    for (const auto& e : before) {
        if (is.count(e) == 0) {
            out.push_back(fmt::format("{}: no longer a target", e));
        }
    }
    for (int id : now.inbounds_deleted) {
        if (std::find(confirmed.inbounds_deleted.begin(), confirmed.inbounds_deleted.end(), id) ==
            confirmed.inbounds_deleted.end()) {
            out.push_back(fmt::format("inbound {}: would now be deleted too", id));
        }
    }
    for (int id : confirmed.inbounds_deleted) {
        if (std::find(now.inbounds_deleted.begin(), now.inbounds_deleted.end(), id) ==
            now.inbounds_deleted.end()) {
            out.push_back(fmt::format("inbound {}: would no longer be deleted", id));
        }
    }
    return out;
}

}  // namespace xuictl
