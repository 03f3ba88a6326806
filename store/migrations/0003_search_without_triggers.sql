-- 0003: keep the trainee search index from Go instead of triggers.
--
-- A trigger makes every trainee write a multi-statement write, which opens a
-- statement savepoint, and FTS5 flushes its pending index to disk at every
-- savepoint: one flush per trainee, 10% of a bulk insert. The index becomes
-- a plain FTS5 table keyed by the trainee's rowid, written by store.Tx with
-- single-row statements, so no old values are needed to change it.
DROP TRIGGER trainees_ai;
DROP TRIGGER trainees_ad;
DROP TRIGGER trainees_au;
DROP TABLE trainee_search;
CREATE VIRTUAL TABLE trainee_search USING fts5 (name, nik, tokenize='trigram');
INSERT INTO trainee_search (rowid, name, nik) SELECT rowid, name, nik FROM trainees;
