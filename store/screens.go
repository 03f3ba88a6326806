package store

// Read queries the desktop screens need (dashboard aggregates, a trainee's
// history, cohort labels for filters). They only read, through the read-only
// pool, so a screen can call them off the UI goroutine while a save runs.

import (
	"context"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// CohortLabel names a cohort for pickers: "Menjahit 2026/1".
type CohortLabel struct {
	ID, Label, Status string
}

// CohortLabels lists live cohorts, newest first, named by programme, year and number.
func (s *Store) CohortLabels(ctx context.Context) ([]CohortLabel, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT c.id, COALESCE(p.name, '?'), c.year, c.number, c.status
		FROM cohorts c LEFT JOIN programmes p ON p.id = c.programme_id
		WHERE c.deleted = 0 ORDER BY c.start_date DESC, c.id`)
	if err != nil {
		return nil, fmt.Errorf("cohort labels: %w", err)
	}
	defer rows.Close()
	var out []CohortLabel
	for rows.Next() {
		var c CohortLabel
		var name string
		var year, num int64
		if err := rows.Scan(&c.ID, &name, &year, &num, &c.Status); err != nil {
			return nil, err
		}
		c.Label = fmt.Sprintf("%s %d/%d", name, year, num)
		out = append(out, c)
	}
	return out, rows.Err()
}

// EnrollmentDetail is one of a trainee's enrollments with its cohort named
// and its competency results.
type EnrollmentDetail struct {
	Enrollment  domain.Enrollment
	Cohort      string // label as in CohortLabels
	StartDate   string
	EndDate     string
	Assessments []*domain.Assessment
	Present     int // attendance marks H
	Marked      int // attendance marks of any kind
	// Certificates are the training certificates the enrollment was
	// issued (revoked ones included), oldest first.
	Certificates []*domain.Certificate
}

// TraineeDetail is what the trainee detail view shows.
type TraineeDetail struct {
	Trainee     *domain.Trainee
	Enrollments []EnrollmentDetail
	Outcomes    []*domain.Outcome // newest first
	// Competency holds the trainee's BNSP competency certificates, newest first.
	Competency []*domain.CompetencyCertificate
	// Duplicates are other live trainees of the centre with the same NIK,
	// registered on another PC while offline: the app offers to merge them.
	Duplicates []*domain.Trainee
}

// TraineeDetail loads a trainee with enrollments, results and outcomes.
func (s *Store) TraineeDetail(ctx context.Context, id string) (*TraineeDetail, error) {
	t := &domain.Trainee{}
	t.ID = id
	if err := s.Get(ctx, t); err != nil {
		return nil, fmt.Errorf("trainee %s: %w", id, err)
	}
	d := &TraineeDetail{Trainee: t}
	same, err := s.DuplicateTrainees(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, o := range same {
		if o.ID != id {
			d.Duplicates = append(d.Duplicates, o)
		}
	}
	ens, err := ListOf[*domain.Enrollment](ctx, s, Query{Filters: []Filter{{Field: "trainee_id", Value: id}}, OrderBy: "enrolled_on"})
	if err != nil {
		return nil, err
	}
	for _, e := range ens {
		ed := EnrollmentDetail{Enrollment: *e, Cohort: "?"}
		var name string
		var year, num int64
		err := s.ro.QueryRowContext(ctx, `SELECT COALESCE(p.name, '?'), c.year, c.number, c.start_date, c.end_date
			FROM cohorts c LEFT JOIN programmes p ON p.id = c.programme_id WHERE c.id = ?`, e.CohortID).
			Scan(&name, &year, &num, &ed.StartDate, &ed.EndDate)
		if err == nil {
			ed.Cohort = fmt.Sprintf("%s %d/%d", name, year, num)
		}
		if ed.Assessments, err = ListOf[*domain.Assessment](ctx, s, Query{Filters: []Filter{{Field: "enrollment_id", Value: e.ID}}, OrderBy: "unit_code"}); err != nil {
			return nil, err
		}
		if err := s.ro.QueryRowContext(ctx, `SELECT COALESCE(sum(mark = 'H'), 0), count(*) FROM attendance WHERE deleted = 0 AND enrollment_id = ?`, e.ID).
			Scan(&ed.Present, &ed.Marked); err != nil {
			return nil, fmt.Errorf("attendance of %s: %w", e.ID, err)
		}
		d.Enrollments = append(d.Enrollments, ed)
	}
	ids := make([]string, len(d.Enrollments))
	for i, e := range d.Enrollments {
		ids[i] = e.Enrollment.ID
	}
	certs, err := s.CertificatesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range d.Enrollments {
		d.Enrollments[i].Certificates = certs[d.Enrollments[i].Enrollment.ID]
	}
	if d.Outcomes, err = ListOf[*domain.Outcome](ctx, s, Query{Filters: []Filter{{Field: "trainee_id", Value: id}}, OrderBy: "surveyed_on", Desc: true}); err != nil {
		return nil, err
	}
	if d.Competency, err = ListOf[*domain.CompetencyCertificate](ctx, s, Query{Filters: []Filter{{Field: "trainee_id", Value: id}}, OrderBy: "issued_on", Desc: true}); err != nil {
		return nil, err
	}
	return d, nil
}

// NamedCount is one bar of a chart.
type NamedCount struct {
	Name  string
	Count int
}

// RunningCohort is a cohort in progress today.
type RunningCohort struct {
	Label            string
	StartDate        string
	EndDate          string
	Enrolled         int
	AttendanceRate   float64 // present / marked, 0 when nothing is marked
	AttendanceMarked int
}

// DashboardStats are the numbers a head of centre asks for.
type DashboardStats struct {
	Trainees       int
	Programmes     int
	Cohorts        int
	Graduates      int          // enrollments completed
	Enrolled       int          // active enrollments
	PerProgramme   []NamedCount // distinct trainees enrolled, by programme, most first
	Outcomes       []NamedCount // latest tracer answer per graduate, by outcome status code
	Traced         int          // graduates with at least one tracer answer
	AttendanceRate float64      // present / marked over all marks
	Marked         int
	Running        []RunningCohort
}

// Dashboard computes the dashboard numbers; today is "YYYY-MM-DD".
// It waits for the integrity check made at open (see afterCheck).
func (s *Store) Dashboard(ctx context.Context, today string) (*DashboardStats, error) {
	if err := s.afterCheck(ctx); err != nil {
		return nil, err
	}
	d := &DashboardStats{}
	one := func(q string, dst ...any) error {
		if err := s.ro.QueryRowContext(ctx, q).Scan(dst...); err != nil {
			return fmt.Errorf("dashboard %q: %w", q, err)
		}
		return nil
	}
	if err := one(`SELECT
		(SELECT count(*) FROM trainees WHERE deleted = 0),
		(SELECT count(*) FROM programmes WHERE deleted = 0),
		(SELECT count(*) FROM cohorts WHERE deleted = 0),
		(SELECT count(*) FROM enrollments WHERE deleted = 0 AND status = 'completed'),
		(SELECT count(*) FROM enrollments WHERE deleted = 0 AND status = 'active')`,
		&d.Trainees, &d.Programmes, &d.Cohorts, &d.Graduates, &d.Enrolled); err != nil {
		return nil, err
	}
	var present int
	if err := one(`SELECT COALESCE(sum(mark = 'H'), 0), count(*) FROM attendance WHERE deleted = 0`, &present, &d.Marked); err != nil {
		return nil, err
	}
	if d.Marked > 0 {
		d.AttendanceRate = float64(present) / float64(d.Marked)
	}
	var err error
	if d.PerProgramme, err = s.namedCounts(ctx, `SELECT p.name, count(DISTINCT e.trainee_id) n
		FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id JOIN programmes p ON p.id = c.programme_id
		WHERE e.deleted = 0 AND c.deleted = 0 AND p.deleted = 0
		GROUP BY p.id ORDER BY n DESC, p.name`); err != nil {
		return nil, err
	}
	if d.Outcomes, err = s.namedCounts(ctx, `SELECT status, count(*) FROM (
		SELECT status, row_number() OVER (PARTITION BY trainee_id ORDER BY surveyed_on DESC, id DESC) rn
		FROM outcomes WHERE deleted = 0) WHERE rn = 1 GROUP BY status`); err != nil {
		return nil, err
	}
	for _, o := range d.Outcomes {
		d.Traced += o.Count
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT COALESCE(p.name, '?'), c.year, c.number, c.start_date, c.end_date,
		(SELECT count(*) FROM enrollments e WHERE e.cohort_id = c.id AND e.deleted = 0),
		(SELECT COALESCE(sum(a.mark = 'H'), 0) FROM attendance a JOIN enrollments e ON e.id = a.enrollment_id WHERE e.cohort_id = c.id AND a.deleted = 0),
		(SELECT count(*) FROM attendance a JOIN enrollments e ON e.id = a.enrollment_id WHERE e.cohort_id = c.id AND a.deleted = 0)
		FROM cohorts c LEFT JOIN programmes p ON p.id = c.programme_id
		WHERE c.deleted = 0 AND (c.status = 'running' OR (c.status = 'planned' AND c.start_date <= ? AND c.end_date >= ?))
		ORDER BY c.end_date, c.id`, today, today)
	if err != nil {
		return nil, fmt.Errorf("dashboard running cohorts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r RunningCohort
		var name string
		var year, num int64
		var pres int
		if err := rows.Scan(&name, &year, &num, &r.StartDate, &r.EndDate, &r.Enrolled, &pres, &r.AttendanceMarked); err != nil {
			return nil, err
		}
		r.Label = fmt.Sprintf("%s %d/%d", name, year, num)
		if r.AttendanceMarked > 0 {
			r.AttendanceRate = float64(pres) / float64(r.AttendanceMarked)
		}
		d.Running = append(d.Running, r)
	}
	return d, rows.Err()
}

func (s *Store) namedCounts(ctx context.Context, q string, args ...any) ([]NamedCount, error) {
	rows, err := s.ro.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("dashboard counts: %w", err)
	}
	defer rows.Close()
	var out []NamedCount
	for rows.Next() {
		var n NamedCount
		if err := rows.Scan(&n.Name, &n.Count); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
