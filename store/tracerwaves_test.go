package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// The centre's tracer figures come from its real records: the latest
// graduation of each trainee, every answer (the new outcome fields saved
// and read back), dropped-out trainees and deleted answers left out.
func TestTracerSummaryOfTheCentre(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	c := cohortFixture(t, s, "2025-04-07", "2025-06-30")
	save := func(r domain.Record) {
		t.Helper()
		if _, err := s.Save(ctx, r); err != nil {
			t.Fatalf("%T: %v", r, err)
		}
	}
	enrol := func(serial int, status, done string) *domain.Trainee {
		tr := traineeFixture(t, s, "Lulusan "+string(rune('A'+serial)), serial)
		save(&domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: status, CompletedOn: done})
		return tr
	}
	a := enrol(1, domain.EnrollmentCompleted, "2025-06-30")
	b := enrol(2, domain.EnrollmentCompleted, "2025-06-30")
	enrol(3, domain.EnrollmentCompleted, "2025-06-30") // never traced
	enrol(4, domain.EnrollmentDropped, "")             // not a graduate
	// a answered the 3-, 6- and 12-month waves and works in a matching job
	for _, on := range []string{"2025-10-01", "2026-01-05"} {
		save(&domain.Outcome{TraineeID: a.ID, SurveyedOn: on, Status: domain.OutcomeLooking, Source: "phone"})
	}
	save(&domain.Outcome{TraineeID: a.ID, SurveyedOn: "2026-07-01", Status: domain.OutcomeEmployed, Employer: "PT Busana Jaya",
		KBLI: "C", JobMatch: "yes", MonthsToJob: 9, IncomeBand: "1to3", Source: "self"})
	// b answered only at 6 months; an answer recorded by mistake was deleted
	save(&domain.Outcome{TraineeID: b.ID, SurveyedOn: "2026-02-01", Status: domain.OutcomeSelfEmployed, JobMatch: "partly", Source: "whatsapp"})
	wrong := &domain.Outcome{TraineeID: b.ID, SurveyedOn: "2025-10-01", Status: domain.OutcomeUnreachable}
	save(wrong)
	if err := s.Delete(ctx, wrong); err != nil {
		t.Fatal(err)
	}

	sum, err := s.TracerSummary(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Graduates != 3 || sum.Traced != 2 {
		t.Fatalf("graduates %d traced %d, want 3 and 2", sum.Graduates, sum.Traced)
	}
	want := []domain.WaveRate{{Months: 3, Due: 3, Traced: 1}, {Months: 6, Due: 3, Traced: 2}, {Months: 12, Due: 3, Traced: 1}}
	for i, w := range want {
		if sum.Waves[i] != w {
			t.Errorf("wave %d: %+v, want %+v", w.Months, sum.Waves[i], w)
		}
	}
	if sum.MatchYes != 1 || sum.MatchPartly != 1 || sum.MatchRate() != 0.5 {
		t.Errorf("match yes %d partly %d rate %v", sum.MatchYes, sum.MatchPartly, sum.MatchRate())
	}
	gs, err := s.TracerGraduates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	traced6 := 0
	for _, g := range gs {
		if g.TracedWithin(6) {
			traced6++
		}
	}
	if traced6 != 1 { // b's answer is 7 months on; a's first at 3
		t.Errorf("%d traced within 6 months, want 1", traced6)
	}
	// the new fields are stored
	got := &domain.Outcome{}
	outs, err := store.ListOf[*domain.Outcome](ctx, s, store.Query{Filters: []store.Filter{{Field: "trainee_id", Value: a.ID}}})
	if err != nil || len(outs) != 3 {
		t.Fatalf("outcomes of a: %v %v", outs, err)
	}
	for _, o := range outs {
		if o.SurveyedOn == "2026-07-01" {
			got = o
		}
	}
	if got.KBLI != "C" || got.JobMatch != "yes" || got.MonthsToJob != 9 || got.Source != "self" {
		t.Errorf("stored outcome %+v", got)
	}
}

// The tracer screen's filters: every graduate is reachable, whatever their
// wave, including one who graduated last week.
func TestTracerListFilters(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	c := cohortFixture(t, s, "2025-04-07", "2025-06-30")
	save := func(r domain.Record) {
		t.Helper()
		if _, err := s.Save(ctx, r); err != nil {
			t.Fatalf("%T: %v", r, err)
		}
	}
	grad := func(serial int, name, done string, answers ...string) {
		tr := traineeFixture(t, s, name, serial)
		save(&domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: done})
		for _, on := range answers {
			save(&domain.Outcome{TraineeID: tr.ID, SurveyedOn: on, Status: domain.OutcomeEmployed})
		}
	}
	// today is 2026-11-27
	grad(1, "Ani Baru", "2026-11-20")                   // no wave yet, never traced
	grad(2, "Budi Tiga", "2026-08-20")                  // 3-month wave open since 11-20
	grad(3, "Cici Enam", "2026-05-10", "2026-08-15")    // 6-month open since 11-10, traced
	grad(4, "Dedi Lewat", "2026-03-01")                 // 6-month open since 09-01: overdue, never
	grad(5, "Euis Lengkap", "2025-10-01", "2026-10-05") // 12-month answered
	grad(6, "Fajar Duabelas", "2025-09-01")             // 12-month open since 2026-09-01: overdue
	names := func(filter string) string {
		t.Helper()
		rows, err := s.TracerList(ctx, today, filter)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Name)
		}
		return strings.Join(out, ", ")
	}
	for filter, want := range map[string]string{
		store.TracerDue3:    "Budi Tiga",
		store.TracerDue6:    "Dedi Lewat, Cici Enam",
		store.TracerDue12:   "Fajar Duabelas",
		store.TracerOverdue: "Dedi Lewat, Fajar Duabelas",
		store.TracerNever:   "Dedi Lewat, Fajar Duabelas, Budi Tiga, Ani Baru",
		store.TracerTraced:  "Cici Enam, Euis Lengkap",
		store.TracerAll:     "Dedi Lewat, Fajar Duabelas, Cici Enam, Budi Tiga, Euis Lengkap, Ani Baru",
	} {
		if got := names(filter); got != want {
			t.Errorf("%s: %s, want %s", filter, got, want)
		}
	}
	if _, err := s.TracerList(ctx, today, "bogus"); err == nil {
		t.Error("an unknown filter is refused")
	}
}
