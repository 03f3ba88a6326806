package central

// The dashboard's figures computed from scratch by scanning the records,
// as the reports did before the summary tables: the tests compare the
// summaries with them. They read the records as they were stored before
// centre numbers (centrenos.go), with the centre's id in centre_id.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
)

func (s *sqlStorage) scanCentreSummaries(ctx context.Context, now time.Time, staleAfter time.Duration) ([]CentreSummary, error) {
	centres, err := s.Centres(ctx)
	if err != nil {
		return nil, fmt.Errorf("centres: %w", err)
	}
	out := make([]CentreSummary, len(centres))
	idx := map[string]int{}
	for i, c := range centres {
		out[i] = CentreSummary{Centre: c, Province: provinceName(domain.ProvinceOf(c.Region))}
		idx[c.ID] = i
	}
	if err := s.scanCounts(ctx, `SELECT centre_id, sum(CASE WHEN revoked_at = 0 THEN 1 ELSE 0 END), max(last_seen) FROM devices GROUP BY centre_id`, func(id string, n, last int64) {
		if i, ok := idx[id]; ok {
			out[i].Devices = int(n)
			if last > 0 {
				out[i].LastSync = time.UnixMilli(last).UTC()
			}
		}
	}); err != nil {
		return nil, fmt.Errorf("devices per centre: %w", err)
	}
	if err := s.scanCounts(ctx, `SELECT centre_id, count(*), 0 FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'trainees' AND deleted = 0 GROUP BY centre_id`, func(id string, n, _ int64) {
		if i, ok := idx[id]; ok {
			out[i].Trainees = int(n)
		}
	}); err != nil {
		return nil, fmt.Errorf("trainees per centre: %w", err)
	}
	if err := s.scanCounts(ctx, `SELECT centre_id, count(DISTINCT k1), 0 FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'enrollments' AND deleted = 0 AND k2 = 'completed' GROUP BY centre_id`, func(id string, n, _ int64) {
		if i, ok := idx[id]; ok {
			out[i].Graduates = int(n)
		}
	}); err != nil {
		return nil, fmt.Errorf("graduates per centre: %w", err)
	}
	for i := range out {
		out[i].Stale = out[i].LastSync.IsZero() || now.Sub(out[i].LastSync) > staleAfter
	}
	return out, nil
}

func (s *sqlStorage) scanByProvince(ctx context.Context) ([]Breakdown, error) {
	village := "t.k1"
	prov := `CASE WHEN coalesce(` + village + `, '') <> '' THEN substr(` + village + `, 1, 2) ELSE substr(c.region, 1, 2) END`
	rows := map[string]*Breakdown{}
	row := func(code string) *Breakdown {
		b := rows[code]
		if b == nil {
			b = &Breakdown{Code: code, NameID: provinceName(code)}
			b.NameEN = b.NameID
			rows[code] = b
		}
		return b
	}
	if err := s.scanCounts(ctx, `SELECT prov, count(*), 0 FROM (SELECT `+prov+` AS prov FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) t JOIN centres c ON c.id = t.centre_id
		WHERE t.tbl = 'trainees' AND t.deleted = 0) x GROUP BY prov`, func(code string, n, _ int64) { row(code).Trainees = int(n) }); err != nil {
		return nil, fmt.Errorf("trainees by province: %w", err)
	}
	// IN (subquery): both planners build the set of graduates once.
	// (SQLite's planner may otherwise scan enrollments once per trainee;
	// PostgreSQL needs table statistics for this, which autovacuum keeps.)
	if err := s.scanCounts(ctx, `SELECT prov, count(*), 0 FROM (SELECT `+prov+` AS prov FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) t JOIN centres c ON c.id = t.centre_id
		WHERE t.tbl = 'trainees' AND t.deleted = 0 AND t.id IN (SELECT e.k1 FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) e
			WHERE e.tbl = 'enrollments' AND e.deleted = 0 AND e.k2 = 'completed')) x GROUP BY prov`,
		func(code string, n, _ int64) { row(code).Graduates = int(n) }); err != nil {
		return nil, fmt.Errorf("graduates by province: %w", err)
	}
	return sortBreakdown(rows), nil
}

