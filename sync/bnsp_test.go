package sync_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// A BNSP certificate recorded on one PC reaches the server and the
// centre's other PC like any change; the same LSP list imported on both
// PCs while offline (same trainee, same number) converges to one record.
func TestBNSPCertificateSyncsAndTheSameFactOnTwoPCsIsOneRecord(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK Komunitas Al-Ikhlas")
			a := enrolDevice(t, st, url, centre, "PC-A")
			b := enrolDevice(t, st, url, centre, "PC-B")
			tr := trainee(1, "Siti Aminah")
			if _, err := a.st.Save(ctx, tr); err != nil {
				t.Fatal(err)
			}
			mustRound(t, a)
			mustRound(t, b)

			// offline, both record the same certificate; B also knows the expiry
			if _, err := a.st.Save(ctx, &domain.CompetencyCertificate{TraineeID: tr.ID, Number: "LAS.001.2026", Scheme: "Juru Las 3G", IssuedOn: "2026-11-12"}); err != nil {
				t.Fatal(err)
			}
			if _, err := b.st.Save(ctx, &domain.CompetencyCertificate{TraineeID: tr.ID, Number: "LAS.001.2026", Scheme: "Juru Las 3G", IssuedOn: "2026-11-12", ExpiresOn: "2029-11-12"}); err != nil {
				t.Fatal(err)
			}
			mustRound(t, a)
			mustRound(t, b)
			mustRound(t, a)

			for _, d := range []*device{a, b} {
				got, err := store.ListOf[*domain.CompetencyCertificate](ctx, d.st, store.Query{})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0].TraineeID != tr.ID || got[0].ExpiresOn != "2029-11-12" {
					t.Fatalf("%s after sync: %+v", d.name, got)
				}
			}
			n := 0
			err := st.Source(centre).EachRecord(ctx, "competency_certificates", func(r domain.Record) error {
				c := r.(*domain.CompetencyCertificate)
				if c.Number != "LAS.001.2026" || c.TraineeID != tr.ID {
					t.Errorf("server holds %+v", c)
				}
				n++
				return nil
			})
			if err != nil || n != 1 {
				t.Fatalf("server holds %d BNSP certificates (%v), want 1", n, err)
			}
		})
	}
}
