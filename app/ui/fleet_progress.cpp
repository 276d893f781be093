#include "ui/fleet_progress.hpp"

#include <fmt/format.h>

#include <ostream>

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
    }
    return "";
}

}  // namespace

FleetProgress::FleetProgress(std::ostream& err, bool enabled,
                             const std::vector<std::string>& panels)
    : m_err(err), m_enabled(enabled), m_panels(panels), m_states(panels.size(), State::waiting) {
    if (!m_enabled) {
        return;
    }
    for (const auto& p : m_panels) {
        m_width = std::max(m_width, p.size());
    }
    for (size_t i = 0; i < m_panels.size(); ++i) {
        m_err << line(i) << "\n";
    }
    m_err.flush();
}

std::string FleetProgress::line(size_t i) const {
    return fmt::format("{:<{}}  {}", m_panels[i], m_width, state_word(m_states[i]));
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
