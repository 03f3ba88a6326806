-- The centre profile the operator edits in Settings: its permit or
-- registration number and the attendance minimum that graduation checks.
ALTER TABLE centres ADD COLUMN permit_no TEXT NOT NULL DEFAULT '';
ALTER TABLE centres ADD COLUMN min_attendance INTEGER NOT NULL DEFAULT 0;
