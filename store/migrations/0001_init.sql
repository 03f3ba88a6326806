-- 0001: every synced table of the domain, plus change capture.
--
-- Synced tables carry no foreign keys on purpose: sync applies changes field
-- by field and a child may arrive before its parent; references are checked
-- by the store when a person writes. _v holds the per-field versions as JSON:
-- {"*":[clock,"device"],"field":[clock,"device"]}, "*" covering every field
-- written together when the row was created.

CREATE TABLE centres (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    host_type TEXT NOT NULL DEFAULT '',
    foundation TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    village_code TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    head TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE vocational_fields (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    code TEXT NOT NULL DEFAULT '',
    name_id TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE competency_units (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    field_code TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    jp INTEGER NOT NULL DEFAULT 0,
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE instructors (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    nik TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    field_code TEXT NOT NULL DEFAULT '',
    certification TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    field_code TEXT NOT NULL DEFAULT '',
    total_jp INTEGER NOT NULL DEFAULT 0,
    minutes_per_jp INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE programme_units (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    programme_id TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    jp INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE cohorts (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    programme_id TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL DEFAULT 0,
    number INTEGER NOT NULL DEFAULT 0,
    start_date TEXT NOT NULL DEFAULT '',
    end_date TEXT NOT NULL DEFAULT '',
    quota INTEGER NOT NULL DEFAULT 0,
    instructor_ids TEXT NOT NULL DEFAULT '',
    funding_source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE trainees (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    nik TEXT NOT NULL DEFAULT '',
    kk TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL DEFAULT '',
    birth_place TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',
    education TEXT NOT NULL DEFAULT '',
    grp TEXT NOT NULL DEFAULT '',
    disability TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    village_code TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE enrollments (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    cohort_id TEXT NOT NULL DEFAULT '',
    trainee_id TEXT NOT NULL DEFAULT '',
    enrolled_on TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    completed_on TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL DEFAULT '',
    certificate_date TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE attendance (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    enrollment_id TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    mark TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    enrollment_id TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '',
    lsp TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    assessed_on TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL DEFAULT '',
    certificate_date TEXT NOT NULL DEFAULT '',
    certificate_expiry TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE outcomes (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    trainee_id TEXT NOT NULL DEFAULT '',
    surveyed_on TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    employer TEXT NOT NULL DEFAULT '',
    sector TEXT NOT NULL DEFAULT '',
    income_band TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT '',
    mou_number TEXT NOT NULL DEFAULT '',
    mou_start TEXT NOT NULL DEFAULT '',
    mou_end TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE funding (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    amount INTEGER NOT NULL DEFAULT 0,
    year INTEGER NOT NULL DEFAULT 0,
    cohort_id TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX trainees_nik ON trainees (nik);
CREATE INDEX trainees_name ON trainees (name COLLATE NOCASE);
CREATE INDEX cohorts_programme ON cohorts (programme_id);
CREATE INDEX programme_units_programme ON programme_units (programme_id);
CREATE INDEX enrollments_cohort ON enrollments (cohort_id);
CREATE INDEX enrollments_trainee ON enrollments (trainee_id);
CREATE INDEX attendance_enrollment ON attendance (enrollment_id);
CREATE INDEX assessments_enrollment ON assessments (enrollment_id);
CREATE INDEX outcomes_trainee ON outcomes (trainee_id);
CREATE INDEX funding_cohort ON funding (cohort_id);
CREATE INDEX competency_units_field ON competency_units (field_code);

-- Substring search over name and NIK that stays fast at 100k trainees.
CREATE VIRTUAL TABLE trainee_search USING fts5 (
    name, nik, content='trainees', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER trainees_ai AFTER INSERT ON trainees BEGIN
    INSERT INTO trainee_search (rowid, name, nik) VALUES (new.rowid, new.name, new.nik);
END;
CREATE TRIGGER trainees_ad AFTER DELETE ON trainees BEGIN
    INSERT INTO trainee_search (trainee_search, rowid, name, nik) VALUES ('delete', old.rowid, old.name, old.nik);
END;
CREATE TRIGGER trainees_au AFTER UPDATE OF name, nik ON trainees BEGIN
    INSERT INTO trainee_search (trainee_search, rowid, name, nik) VALUES ('delete', old.rowid, old.name, old.nik);
    INSERT INTO trainee_search (rowid, name, nik) VALUES (new.rowid, new.name, new.nik);
END;

-- Settings and identity of this installation: device_id, centre_id, clock, …
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The outbox: one row per local write, in device-seq order. fields holds the
-- changed fields and their new values as a JSON object; base the versions
-- those fields had before the write (absent for fields never written), which
-- lets the merge tell a concurrent edit from a later one.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    clock INTEGER NOT NULL,
    fields TEXT NOT NULL,
    base TEXT NOT NULL DEFAULT '{}'
);

-- Changes the server refused, with its reason, for the operator to act on.
CREATE TABLE rejections (
    seq INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (seq, field)
);

-- Losing values of concurrent same-field edits, never dropped silently.
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    winner TEXT NOT NULL,
    winner_clock INTEGER NOT NULL,
    winner_device TEXT NOT NULL,
    loser TEXT NOT NULL,
    loser_clock INTEGER NOT NULL,
    loser_device TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    resolved INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conflicts_row ON conflicts (tbl, row_id);
