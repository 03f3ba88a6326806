package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Analytics tables: the figures that cannot be kept per centre on push are
// recomputed from the records by a scheduled job (RefreshAnalytics, which
// `blk-server serve` runs every few minutes), the way DHIS2 rebuilds its
// analytics tables; the dashboard reads the last run and shows its time
// ("data as of"). Two figures are kept this way:
//
//   - duplicated NIKs. A NIK is shared across centres: keeping its holders
//     exact on push made pushes that add a NIK many centres hold wait for
//     each other (docs/PERFORMANCE.md, "Duplicates kept on push were a
//     regression"), while grouping the nik index per request grows with
//     the trainees of the whole country. The refresh writes only the
//     duplicated NIKs (dup_niks), their holders (dup_holders) and each
//     centre's count (dup_centres); pushes never touch these tables.
//   - the tracer waves of the outcomes page: what is due depends on today,
//     and on every graduate's completion date, so it is a whole-country
//     computation (TracerReport) stored as its result.
//
// Before the first run (a new server, the tests) the Kept* methods report
// a zero time and the dashboard computes the figures live, as before.

var analyticsSchema = []string{
	`CREATE TABLE IF NOT EXISTS analytics (name TEXT PRIMARY KEY, at BIGINT NOT NULL, n1 BIGINT NOT NULL, n2 BIGINT NOT NULL, body TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS dup_niks (nik TEXT PRIMARY KEY, holders BIGINT NOT NULL, centres BIGINT NOT NULL, across INTEGER NOT NULL)`,
	// The duplicates page lists NIKs held in several centres first.
	`CREATE INDEX IF NOT EXISTS dup_niks_order ON dup_niks (across DESC, nik)`,
	`CREATE TABLE IF NOT EXISTS dup_holders (nik TEXT NOT NULL, id TEXT NOT NULL, centre_id TEXT NOT NULL, PRIMARY KEY (nik, id))`,
	`CREATE INDEX IF NOT EXISTS dup_holders_centre ON dup_holders (centre_id, nik)`,
	`CREATE TABLE IF NOT EXISTS dup_centres (centre_id TEXT PRIMARY KEY, niks BIGINT NOT NULL)`,
}

// Analytics is implemented by the SQL storage; the dashboard asserts it.
type Analytics interface {
	// RefreshAnalytics recomputes the analytics tables from the records,
	// with now as their time (and the tracer's today).
	RefreshAnalytics(ctx context.Context, now time.Time) error
	// KeptDuplicateCounts is DuplicateCounts as of the last refresh; at is
	// zero when no refresh has run.
	KeptDuplicateCounts(ctx context.Context) (total, across int, at time.Time, err error)
	// KeptDuplicates is Duplicates as of the last refresh: with centreID
	// "" the NIKs held in several centres first, then by NIK, skipping
	// offset NIKs and returning at most limit (0: all).
	KeptDuplicates(ctx context.Context, centreID string, offset, limit int) ([]Duplicate, time.Time, error)
	// KeptDataQuality is DataQuality with the duplicated NIKs as of the
	// last refresh (the rest is the summary tables, always current).
	KeptDataQuality(ctx context.Context, centreID string) ([]Quality, time.Time, error)
	// KeptTracerReport is TracerReport on the day of the last refresh.
	KeptTracerReport(ctx context.Context) (TracerReport, time.Time, error)
}

const (
	analyticsDuplicates = "duplicates"
	analyticsTracer     = "tracer"
)

// RefreshAnalytics rebuilds the duplicates tables in one transaction
// (readers keep the previous run until it commits), then stores the
// tracer report.
func (s *sqlStorage) RefreshAnalytics(ctx context.Context, now time.Time) error {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, st := range []string{
		`DELETE FROM dup_holders`, `DELETE FROM dup_niks`, `DELETE FROM dup_centres`,
		`INSERT INTO dup_holders (nik, id, centre_id) SELECT nik, id, centre_id FROM records
			WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' AND nik IN
			(SELECT nik FROM records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' GROUP BY nik HAVING count(*) > 1)`,
		`INSERT INTO dup_niks (nik, holders, centres, across) SELECT nik, count(*), count(DISTINCT centre_id), CASE WHEN count(DISTINCT centre_id) > 1 THEN 1 ELSE 0 END FROM dup_holders GROUP BY nik`,
		`INSERT INTO dup_centres (centre_id, niks) SELECT centre_id, count(DISTINCT nik) FROM dup_holders GROUP BY centre_id`,
	} {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("refresh duplicates: %w", err)
		}
	}
	var total, across sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), sum(across) FROM dup_niks`).Scan(&total, &across); err != nil {
		return fmt.Errorf("refresh duplicates: %w", err)
	}
	if err := s.putAnalytics(ctx, tx, analyticsDuplicates, now, total.Int64, across.Int64, ""); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if s.d.name == "postgres" {
		// Rebuilt tables have no statistics until autovacuum comes by.
		if _, err := s.rw.ExecContext(ctx, `ANALYZE dup_holders, dup_niks, dup_centres`); err != nil {
			return fmt.Errorf("refresh duplicates: %w", err)
		}
	}
	// The tracer reads the primary, which has just been written.
	rep, err := s.tracerReport(ctx, s.rw, now)
	if err != nil {
		return err
	}
	body, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	return s.putAnalytics(ctx, s.rw, analyticsTracer, now, 0, 0, string(body))
}

func (s *sqlStorage) putAnalytics(ctx context.Context, tx execer, name string, at time.Time, n1, n2 int64, body string) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO analytics (name, at, n1, n2, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET at = excluded.at, n1 = excluded.n1, n2 = excluded.n2, body = excluded.body`), name, at.UnixMilli(), n1, n2, body)
	if err != nil {
		return fmt.Errorf("analytics %s: %w", name, err)
	}
	return nil
}

