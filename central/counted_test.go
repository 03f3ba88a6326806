package central

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestSummaryFromKeptRowsEqualsARebuild: through a centre's upload the
// summary is counted from the rows kept since the last push (counted.go),
// and stays what a recount from the records gives: after the first large
// batch, a batch of edits, deletions and graduations, another PC's push,
// a push of tables the summary does not count, a push rolled back, and a
// write the copy did not see.
func TestSummaryFromKeptRowsEqualsARebuild(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			enrolled(t, s, c, "pc1")
			enrolled(t, s, c, "pc2")
			dev := func(name string) Device { return deviceOf(t, s, c, name) }
			last := func() int64 {
				t.Helper()
				var n int64
				if err := s.ro.QueryRowContext(ctx, s.q(`SELECT last_seq FROM centres WHERE id = ?`), c).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			kept := func(step string, want bool) {
				t.Helper()
				s.counted.mu.Lock()
				r, ok := s.counted.centres[c]
				s.counted.mu.Unlock()
				if want && (!ok || r.seq != last()) {
					t.Fatalf("%s: no copy of the counted rows at the centre's seq (%v)", step, ok)
				}
				if !want && ok {
					t.Fatalf("%s: a copy of the counted rows is kept", step)
				}
			}
			prog := &domain.Programme{Meta: domain.Meta{ID: domain.NewID()}, Name: "Las SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
			co := &domain.Cohort{Meta: domain.Meta{ID: domain.NewID()}, ProgrammeID: prog.ID, Year: 2025, Number: 1, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
			var trainees []*domain.Trainee
			var enrols []*domain.Enrollment
			recs := []domain.Record{prog, co}
			for i := range 200 {
				village := []string{"3201011001", "3507012001", ""}[i%3]
				tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK("320101", birth, i%2 == 0, 100+i), Name: "Ayu Lestari", Sex: "P", BirthDate: "2001-08-17", VillageCode: village}
				e := &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: co.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive, EnrolledOn: "2025-01-06"}
				if i%4 == 0 {
					e.Status, e.CompletedOn = domain.EnrollmentCompleted, "2025-03-28"
				}
				trainees, enrols = append(trainees, tr), append(enrols, e)
				recs = append(recs, tr, e)
			}
			// given a PC's first large batch
			pushAll(t, s, dev("pc1"), recs...)
			kept("the first batch", true)
			checkSummaries(t, s, "the first batch")

			// when the next batch edits, deletes and graduates
			recs = nil
			for i := range 60 {
				tr, e := trainees[i], enrols[i]
				switch i % 3 {
				case 0:
					tr.VillageCode = "3301012001"
					recs = append(recs, tr)
				case 1:
					e.Status, e.CompletedOn = domain.EnrollmentCompleted, "2025-03-28"
					recs = append(recs, e)
				case 2:
					tr.Deleted = true
					recs = append(recs, tr)
				}
				recs = append(recs, &domain.Outcome{Meta: domain.Meta{ID: domain.NewID()}, TraineeID: tr.ID, SurveyedOn: "2025-06-01", Status: domain.OutcomeEmployed})
			}
			pushAll(t, s, dev("pc1"), recs...)
			kept("edits", true)
			checkSummaries(t, s, "edits")

			// and another PC of the centre pushes
			tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK("320101", birth, true, 900), Name: "Budi", Sex: "L", BirthDate: "2001-08-17"}
			pushAll(t, s, dev("pc2"), tr, &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: co.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, EnrolledOn: "2025-01-06", CompletedOn: "2025-03-28"})
			kept("another PC", true)
			checkSummaries(t, s, "another PC")

			// and a push of what the summary does not count
			today := time.Now().UTC().Format(time.DateOnly)
			pushAll(t, s, dev("pc1"), &domain.Funding{Meta: domain.Meta{ID: domain.NewID()}, Source: "APBN", Amount: 80_000_000, Year: int64(time.Now().Year()), ReceivedOn: today, SourceKind: "government_grant"})
			kept("funding", true)

			// and a push that is rolled back
			d := dev("pc1")
			tx, err := s.rw.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			tr2 := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID(), CentreID: c}, NIK: domain.MakeNIK("320101", birth, true, 901), Name: "Citra", Sex: "P", BirthDate: "2001-08-17"}
			if _, err := s.pushTx(ctx, &txStmts{s: s, tx: tx}, d, []domain.Change{asChange(d.AppliedSeq+1, tr2)}, nil); err != nil {
				t.Fatal(err)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			kept("a rolled back push", false)
			pushAll(t, s, dev("pc1"), trainees[100])
			checkSummaries(t, s, "after a rolled back push")

			// and a write that moves the centre's seq behind the copy's back
			recs = nil
			for i, tr := range trainees {
				if !tr.Deleted {
					tr.Name = "Ayu Lestari Putri"
					recs = append(recs, tr, enrols[i])
				}
			}
			pushAll(t, s, dev("pc1"), recs...)
			kept("a large batch again", true)
			checkSummaries(t, s, "a large batch again")
			if _, err := s.rw.ExecContext(ctx, s.q(`UPDATE records SET deleted = 1 WHERE tbl = 'trainees' AND id = ?`), trainees[150].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.rw.ExecContext(ctx, s.q(`UPDATE centres SET last_seq = last_seq + 1 WHERE id = ?`), c); err != nil {
				t.Fatal(err)
			}
			pushAll(t, s, dev("pc1"), trainees[151])
			// then every figure is what a recount from the records gives
			checkSummaries(t, s, "after a write the copy did not see")
		})
	}
}

// TestSummaryStaysRightWhenTwoUploadsOfACentreRace: two PCs of a centre
// upload at once (PostgreSQL: the second waits for the first's lock while
// the first's kept rows are not yet put back); every figure stays what a
// recount from the records gives, through the next push that uses the
// kept rows.
func TestSummaryStaysRightWhenTwoUploadsOfACentreRace(t *testing.T) {
	s := openPG(t)
	ctx := context.Background()
	c := centreOf(t, s, "BLK A")
	d1, d2 := enrolled(t, s, c, "pc1"), enrolled(t, s, c, "pc2")
	serial := 0
	batch := func(d *Device, n int) []domain.Change {
		var cs []domain.Change
		for range n {
			serial++
			d.AppliedSeq++
			cs = append(cs, traineeChange(d.AppliedSeq, c, domain.NewID(), "Siti Aminah", serial))
		}
		return cs
	}
	if _, err := s.Push(ctx, d1, batch(&d1, countedFrom+44)); err != nil {
		t.Fatal(err)
	}
	first, second := batch(&d1, countedFrom+44), batch(&d2, countedFrom+44)
	errs := pushesSideBySide(t, s,
		func() error { _, err := s.Push(ctx, d1, first); return err },
		func() error { _, err := s.Push(ctx, d2, second); return err },
		"%FROM centres c JOIN devices d%")
	for i, err := range errs {
		if err != nil {
			t.Fatalf("upload %d: %v", i+1, err)
		}
	}
	checkSummaries(t, s, "two uploads at once")
	if _, err := s.Push(ctx, d1, batch(&d1, 3)); err != nil {
		t.Fatal(err)
	}
	checkSummaries(t, s, "a push after them")
}
