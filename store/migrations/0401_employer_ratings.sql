-- 0401: employer satisfaction with a traced graduate (domain.EmployerRating),
-- attached to the tracer answer that names the employer.
CREATE TABLE employer_ratings (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    outcome_id TEXT NOT NULL DEFAULT '',
    rated_on TEXT NOT NULL DEFAULT '',
    rater TEXT NOT NULL DEFAULT '',
    rating_competence INTEGER NOT NULL DEFAULT 0,
    rating_discipline INTEGER NOT NULL DEFAULT 0,
    rating_teamwork INTEGER NOT NULL DEFAULT 0,
    comment TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX employer_ratings_outcome ON employer_ratings (outcome_id);