// analytics reads the last run of name; at is zero when there was none.
func (s *sqlStorage) analytics(ctx context.Context, name string) (at time.Time, n1, n2 int64, body string, err error) {
	var ms int64
	err = s.ro.QueryRowContext(ctx, s.q(`SELECT at, n1, n2, body FROM analytics WHERE name = ?`), name).Scan(&ms, &n1, &n2, &body)
	if err == sql.ErrNoRows {
		return time.Time{}, 0, 0, "", nil
	}
	if err != nil {
		return time.Time{}, 0, 0, "", fmt.Errorf("analytics %s: %w", name, err)
	}
	return time.UnixMilli(ms), n1, n2, body, nil
}

func (s *sqlStorage) KeptDuplicateCounts(ctx context.Context) (int, int, time.Time, error) {
	at, total, across, _, err := s.analytics(ctx, analyticsDuplicates)
	return int(total), int(across), at, err
}

func (s *sqlStorage) KeptDuplicates(ctx context.Context, centreID string, offset, limit int) ([]Duplicate, time.Time, error) {
	at, _, _, _, err := s.analytics(ctx, analyticsDuplicates)
	if err != nil || at.IsZero() {
		return nil, at, err
	}
	// The NIKs of the page, then their holders.
	var q string
	var args []any
	if centreID != "" {
		q, args = `SELECT n.nik, n.centres FROM dup_niks n WHERE n.nik IN (SELECT nik FROM dup_holders WHERE centre_id = ?) ORDER BY n.across DESC, n.nik`, []any{centreID}
	} else {
		q = `SELECT nik, centres FROM dup_niks ORDER BY across DESC, nik`
	}
	if limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, offset)
	}
	rows, err := s.ro.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, at, fmt.Errorf("duplicates: %w", err)
	}
	var out []Duplicate
	idx := map[string]int{}
	var niks []any
	for rows.Next() {
		var nik string
		var centres int64
		if err := rows.Scan(&nik, &centres); err != nil {
			rows.Close()
			return nil, at, err
		}
		idx[nik] = len(out)
		out = append(out, Duplicate{NIK: nik})
		niks = append(niks, nik)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, at, err
	}
	for start := 0; start < len(niks); start += 500 {
		part := niks[start:min(start+500, len(niks))]
		rows, err := s.ro.QueryContext(ctx, s.q(`SELECT nik, id, centre_id FROM dup_holders WHERE nik IN (`+placeholders(len(part))+`) ORDER BY nik, `+s.d.orderID), part...)
		if err != nil {
			return nil, at, fmt.Errorf("duplicates: %w", err)
		}
		for rows.Next() {
			var nik, id, c string
			if err := rows.Scan(&nik, &id, &c); err != nil {
				rows.Close()
				return nil, at, err
			}
			d := &out[idx[nik]]
			d.Trainees = append(d.Trainees, id)
			d.Centres = append(d.Centres, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, at, err
		}
	}
	return out, at, nil
}

func (s *sqlStorage) KeptDataQuality(ctx context.Context, centreID string) ([]Quality, time.Time, error) {
	at, _, _, _, err := s.analytics(ctx, analyticsDuplicates)
	if err != nil || at.IsZero() {
		return nil, at, err
	}
	where, args := "", []any{}
	if centreID != "" {
		where, args = " WHERE centre_id = ?", []any{centreID}
	}
	out, err := s.dataQuality(ctx, centreID, `SELECT centre_id, niks, 0 FROM dup_centres`+where, args)
	return out, at, err
}

func (s *sqlStorage) KeptTracerReport(ctx context.Context) (TracerReport, time.Time, error) {
	at, _, _, body, err := s.analytics(ctx, analyticsTracer)
	if err != nil || at.IsZero() {
		return TracerReport{}, at, err
	}
	var rep TracerReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		return TracerReport{}, time.Time{}, fmt.Errorf("analytics tracer: %w", err)
	}
	return rep, at, nil
}
