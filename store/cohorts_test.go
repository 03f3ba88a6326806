package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// cohortFixture saves a programme and a cohort and returns the cohort.
func cohortFixture(t *testing.T, s *store.Store, start, end string) *domain.Cohort {
	t.Helper()
	ctx := context.Background()
	p := &domain.Programme{Name: "Menjahit Dasar", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	if _, err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: start, EndDate: end, Quota: 16, Status: domain.CohortRunning}
	if _, err := s.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func traineeFixture(t *testing.T, s *store.Store, name string, serial int) *domain.Trainee {
	t.Helper()
	tr := &domain.Trainee{
		NIK:       domain.MakeNIK("320101", time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC), false, serial),
		Name:      name,
		Sex:       "L",
		BirthDate: "2000-01-02",
		Phone:     "0812-1111-2222",
	}
	if _, err := s.Save(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestCohortRosterAttendanceAndResultsAreScopedToTheCohort(t *testing.T) {
	ctx := context.Background()
	// given two cohorts of different times, each with one trainee and marks
	s := newStore(t)
	a := cohortFixture(t, s, "2026-01-05", "2026-02-27")
	b := cohortFixture(t, s, "2026-03-02", "2026-04-24")
	budi := traineeFixture(t, s, "Budi", 1)
	ani := traineeFixture(t, s, "Ani", 2)
	for _, en := range []*domain.Enrollment{
		{CohortID: a.ID, TraineeID: budi.ID, Status: domain.EnrollmentActive},
		{CohortID: a.ID, TraineeID: ani.ID, Status: domain.EnrollmentActive},
		{CohortID: b.ID, TraineeID: budi.ID, Status: domain.EnrollmentActive},
	} {
		if _, err := s.Save(ctx, en); err != nil {
			t.Fatal(err)
		}
	}
	enA := domain.NaturalID("enrollment", a.ID, budi.ID)
	enB := domain.NaturalID("enrollment", b.ID, budi.ID)
	for _, rec := range []domain.Record{
		&domain.Attendance{EnrollmentID: enA, Date: "2026-01-05", Mark: "H"},
		&domain.Attendance{EnrollmentID: enB, Date: "2026-03-02", Mark: "S"},
		&domain.Assessment{EnrollmentID: enA, UnitCode: "U1", Result: "K", AssessedOn: "2026-02-27"},
	} {
		if _, err := s.Save(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}

	// when the roster, marks and results of cohort a are read
	roster, err := s.CohortRoster(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	marks, err := s.CohortAttendance(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	results, err := s.CohortAssessments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}

	// then only cohort a's rows come back, the roster by name
	if len(roster) != 2 || roster[0].Name != "Ani" || roster[1].Name != "Budi" || roster[1].Enrollment.ID != enA {
		t.Fatalf("roster = %+v", roster)
	}
	if len(marks) != 1 || marks[0].Mark != "H" || marks[0].EnrollmentID != enA {
		t.Fatalf("marks = %+v", marks)
	}
	if len(results) != 1 || results[0].UnitCode != "U1" {
		t.Fatalf("results = %+v", results)
	}
}

func TestTracerDueListsGraduatesWhoseFollowUpIsOpen(t *testing.T) {
	tests := []struct {
		name        string
		completedOn string
		surveys     []string
		wantMonths  int // 0: not listed
		wantDue     string
	}{
		{"completed two months ago is not yet due", "2026-09-27", nil, 0, ""},
		{"three months ago without outcome is due at 3", "2026-08-27", nil, 3, "2026-11-27"},
		{"three-month survey recorded is done", "2026-08-01", []string{"2026-11-05"}, 0, ""},
		{"survey before the due date does not count", "2026-08-01", []string{"2026-10-20"}, 3, "2026-11-01"},
		{"seven months ago with only the 3-month survey is due at 6", "2026-04-20", []string{"2026-07-25"}, 6, "2026-10-20"},
		{"seven months ago without any survey is due at 6", "2026-04-20", nil, 6, "2026-10-20"},
		{"six-month survey recorded is done", "2026-04-20", []string{"2026-10-21"}, 0, ""},
		{"not completed is never listed", "", nil, 0, ""},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			// given one graduate of a cohort with the surveys of the case
			s := newStore(t)
			c := cohortFixture(t, s, "2026-01-05", "2026-02-27")
			tr := traineeFixture(t, s, "Lulusan", i+1)
			en := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}
			if tc.completedOn != "" {
				en.Status, en.CompletedOn = domain.EnrollmentCompleted, tc.completedOn
			}
			if _, err := s.Save(ctx, en); err != nil {
				t.Fatal(err)
			}
			for _, d := range tc.surveys {
				if _, err := s.Save(ctx, &domain.Outcome{TraineeID: tr.ID, SurveyedOn: d, Status: domain.OutcomeEmployed}); err != nil {
					t.Fatal(err)
				}
			}

			// when the tracer list is read today
			due, err := s.TracerDue(ctx, today, 0)
			if err != nil {
				t.Fatal(err)
			}

			// then the graduate is listed with the right follow-up, or not at all
			if tc.wantMonths == 0 {
				if len(due) != 0 {
					t.Fatalf("want nothing due, got %+v", due)
				}
				return
			}
			if len(due) != 1 || due[0].Months != tc.wantMonths || due[0].DueOn != tc.wantDue || due[0].TraineeID != tr.ID {
				t.Fatalf("want %d months due %s, got %+v", tc.wantMonths, tc.wantDue, due)
			}
			if due[0].Programme != "Menjahit Dasar" || due[0].Phone != "+6281211112222" {
				t.Fatalf("details = %+v", due[0])
			}
		})
	}
}

// BenchmarkAttendanceTap measures one tap of the attendance grid: the save
// of one natural-key attendance mark (row + outbox) in its own transaction.
func BenchmarkAttendanceTap(b *testing.B) {
	ctx := context.Background()
	s := newCohortBenchStore(b)
	c := &domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-01-05", EndDate: "2026-03-27", Quota: 16, Status: domain.CohortRunning}
	p := &domain.Programme{Name: "Las", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC), false, 1), Name: "Budi", Sex: "L", BirthDate: "2000-01-02"}
	mustBench(b, s.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Save(p); err != nil {
			return err
		}
		c.ProgrammeID = p.ID
		if _, err := tx.Save(c); err != nil {
			return err
		}
		if _, err := tx.Save(tr); err != nil {
			return err
		}
		_, err := tx.Save(&domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive})
		return err
	}))
	en := domain.NaturalID("enrollment", c.ID, tr.ID)
	marks := []string{"H", "S", "I", "A"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Save(ctx, &domain.Attendance{EnrollmentID: en, Date: "2026-01-05", Mark: marks[i%4]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTracerDue measures the tracer list over 5,000 graduates, half of
// them already surveyed.
func BenchmarkTracerDue(b *testing.B) {
	ctx := context.Background()
	s := newCohortBenchStore(b)
	const n = 5000
	mustBench(b, s.Write(ctx, func(tx *store.Tx) error {
		p := &domain.Programme{Name: "Menjahit", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
		if _, err := tx.Save(p); err != nil {
			return err
		}
		var cohorts []*domain.Cohort
		for k := 0; k < n/16; k++ {
			c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: int64(k + 1), StartDate: "2026-01-05", EndDate: "2026-03-27", Quota: 16, Status: domain.CohortCompleted}
			if _, err := tx.Save(c); err != nil {
				return err
			}
			cohorts = append(cohorts, c)
		}
		for i := 0; i < n; i++ {
			tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC), false, i+1), Name: "Lulusan", Sex: "L", BirthDate: "2000-01-02"}
			if _, err := tx.Save(tr); err != nil {
				return err
			}
			if _, err := tx.Save(&domain.Enrollment{CohortID: cohorts[i%len(cohorts)].ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-03-27"}); err != nil {
				return err
			}
			if i%2 == 0 {
				if _, err := tx.Save(&domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-07-01", Status: domain.OutcomeEmployed}); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		due, err := s.TracerDue(ctx, today, 0)
		if err != nil || len(due) != 500 {
			b.Fatalf("%d due, %v", len(due), err)
		}
	}
}

func newCohortBenchStore(b *testing.B) *store.Store {
	b.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(b.TempDir(), "blk.db"))
	mustBench(b, err)
	b.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return today }
	_, err = s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren"})
	mustBench(b, err)
	return s
}

func mustBench(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
