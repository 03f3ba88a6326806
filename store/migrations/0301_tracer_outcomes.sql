-- 0301: the tracer's outcome fields (domain.Outcome): KBLI section, whether
-- the job matches the vocational field, months to the first job.
ALTER TABLE outcomes ADD COLUMN kbli TEXT NOT NULL DEFAULT '';
ALTER TABLE outcomes ADD COLUMN job_match TEXT NOT NULL DEFAULT '';
ALTER TABLE outcomes ADD COLUMN months_to_job INTEGER NOT NULL DEFAULT 0;
