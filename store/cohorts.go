package store

import (
	"context"
	"database/sql"
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
	// Open: the wave is due and not answered (TracerList; TracerDue lists
	// open ones only and leaves it false).
	Open bool
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
	return s.TracerDuePage(ctx, today, nil, limit)
}

// tracerDueSQL selects every graduate with a follow-up due on :today as
// (trainee, latest completion, its cohort, latest survey, months, due date).
// The rule runs in SQL so a screen can read one page and a count without
// holding every graduate in memory: at 100k trainees some 90k are due.
// SQLite's '+N months' normalises like Go's AddDate (08-31 + 6 months is
// 03-03). Only ids and dates pass through the grouping; the latest survey is
// looked up once per graduate, names when sorting, programmes per page.
const tracerDueSQL = `
	WITH latest AS (
		SELECT e.trainee_id AS tid, max(e.completed_on) AS done, e.cohort_id AS cohort,
		       coalesce((SELECT max(o.surveyed_on) FROM outcomes o WHERE o.trainee_id = e.trainee_id AND o.deleted = 0), '') AS last
		FROM enrollments e
		WHERE e.deleted = 0 AND e.status = :completed AND e.completed_on <> '' AND e.completed_on <= :cutoff
		GROUP BY e.trainee_id
	), dated AS (
		SELECT tid, done, cohort, last, date(done, '+3 months') AS due3, date(done, '+6 months') AS due6 FROM latest
	), due AS (
		SELECT tid, done, cohort, last,
		       CASE WHEN due6 <= :today THEN CASE WHEN last < due6 THEN 6 END
		            WHEN due3 <= :today AND last < due3 THEN 3 END AS months,
		       CASE WHEN due6 <= :today THEN due6 ELSE due3 END AS due_on
		FROM dated
	)`

func tracerDueArgs(today time.Time) []any {
	return []any{
		sql.Named("completed", domain.EnrollmentCompleted),
		sql.Named("cutoff", today.AddDate(0, -3, 0).Format(domain.DateLayout)),
		sql.Named("today", today.Format(domain.DateLayout)),
	}
}

// TracerDuePage is one page of what TracerDue lists, in the same order
// (oldest due date, then name, then id): at most limit rows that come after
// the row after (nil: from the start). Pages never overlap, and SQLite only
// ever holds one page while sorting, however deep the operator scrolls.
func (s *Store) TracerDuePage(ctx context.Context, today time.Time, after *FollowUp, limit int) ([]FollowUp, error) {
	args := append(tracerDueArgs(today), sql.Named("limit", limit))
	from := ""
	if after != nil {
		from = "AND (d.due_on, t.name, t.id) > (:due_on, :name, :id)"
		args = append(args, sql.Named("due_on", after.DueOn), sql.Named("name", after.Name), sql.Named("id", after.TraineeID))
	}
	rows, err := s.ro.QueryContext(ctx, tracerDueSQL+`, page AS (
		SELECT d.tid, t.name, t.phone, d.cohort, d.done, d.last, d.months, d.due_on
		FROM due d JOIN trainees t ON t.id = d.tid AND t.deleted = 0
		WHERE d.months IS NOT NULL `+from+`
		ORDER BY d.due_on, t.name, t.id
		LIMIT :limit
	)
	SELECT g.tid, g.name, g.phone, coalesce(p.name, ''), g.done, g.last, g.months, g.due_on
	FROM page g
	LEFT JOIN cohorts c ON c.id = g.cohort
	LEFT JOIN programmes p ON p.id = c.programme_id
	ORDER BY g.due_on, g.name, g.tid`, args...)
	if err != nil {
		return nil, fmt.Errorf("graduates due for follow-up: %w", err)
	}
	defer rows.Close()
	out := make([]FollowUp, 0, min(limit, 256))
	for rows.Next() {
		var f FollowUp
		if err := rows.Scan(&f.TraineeID, &f.Name, &f.Phone, &f.Programme, &f.CompletedOn, &f.LastSurvey, &f.Months, &f.DueOn); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// TracerDueCount counts what TracerDue would list without a limit.
func (s *Store) TracerDueCount(ctx context.Context, today time.Time) (int, error) {
	var n int
	err := s.ro.QueryRowContext(ctx, tracerDueSQL+`
		SELECT count(*) FROM due d JOIN trainees t ON t.id = d.tid AND t.deleted = 0
		WHERE d.months IS NOT NULL`, tracerDueArgs(today)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count graduates due for follow-up: %w", err)
	}
	return n, nil
}
