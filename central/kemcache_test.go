package central

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestKemandirianAssessmentFollowsEveryPush: the centre's assessment is
// kept between reads, and after each push it is what a fresh computation
// from the records gives.
func TestKemandirianAssessmentFollowsEveryPush(t *testing.T) {
	ctx := context.Background()
	s := openTempSQLite(t)
	n := seedNation(t, s)
	check := func(step string) domain.KemandirianAssessment {
		t.Helper()
		got, err := s.Kemandirian(ctx, n.a)
		if err != nil {
			t.Fatal(err)
		}
		in, err := s.kemandirianInput(ctx, n.a)
		if err != nil {
			t.Fatal(err)
		}
		if want := domain.AssessKemandirian(in, s.now()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: kept assessment differs from a fresh one:\n got %+v\nwant %+v", step, got, want)
		}
		return got
	}
	before := check("after the first pushes")
	check("read again")
	dev := deviceOf(t, s, n.a, "a1")
	var recs []domain.Record
	prog := &domain.Programme{Meta: domain.Meta{ID: domain.NewID()}, Name: "Menjahit", FieldCode: "JAH", TotalJP: 200, MinutesPerJP: 45}
	co := &domain.Cohort{Meta: domain.Meta{ID: domain.NewID()}, ProgrammeID: prog.ID, Year: 2025, Number: 2, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
	recs = append(recs, prog, co)
	for i := range 20 {
		tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK("320101", birth, true, 500+i), Name: "Ayu Lestari", Sex: "P", BirthDate: "2001-08-17"}
		recs = append(recs, tr, &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: co.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, EnrolledOn: "2025-01-06", CompletedOn: "2025-03-28"},
			&domain.Outcome{Meta: domain.Meta{ID: domain.NewID()}, TraineeID: tr.ID, SurveyedOn: "2025-06-01", Status: domain.OutcomeEmployed})
	}
	pushAll(t, s, dev, recs...)
	after := check("after 20 more graduates")
	if reflect.DeepEqual(before, after) {
		t.Fatal("20 more employed graduates did not change the assessment: the test shows nothing")
	}
	s.now = func() time.Time { return time.Now().AddDate(0, 0, 400) }
	check("a year later")
}

// TestKemandirianRefresherWaitsForThePushesToPause: a train of pushes
// wakes the background refresher, which grades the centre once they pause
// rather than after each one; a reader meanwhile refreshes the level
// itself. The test stands in for the clock: no wait of the refresher ends
// until it fires the timers.
func TestKemandirianRefresherWaitsForThePushesToPause(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			timers := make(chan chan time.Time, 64)
			s.startKemandirian(func(time.Duration) <-chan time.Time {
				c := make(chan time.Time, 1)
				timers <- c
				return c
			})
			c := centreOf(t, s, "BLK A")
			d := enrolled(t, s, c, "pc1")
			seq := int64(0)
			push := func(n int) {
				t.Helper()
				var batch []domain.Change
				for range n {
					seq++
					batch = append(batch, traineeChange(seq, c, domain.NewID(), "Siti Aminah", int(seq)))
				}
				if _, err := s.Push(ctx, d, batch); err != nil {
					t.Fatal(err)
				}
			}
			stored := func() (level, last int64) {
				t.Helper()
				if err := s.ro.QueryRowContext(ctx, s.q(`SELECT coalesce((SELECT seq FROM kemandirian WHERE centre_id = ?), -1), last_seq FROM centres WHERE id = ?`), c, c).Scan(&level, &last); err != nil {
					t.Fatal(err)
				}
				return level, last
			}
			var pending []chan time.Time
			waitTimers := func(n int) {
				t.Helper()
				for len(pending) < n {
					select {
					case tc := <-timers:
						pending = append(pending, tc)
					case <-time.After(10 * time.Second):
						t.Fatalf("the refresher asked for %d timers, want %d: it is not waiting for the pushes to pause", len(pending), n)
					}
				}
			}
			// when a PC's upload comes in several pushes
			for range 5 {
				push(100)
			}
			// then the refresher waits (its pause and its limit), and has
			// graded nothing
			waitTimers(2)
			if n := s.kem.refreshes.Load(); n != 0 {
				t.Fatalf("%d refreshes during the pushes", n)
			}
			if level, _ := stored(); level != -1 {
				t.Fatalf("a level was stored at seq %d during the pushes", level)
			}
			// when the pushes pause, it grades the centre at its last seq
			for _, tc := range pending {
				tc <- time.Now()
			}
			pending = nil
			for deadline := time.Now().Add(10 * time.Second); s.kem.refreshes.Load() == 0; time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("no refresh after the pushes paused")
				}
			}
			if level, last := stored(); level != last {
				t.Fatalf("level stored at seq %d, the centre is at %d", level, last)
			}
			// and a reader during the next train gets the level of every
			// push so far, before the refresher's pause ends
			push(100)
			rows, err := s.KemandirianLevels(ctx)
			if err != nil || len(rows) != 1 {
				t.Fatalf("levels: %+v %v", rows, err)
			}
			if level, last := stored(); level != last || s.kem.refreshes.Load() != 1 {
				t.Fatalf("after a read: level at seq %d, centre at %d, %d refreshes of the worker", level, last, s.kem.refreshes.Load())
			}
		})
	}
}
