package pdfdoc_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/pdfdoc"
	"github.com/kemnaker/blk/store"
)

// A revoked certificate is not printed again: the cohort's PDF leaves its
// page out, and asking for it by name says why.
func TestRevokedCertificateIsNotPrinted(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	var buf bytes.Buffer
	if err := pdfdoc.Certificates(ctx, f.s, f.cohort.ID, "", &buf); err != nil {
		t.Fatal(err)
	}
	var budi *domain.Certificate
	ens, err := f.s.CertificatesOf(ctx, enrollmentsOf(t, f, f.budi.ID))
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range ens {
		budi = cs[0]
	}
	if budi == nil {
		t.Fatal("Budi has no certificate")
	}
	if err := f.s.RevokeCertificate(ctx, budi.ID, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), "salah nama"); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := pdfdoc.Certificates(ctx, f.s, f.cohort.ID, "", &buf); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	if n := pages(text); n != 1 || strings.Contains(text, "Budi Santoso") || !strings.Contains(text, "Siti Nurhaliza") {
		t.Fatalf("%d pages after revoking Budi's:\n%s", n, text)
	}
	err = pdfdoc.Certificates(ctx, f.s, f.cohort.ID, f.budi.ID, &buf)
	if !errors.Is(err, pdfdoc.ErrRevoked) || !strings.Contains(err.Error(), "dicabut pada 20-11-2026 (salah nama)") {
		t.Fatalf("printing Budi's alone: %v", err)
	}
}

func enrollmentsOf(t *testing.T, f *fixture, traineeID string) []string {
	t.Helper()
	ens, err := store.ListOf[*domain.Enrollment](context.Background(), f.s, store.Query{Filters: []store.Filter{{Field: "trainee_id", Value: traineeID}}})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(ens))
	for i, e := range ens {
		ids[i] = e.ID
	}
	return ids
}
