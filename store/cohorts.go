package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/kemnaker/blk/domain"
)

// This file holds the read queries of the programme, cohort and graduate
// tracer screens. They only read; every write still goes through Save/Write.

// RosterEntry is one enrollment of a cohort with the trainee it names.
type RosterEntry struct {
	Enrollment *domain.Enrollment
	Name       string
	NIK        string
	Phone      string
}

// CohortRoster lists the live enrollments of a cohort (dropped ones too,
// which the screen shows greyed out), ordered by trainee name.
func (s *Store) CohortRoster(ctx context.Context, cohortID string) ([]RosterEntry, error) {
	ens, err := ListOf[*domain.Enrollment](ctx, s, Query{Filters: []Filter{{"cohort_id", cohortID}}})
	if err != nil {
		return nil, fmt.Errorf("roster of cohort %s: %w", cohortID, err)
	}
	rows, err := s.ro.QueryContext(ctx, `
		SELECT t.id, t.name, t.nik, t.phone FROM trainees t
		WHERE t.deleted = 0 AND t.id IN (SELECT trainee_id FROM enrollments WHERE cohort_id = ? AND deleted = 0)`, cohortID)
	if err != nil {
		return nil, fmt.Errorf("roster names of cohort %s: %w", cohortID, err)
	}
	defer rows.Close()
	type person struct{ name, nik, phone string }
	people := map[string]person{}
	for rows.Next() {
		var id string
		var p person
		if err := rows.Scan(&id, &p.name, &p.nik, &p.phone); err != nil {
			return nil, err
		}
		people[id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]RosterEntry, 0, len(ens))
	for _, e := range ens {
		p, ok := people[e.TraineeID]
		if !ok {
			continue // the trainee was deleted; the enrollment is going with it
		}
		out = append(out, RosterEntry{Enrollment: e, Name: p.name, NIK: p.nik, Phone: p.phone})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// CohortAttendance lists every live attendance mark of a cohort's enrollments.
func (s *Store) CohortAttendance(ctx context.Context, cohortID string) ([]*domain.Attendance, error) {
	t := domain.LookupTable("attendance")
	recs, err := s.queryRecords(ctx, s.ro, t, "SELECT "+columns(t)+", _v FROM attendance WHERE deleted = 0 AND enrollment_id IN (SELECT id FROM enrollments WHERE cohort_id = ? AND deleted = 0) ORDER BY date, id", cohortID)
	if err != nil {
		return nil, fmt.Errorf("attendance of cohort %s: %w", cohortID, err)
	}
	out := make([]*domain.Attendance, len(recs))
	for i, r := range recs {
		out[i] = r.(*domain.Attendance)
	}
	return out, nil
}

// CohortAssessments lists every live competency result of a cohort's enrollments.
func (s *Store) CohortAssessments(ctx context.Context, cohortID string) ([]*domain.Assessment, error) {
	t := domain.LookupTable("assessments")
	recs, err := s.queryRecords(ctx, s.ro, t, "SELECT "+columns(t)+", _v FROM assessments WHERE deleted = 0 AND enrollment_id IN (SELECT id FROM enrollments WHERE cohort_id = ? AND deleted = 0) ORDER BY unit_code, id", cohortID)
	if err != nil {
		return nil, fmt.Errorf("results of cohort %s: %w", cohortID, err)
	}
	out := make([]*domain.Assessment, len(recs))
	for i, r := range recs {
		out[i] = r.(*domain.Assessment)
	}
	return out, nil
}

// FollowUp is a graduate due for a tracer call.
type FollowUp struct {
	TraineeID   string
	Name        string
	Phone       string // stored form, +62…
	Programme   string
	CompletedOn string
	Months      int    // 3 or 6: the follow-up that is due
	DueOn       string // completed_on + Months
	LastSurvey  string // latest outcome date, "" when none
}

// TracerDue lists graduates whose 3- or 6-month follow-up is due on today:
// completed_on + 3 (or 6) months has passed and no outcome has been recorded
// on or after that date. A graduate with several completed cohorts is traced
// from the latest. When both are due, the 6-month one is what remains to do.
// The oldest due dates come first; at most limit rows (0: 500).
func (s *Store) TracerDue(ctx context.Context, today time.Time, limit int) ([]FollowUp, error) {
	if limit <= 0 {
		limit = 500
	}
	cutoff := today.AddDate(0, -3, 0).Format(domain.DateLayout)
	rows, err := s.ro.QueryContext(ctx, `
		SELECT t.id, t.name, t.phone, coalesce(p.name, ''), max(e.completed_on),
		       coalesce((SELECT max(o.surveyed_on) FROM outcomes o WHERE o.trainee_id = t.id AND o.deleted = 0), '')
		FROM enrollments e
		JOIN trainees t ON t.id = e.trainee_id AND t.deleted = 0
		LEFT JOIN cohorts c ON c.id = e.cohort_id
		LEFT JOIN programmes p ON p.id = c.programme_id
		WHERE e.deleted = 0 AND e.status = ? AND e.completed_on <> '' AND e.completed_on <= ?
		GROUP BY t.id`, domain.EnrollmentCompleted, cutoff)
	if err != nil {
		return nil, fmt.Errorf("graduates due for follow-up: %w", err)
	}
	defer rows.Close()
	var out []FollowUp
	for rows.Next() {
		var f FollowUp
		if err := rows.Scan(&f.TraineeID, &f.Name, &f.Phone, &f.Programme, &f.CompletedOn, &f.LastSurvey); err != nil {
			return nil, err
		}
		done, ok := domain.ParseDate(f.CompletedOn)
		if !ok {
			continue
		}
		for _, months := range []int{6, 3} {
			due := done.AddDate(0, months, 0)
			if due.After(today) {
				continue
			}
			dueOn := due.Format(domain.DateLayout)
			if f.LastSurvey >= dueOn {
				break // this follow-up (and so the earlier one) is done
			}
			f.Months, f.DueOn = months, dueOn
			out = append(out, f)
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].DueOn != out[j].DueOn {
			return out[i].DueOn < out[j].DueOn
		}
		return out[i].Name < out[j].Name
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
