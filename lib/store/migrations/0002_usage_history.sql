-- Schema version 2: usage history (issue #16, lib/store/usage_history.hpp).
-- What each client moved between two samples (a `collect`, or the plan read
-- of a destructive command), kept past the panel's own counter resets.

-- A panel as history knows it: normalised base URL + " user:" + the FNV-1a
-- hash of the panel user (or " (token)"; no user name is stored), so
-- several panels, or two users of one panel, share one file.
CREATE TABLE usage_panels (
    id       INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE
);

-- One row per sample of a panel: the bytes its deltas hold moved in
-- (start_ms, end_ms]. A panel's first sample covers nothing (start = end).
-- Retention (compact_days) merges a local day's contiguous samples into one
-- row, resolution 'day'.
CREATE TABLE usage_samples (
    panel_id   INTEGER NOT NULL REFERENCES usage_panels(id),
    end_ms     INTEGER NOT NULL,
    start_ms   INTEGER NOT NULL,
    resolution TEXT NOT NULL DEFAULT 'sample',  -- 'sample' | 'day'
    PRIMARY KEY (panel_id, end_ms)
) WITHOUT ROWID;

-- A client (by email) of one panel: its counters when first seen (the
-- lifetime base), at its latest change, and when its current cycle began.
CREATE TABLE usage_clients (
    id             INTEGER PRIMARY KEY,
    panel_id       INTEGER NOT NULL REFERENCES usage_panels(id),
    email          TEXT NOT NULL,
    first_ms       INTEGER NOT NULL,
    first_up       INTEGER NOT NULL,
    first_down     INTEGER NOT NULL,
    last_ms        INTEGER NOT NULL,
    last_up        INTEGER NOT NULL,
    last_down      INTEGER NOT NULL,
    cycle_start_ms INTEGER NOT NULL,
    UNIQUE (panel_id, email)
);

-- What a client moved in the sample ending at end_ms; only non-zero rows
-- (a client that did not move costs nothing). Never negative.
CREATE TABLE usage_deltas (
    client_id INTEGER NOT NULL REFERENCES usage_clients(id),
    end_ms    INTEGER NOT NULL,
    up        INTEGER NOT NULL,
    down      INTEGER NOT NULL,
    PRIMARY KEY (client_id, end_ms)
) WITHOUT ROWID;

-- A closed cycle: the counters went down between last_ms (the last sample
-- that saw them, with these totals) and seen_ms (the sample that saw them
-- lower). cause: 'xuictl <command> <operation id>' when an audit record of
-- this panel in that interval names the client, else 'panel'.
CREATE TABLE usage_cycles (
    client_id INTEGER NOT NULL REFERENCES usage_clients(id),
    seen_ms   INTEGER NOT NULL,
    start_ms  INTEGER NOT NULL,
    last_ms   INTEGER NOT NULL,
    up        INTEGER NOT NULL,
    down      INTEGER NOT NULL,
    cause     TEXT NOT NULL,
    PRIMARY KEY (client_id, seen_ms)
) WITHOUT ROWID;
