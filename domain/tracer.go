package domain

import (
	"sort"
	"time"
)

// The tracer study (Perpres 68/2022 art. 17): every graduate is asked what
// they do now at 3, 6 and 12 months after graduation. The rules below are
// the one definition of "due", "overdue", "traced" and the rates that the
// desktop's tracer screen, its dashboard, the kemandirian criterion and the
// ministry's outcomes page all use.

// TracerWaves are the months after graduation at which a graduate is asked.
var TracerWaves = []int{3, 6, 12}

// OverdueAfter is how long a wave may stay unanswered before it is overdue.
const OverdueAfter = 30 * 24 * time.Hour

// TraceAnswer is one recorded tracer answer (an Outcome) as the rules need it.
type TraceAnswer struct {
	On       string // surveyed_on, YYYY-MM-DD
	Status   string // Outcome status
	JobMatch string // yes, partly, no or ""
}

// Graduate is one graduate and the tracer answers recorded for them.
type Graduate struct {
	TraineeID   string
	CompletedOn string // YYYY-MM-DD
	Answers     []TraceAnswer
}

// WaveDue is the date wave (months) of a graduation falls due.
func WaveDue(completedOn string, months int) (time.Time, bool) {
	t, ok := ParseDate(completedOn)
	if !ok {
		return time.Time{}, false
	}
	return t.AddDate(0, months, 0), true
}

// Answered reports whether wave months of g has its answer: one recorded on
// or after the wave's due date and before the next wave's (any time after
// for the last wave). An answer recorded earlier (allowed at any time after
// graduation) traces the graduate but answers no wave.
func (g Graduate) Answered(months int) bool {
	due, ok := WaveDue(g.CompletedOn, months)
	if !ok {
		return false
	}
	var until time.Time
	for i, w := range TracerWaves {
		if w == months && i+1 < len(TracerWaves) {
			until, _ = WaveDue(g.CompletedOn, TracerWaves[i+1])
		}
	}
	for _, a := range g.Answers {
		t, ok := ParseDate(a.On)
		if !ok || t.Before(due) {
			continue
		}
		if until.IsZero() || t.Before(until) {
			return true
		}
	}
	return false
}

// Traced reports whether g has any tracer answer at all.
func (g Graduate) Traced() bool { return len(g.Answers) > 0 }

// TracedWithin reports whether g was traced within months of graduating:
// an answer dated from the graduation to months after it. The kemandirian
// criterion "alumni traced within 6 months" is TracedWithin(6).
func (g Graduate) TracedWithin(months int) bool {
	from, ok := ParseDate(g.CompletedOn)
	if !ok {
		return false
	}
	to := from.AddDate(0, months, 0)
	for _, a := range g.Answers {
		if t, ok := ParseDate(a.On); ok && !t.Before(from) && !t.After(to) {
			return true
		}
	}
	return false
}

// TracerStanding is where a graduate stands in the tracer on a day.
type TracerStanding struct {
	Wave    int       // the latest wave due (3, 6 or 12); 0 before the first
	DueOn   time.Time // that wave's due date
	Open    bool      // that wave is due and not answered yet
	Overdue bool      // open for longer than OverdueAfter
	Never   bool      // no answer at all yet
}

// Standing is g's standing on today.
func (g Graduate) Standing(today time.Time) TracerStanding {
	s := TracerStanding{Never: !g.Traced()}
	for _, w := range TracerWaves {
		due, ok := WaveDue(g.CompletedOn, w)
		if !ok || due.After(today) {
			break
		}
		s.Wave, s.DueOn = w, due
	}
	if s.Wave != 0 && !g.Answered(s.Wave) {
		s.Open = true
		s.Overdue = today.Sub(s.DueOn) >= OverdueAfter
	}
	return s
}

// WaveRate is the response of one wave: of the graduates whose wave fell
// due, how many answered it.
type WaveRate struct {
	Months int
	Due    int
	Traced int
}

// Rate is Traced ÷ Due, 0 when nothing was due.
func (r WaveRate) Rate() float64 {
	if r.Due == 0 {
		return 0
	}
	return float64(r.Traced) / float64(r.Due)
}

// TracerSummary is the tracer's figures for a group of graduates.
type TracerSummary struct {
	Graduates int
	Traced    int // with at least one answer
	Waves     []WaveRate
	// Of the latest answers of graduates who work or run a business and
	// said whether the job matches their vocational field:
	MatchYes, MatchPartly, MatchNo int
}

// MatchRate is the share of matched jobs (yes) among those who said.
func (s TracerSummary) MatchRate() float64 {
	n := s.MatchYes + s.MatchPartly + s.MatchNo
	if n == 0 {
		return 0
	}
	return float64(s.MatchYes) / float64(n)
}

// SummariseTracer computes the figures of gs on today.
func SummariseTracer(gs []Graduate, today time.Time) TracerSummary {
	s := TracerSummary{Graduates: len(gs)}
	for _, w := range TracerWaves {
		s.Waves = append(s.Waves, WaveRate{Months: w})
	}
	for _, g := range gs {
		if g.Traced() {
			s.Traced++
		}
		for i, w := range TracerWaves {
			if due, ok := WaveDue(g.CompletedOn, w); ok && !due.After(today) {
				s.Waves[i].Due++
				if g.Answered(w) {
					s.Waves[i].Traced++
				}
			}
		}
		if len(g.Answers) == 0 {
			continue
		}
		latest := slicesLatest(g.Answers)
		if latest.Status != OutcomeEmployed && latest.Status != OutcomeSelfEmployed {
			continue
		}
		switch latest.JobMatch {
		case "yes":
			s.MatchYes++
		case "partly":
			s.MatchPartly++
		case "no":
			s.MatchNo++
		}
	}
	return s
}

func slicesLatest(as []TraceAnswer) TraceAnswer {
	sorted := append([]TraceAnswer(nil), as...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].On < sorted[j].On })
	return sorted[len(sorted)-1]
}
