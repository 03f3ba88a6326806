package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// TestEveryRecordTypeRoundTrips creates, reads, lists, updates and deletes
// one record of every synced type through the typed store calls.
func TestEveryRecordTypeRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	prog := &domain.Programme{Name: "Teknik Las Dasar", FieldCode: "LAS", TotalJP: 184, MinutesPerJP: 45}
	cohort := &domain.Cohort{Year: 2026, Number: 3, StartDate: "2026-11-02", EndDate: "2026-12-11", Quota: 16, Status: domain.CohortRunning}
	tr := validTrainee()
	enr := &domain.Enrollment{Status: domain.EnrollmentActive, EnrolledOn: "2026-10-26"}
	steps := []struct {
		rec  domain.Record
		link func()
		edit func(domain.Record)
	}{
		{&domain.Instructor{Name: "Hamid Syarif", Phone: "0813-1111-2222", FieldCode: "LAS"}, nil, func(r domain.Record) { r.(*domain.Instructor).Certification = "BNSP Las" }},
		{prog, nil, func(r domain.Record) { r.(*domain.Programme).Description = "Las SMAW" }},
		{&domain.ProgrammeUnit{UnitCode: "LAS.02.008.01", Title: "Mengelas pelat", JP: 80}, nil, func(r domain.Record) { r.(*domain.ProgrammeUnit).Position = 2 }},
		{cohort, nil, func(r domain.Record) { r.(*domain.Cohort).FundingSource = "APBN" }},
		{tr, nil, func(r domain.Record) { r.(*domain.Trainee).Education = "sma" }},
		{enr, nil, func(r domain.Record) { r.(*domain.Enrollment).EnrolledOn = "2026-10-27" }},
		{&domain.Attendance{Date: "2026-11-02", Mark: "H"}, nil, func(r domain.Record) { r.(*domain.Attendance).Mark = "S" }},
		{&domain.Assessment{UnitCode: "LAS.02.008.01", LSP: "LSP P1", Result: "K", AssessedOn: "2026-11-20"}, nil, func(r domain.Record) { r.(*domain.Assessment).CertificateNo = "C-1" }},
		{&domain.Outcome{SurveyedOn: "2026-11-25", Status: domain.OutcomeEmployed, Employer: "CV Maju Jaya"}, nil, func(r domain.Record) { r.(*domain.Outcome).Sector = "Manufaktur" }},
		{&domain.Partner{Name: "CV Maju Jaya", Type: "industry", MoUStart: "2025-01-01", MoUEnd: "2027-01-01"}, nil, func(r domain.Record) { r.(*domain.Partner).Scope = "Magang" }},
		{&domain.Funding{Source: "APBN Kemnaker", Amount: 250_000_000, Year: 2026}, nil, func(r domain.Record) { r.(*domain.Funding).Note = "Tahap 1" }},
	}
	// Wire the references as the parents get ids.
	for _, st := range steps {
		switch r := st.rec.(type) {
		case *domain.ProgrammeUnit:
			r.ProgrammeID = prog.ID
		case *domain.Cohort:
			r.ProgrammeID = prog.ID
		case *domain.Enrollment:
			r.CohortID, r.TraineeID = cohort.ID, tr.ID
		case *domain.Attendance:
			r.EnrollmentID = enr.ID
		case *domain.Assessment:
			r.EnrollmentID = enr.ID
		case *domain.Outcome:
			r.TraineeID = tr.ID
		case *domain.Funding:
			r.CohortID = cohort.ID
		}
		tb := domain.TableOf(st.rec)
		t.Run(tb.Name, func(t *testing.T) {
			// create
			if _, err := s.Save(ctx, st.rec); err != nil {
				t.Fatalf("create: %v", err)
			}
			// read
			got := tb.New()
			got.Base().ID = st.rec.Base().ID
			if err := s.Get(ctx, got); err != nil {
				t.Fatal(err)
			}
			for _, f := range tb.Fields {
				if f.Get(got) != f.Get(st.rec) {
					t.Fatalf("%s: read %v, wrote %v", f.Name, f.Get(got), f.Get(st.rec))
				}
			}
			// list with paging
			recs, err := s.List(ctx, tb, store.Query{Limit: 1})
			if err != nil || len(recs) != 1 {
				t.Fatalf("list: %v %v", recs, err)
			}
			// update writes exactly one changed field
			seq, _ := s.PendingChanges(ctx, 0, 1<<20)
			st.edit(got)
			if _, err := s.Save(ctx, got); err != nil {
				t.Fatalf("update: %v", err)
			}
			after, _ := s.PendingChanges(ctx, seq[len(seq)-1].Seq, 10)
			if len(after) != 1 || len(after[0].Fields) != 1 {
				t.Fatalf("update outbox = %+v", after)
			}
		})
	}
	// delete the programme last: it cascades down to everything that hangs on it
	if err := s.Delete(ctx, prog); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"programmes", "programme_units", "cohorts", "enrollments", "attendance", "assessments"} {
		if n, _ := s.Count(ctx, domain.LookupTable(name), store.Query{}); n != 0 {
			t.Errorf("%s: %d live after deleting the programme", name, n)
		}
	}
	if err := s.Get(ctx, &domain.Programme{Meta: domain.Meta{ID: prog.ID}}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get deleted programme: %v", err)
	}
	if err := s.Delete(ctx, prog); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestEnrollmentRules(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.QuotaCap = 3
	prog := &domain.Programme{Name: "Menjahit", FieldCode: "GAR", TotalJP: 200, MinutesPerJP: 45}
	if _, err := s.Save(ctx, prog); err != nil {
		t.Fatal(err)
	}
	mk := func(n int64, start, end string) *domain.Cohort {
		c := &domain.Cohort{ProgrammeID: prog.ID, Year: 2026, Number: n, StartDate: start, EndDate: end, Quota: 2, Status: domain.CohortPlanned}
		if _, err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := mk(1, "2026-01-05", "2026-02-27")
	b := mk(2, "2026-02-16", "2026-03-27") // overlaps a
	c := mk(3, "2026-04-06", "2026-05-29")
	var trainees []*domain.Trainee
	for i := 0; i < 4; i++ {
		tr := benchTrainee(i)
		if _, err := s.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
		trainees = append(trainees, tr)
	}
	enrol := func(c *domain.Cohort, tr *domain.Trainee) (domain.Problems, error) {
		return s.Save(ctx, &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive})
	}
	for i := 0; i < 2; i++ {
		if w, err := enrol(a, trainees[i]); err != nil || len(w) != 0 {
			t.Fatalf("enrol %d: %v %v", i, w, err)
		}
	}
	// third trainee: above the quota of 2, a warning
	if w, err := enrol(a, trainees[2]); err != nil || len(w) != 1 || w[0].Code != "problem.cohort.overquota" {
		t.Fatalf("over quota: %v %v", w, err)
	}
	// fourth: above the cap of 3, refused
	var ve *domain.ValidationError
	if _, err := enrol(a, trainees[3]); !errors.As(err, &ve) || ve.Problems[0].Code != "problem.cohort.full" {
		t.Fatalf("over cap: %v", err)
	}
	// a trainee of cohort a cannot join the overlapping cohort b, but can join c
	if _, err := enrol(b, trainees[0]); !errors.As(err, &ve) || ve.Problems[0].Code != "problem.cohort.overlap" {
		t.Fatalf("overlap: %v", err)
	}
	if _, err := enrol(c, trainees[0]); err != nil {
		t.Fatalf("later cohort: %v", err)
	}
	// re-saving an existing enrollment does not count it twice against the cap
	if _, err := enrol(a, trainees[2]); err != nil {
		t.Fatalf("re-save: %v", err)
	}
	// a missing trainee is refused
	if _, err := s.Save(ctx, &domain.Enrollment{CohortID: c.ID, TraineeID: "nobody", Status: domain.EnrollmentActive}); !errors.As(err, &ve) || ve.Problems[0].Code != "problem.ref.missing" {
		t.Fatalf("missing trainee: %v", err)
	}
}
