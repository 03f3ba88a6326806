package store

import (
	"database/sql"
	"errors"

	"github.com/kemnaker/blk/domain"
)

// checkContext applies the rules that need other records: references that
// must exist, one NIK per centre, cohort capacity and overlapping cohorts.
func (w *Tx) checkContext(rec domain.Record) (domain.Problems, error) {
	var ps domain.Problems
	add := func(field string, level domain.Level, code string, args ...any) {
		ps = append(ps, domain.Problem{Field: field, Level: level, Code: code, Args: args})
	}
	ref := func(field, table, id string) error {
		if id == "" {
			return nil
		}
		ok, err := w.exists(table, id)
		if err == nil && !ok {
			add(field, domain.Invalid, "ref.missing")
		}
		return err
	}
	var err error
	switch r := rec.(type) {
	case *domain.Trainee:
		var other string
		e := w.QueryRowContext(w.ctx, `SELECT name FROM trainees WHERE nik = ? AND centre_id = ? AND id <> ? AND deleted = 0 LIMIT 1`, r.NIK, r.CentreID, r.ID).Scan(&other)
		switch {
		case e == nil:
			add("nik", domain.Invalid, "nik.duplicate", other)
		case !errors.Is(e, sql.ErrNoRows):
			err = e
		}
	case *domain.Cohort:
		err = ref("programme_id", "programmes", r.ProgrammeID)
	case *domain.ProgrammeUnit:
		err = ref("programme_id", "programmes", r.ProgrammeID)
	case *domain.Enrollment:
		if err = ref("cohort_id", "cohorts", r.CohortID); err != nil {
			return nil, err
		}
		if err = ref("trainee_id", "trainees", r.TraineeID); err != nil || ps.Invalid() {
			return ps, err
		}
		if r.Status == domain.EnrollmentDropped {
			break
		}
		return w.checkEnrollment(r, ps)
	case *domain.Attendance:
		err = ref("enrollment_id", "enrollments", r.EnrollmentID)
	case *domain.Assessment:
		err = ref("enrollment_id", "enrollments", r.EnrollmentID)
	case *domain.Outcome:
		err = ref("trainee_id", "trainees", r.TraineeID)
	case *domain.Funding:
		err = ref("cohort_id", "cohorts", r.CohortID)
	}
	return ps, err
}

func (w *Tx) checkEnrollment(r *domain.Enrollment, ps domain.Problems) (domain.Problems, error) {
	var c domain.Cohort
	c.ID = r.CohortID
	if err := w.Get(&c); err != nil {
		return nil, err
	}
	var already int
	if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM enrollments WHERE id = ? AND deleted = 0 AND status <> 'dropped'`, r.ID).Scan(&already); err != nil {
		return nil, err
	}
	if already == 0 {
		var n int64
		if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM enrollments WHERE cohort_id = ? AND deleted = 0 AND status <> 'dropped'`, r.CohortID).Scan(&n); err != nil {
			return nil, err
		}
		limit := w.rules.QuotaCap
		if limit <= 0 {
			limit = domain.DefaultQuotaCap
		}
		switch {
		case n >= limit:
			ps = append(ps, domain.Problem{Field: "cohort_id", Level: domain.Invalid, Code: "cohort.full", Args: []any{n, limit}})
		case n >= c.Quota:
			ps = append(ps, domain.Problem{Field: "cohort_id", Level: domain.Warning, Code: "cohort.overquota", Args: []any{n + 1, c.Quota}})
		}
	}
	var clash string
	err := w.QueryRowContext(w.ctx, `
		SELECT c.year || '/' || c.number || ' (' || c.start_date || ' – ' || c.end_date || ')'
		FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id
		WHERE e.trainee_id = ? AND e.cohort_id <> ? AND e.deleted = 0 AND c.deleted = 0
		  AND e.status <> 'dropped' AND c.status <> 'cancelled'
		  AND c.start_date <= ? AND c.end_date >= ?
		LIMIT 1`, r.TraineeID, r.CohortID, c.EndDate, c.StartDate).Scan(&clash)
	switch {
	case err == nil:
		ps = append(ps, domain.Problem{Field: "trainee_id", Level: domain.Invalid, Code: "cohort.overlap", Args: []any{clash}})
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	return ps, nil
}
