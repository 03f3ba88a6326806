-- 0300: training certificates with their nationally unique numbers and the
-- codes behind their QR codes (domain.Certificate).
CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    enrollment_id TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL DEFAULT '',
    check_code TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL DEFAULT '',
    revoked_on TEXT NOT NULL DEFAULT '',
    revoke_reason TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX certificates_enrollment ON certificates (enrollment_id);
CREATE INDEX certificates_number ON certificates (certificate_no);
