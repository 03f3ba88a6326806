package central

import (
	"context"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestMergingSideBySideStoresWhatMergingInOrderStores: a batch large
// enough to be merged on every core (outcomes) gives the very rows,
// conflicts, rejections and centre events of merging its changes one
// after another: new records, a record changed twice, concurrent edits of
// stored records, rejected changes, enrollments checked against a stored
// cohort and against one the same batch writes.
func TestMergingSideBySideStoresWhatMergingInOrderStores(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			n := seedNation(t, s)
			now := time.Now()
			s.now = func() time.Time { return now }
			dev := deviceOf(t, s, n.a, "a2")
			var cohort string
			if err := s.ro.QueryRowContext(ctx, s.q(`SELECT id FROM records WHERE centre_no = `+centreNoOf+` AND tbl = 'cohorts'`), n.a).Scan(&cohort); err != nil {
				t.Fatal(err)
			}
			batch := func(newCohort bool) []domain.Change {
				seq := dev.AppliedSeq
				var cs []domain.Change
				add := func(rec domain.Record) {
					rec.Base().CentreID = dev.CentreID
					seq++
					cs = append(cs, asChange(seq, rec))
				}
				into := cohort
				if newCohort {
					co := &domain.Cohort{Meta: domain.Meta{ID: domain.NewID()}, ProgrammeID: domain.NewID(), Year: 2025, Number: 2, StartDate: "2025-02-03", EndDate: "2025-04-25", Quota: 16, Status: domain.CohortCompleted}
					add(co)
					into = co.ID
				}
				var twice *domain.Trainee
				for i := range 300 {
					tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK("320101", birth, true, 100+i), Name: "Ayu Lestari", Sex: "P", BirthDate: "2001-08-17"}
					if i%50 == 7 {
						tr.Name = "" // refused by the domain's rules
					}
					add(tr)
					if i == 3 {
						twice = tr
					}
					e := &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: into, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, EnrolledOn: "2025-01-06", CompletedOn: "2025-03-28"}
					if i%40 == 11 {
						e.CompletedOn = "2025-01-10" // before the new cohort starts
					}
					add(e)
				}
				seq++
				cs = append(cs, domain.Change{Seq: seq, Table: "trainees", ID: twice.ID, Clock: domain.MakeClock(now.UnixMilli(), seq), Fields: map[string]any{"name": "Ayu Lestari Putri"}})
				seq++
				cs = append(cs, domain.Change{Seq: seq, Table: "trainees", ID: n.t1, Clock: domain.MakeClock(now.UnixMilli()+5, seq), Fields: map[string]any{"name": "Siti A."}})
				seq++
				cs = append(cs, domain.Change{Seq: seq, Table: "trainees", ID: n.t1, Clock: domain.MakeClock(now.Add(-time.Hour).UnixMilli(), seq), Fields: map[string]any{"sex": "L"}})
				seq++
				cs = append(cs, domain.Change{Seq: seq, Table: "trainees", ID: domain.NewID(), Clock: 0, Fields: map[string]any{"name": "Tanpa Jam"}})
				if err := CheckChanges(dev, cs); err != nil {
					t.Fatal(err)
				}
				return cs
			}
			for _, newCohort := range []bool{false, true} {
				changes := batch(newCohort)
				// given the batch merged one change after another
				want := newMerger(dev, now)
				if err := want.preload(ctx, s, s.ro, changes); err != nil {
					t.Fatal(err)
				}
				for _, c := range changes {
					k, err := want.apply(c)
					if err != nil {
						t.Fatal(err)
					}
					want.newConflicts += k
				}
				if len(want.rejections) == 0 || len(want.conflicts) == 0 {
					t.Fatalf("the batch shows nothing: %d rejections, %d conflicts", len(want.rejections), len(want.conflicts))
				}
				// when it is merged side by side
				probe := newMerger(dev, now)
				if err := probe.preload(ctx, s, s.ro, changes); err != nil {
					t.Fatal(err)
				}
				side := 0
				for _, o := range probe.outcomes(changes) {
					if o != nil {
						side++
					}
				}
				if side < len(changes)/3 {
					t.Fatalf("new cohort %v: only %d of %d changes merged side by side", newCohort, side, len(changes))
				}
				got, err := s.merge(ctx, s.ro, dev, dev.AppliedSeq, changes)
				if err != nil {
					t.Fatal(err)
				}
				// then it stores the same
				if !reflect.DeepEqual(got.dirty, want.dirty) || !reflect.DeepEqual(got.conflicts, want.conflicts) ||
					!reflect.DeepEqual(got.rejections, want.rejections) || got.events != want.events || got.newConflicts != want.newConflicts {
					t.Fatalf("new cohort %v: merged side by side: %d rows, %d conflicts, %d rejections, %d events; in order: %d, %d, %d, %d",
						newCohort, len(got.dirty), len(got.conflicts), len(got.rejections), got.events, len(want.dirty), len(want.conflicts), len(want.rejections), want.events)
				}
			}
		})
	}
}