func (s *sqlStorage) scanByField(ctx context.Context) ([]Breakdown, error) {
	names := map[string][2]string{}
	r, err := s.ro.QueryContext(ctx, `SELECT data FROM records WHERE tbl = 'vocational_fields' AND deleted = 0`)
	if err != nil {
		return nil, fmt.Errorf("vocational fields: %w", err)
	}
	for r.Next() {
		var data string
		if err := r.Scan(&data); err != nil {
			r.Close()
			return nil, err
		}
		names[dataText("vocational_fields", data, "code")] = [2]string{dataText("vocational_fields", data, "name_id"), dataText("vocational_fields", data, "name_en")}
	}
	r.Close()
	if err := r.Err(); err != nil {
		return nil, err
	}
	rows := map[string]*Breakdown{}
	if err := s.scanCounts(ctx, `SELECT fc, count(DISTINCT tid), count(DISTINCT CASE WHEN st = 'completed' THEN tid END) FROM (
		SELECT p.k1 AS fc, e.k1 AS tid, e.k2 AS st FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) e
		JOIN records co ON co.tbl = 'cohorts' AND co.id = e.k3 AND co.deleted = 0
		JOIN records p ON p.tbl = 'programmes' AND p.id = co.k1 AND p.deleted = 0
		WHERE e.tbl = 'enrollments' AND e.deleted = 0) x GROUP BY fc`, func(code string, n, g int64) {
		nm := names[code]
		rows[code] = &Breakdown{Code: code, NameID: nm[0], NameEN: nm[1], Trainees: int(n), Graduates: int(g)}
	}); err != nil {
		return nil, fmt.Errorf("trainees by field: %w", err)
	}
	return sortBreakdown(rows), nil
}

func (s *sqlStorage) scanOutcomes(ctx context.Context, centreID string) (OutcomeSummary, error) {
	where, args := "", []any{}
	if centreID != "" {
		where, args = " AND centre_id = ?", []any{centreID}
	}
	sum := OutcomeSummary{ByStatus: map[string]int{}}
	if err := s.scanCounts(ctx, `SELECT '', count(DISTINCT k1), 0 FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'enrollments' AND deleted = 0 AND k2 = 'completed'`+where,
		func(_ string, n, _ int64) { sum.Graduates = int(n) }, args...); err != nil {
		return sum, fmt.Errorf("graduates: %w", err)
	}
	// Outcomes are append-only tracer answers: the latest survey of each
	// trainee is the one that counts. Picking it in Go keeps the SQL
	// portable; there is one row per survey, a few per graduate.
	rows, err := s.ro.QueryContext(ctx, s.q(`SELECT k1, k3, k2, id FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'outcomes' AND deleted = 0`+where), args...)
	if err != nil {
		return sum, fmt.Errorf("outcomes: %w", err)
	}
	defer rows.Close()
	type latest struct{ on, id, status string }
	last := map[string]latest{}
	for rows.Next() {
		var tid, on, st sql.NullString
		var id string
		if err := rows.Scan(&tid, &on, &st, &id); err != nil {
			return sum, err
		}
		cur, ok := last[tid.String]
		if !ok || on.String > cur.on || (on.String == cur.on && id > cur.id) {
			last[tid.String] = latest{on.String, id, st.String}
		}
	}
	if err := rows.Err(); err != nil {
		return sum, err
	}
	for _, l := range last {
		sum.ByStatus[l.status]++
	}
	sum.Traced = len(last)
	if sum.Traced > 0 {
		sum.PlacementRate = float64(sum.ByStatus[domain.OutcomeEmployed]+sum.ByStatus[domain.OutcomeSelfEmployed]) / float64(sum.Traced)
	}
	return sum, nil
}

