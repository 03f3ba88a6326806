package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/kemnaker/blk/domain"
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
	// Each centre's tracer per province of its graduates, and the centre
	// sequence each centre's parts were last brought up to.
	`CREATE TABLE IF NOT EXISTS tracer_parts (centre_id TEXT NOT NULL, code TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (centre_id, code))`,
	`CREATE TABLE IF NOT EXISTS analytics_seen (centre_id TEXT PRIMARY KEY, seq BIGINT NOT NULL)`,
}

// Analytics is implemented by the SQL storage; the dashboard asserts it.
type Analytics interface {
	// RefreshAnalytics recomputes the analytics tables from the records,
	// with now as their time (and the tracer's today).
	RefreshAnalytics(ctx context.Context, now time.Time) error
	// RebuildAnalytics forgets the previous runs and rebuilds the tables
	// from every record (`blk-server summaries`).
	RebuildAnalytics(ctx context.Context, now time.Time) error
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

// RefreshAnalytics brings the analytics tables up to date in one
// transaction (readers keep the previous run until it commits). The first
// run rebuilds them from every record; later runs redo only what changed
// since: the NIKs of the trainees written since the last run (a centre's
// records carry its sequence, so "since" is a range of the (centre_no,
// seq) index), and the tracer of the centres written since, all centres
// when the day has changed (the waves fall due with the date). A trainee's
// enrollments and answers belong to its centre, so the tracer is a sum of
// centres' parts.
func (s *sqlStorage) RefreshAnalytics(ctx context.Context, now time.Time) error {
	var opts *sql.TxOptions
	if s.d.name == "postgres" {
		// Every read of the run sees the same records as the centres'
		// sequences it notes.
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead}
	}
	tx, err := s.rw.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	type centreSeq struct {
		id, region  string
		last, since int64
		seen        bool
	}
	var centres []centreSeq
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.region, c.last_seq, a.seq FROM centres c LEFT JOIN analytics_seen a ON a.centre_id = c.id WHERE c.id <> ''`)
	if err != nil {
		return fmt.Errorf("refresh analytics: %w", err)
	}
	for rows.Next() {
		var c centreSeq
		var since sql.NullInt64
		if err := rows.Scan(&c.id, &c.region, &c.last, &since); err != nil {
			rows.Close()
			return err
		}
		c.since, c.seen = since.Int64, since.Valid
		centres = append(centres, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	dupAt, _, _, _, err := s.analyticsIn(ctx, tx, analyticsDuplicates)
	if err != nil {
		return err
	}
	if dupAt.IsZero() {
		if err := s.rebuildDuplicates(ctx, tx); err != nil {
			return err
		}
	} else {
		for _, c := range centres {
			if c.last != c.since || !c.seen {
				if err := s.refreshDuplicatesOf(ctx, tx, c.id, c.since); err != nil {
					return err
				}
			}
		}
	}
	var total, across sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), sum(across) FROM dup_niks`).Scan(&total, &across); err != nil {
		return fmt.Errorf("refresh duplicates: %w", err)
	}
	if err := s.putAnalytics(ctx, tx, analyticsDuplicates, now, total.Int64, across.Int64, ""); err != nil {
		return err
	}
	day := int64(now.Year()*10000 + int(now.Month())*100 + now.Day())
	trAt, trDay, _, _, err := s.analyticsIn(ctx, tx, analyticsTracer)
	if err != nil {
		return err
	}
	for _, c := range centres {
		if trAt.IsZero() || trDay != day || c.last != c.since || !c.seen {
			if err := s.refreshTracerOf(ctx, tx, c.id, c.region, now); err != nil {
				return err
			}
		}
		if c.last != c.since || !c.seen {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO analytics_seen (centre_id, seq) VALUES (?, ?) ON CONFLICT (centre_id) DO UPDATE SET seq = excluded.seq`), c.id, c.last); err != nil {
				return fmt.Errorf("refresh analytics: %w", err)
			}
		}
	}
	rep, err := s.sumTracerParts(ctx, tx, now)
	if err != nil {
		return err
	}
	body, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	if err := s.putAnalytics(ctx, tx, analyticsTracer, now, day, 0, string(body)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if s.d.name == "postgres" && dupAt.IsZero() {
		// Rebuilt tables have no statistics until autovacuum comes by.
		if _, err := s.rw.ExecContext(ctx, `ANALYZE dup_holders, dup_niks, dup_centres, tracer_parts`); err != nil {
			return fmt.Errorf("refresh analytics: %w", err)
		}
	}
	return nil
}

func (s *sqlStorage) RebuildAnalytics(ctx context.Context, now time.Time) error {
	for _, t := range []string{"analytics", "analytics_seen", "tracer_parts"} {
		if _, err := s.rw.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("rebuild analytics: %w", err)
		}
	}
	return s.RefreshAnalytics(ctx, now)
}

// rebuildDuplicates fills the duplicates tables from every trainee.
func (s *sqlStorage) rebuildDuplicates(ctx context.Context, tx dbtx) error {
	for _, st := range []string{
		`DELETE FROM dup_holders`, `DELETE FROM dup_niks`, `DELETE FROM dup_centres`,
		`INSERT INTO dup_holders (nik, id, centre_id) SELECT nik, id, ` + centreIDOf + ` FROM records
			WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' AND nik IN
			(SELECT nik FROM records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' GROUP BY nik HAVING count(*) > 1)`,
		`INSERT INTO dup_niks (nik, holders, centres, across) SELECT nik, count(*), count(DISTINCT centre_id), CASE WHEN count(DISTINCT centre_id) > 1 THEN 1 ELSE 0 END FROM dup_holders GROUP BY nik`,
		`INSERT INTO dup_centres (centre_id, niks) SELECT centre_id, count(DISTINCT nik) FROM dup_holders GROUP BY centre_id`,
	} {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("refresh duplicates: %w", err)
		}
	}
	return nil
}

