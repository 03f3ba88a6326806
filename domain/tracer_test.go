package domain_test

import (
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

func day(s string) time.Time {
	t, ok := domain.ParseDate(s)
	if !ok {
		panic(s)
	}
	return t
}

func grad(done string, answers ...string) domain.Graduate {
	g := domain.Graduate{TraineeID: done, CompletedOn: done}
	for _, a := range answers {
		g.Answers = append(g.Answers, domain.TraceAnswer{On: a, Status: domain.OutcomeEmployed})
	}
	return g
}

func TestTracerStandingFollowsTheWaves(t *testing.T) {
	cases := []struct {
		name    string
		g       domain.Graduate
		today   string
		wave    int
		open    bool
		overdue bool
		never   bool
	}{
		{"just graduated", grad("2026-06-30"), "2026-07-15", 0, false, false, true},
		{"traced early, before any wave", grad("2026-06-30", "2026-07-10"), "2026-07-15", 0, false, false, false},
		{"3-month wave due today", grad("2026-06-30"), "2026-09-30", 3, true, false, true},
		{"3-month wave open a month", grad("2026-06-30"), "2026-10-30", 3, true, true, true},
		{"3-month wave answered", grad("2026-06-30", "2026-10-02"), "2026-11-15", 3, false, false, false},
		{"early answer does not answer the 3-month wave", grad("2026-06-30", "2026-08-01"), "2026-10-15", 3, true, false, false},
		{"6-month wave open, 3 answered", grad("2026-01-31", "2026-05-02"), "2026-08-01", 6, true, false, false},
		{"12-month wave answered late", grad("2025-01-15", "2026-06-01"), "2026-11-30", 12, false, false, false},
		{"12-month wave overdue", grad("2025-01-15", "2025-04-20", "2025-07-20"), "2026-11-30", 12, true, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.g.Standing(day(c.today))
			if s.Wave != c.wave || s.Open != c.open || s.Overdue != c.overdue || s.Never != c.never {
				t.Fatalf("standing %+v, want wave %d open %v overdue %v never %v", s, c.wave, c.open, c.overdue, c.never)
			}
		})
	}
}

func TestTracedWithinCountsAnswersFromGraduationOn(t *testing.T) {
	g := grad("2026-01-31", "2026-07-31")
	if !g.TracedWithin(6) {
		t.Error("an answer on the 6-month day is within 6 months")
	}
	if grad("2026-01-31", "2026-08-01").TracedWithin(6) {
		t.Error("an answer the day after is not")
	}
	if grad("2026-01-31", "2026-01-01").TracedWithin(6) {
		t.Error("an answer before graduating is not")
	}
	if grad("2026-01-31").TracedWithin(6) {
		t.Error("no answer")
	}
}

func TestTracerSummaryResponseAndMatchRates(t *testing.T) {
	today := day("2026-11-30")
	match := func(g domain.Graduate, status, m string) domain.Graduate {
		g.Answers[len(g.Answers)-1].Status, g.Answers[len(g.Answers)-1].JobMatch = status, m
		return g
	}
	gs := []domain.Graduate{
		match(grad("2025-06-30", "2025-10-01", "2026-01-05", "2026-07-01"), domain.OutcomeEmployed, "yes"), // 3, 6, 12 answered
		match(grad("2025-06-30", "2026-02-01"), domain.OutcomeSelfEmployed, "partly"),                      // 6 only
		grad("2025-06-30"), // never
		match(grad("2026-07-31", "2026-11-01"), domain.OutcomeEmployed, "no"),  // 3 answered; 6 not due
		match(grad("2026-07-31", "2026-11-02"), domain.OutcomeStudying, "yes"), // studying: not in match rate
		grad("2026-10-01"), // nothing due yet
	}
	s := domain.SummariseTracer(gs, today)
	if s.Graduates != 6 || s.Traced != 4 {
		t.Fatalf("graduates %d traced %d", s.Graduates, s.Traced)
	}
	want := []domain.WaveRate{{Months: 3, Due: 5, Traced: 3}, {Months: 6, Due: 3, Traced: 2}, {Months: 12, Due: 3, Traced: 1}}
	for i, w := range want {
		if s.Waves[i] != w {
			t.Errorf("wave %d: %+v, want %+v", w.Months, s.Waves[i], w)
		}
	}
	if s.Waves[0].Rate() != 0.6 {
		t.Errorf("3-month response rate %v, want 0.6", s.Waves[0].Rate())
	}
	if s.MatchYes != 1 || s.MatchPartly != 1 || s.MatchNo != 1 || s.MatchRate() != 1.0/3 {
		t.Errorf("match %d/%d/%d rate %v", s.MatchYes, s.MatchPartly, s.MatchNo, s.MatchRate())
	}
}
