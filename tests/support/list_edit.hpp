#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <vector>

namespace xuictl::test {

// Edits an inbounds/list answer (classic: settings as a JSON string; v3:
// nested) the way the panel would look after a write, so a test can script
// the verifying re-read. Unknown emails or ids are a test bug: they throw.
class ListEdit {
public:
    explicit ListEdit(const std::string& envelope_json);

    // up = down = 0 in the clientStats rows of these emails.
    ListEdit& zero_clients(const std::vector<std::string>& emails);
    // up = down = 0 in every clientStats row.
    ListEdit& zero_all_clients();
    // up = down = 0 on every inbound's own counters.
    ListEdit& zero_inbound_counters();
    // Drops these emails from settings.clients and clientStats.
    ListEdit& remove_clients(const std::vector<std::string>& emails);
    // Drops the whole inbound.
    ListEdit& remove_inbound(int id);
    // Sets a member of one client's clientStats row.
    ListEdit& set_client_stat(const std::string& email, const char* key, int64_t value);

    std::string str() const;

private:
    rapidjson::Value& inbounds();
    // Calls fn on each clientStats row of every inbound.
    void for_each_row(const std::function<void(rapidjson::Value&)>& fn);
    // Rewrites one inbound's settings.clients (string or object form).
    void edit_settings_clients(rapidjson::Value& inbound,
                               const std::function<void(rapidjson::Value& clients,
                                                        rapidjson::Document::AllocatorType&)>& fn);

    rapidjson::Document m_doc;
};

}  // namespace xuictl::test
