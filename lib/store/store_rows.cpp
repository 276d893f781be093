#include "store/store_rows.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

namespace xuictl {

std::string strings_to_json(const std::vector<std::string>& items) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartArray();
    for (const auto& s : items) {
        w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
    }
    w.EndArray();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<std::string> strings_from_json(const std::string& text, bool& ok) {
    std::vector<std::string> out;
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    if (doc.HasParseError() || !doc.IsArray()) {
        ok = false;
        return out;
    }
    for (const auto& item : doc.GetArray()) {
        if (item.IsString()) {
            out.emplace_back(item.GetString(), item.GetStringLength());
        }
    }
    return out;
}

Status insert_operation(SqliteDb& db, const AuditEntry& e, std::optional<int64_t> pid,
                        bool if_absent) {
    auto st = SqliteStatement::prepare(
        db,
        fmt::format("INSERT {} INTO operations (id, time_ms, user, host, pid, panel, command, "
                    "insecure, snapshot, plan, profile, panel_user, fleet_id) VALUES (?1, ?2, ?3, "
                    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    if_absent ? "OR IGNORE" : ""));
    if (!st) {
        return st.error();
    }
    st->bind(1, e.id).bind(2, e.time_ms).bind(3, e.user).bind(4, e.host);
    if (pid) {
        st->bind(5, *pid);
    } else {
        st->bind_null(5);
    }
    st->bind(6, e.panel)
        .bind(7, e.command)
        .bind(8, int64_t{e.insecure ? 1 : 0})
        .bind(9, e.snapshot);
    st->bind_or_null(10, e.plan_json);
    st->bind(11, e.profile).bind(12, e.panel_user).bind(13, e.fleet_id);
    return st->run();
}

Status insert_outcome(SqliteDb& db, const AuditEntry& e, bool if_absent) {
    auto st = SqliteStatement::prepare(
        db, fmt::format("INSERT {} INTO outcomes (operation_id, status, error, mismatches, done, "
                        "not_done, finished_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        if_absent ? "OR IGNORE" : ""));
    if (!st) {
        return st.error();
    }
    st->bind(1, e.id).bind(2, e.status).bind(3, e.error).bind(4, strings_to_json(e.mismatches));
    st->bind(5, strings_to_json(e.done))
        .bind(6, strings_to_json(e.not_done))
        .bind(7, e.finished_ms);
    return st->run();
}

Status insert_snapshot(SqliteDb& db, const std::string& id, const std::string& panel,
                       int64_t taken_at_ms, std::string_view body, std::string_view plan_json,
                       bool if_absent) {
    std::string text(body);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    std::optional<int64_t> plan_offset;
    if (!plan_json.empty()) {
        const std::string member = fmt::format(",\"plan\":{}", plan_json);
        if (const auto at = text.find(member); at != std::string::npos) {
            text.erase(at, member.size());
            plan_offset = static_cast<int64_t>(at);
        }
    }
    auto st = SqliteStatement::prepare(
        db, fmt::format("INSERT {} INTO snapshots (id, panel, taken_at_ms, body, plan_offset) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)",
                        if_absent ? "OR IGNORE" : ""));
    if (!st) {
        return st.error();
    }
    st->bind(1, id).bind(2, panel).bind(3, taken_at_ms).bind(4, text);
    if (plan_offset) {
        st->bind(5, *plan_offset);
    } else {
        st->bind_null(5);
    }
    return st->run();
}

Result<OperationList> select_operations(SqliteDb& db, const std::string& where,
                                        const std::vector<SqlArg>& args) {
    auto st = SqliteStatement::prepare(
        db, fmt::format("SELECT o.id, o.time_ms, o.user, o.host, o.panel, o.command, o.insecure, "
                        "o.snapshot, o.plan, r.operation_id IS NOT NULL, r.status, r.error, "
                        "r.mismatches, r.done, r.not_done, r.finished_ms, o.profile, o.panel_user, "
                        "o.fleet_id "
                        "FROM operations o LEFT JOIN outcomes r ON r.operation_id = o.id {} "
                        "ORDER BY o.time_ms, o.rowid",
                        where.empty() ? "" : "WHERE " + where));
    if (!st) {
        return st.error();
    }
    for (size_t i = 0; i < args.size(); ++i) {
        std::visit([&](const auto& v) { st->bind(static_cast<int>(i) + 1, v); }, args[i]);
    }
    OperationList out;
    for (;;) {
        auto row = st->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        AuditEntry e;
        e.id = st->text(0);
        e.time_ms = st->int64(1);
        e.user = st->text(2);
        e.host = st->text(3);
        e.panel = st->text(4);
        e.command = st->text(5);
        e.insecure = st->int64(6) != 0;
        e.snapshot = st->text(7);
        e.plan_json = st->text(8);
        e.profile = st->text(16);
        e.panel_user = st->text(17);
        e.fleet_id = st->text(18);
        if (st->int64(9) != 0) {
            e.status = st->text(10);
            e.error = st->text(11);
            bool ok = true;
            e.mismatches = strings_from_json(st->text(12), ok);
            e.done = strings_from_json(st->text(13), ok);
            e.not_done = strings_from_json(st->text(14), ok);
            e.finished_ms = st->int64(15);
            if (!ok) {
                // A newer xuictl may store these differently: show the rest.
                out.skipped.push_back(
                    {"operation " + e.id, "its outcome lists are not JSON arrays"});
            }
        } else {
            e.status = "pending";
        }
        out.entries.push_back(std::move(e));
    }
    return out;
}

Result<std::optional<std::string>> select_snapshot(SqliteDb& db, const std::string& id) {
    auto st = SqliteStatement::prepare(db,
                                       "SELECT s.body, s.plan_offset, o.plan FROM snapshots s "
                                       "LEFT JOIN operations o ON o.id = s.id WHERE s.id = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, id);
    auto row = st->step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::optional<std::string>{};
    }
    std::string body = st->text(0);
    if (const auto offset = st->int64_or_null(1)) {
        const auto at = static_cast<size_t>(*offset);
        if (st->is_null(2) || at > body.size()) {
            return make_error(ErrorKind::storage,
                              fmt::format("{}: snapshot {} lost its plan (its operation record is "
                                          "gone)",
                                          db.path(), id));
        }
        body.insert(at, ",\"plan\":" + st->text(2));
    }
    body += '\n';
    return std::optional<std::string>(std::move(body));
}

}  // namespace xuictl
