-- Schema version 5: the fleet operation an operation belongs to (DESIGN §9,
-- issue 18): one id shared by the records of one destructive command run on
-- several panels (one record per panel), so `audit` groups them and
-- `clients restore` / `traffic restore` take the fleet id. Rows written
-- before it, and single-panel runs, read as '' (no fleet).
ALTER TABLE operations ADD COLUMN fleet_id TEXT NOT NULL DEFAULT '';
CREATE INDEX operations_by_fleet ON operations (fleet_id) WHERE fleet_id <> '';
