-- 0002: the graduate tracer looks up the latest outcome of each trainee.
CREATE INDEX outcomes_trainee_date ON outcomes (trainee_id, surveyed_on);
