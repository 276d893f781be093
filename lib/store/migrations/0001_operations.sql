-- Schema version 1: audit records, snapshots, the --once-per guard.
-- (The file name's number is the version: see lib/store/migrations.hpp.)

-- One row per destructive operation, committed with status pending (no
-- outcomes row) BEFORE its panel write is sent, with the plan stored once
-- (ops::plan_to_json). Never updated afterwards.
CREATE TABLE operations (
    id       TEXT PRIMARY KEY,
    time_ms  INTEGER NOT NULL,
    user     TEXT NOT NULL DEFAULT '',
    host     TEXT NOT NULL DEFAULT '',
    pid      INTEGER,                     -- the xuictl process; NULL when imported
    panel    TEXT NOT NULL,
    command  TEXT NOT NULL,
    insecure INTEGER NOT NULL DEFAULT 0,
    snapshot TEXT NOT NULL DEFAULT '',    -- snapshot id (or, imported, its old path)
    plan     TEXT                         -- JSON object, NULL when none was recorded
);
CREATE INDEX operations_by_time ON operations(time_ms);
CREATE INDEX operations_by_command ON operations(panel, command, time_ms);

-- The outcome of an operation: a second, small write. No row = pending.
-- status is free text (ok, failed, partial, ...): readers show what they
-- do not know as it is.
CREATE TABLE outcomes (
    operation_id TEXT PRIMARY KEY REFERENCES operations(id) ON DELETE CASCADE,
    status       TEXT NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    mismatches   TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    done         TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    not_done     TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    finished_ms  INTEGER NOT NULL DEFAULT 0
);

-- Snapshots: an opaque JSON object per operation id. The plan is stored
-- once: when plan_offset is not NULL, the text `,"plan":` || operations.plan
-- of the same id was cut out of the body at that byte offset, and readers
-- put it back there.
CREATE TABLE snapshots (
    id          TEXT PRIMARY KEY,
    panel       TEXT NOT NULL DEFAULT '',
    taken_at_ms INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL,
    plan_offset INTEGER
);

-- The --once-per guard: one key per panel + command + cycle, taken in the
-- transaction that records the operation (two concurrent runs cannot both
-- take it). Released when the operation ends other than ok.
CREATE TABLE once_per (
    panel          TEXT NOT NULL,
    command        TEXT NOT NULL,
    period         TEXT NOT NULL,             -- day | week | month
    cycle_start_ms INTEGER NOT NULL,
    operation_id   TEXT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
    PRIMARY KEY (panel, command, period, cycle_start_ms)
);
CREATE INDEX once_per_by_operation ON once_per(operation_id);

-- Files of the previous release (audit.jsonl, snapshots/) imported once.
CREATE TABLE imports (
    source      TEXT PRIMARY KEY,
    imported_ms INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    skipped     INTEGER NOT NULL
);