// refreshDuplicatesOf redoes the duplicates of the NIKs that centre's
// trainees written after seq hold or held (a NIK changed away is found in
// dup_holders when it was duplicated; otherwise it had one holder, now
// none, and was never listed).
func (s *sqlStorage) refreshDuplicatesOf(ctx context.Context, tx dbtx, centre string, seq int64) error {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id, nik FROM records WHERE centre_no = `+centreNoOf+` AND seq > ? AND tbl = 'trainees'`), centre, seq)
	if err != nil {
		return fmt.Errorf("refresh duplicates of %s: %w", centre, err)
	}
	niks := map[string]bool{}
	var ids []any
	for rows.Next() {
		var id, nik string
		if err := rows.Scan(&id, &nik); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
		if nik != "" {
			niks[nik] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		if err := s.collect(ctx, tx, niks, `SELECT nik FROM dup_holders WHERE id IN (`+placeholders(len(part))+`)`, part...); err != nil {
			return err
		}
	}
	list := make([]any, 0, len(niks))
	for n := range niks {
		list = append(list, n)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].(string) < list[j].(string) })
	touched := map[string]bool{centre: true}
	for start := 0; start < len(list); start += 500 {
		part := list[start:min(start+500, len(list))]
		in := `(` + placeholders(len(part)) + `)`
		if err := s.collect(ctx, tx, touched, `SELECT centre_id FROM dup_holders WHERE nik IN `+in, part...); err != nil {
			return err
		}
		for _, table := range dupTables {
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM `+table+` WHERE nik IN `+in), part...); err != nil {
				return fmt.Errorf("refresh duplicates of %s: %w", centre, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO dup_holders (nik, id, centre_id) SELECT nik, id, `+centreIDOf+` FROM records
			WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' AND nik IN `+in+` AND nik IN
			(SELECT nik FROM records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' AND nik IN `+in+` GROUP BY nik HAVING count(*) > 1)`), append(append([]any{}, part...), part...)...); err != nil {
			return fmt.Errorf("refresh duplicates of %s: %w", centre, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO dup_niks (nik, holders, centres, across) SELECT nik, count(*), count(DISTINCT centre_id),
			CASE WHEN count(DISTINCT centre_id) > 1 THEN 1 ELSE 0 END FROM dup_holders WHERE nik IN `+in+` GROUP BY nik`), part...); err != nil {
			return fmt.Errorf("refresh duplicates of %s: %w", centre, err)
		}
		if err := s.collect(ctx, tx, touched, `SELECT centre_id FROM dup_holders WHERE nik IN `+in, part...); err != nil {
			return err
		}
	}
	for c := range touched {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM dup_centres WHERE centre_id = ?`), c); err != nil {
			return fmt.Errorf("refresh duplicates of %s: %w", c, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO dup_centres (centre_id, niks) SELECT centre_id, count(DISTINCT nik) FROM dup_holders WHERE centre_id = ? GROUP BY centre_id`), c); err != nil {
			return fmt.Errorf("refresh duplicates of %s: %w", c, err)
		}
	}
	return nil
}

// dupTables are the tables keyed by NIK.
var dupTables = []string{"dup_holders", "dup_niks"}

// collect adds the one column query returns to set.
func (s *sqlStorage) collect(ctx context.Context, tx querier, set map[string]bool, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("refresh duplicates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		set[v] = true
	}
	return rows.Err()
}

// refreshTracerOf recomputes centre's parts of the tracer on now's date,
// one per province of its graduates.
func (s *sqlStorage) refreshTracerOf(ctx context.Context, tx dbtx, centre, region string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM tracer_parts WHERE centre_id = ?`), centre); err != nil {
		return fmt.Errorf("refresh tracer of %s: %w", centre, err)
	}
	byProv, err := s.tracerGraduates(ctx, tx, ` AND e.centre_no = `+centreNoOf, []any{centre}, ` AND centre_no = `+centreNoOf, []any{centre})
	if err != nil {
		return err
	}
	for code, gs := range byProv {
		body, err := json.Marshal(domain.SummariseTracer(gs, now))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO tracer_parts (centre_id, code, body) VALUES (?, ?, ?)`), centre, code, string(body)); err != nil {
			return fmt.Errorf("refresh tracer of %s: %w", centre, err)
		}
	}
	return nil
}

// sumTracerParts adds the centres' parts up into the national report.
func (s *sqlStorage) sumTracerParts(ctx context.Context, tx querier, now time.Time) (TracerReport, error) {
	rows, err := tx.QueryContext(ctx, `SELECT code, body FROM tracer_parts`)
	if err != nil {
		return TracerReport{}, fmt.Errorf("tracer: %w", err)
	}
	defer rows.Close()
	rep := TracerReport{National: domain.SummariseTracer(nil, now)}
	byProv := map[string]*domain.TracerSummary{}
	for rows.Next() {
		var code, body string
		if err := rows.Scan(&code, &body); err != nil {
			return TracerReport{}, err
		}
		var part domain.TracerSummary
		if err := json.Unmarshal([]byte(body), &part); err != nil {
			return TracerReport{}, fmt.Errorf("tracer part: %w", err)
		}
		p := byProv[code]
		if p == nil {
			z := domain.SummariseTracer(nil, now)
			p = &z
			byProv[code] = p
		}
		addTracer(p, part)
		addTracer(&rep.National, part)
	}
	if err := rows.Err(); err != nil {
		return TracerReport{}, err
	}
	for code, p := range byProv {
		rep.Provinces = append(rep.Provinces, ProvinceTracer{Code: code, Name: provinceName(code), TracerSummary: *p})
	}
	sortProvinces(rep.Provinces)
	return rep, nil
}

// addTracer adds b's counts to a (the same waves, in the same order).
func addTracer(a *domain.TracerSummary, b domain.TracerSummary) {
	a.Graduates += b.Graduates
	a.Traced += b.Traced
	a.MatchYes += b.MatchYes
	a.MatchPartly += b.MatchPartly
	a.MatchNo += b.MatchNo
	for i := range a.Waves {
		if i < len(b.Waves) {
			a.Waves[i].Due += b.Waves[i].Due
			a.Waves[i].Traced += b.Waves[i].Traced
		}
	}
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
	return s.analyticsIn(ctx, s.ro, name)
}

func (s *sqlStorage) analyticsIn(ctx context.Context, db querier, name string) (at time.Time, n1, n2 int64, body string, err error) {
	var ms int64
	err = db.QueryRowContext(ctx, s.q(`SELECT at, n1, n2, body FROM analytics WHERE name = ?`), name).Scan(&ms, &n1, &n2, &body)
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
