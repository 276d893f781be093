#include "store/known_clients.hpp"

#include <utility>

namespace xuictl {

Result<KnownClients> KnownClients::load(SqliteDb& db, int64_t panel_id) {
    auto st = SqliteStatement::prepare(
        db,
        "SELECT email, id, last_ms, last_up, last_down, cycle_start_ms, moved_up, moved_down "
        "FROM usage_clients WHERE panel_id = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel_id);
    KnownClients known;
    std::vector<std::pair<size_t, size_t>> spans;  // each email's offset and size in m_emails
    while (true) {
        auto row = st->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        const std::string_view email = st->text_view(0);
        spans.emplace_back(known.m_emails.size(), email.size());
        known.m_emails.insert(known.m_emails.end(), email.begin(), email.end());
        known.m_rows.push_back(KnownClient{st->int64(1), st->int64(2), st->int64(3), st->int64(4),
                                           st->int64(5), st->int64(6), st->int64(7)});
    }
    // Views only once the buffer is complete: it no longer moves.
    known.m_index.reserve(spans.size());
    const std::string_view all(known.m_emails.data(), known.m_emails.size());
    for (size_t i = 0; i < spans.size(); ++i) {
        known.m_index.emplace(all.substr(spans[i].first, spans[i].second), i);
    }
    return known;
}

KnownClient* KnownClients::find(std::string_view email) {
    const auto it = m_index.find(email);
    return it == m_index.end() ? nullptr : &m_rows[it->second];
}

}  // namespace xuictl
