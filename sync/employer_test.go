package sync_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// An employer's rating of a graduate syncs like any tracer answer: the
// server keeps it and the centre's other PC receives it on the answer.
func TestEmployerRatingSyncsWithItsAnswer(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK Komunitas Al-Ikhlas")
			a := enrolDevice(t, st, url, centre, "PC-A")
			b := enrolDevice(t, st, url, centre, "PC-B")
			tr := trainee(1, "Siti Aminah")
			o := &domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-20", Status: domain.OutcomeEmployed, Employer: "CV Maju Jaya"}
			r := &domain.EmployerRating{RatedOn: "2026-11-21", Rater: "Bu Rina", Competence: 4, Discipline: 5, Teamwork: 4, Comment: "teliti"}
			err := a.st.Write(ctx, func(tx *store.Tx) error {
				if _, err := tx.Save(tr); err != nil {
					return err
				}
				o.TraineeID = tr.ID
				if _, err := tx.Save(o); err != nil {
					return err
				}
				r.OutcomeID = o.ID
				_, err := tx.Save(r)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			mustRound(t, a)
			mustRound(t, b)
			got, err := store.ListOf[*domain.EmployerRating](ctx, b.st, store.Query{})
			if err != nil || len(got) != 1 || got[0].OutcomeID != o.ID || got[0].Competence != 4 || got[0].Discipline != 5 || got[0].Comment != "teliti" {
				t.Fatalf("PC-B after sync: %+v %v", got, err)
			}
			n := 0
			if err := st.Source(centre).EachRecord(ctx, "employer_ratings", func(domain.Record) error { n++; return nil }); err != nil || n != 1 {
				t.Fatalf("server holds %d ratings (%v)", n, err)
			}
		})
	}
}
