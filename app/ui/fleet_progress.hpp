#pragma once

#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

namespace xuictl {

// One stderr line per panel of a fleet ("de1  reading"), rewritten in place
// as the panel's state changes; safe to call from the panel threads. Only
// on a terminal: disabled, it writes nothing at all (a pipe or a log gets
// no progress). Panel names are operator text (any TOML key): shown through
// display(), so a name cannot move the cursor or repaint the screen.
class FleetProgress {
public:
    enum class State {
        waiting,
        reading,
        done,
        failed,
        planned,
        skipped,
        writing,
        verified,
        not_started,
        interrupted
    };

    // `initial`: each panel's first state (empty: all waiting), e.g. a
    // write phase that starts where the plan left each panel.
    FleetProgress(std::ostream& err, bool enabled, const std::vector<std::string>& panels,
                  std::vector<State> initial = {});
    void set(size_t panel, State state);

private:
    std::string line(size_t panel) const;

    std::ostream& m_err;
    bool m_enabled;
    std::vector<std::string> m_panels;  // display()ed
    std::vector<size_t> m_widths;       // their display widths
    std::vector<State> m_states;
    size_t m_width = 0;
    std::mutex m_lock;
};

}  // namespace xuictl
