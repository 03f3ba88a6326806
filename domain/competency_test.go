package domain_test

import (
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

func TestCertificateRulesRefuseRevocationWithoutReasonAndExpiryBeforeIssue(t *testing.T) {
	rules := domain.Rules{Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	cases := []struct {
		name    string
		rec     domain.Record
		field   string
		invalid bool
	}{
		{"revoked with a reason", &domain.Certificate{EnrollmentID: "e", Number: "N", Code: "C", IssuedOn: "2026-10-30", RevokedOn: "2026-11-20", RevokeReason: "nama salah"}, "", false},
		{"revoked without a reason", &domain.Certificate{EnrollmentID: "e", Number: "N", Code: "C", IssuedOn: "2026-10-30", RevokedOn: "2026-11-20", RevokeReason: "  "}, "revoke_reason", true},
		{"valid certificate needs no reason", &domain.Certificate{EnrollmentID: "e", Number: "N", Code: "C", IssuedOn: "2026-10-30"}, "", false},
		{"BNSP with expiry", &domain.CompetencyCertificate{TraineeID: "t", Number: "N", Scheme: "S", IssuedOn: "2026-11-12", ExpiresOn: "2029-11-12"}, "", false},
		{"BNSP without expiry", &domain.CompetencyCertificate{TraineeID: "t", Number: "N", Scheme: "S", IssuedOn: "2026-11-12"}, "", false},
		{"BNSP expiring before issue", &domain.CompetencyCertificate{TraineeID: "t", Number: "N", Scheme: "S", IssuedOn: "2026-11-12", ExpiresOn: "2026-11-11"}, "expires_on", true},
		{"BNSP expiring on the issue day", &domain.CompetencyCertificate{TraineeID: "t", Number: "N", Scheme: "S", IssuedOn: "2026-11-12", ExpiresOn: "2026-11-12"}, "expires_on", true},
		{"BNSP without scheme", &domain.CompetencyCertificate{TraineeID: "t", Number: "N", IssuedOn: "2026-11-12"}, "scheme", true},
		{"BNSP without number", &domain.CompetencyCertificate{TraineeID: "t", Scheme: "S", IssuedOn: "2026-11-12"}, "certificate_no", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := domain.Validate(c.rec, rules)
			if ps.Invalid() != c.invalid {
				t.Fatalf("invalid = %v, want %v (%v)", ps.Invalid(), c.invalid, ps)
			}
			if c.field != "" && len(ps.For(c.field)) == 0 {
				t.Fatalf("no problem on %s: %v", c.field, ps)
			}
		})
	}
}
