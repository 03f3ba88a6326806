package store_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// arrive applies rec as if another PC of the centre had written it.
func arrive(t *testing.T, s *store.Store, rec domain.Record) {
	t.Helper()
	domain.AssignNaturalID(rec)
	if rec.Base().ID == "" {
		rec.Base().ID = domain.NewID()
	}
	rec.Base().CentreID = s.CentreID()
	fields := domain.Values(rec)
	delete(fields, "id")
	c := domain.Change{Table: domain.TableOf(rec).Name, ID: rec.Base().ID, Clock: domain.MakeClock(today.UnixMilli(), 1), Device: "pc-2", Fields: fields}
	if err := s.ApplyRemote(context.Background(), []domain.Change{c}, 0); err != nil {
		t.Fatal(err)
	}
}

func TestMergeTraineesRegisteredTwiceOffline(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	// given one person registered here, with an enrollment in cohort A and a mark
	prog := &domain.Programme{Name: "Menjahit", FieldCode: "GAR", TotalJP: 200, MinutesPerJP: 45}
	s.Save(ctx, prog)
	a := &domain.Cohort{ProgrammeID: prog.ID, Year: 2026, Number: 1, StartDate: "2026-01-05", EndDate: "2026-02-27", Quota: 16, Status: domain.CohortCompleted}
	b := &domain.Cohort{ProgrammeID: prog.ID, Year: 2026, Number: 2, StartDate: "2026-04-06", EndDate: "2026-05-29", Quota: 16, Status: domain.CohortCompleted}
	s.Save(ctx, a)
	s.Save(ctx, b)
	keep := validTrainee()
	keep.Email = ""
	if _, err := s.Save(ctx, keep); err != nil {
		t.Fatal(err)
	}
	ka := &domain.Enrollment{CohortID: a.ID, TraineeID: keep.ID, Status: domain.EnrollmentActive}
	s.Save(ctx, ka)
	s.Save(ctx, &domain.Attendance{EnrollmentID: ka.ID, Date: "2026-01-05", Mark: "H"})
	// and the same NIK registered on another PC, with its own history
	lose := validTrainee()
	lose.Email = "siti@example.id"
	arrive(t, s, lose)
	la := &domain.Enrollment{CohortID: a.ID, TraineeID: lose.ID, Status: domain.EnrollmentActive}
	arrive(t, s, la)
	arrive(t, s, &domain.Attendance{EnrollmentID: la.ID, Date: "2026-01-05", Mark: "A"}) // keep's own mark stands
	arrive(t, s, &domain.Attendance{EnrollmentID: la.ID, Date: "2026-01-06", Mark: "S"}) // a day keep lacks
	lb := &domain.Enrollment{CohortID: b.ID, TraineeID: lose.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-05-29"}
	arrive(t, s, lb)
	out := &domain.Outcome{TraineeID: lose.ID, SurveyedOn: "2026-09-01", Status: domain.OutcomeEmployed}
	arrive(t, s, out)
	dups, err := s.DuplicateTrainees(ctx, keep.ID)
	if err != nil || len(dups) != 2 {
		t.Fatalf("duplicates = %d, %v", len(dups), err)
	}

	// when they are merged
	if err := s.MergeTrainees(ctx, keep.ID, lose.ID); err != nil {
		t.Fatal(err)
	}

	// then one person remains, with the loser's email and whole history
	if dups, _ := s.DuplicateTrainees(ctx, keep.ID); len(dups) != 1 {
		t.Fatalf("still %d records with the NIK", len(dups))
	}
	got := &domain.Trainee{}
	got.ID = keep.ID
	s.Get(ctx, got)
	if got.Email != "siti@example.id" {
		t.Fatalf("email not taken over: %q", got.Email)
	}
	enrs, _ := store.ListOf[*domain.Enrollment](ctx, s, store.Query{Filters: []store.Filter{{Field: "trainee_id", Value: keep.ID}}})
	if len(enrs) != 2 {
		t.Fatalf("keep has %d enrollments, want 2 (cohort A and B)", len(enrs))
	}
	marks, _ := store.ListOf[*domain.Attendance](ctx, s, store.Query{Filters: []store.Filter{{Field: "enrollment_id", Value: ka.ID}}, OrderBy: "date"})
	if len(marks) != 2 || marks[0].Mark != "H" || marks[1].Mark != "S" {
		t.Fatalf("marks of keep in cohort A = %+v", marks)
	}
	outs, _ := store.ListOf[*domain.Outcome](ctx, s, store.Query{Filters: []store.Filter{{Field: "trainee_id", Value: keep.ID}}})
	if len(outs) != 1 {
		t.Fatalf("outcome not moved: %d", len(outs))
	}
	if err := s.Get(ctx, lose); err == nil {
		t.Fatal("the merged-away record is still live")
	}
	if err := s.MergeTrainees(ctx, keep.ID, keep.ID); err == nil {
		t.Fatal("merged a trainee with itself")
	}
}
