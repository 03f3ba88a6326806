-- 0400: BNSP competency certificates recorded per trainee
-- (domain.CompetencyCertificate), beside the centre's training certificates.
CREATE TABLE competency_certificates (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    trainee_id TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL DEFAULT '',
    scheme TEXT NOT NULL DEFAULT '',
    lsp TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL DEFAULT '',
    expires_on TEXT NOT NULL DEFAULT '',
    _v TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX competency_certificates_trainee ON competency_certificates (trainee_id);
