package store_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// dueByRule is the tracer rule written out in Go, date by date, as the
// specification the SQL of TracerDuePage must agree with.
func dueByRule(t *testing.T, s *store.Store, completed map[string]string, surveyed map[string]string, names map[string]string) []store.FollowUp {
	t.Helper()
	var out []store.FollowUp
	for id, done := range completed {
		d, _ := domain.ParseDate(done)
		if done > today.AddDate(0, -3, 0).Format(domain.DateLayout) {
			continue
		}
		for _, months := range []int{6, 3} {
			due := d.AddDate(0, months, 0).Format(domain.DateLayout)
			if due > today.Format(domain.DateLayout) {
				continue
			}
			if surveyed[id] < due {
				out = append(out, store.FollowUp{TraineeID: id, Name: names[id], CompletedOn: done, Months: months, DueOn: due, LastSurvey: surveyed[id]})
			}
			break
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DueOn != b.DueOn {
			return a.DueOn < b.DueOn
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.TraineeID < b.TraineeID
	})
	return out
}

func TestTracerDuePagesFollowTheRuleInOrderWithoutOverlap(t *testing.T) {
	ctx := context.Background()
	// given graduates completed on many dates (month ends included, where
	// adding months overflows), some with a survey, some with two names alike
	s := newStore(t)
	cohorts := []*domain.Cohort{cohortFixture(t, s, "2025-01-06", "2025-02-28"), cohortFixture(t, s, "2025-03-03", "2025-04-25")}
	dates := []string{"2025-08-31", "2026-05-31", "2026-02-28", "2025-11-30", "2026-08-27", "2026-08-28",
		"2026-04-20", "2026-06-15", "2026-01-31", "2026-03-31", "2026-09-01", "2025-12-31"}
	surveys := []string{"", "", "2026-10-21", "", "2026-07-25", ""}
	completed, surveyed, names := map[string]string{}, map[string]string{}, map[string]string{}
	for i := 0; i < 29; i++ {
		name := []string{"Siti Aminah", "Ahmad Fauzi", "Dewi Lestari"}[i%3]
		tr := traineeFixture(t, s, name, i+1)
		done := dates[i%len(dates)]
		if _, err := s.Save(ctx, &domain.Enrollment{CohortID: cohorts[i%2].ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: done}); err != nil {
			t.Fatal(err)
		}
		if sv := surveys[i%len(surveys)]; sv != "" {
			if _, err := s.Save(ctx, &domain.Outcome{TraineeID: tr.ID, SurveyedOn: sv, Status: domain.OutcomeEmployed}); err != nil {
				t.Fatal(err)
			}
			surveyed[tr.ID] = sv
		}
		completed[tr.ID], names[tr.ID] = done, name
	}
	want := dueByRule(t, s, completed, surveyed, names)
	if len(want) < 12 {
		t.Fatalf("fixture too small: %d due", len(want))
	}

	// when the list is read in pages of 5, each after the last row of the one before, and counted
	var got []store.FollowUp
	var after *store.FollowUp
	for {
		page, err := s.TracerDuePage(ctx, today, after, 5)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if len(page) < 5 {
			break
		}
		after = &page[len(page)-1]
	}
	n, err := s.TracerDueCount(ctx, today)
	if err != nil {
		t.Fatal(err)
	}

	// then the pages together are the rule's list, in its order, and the count matches
	if n != len(want) || len(got) != len(want) {
		t.Fatalf("count %d, pages hold %d, rule says %d", n, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.TraineeID != w.TraineeID || g.Months != w.Months || g.DueOn != w.DueOn || g.CompletedOn != w.CompletedOn || g.LastSurvey != w.LastSurvey {
			t.Fatalf("row %d: got %+v, want %+v", i, g, w)
		}
		if g.Programme != "Menjahit Dasar" || g.Phone == "" {
			t.Fatalf("row %d details: %+v", i, g)
		}
	}
	// and TracerDue is the first page of the same list
	first, err := s.TracerDue(ctx, today, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 7 || first[6].TraineeID != want[6].TraineeID {
		t.Fatalf("TracerDue(7) = %d rows, want the first 7 of the rule", len(first))
	}
}

// BenchmarkTracerDuePage reads the first page and the count of the tracer
// list on a demo data folder (BLK_BENCH_DATA, e.g. 100k trainees: ~90k due).
func BenchmarkTracerDuePage(b *testing.B) {
	dir := os.Getenv("BLK_BENCH_DATA")
	if dir == "" {
		b.Skip("set BLK_BENCH_DATA to a data folder made by blk demo")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, store.DefaultFile))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := s.Now()
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TracerDuePage(ctx, now, nil, 200); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("count", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TracerDueCount(ctx, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
