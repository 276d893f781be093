-- Schema version 4: running totals, so a window's bytes are two index
-- lookups per client instead of a scan of every delta in the window
-- (bench/history: a year of hourly collects, `stats --since 30d`).
--
-- usage_deltas.cum_up/cum_down: the sum of up/down of this client's deltas
-- up to and including this row (end_ms order). What a client moved in
-- (from, to] is then cum at its last row at or before `to` minus cum at its
-- last row at or before `from`. Retention keeps it exact: a merged day row
-- carries the running total of the last row it replaces.
-- usage_clients.moved_up/moved_down: the sum of all its deltas (= the
-- running total of its latest row), what the next delta starts from.
-- Both are written in the sample's own transaction (UsageHistory).
ALTER TABLE usage_deltas ADD COLUMN cum_up INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_deltas ADD COLUMN cum_down INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_clients ADD COLUMN moved_up INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_clients ADD COLUMN moved_down INTEGER NOT NULL DEFAULT 0;

-- The rows written by version 2 and 3.
UPDATE usage_deltas SET (cum_up, cum_down) = (s.cu, s.cd)
FROM (SELECT client_id, end_ms,
             sum(up) OVER (PARTITION BY client_id ORDER BY end_ms) AS cu,
             sum(down) OVER (PARTITION BY client_id ORDER BY end_ms) AS cd
      FROM usage_deltas) AS s
WHERE usage_deltas.client_id = s.client_id AND usage_deltas.end_ms = s.end_ms;
UPDATE usage_clients SET
    moved_up = coalesce((SELECT sum(up) FROM usage_deltas d WHERE d.client_id = usage_clients.id), 0),
    moved_down = coalesce((SELECT sum(down) FROM usage_deltas d WHERE d.client_id = usage_clients.id), 0);
