// The ministry's tracer figures (issue 15): the waves at 3, 6 and 12
// months after graduation with their response rates (traced ÷ due) and the
// match rate of jobs to vocational fields, nationally and by province. The
// rules (what is due, what answers a wave, which answer counts for the
// match) are domain.SummariseTracer's, the same function the desktop's
// tracer screen uses; this file only gathers the graduates and answers.

package central

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TracerReporter is implemented by the SQL storage; the dashboard's
// outcomes page asserts it.
type TracerReporter interface {
	// TracerReport is the tracer on today: nationally and per province of
	// the graduate's village (the centre's region when the village is not
	// known), as ByProvince places trainees.
	TracerReport(ctx context.Context, today time.Time) (TracerReport, error)
}

// TracerReport is the tracer nationally and per province.
type TracerReport struct {
	National  domain.TracerSummary
	Provinces []ProvinceTracer // by province code; "" (unknown) last
}

// ProvinceTracer is one province's tracer.
type ProvinceTracer struct {
	Code string
	Name string
	domain.TracerSummary
}

// TracerReport gathers every graduate — a trainee with a completed
// enrollment, their latest completion date counting, so a second course
// starts the waves anew — and every tracer answer, and summarises them per
// province and nationally.
func (s *sqlStorage) TracerReport(ctx context.Context, today time.Time) (TracerReport, error) {
	return s.tracerReport(ctx, s.ro, today)
}

func (s *sqlStorage) tracerReport(ctx context.Context, db querier, today time.Time) (TracerReport, error) {
	byProv, err := s.tracerGraduates(ctx, db, "", nil, "", nil)
	if err != nil {
		return TracerReport{}, err
	}
	var all []domain.Graduate
	for _, gs := range byProv {
		all = append(all, gs...)
	}
	rep := TracerReport{National: domain.SummariseTracer(all, today)}
	for code, gs := range byProv {
		rep.Provinces = append(rep.Provinces, ProvinceTracer{Code: code, Name: provinceName(code), TracerSummary: domain.SummariseTracer(gs, today)})
	}
	sortProvinces(rep.Provinces)
	return rep, nil
}

// tracerGraduates is the graduates with their answers by province, of the
// enrollments and outcomes the where clauses (" AND …") leave.
func (s *sqlStorage) tracerGraduates(ctx context.Context, db querier, enrolWhere string, enrolArgs []any, outcomeWhere string, outcomeArgs []any) (map[string][]domain.Graduate, error) {
	village := "t.k1"
	prov := `CASE WHEN coalesce(` + village + `, '') <> '' THEN substr(` + village + `, 1, 2) ELSE substr(c.region, 1, 2) END`
	rows, err := db.QueryContext(ctx, s.q(`SELECT e.k1, e.data, `+prov+` FROM records e
		JOIN records t ON t.tbl = 'trainees' AND t.id = e.k1 AND t.deleted = 0
		JOIN centres c ON c.centre_no = e.centre_no
		WHERE e.tbl = 'enrollments' AND e.deleted = 0 AND e.k2 = 'completed'`+enrolWhere), enrolArgs...)
	if err != nil {
		return nil, fmt.Errorf("tracer graduates: %w", err)
	}
	type grad struct {
		prov string
		g    domain.Graduate
	}
	grads := map[string]*grad{}
	for rows.Next() {
		var tid, data, pr sql.NullString
		if err := rows.Scan(&tid, &data, &pr); err != nil {
			rows.Close()
			return nil, err
		}
		on := dataText("enrollments", data.String, "completed_on")
		g := grads[tid.String]
		if g == nil {
			g = &grad{prov: pr.String, g: domain.Graduate{TraineeID: tid.String}}
			grads[tid.String] = g
		}
		if on > g.g.CompletedOn {
			g.g.CompletedOn = on
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.QueryContext(ctx, s.q(`SELECT k1, k3, k2, data FROM records WHERE tbl = 'outcomes' AND deleted = 0`+outcomeWhere), outcomeArgs...)
	if err != nil {
		return nil, fmt.Errorf("tracer answers: %w", err)
	}
	for rows.Next() {
		var tid, on, st, data sql.NullString
		if err := rows.Scan(&tid, &on, &st, &data); err != nil {
			rows.Close()
			return nil, err
		}
		if g := grads[tid.String]; g != nil {
			g.g.Answers = append(g.g.Answers, domain.TraceAnswer{On: on.String, Status: st.String, JobMatch: dataText("outcomes", data.String, "job_match")})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byProv := map[string][]domain.Graduate{}
	for _, g := range grads {
		byProv[g.prov] = append(byProv[g.prov], g.g)
	}
	return byProv, nil
}

// sortProvinces orders provinces by code, "" (unknown) last.
func sortProvinces(ps []ProvinceTracer) {
	sort.Slice(ps, func(i, j int) bool {
		a, b := ps[i].Code, ps[j].Code
		if (a == "") != (b == "") {
			return b == ""
		}
		return a < b
	})
}
