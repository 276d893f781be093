-- Schema version 3: the panel identity of an operation (DESIGN §9): the
-- profile in effect and the panel user, beside the panel URL. Rows written
-- by version 1 read as '' (no profile known, user unknown).
ALTER TABLE operations ADD COLUMN profile TEXT NOT NULL DEFAULT '';
ALTER TABLE operations ADD COLUMN panel_user TEXT NOT NULL DEFAULT '';
