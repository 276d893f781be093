#include "ui/fleet_progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "ui/display.hpp"

namespace xuictl {
namespace {

const char* state_word(FleetProgress::State s) {
    switch (s) {
        case FleetProgress::State::waiting:
            return "waiting";
        case FleetProgress::State::reading:
            return "reading";
        case FleetProgress::State::done:
            return "done";
        case FleetProgress::State::failed:
            return "failed";
        case FleetProgress::State::planned:
            return "planned";
        case FleetProgress::State::skipped:
            return "skipped";
        case FleetProgress::State::writing:
            return "writing";
        case FleetProgress::State::verified:
            return "verified";
        case FleetProgress::State::not_started:
            return "not started";
        case FleetProgress::State::interrupted:
            return "interrupted";
    }
    return "";
}

}  // namespace

FleetProgress::FleetProgress(std::ostream& err, bool enabled,
                             const std::vector<std::string>& panels, std::vector<State> initial)
    : m_err(err), m_enabled(enabled), m_states(std::move(initial)) {
    m_states.resize(panels.size(), State::waiting);
    if (!m_enabled) {
        return;
    }
    for (const auto& p : panels) {
        m_panels.push_back(display(p));
        m_widths.push_back(display_width(m_panels.back()));
        m_width = std::max(m_width, m_widths.back());
    }
    for (size_t i = 0; i < m_panels.size(); ++i) {
        m_err << line(i) << "\n";
    }
    m_err.flush();
}

std::string FleetProgress::line(size_t i) const {
    // Padded by display width, not bytes: "ü" or a wide name lines up too.
    return fmt::format("{}{}  {}", m_panels[i], std::string(m_width - m_widths[i], ' '),
                       state_word(m_states[i]));
}

void FleetProgress::set(size_t i, State state) {
    if (!m_enabled) {
        return;
    }
    std::lock_guard<std::mutex> hold(m_lock);
    m_states[i] = state;
    // Up to the panel's line, clear it, rewrite it, back down below the last.
    const size_t up = m_panels.size() - i;
    m_err << fmt::format("\x1b[{}A\r\x1b[2K{}\x1b[{}B\r", up, line(i), up);
    m_err.flush();
}

}  // namespace xuictl
