package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// heard subscribes to s and returns what it heard so far, one line per
// committed write ("trainees,enrollments").
func heard(t *testing.T, s *store.Store) func() []string {
	t.Helper()
	var got []string
	cancel := s.Subscribe(func(c store.Changed) { got = append(got, fmt.Sprint(c.Tables)) })
	t.Cleanup(cancel)
	return func() []string { r := got; got = nil; return r }
}

func TestACommittedWriteTellsSubscribersWhichTablesChanged(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	news := heard(t, s)

	// a local save of a trainee
	tr := validTrainee()
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if got := news(); fmt.Sprint(got) != "[[trainees]]" {
		t.Fatalf("after a save: %v", got)
	}
	// saving it again unchanged writes nothing, so says nothing
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if got := news(); len(got) != 0 {
		t.Fatalf("after an unchanged save: %v", got)
	}
	// a refused write (invalid record) commits nothing and says nothing
	bad := validTrainee()
	bad.NIK = "123"
	if _, err := s.Save(ctx, bad); err == nil {
		t.Fatal("invalid trainee saved")
	}
	// a write of two tables in one transaction is one notice naming both
	p := &domain.Programme{Name: "Menjahit", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	err := s.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Save(p); err != nil {
			return err
		}
		_, err := tx.Save(&domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-11-16", EndDate: "2026-11-27", Quota: 16, Status: domain.CohortPlanned})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := news(); fmt.Sprint(got) != "[[cohorts programmes]]" {
		t.Fatalf("after a programme and a cohort: %v", got)
	}
	// a delete
	if err := s.Delete(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if got := news(); fmt.Sprint(got) != "[[trainees]]" {
		t.Fatalf("after a delete: %v", got)
	}
}

func TestAPulledChangeTellsSubscribersToo(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	news := heard(t, s)
	other := benchTrainee(2)
	other.ID, other.CentreID, other.Name = domain.NewID(), s.CentreID(), "Dewi Lestari"
	fields := domain.Values(other)
	delete(fields, "id")
	change := domain.Change{Table: "trainees", ID: other.ID, Clock: domain.MakeClock(today.UnixMilli(), 0), Device: "pc-2", Fields: fields}
	if err := s.ApplyRemote(ctx, []domain.Change{change}, 7); err != nil {
		t.Fatal(err)
	}
	if got := news(); fmt.Sprint(got) != "[[trainees]]" {
		t.Fatalf("after a pull: %v", got)
	}
	// the same change again loses every field to what is there: no news
	if err := s.ApplyRemote(ctx, []domain.Change{change}, 8); err != nil {
		t.Fatal(err)
	}
	if got := news(); len(got) != 0 {
		t.Fatalf("after a pull that changed nothing: %v", got)
	}
}

func TestACancelledSubscriptionHearsNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	n := 0
	cancel := s.Subscribe(func(store.Changed) { n++ })
	cancel()
	cancel() // twice is harmless
	if _, err := s.Save(ctx, validTrainee()); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("cancelled subscriber called %d times", n)
	}
}

func TestChangedHas(t *testing.T) {
	c := store.Changed{Tables: []string{"cohorts", "trainees"}}
	if !c.Has("trainees") || !c.Has("partners", "cohorts") || c.Has("partners") || c.Has() {
		t.Fatalf("Has is wrong for %v", c.Tables)
	}
}

// TestTheKeptKemandirianAssessmentFollowsEveryWrite: the assessment the
// dashboard shows is kept between visits, and a local save or a pulled
// change that moves a criterion shows at once; so does a new day.
func TestTheKeptKemandirianAssessmentFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	partners := func(day time.Time) int64 {
		t.Helper()
		a, err := s.Kemandirian(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range a.Criteria {
			if c.Code == domain.CriterionMitra {
				return c.Value
			}
		}
		t.Fatalf("no partnership criterion in %+v", a)
		return 0
	}
	if got := partners(today); got != 0 {
		t.Fatalf("a new centre has %d partner categories", got)
	}
	if got := partners(today); got != 0 { // kept
		t.Fatalf("asked again: %d", got)
	}
	// a local save
	mou := func(p *domain.Partner, no string) *domain.Partner {
		p.MoUNumber, p.MoUStart, p.MoUEnd = no, today.AddDate(-1, 0, 0).Format(time.DateOnly), today.AddDate(1, 0, 0).Format(time.DateOnly)
		return p
	}
	p := mou(&domain.Partner{Name: "Dinas Tenaga Kerja Kabupaten", Type: "government", Category: "local_government"}, "MoU/01/2026")
	if _, err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := partners(today); got != 1 {
		t.Fatalf("after a partner was saved: %d categories, want 1", got)
	}
	// a pulled one
	other := mou(&domain.Partner{Name: "PT Maju Bersama", Type: "industry", Category: "industry"}, "MoU/02/2026")
	other.ID, other.CentreID = domain.NewID(), s.CentreID()
	fields := domain.Values(other)
	delete(fields, "id")
	change := domain.Change{Table: "partners", ID: other.ID, Clock: domain.MakeClock(today.UnixMilli(), 0), Device: "pc-2", Fields: fields}
	if err := s.ApplyRemote(ctx, []domain.Change{change}, 7); err != nil {
		t.Fatal(err)
	}
	if got := partners(today); got != 2 {
		t.Fatalf("after a partner was pulled: %d categories, want 2", got)
	}
	// another day is assessed anew
	if a, err := s.Kemandirian(ctx, today.AddDate(0, 0, 1)); err != nil || a.Date != today.AddDate(0, 0, 1).Format(time.DateOnly) {
		t.Fatalf("the next day's assessment: %s, %v", a.Date, err)
	}
}
