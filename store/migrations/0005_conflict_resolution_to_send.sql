-- A conflict the operator resolved on this PC is told to the server with
-- the next push, so every PC of the centre sees it resolved. Conflicts
-- that arrive from the server resolved elsewhere are never re-sent.
ALTER TABLE conflicts ADD COLUMN resolution_to_send INTEGER NOT NULL DEFAULT 0;
