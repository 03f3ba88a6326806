// The tracer study's figures (domain/tracer.go) over this centre's graduates.

package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TracerGraduates lists every graduate (a trainee's latest completed
// enrollment) with their tracer answers, oldest graduation first: what
// domain.SummariseTracer, the kemandirian criterion (Graduate.TracedWithin)
// and the tracer screen's filters read. It streams two ordered queries, so
// memory grows with graduates, not with reads.
func (s *Store) TracerGraduates(ctx context.Context) ([]domain.Graduate, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT e.trainee_id, max(e.completed_on) FROM enrollments e
		JOIN trainees t ON t.id = e.trainee_id AND t.deleted = 0
		WHERE e.deleted = 0 AND e.status = ? AND e.completed_on <> ''
		GROUP BY e.trainee_id ORDER BY 2, 1`, domain.EnrollmentCompleted)
	if err != nil {
		return nil, fmt.Errorf("graduates: %w", err)
	}
	var out []domain.Graduate
	at := map[string]int{}
	for rows.Next() {
		var g domain.Graduate
		if err := rows.Scan(&g.TraineeID, &g.CompletedOn); err != nil {
			rows.Close()
			return nil, err
		}
		at[g.TraineeID] = len(out)
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.ro.QueryContext(ctx, `SELECT trainee_id, surveyed_on, status, job_match FROM outcomes WHERE deleted = 0 ORDER BY trainee_id, surveyed_on`)
	if err != nil {
		return nil, fmt.Errorf("tracer answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a domain.TraceAnswer
		if err := rows.Scan(&id, &a.On, &a.Status, &a.JobMatch); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			out[i].Answers = append(out[i].Answers, a)
		}
	}
	return out, rows.Err()
}

// TracerSummary is the centre's tracer figures on today: graduates,
// traced, per-wave response rates and the match rate.
func (s *Store) TracerSummary(ctx context.Context, today time.Time) (domain.TracerSummary, error) {
	gs, err := s.TracerGraduates(ctx)
	if err != nil {
		return domain.TracerSummary{}, err
	}
	return domain.SummariseTracer(gs, today), nil
}

// Tracer screen filters (TracerList).
const (
	TracerDue3    = "due3"    // the 3-month wave is open
	TracerDue6    = "due6"    // the 6-month wave is open
	TracerDue12   = "due12"   // the 12-month wave is open
	TracerOverdue = "overdue" // the open wave is older than domain.OverdueAfter
	TracerNever   = "never"   // no answer at all yet
	TracerTraced  = "traced"  // at least one answer
	TracerAll     = "all"     // every graduate
)

// TracerFilters lists the filters in the order the screen offers them.
var TracerFilters = []string{TracerDue3, TracerDue6, TracerDue12, TracerOverdue, TracerNever, TracerTraced, TracerAll}

// TracerList lists the graduates a filter selects on today, open waves
// first, then by due date and name: every graduate can be found and given
// an answer, whenever they graduated (an answer may be recorded at any
// time after graduation). Months and DueOn name the latest wave due (0 and
// "" before the first).
func (s *Store) TracerList(ctx context.Context, today time.Time, filter string) ([]FollowUp, error) {
	gs, err := s.TracerGraduates(ctx)
	if err != nil {
		return nil, err
	}
	pick := map[string]domain.TracerStanding{}
	for _, g := range gs {
		st := g.Standing(today)
		keep := false
		switch filter {
		case TracerDue3, TracerDue6, TracerDue12:
			keep = st.Open && map[string]int{TracerDue3: 3, TracerDue6: 6, TracerDue12: 12}[filter] == st.Wave
		case TracerOverdue:
			keep = st.Overdue
		case TracerNever:
			keep = st.Never
		case TracerTraced:
			keep = !st.Never
		case TracerAll:
			keep = true
		default:
			return nil, fmt.Errorf("tracer filter %q: %w", filter, ErrNotFound)
		}
		if keep {
			pick[g.TraineeID] = st
		}
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT t.id, t.name, t.phone, coalesce(p.name, ''), e.completed_on,
		coalesce((SELECT max(o.surveyed_on) FROM outcomes o WHERE o.trainee_id = t.id AND o.deleted = 0), '')
		FROM enrollments e JOIN trainees t ON t.id = e.trainee_id AND t.deleted = 0
		LEFT JOIN cohorts c ON c.id = e.cohort_id LEFT JOIN programmes p ON p.id = c.programme_id
		WHERE e.deleted = 0 AND e.status = ? AND e.completed_on <> '' ORDER BY e.completed_on`, domain.EnrollmentCompleted)
	if err != nil {
		return nil, fmt.Errorf("tracer list: %w", err)
	}
	defer rows.Close()
	byID := map[string]int{}
	var out []FollowUp
	for rows.Next() {
		var f FollowUp
		if err := rows.Scan(&f.TraineeID, &f.Name, &f.Phone, &f.Programme, &f.CompletedOn, &f.LastSurvey); err != nil {
			return nil, err
		}
		st, ok := pick[f.TraineeID]
		if !ok {
			continue
		}
		if st.Wave != 0 {
			f.Months, f.DueOn, f.Open = st.Wave, st.DueOn.Format(domain.DateLayout), st.Open
		}
		if i, seen := byID[f.TraineeID]; seen {
			out[i] = f // a later graduation: traced from the latest
			continue
		}
		byID[f.TraineeID] = len(out)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Open != b.Open {
			return a.Open
		}
		if (a.DueOn == "") != (b.DueOn == "") {
			return a.DueOn != ""
		}
		if a.DueOn != b.DueOn {
			return a.DueOn < b.DueOn
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.TraineeID < b.TraineeID
	})
	return out, nil
}
