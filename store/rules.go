package store

import (
	"database/sql"
	"errors"

	"github.com/kemnaker/blk/domain"
)

// checkContext applies the rules that need other records: the records the
// schema says a field refers to must exist (domain ref tags), one NIK per
// centre, cohort capacity and overlapping cohorts.
func (w *Tx) checkContext(rec domain.Record) (domain.Problems, error) {
	var ps domain.Problems
	t := domain.TableOf(rec)
	for _, f := range t.Fields {
		if f.Ref == "" {
			continue
		}
		id := f.Get(rec).(string)
		if id == "" {
			continue
		}
		ok, err := w.exists(f.Ref, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			ps = append(ps, domain.Problem{Field: f.Name, Level: domain.Invalid, Code: "problem.ref.missing"})
		}
	}
	switch r := rec.(type) {
	case *domain.Trainee:
		var other string
		err := w.QueryRowContext(w.ctx, `SELECT name FROM trainees WHERE nik = ? AND centre_id = ? AND id <> ? AND deleted = 0 LIMIT 1`, r.NIK, r.CentreID, r.ID).Scan(&other)
		switch {
		case err == nil:
			ps = append(ps, domain.Problem{Field: "nik", Level: domain.Invalid, Code: "problem.nik.duplicate", Args: []any{other}})
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	case *domain.Enrollment:
		if ps.Invalid() || r.Status == domain.EnrollmentDropped {
			break
		}
		return w.checkEnrollment(r, ps)
	}
	return ps, nil
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
			ps = append(ps, domain.Problem{Field: "cohort_id", Level: domain.Invalid, Code: "problem.cohort.full", Args: []any{n, limit}})
		case n >= c.Quota:
			ps = append(ps, domain.Problem{Field: "cohort_id", Level: domain.Warning, Code: "problem.cohort.overquota", Args: []any{n + 1, c.Quota}})
		}
	}
	ps = append(ps, domain.CheckGraduationDate(r, c.StartDate)...)
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
		ps = append(ps, domain.Problem{Field: "trainee_id", Level: domain.Invalid, Code: "problem.cohort.overlap", Args: []any{clash}})
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	return ps, nil
}
