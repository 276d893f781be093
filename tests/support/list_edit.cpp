#include "support/list_edit.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace xuictl::test {
namespace {

std::string to_text(const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string email_of(const rapidjson::Value& v) {
    return std::string(v["email"].GetString(), v["email"].GetStringLength());
}

// Removes the array elements whose email is in `emails`; records what it removed.
void erase_emails(rapidjson::Value& array, const std::set<std::string>& emails,
                  std::set<std::string>& seen) {
    for (auto it = array.Begin(); it != array.End();) {
        const std::string email = email_of(*it);
        if (emails.count(email) > 0) {
            seen.insert(email);
            it = array.Erase(it);
        } else {
            ++it;
        }
    }
}

void require_all(const std::set<std::string>& wanted, const std::set<std::string>& seen) {
    for (const auto& e : wanted) {
        if (seen.count(e) == 0) {
            throw std::logic_error("ListEdit: no client " + e + " in the list");
        }
    }
}

}  // namespace

ListEdit::ListEdit(const std::string& envelope_json) {
    m_doc.Parse(envelope_json.c_str(), envelope_json.size());
    if (m_doc.HasParseError() || !m_doc.IsObject() || !m_doc.HasMember("obj") ||
        !m_doc["obj"].IsArray()) {
        throw std::logic_error("ListEdit: not an inbounds/list envelope");
    }
}

rapidjson::Value& ListEdit::inbounds() { return m_doc["obj"]; }

void ListEdit::for_each_row(const std::function<void(rapidjson::Value&)>& fn) {
    for (auto& in : inbounds().GetArray()) {
        if (in.HasMember("clientStats") && in["clientStats"].IsArray()) {
            for (auto& row : in["clientStats"].GetArray()) {
                fn(row);
            }
        }
    }
}

void ListEdit::edit_settings_clients(
    rapidjson::Value& inbound,
    const std::function<void(rapidjson::Value&, rapidjson::Document::AllocatorType&)>& fn) {
    auto& settings = inbound["settings"];
    if (settings.IsObject()) {
        fn(settings["clients"], m_doc.GetAllocator());
        return;
    }
    rapidjson::Document inner;
    inner.Parse(settings.GetString(), settings.GetStringLength());
    fn(inner["clients"], inner.GetAllocator());
    const std::string text = to_text(inner);
    settings.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()),
                       m_doc.GetAllocator());
}

ListEdit& ListEdit::zero_clients(const std::vector<std::string>& emails) {
    const std::set<std::string> wanted(emails.begin(), emails.end());
    std::set<std::string> seen;
    for_each_row([&](rapidjson::Value& row) {
        if (wanted.count(email_of(row)) > 0) {
            seen.insert(email_of(row));
            row["up"].SetInt64(0);
            row["down"].SetInt64(0);
        }
    });
    require_all(wanted, seen);
    return *this;
}

ListEdit& ListEdit::zero_all_clients() {
    for_each_row([](rapidjson::Value& row) {
        row["up"].SetInt64(0);
        row["down"].SetInt64(0);
    });
    return *this;
}

ListEdit& ListEdit::zero_inbound_counters() {
    for (auto& in : inbounds().GetArray()) {
        in["up"].SetInt64(0);
        in["down"].SetInt64(0);
    }
    return *this;
}

ListEdit& ListEdit::remove_clients(const std::vector<std::string>& emails) {
    const std::set<std::string> wanted(emails.begin(), emails.end());
    std::set<std::string> seen;
    for (auto& in : inbounds().GetArray()) {
        edit_settings_clients(in, [&](rapidjson::Value& clients, auto&) {
            erase_emails(clients, wanted, seen);
        });
        if (in.HasMember("clientStats") && in["clientStats"].IsArray()) {
            erase_emails(in["clientStats"], wanted, seen);
        }
    }
    require_all(wanted, seen);
    return *this;
}

ListEdit& ListEdit::remove_inbound(int id) {
    auto& list = inbounds();
    for (auto it = list.Begin(); it != list.End(); ++it) {
        if ((*it)["id"].GetInt() == id) {
            list.Erase(it);
            return *this;
        }
    }
    throw std::logic_error("ListEdit: no inbound " + std::to_string(id));
}

ListEdit& ListEdit::set_client_stat(const std::string& email, const char* key, int64_t value) {
    bool found = false;
    for_each_row([&](rapidjson::Value& row) {
        if (email_of(row) == email) {
            found = true;
            row[key].SetInt64(value);
        }
    });
    if (!found) {
        throw std::logic_error("ListEdit: no client " + email);
    }
    return *this;
}

std::string ListEdit::str() const { return to_text(m_doc); }

}  // namespace xuictl::test