func (s *sqlStorage) scanOutcomesByCentre(ctx context.Context) (map[string]OutcomeSummary, error) {
	out := map[string]OutcomeSummary{}
	get := func(c string) OutcomeSummary {
		o, ok := out[c]
		if !ok {
			o = OutcomeSummary{ByStatus: map[string]int{}}
		}
		return o
	}
	if err := s.scanCounts(ctx, `SELECT centre_id, count(DISTINCT k1), 0 FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'enrollments' AND deleted = 0 AND k2 = 'completed' GROUP BY centre_id`,
		func(c string, n, _ int64) { o := get(c); o.Graduates = int(n); out[c] = o }); err != nil {
		return nil, fmt.Errorf("graduates per centre: %w", err)
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT centre_id, k1, k3, k2, id FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'outcomes' AND deleted = 0`)
	if err != nil {
		return nil, fmt.Errorf("outcomes: %w", err)
	}
	defer rows.Close()
	type latest struct{ centre, on, id, status string }
	last := map[string]latest{}
	for rows.Next() {
		var c, id string
		var tid, on, st sql.NullString
		if err := rows.Scan(&c, &tid, &on, &st, &id); err != nil {
			return nil, err
		}
		key := c + "\x00" + tid.String
		cur, ok := last[key]
		if !ok || on.String > cur.on || (on.String == cur.on && id > cur.id) {
			last[key] = latest{c, on.String, id, st.String}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, l := range last {
		o := get(l.centre)
		o.ByStatus[l.status]++
		o.Traced++
		out[l.centre] = o
	}
	for c, o := range out {
		if o.Traced > 0 {
			o.PlacementRate = float64(o.ByStatus[domain.OutcomeEmployed]+o.ByStatus[domain.OutcomeSelfEmployed]) / float64(o.Traced)
			out[c] = o
		}
	}
	return out, nil
}

func (s *sqlStorage) scanDataQuality(ctx context.Context, centreID string, now time.Time) ([]Quality, error) {
	centres, err := s.Centres(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Quality, 0, len(centres))
	for _, c := range centres {
		if centreID == "" || c.ID == centreID {
			out = append(out, Quality{CentreID: c.ID, Name: c.Name, WarningsByField: map[string]int{}})
		}
	}
	idx := map[string]*Quality{}
	for i := range out {
		idx[out[i].CentreID] = &out[i]
	}
	where, args := "", []any{}
	if centreID != "" {
		where, args = " AND centre_id = ?", []any{centreID}
	}
	// Conflict bodies carry the resolved flag; decoding them in Go avoids
	// comparing JSON booleans, which the two backends render differently.
	rows, err := s.ro.QueryContext(ctx, s.q(`SELECT centre_id, body FROM conflicts WHERE 1 = 1`+where), args...)
	if err != nil {
		return nil, fmt.Errorf("conflicts: %w", err)
	}
	for rows.Next() {
		var centre, body string
		if err := rows.Scan(&centre, &body); err != nil {
			rows.Close()
			return nil, err
		}
		var cf domain.Conflict
		if json.Unmarshal([]byte(body), &cf) == nil && !cf.Resolved {
			if q := idx[centre]; q != nil {
				q.OpenConflicts++
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.scanCounts(ctx, `SELECT d.centre_id, count(*), 0 FROM rejections r JOIN devices d ON d.id = r.device_id WHERE 1 = 1`+strings.Replace(where, "centre_id", "d.centre_id", 1)+` GROUP BY d.centre_id`, func(id string, n, _ int64) {
		if q := idx[id]; q != nil {
			q.Rejections = int(n)
		}
	}, args...); err != nil {
		return nil, fmt.Errorf("rejections: %w", err)
	}
	if err := s.scanCounts(ctx, `SELECT centre_id, count(DISTINCT nik), 0 FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> ''
		AND nik IN (SELECT nik FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' GROUP BY nik HAVING count(*) > 1)`+where+` GROUP BY centre_id`, func(id string, n, _ int64) {
		if q := idx[id]; q != nil {
			q.DuplicateNIKs = int(n)
		}
	}, args...); err != nil {
		return nil, fmt.Errorf("duplicate NIKs: %w", err)
	}
	t := domain.LookupTable("trainees")
	rows, err = s.ro.QueryContext(ctx, s.q(`SELECT centre_id, k1, k2, k3, data FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'trainees' AND deleted = 0`+where), args...)
	if err != nil {
		return nil, fmt.Errorf("trainees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var centre, data string
		var k [3]string
		if err := rows.Scan(&centre, &k[0], &k[1], &k[2], &data); err != nil {
			return nil, err
		}
		q := idx[centre]
		if q == nil {
			continue
		}
		q.Trainees++
		rec, err := recordOf(t, rowKey{centre: centre, k: k}, data)
		if err != nil {
			return nil, err
		}
		ws := domain.Validate(rec, domain.Rules{Now: now}).Warnings()
		if len(ws) == 0 {
			continue
		}
		q.WithWarnings++
		seen := map[string]bool{}
		for _, w := range ws {
			if !seen[w.Field] {
				seen[w.Field] = true
				q.WarningsByField[w.Field]++
			}
		}
	}
	return out, rows.Err()
}

func (s *sqlStorage) scanDuplicates(ctx context.Context, centreID string) ([]Duplicate, error) {
	where := ""
	args := []any{}
	if centreID != "" {
		where = " AND nik IN (SELECT nik FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'trainees' AND deleted = 0 AND centre_id = ?)"
		args = append(args, centreID)
	}
	rows, err := s.ro.QueryContext(ctx, s.q(`SELECT nik, id, centre_id FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> ''`+where+`
		AND nik IN (SELECT nik FROM (SELECT r.*, c.id AS centre_id FROM records r JOIN centres c ON c.centre_no = r.centre_no) records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' GROUP BY nik HAVING count(*) > 1) ORDER BY nik, `+s.d.orderID), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Duplicate
	for rows.Next() {
		var nik, id, c string
		if err := rows.Scan(&nik, &id, &c); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].NIK != nik {
			out = append(out, Duplicate{NIK: nik})
		}
		d := &out[len(out)-1]
		d.Trainees = append(d.Trainees, id)
		d.Centres = append(d.Centres, c)
	}
	return out, rows.Err()
}
