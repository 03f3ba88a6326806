-- The records behind the road map's self-reliance criteria (issue 14):
-- instructor certifications, the centre's legal documents, the business
-- unit's ledger, yearly road-map targets, the ministry's thresholds, and
-- the partner category and funding source kind the criteria count.
ALTER TABLE partners ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE funding ADD COLUMN source_kind TEXT NOT NULL DEFAULT '';

CREATE TABLE instructor_certifications (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    instructor_id TEXT NOT NULL DEFAULT '',
    cert_kind TEXT NOT NULL DEFAULT '',
    cert_number TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL DEFAULT '',
    expires_on TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX instructor_certifications_instructor ON instructor_certifications (instructor_id);

CREATE TABLE legal_documents (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    doc_kind TEXT NOT NULL DEFAULT '',
    doc_number TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL DEFAULT '',
    expires_on TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE ledger_lines (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    date TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL DEFAULT '',
    amount INTEGER NOT NULL DEFAULT 0,
    ledger_category TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ledger_lines_date ON ledger_lines (date);

CREATE TABLE roadmap_targets (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    target_year TEXT NOT NULL DEFAULT '',
    target_graduates INTEGER NOT NULL DEFAULT 0,
    target_placement_pct INTEGER NOT NULL DEFAULT 0,
    target_own_income_pct INTEGER NOT NULL DEFAULT 0,
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE kemandirian_thresholds (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    code TEXT NOT NULL DEFAULT '',
    berkembang_min INTEGER NOT NULL DEFAULT 0,
    sdm_instructors INTEGER NOT NULL DEFAULT 0,
    legal_accreditation INTEGER NOT NULL DEFAULT 0,
    own_income_pct INTEGER NOT NULL DEFAULT 0,
    income_months INTEGER NOT NULL DEFAULT 0,
    traced_pct INTEGER NOT NULL DEFAULT 0,
    traced_months INTEGER NOT NULL DEFAULT 0,
    partner_categories INTEGER NOT NULL DEFAULT 0,
    _v TEXT NOT NULL DEFAULT '{}'
);
