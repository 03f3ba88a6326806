package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/msg"
)

// The server grades every centre with domain.AssessKemandirian, the same
// function the desktop runs, over the centre's synced records read through
// the export's Source, and keeps the result in the kemandirian table: one
// row per centre with the centre seq and reference seq it was computed at
// and the day it is for. A row is stale when the centre (or the national
// thresholds) changed since, or the day moved on (expiry dates and
// 12-month windows depend on it). Pushes wake a background refresher,
// which runs once they pause (kemSettle); readers refresh what a push made
// stale before they answer, so the dashboard never shows a level older
// than the centre's last sync (a read replica, which cannot write, shows
// the primary's levels as its refresher left them).

var kemandirianSchema = []string{
	`CREATE TABLE IF NOT EXISTS kemandirian (centre_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, ref_seq BIGINT NOT NULL, day TEXT NOT NULL, level TEXT NOT NULL, met INTEGER NOT NULL, short INTEGER NOT NULL, criteria TEXT NOT NULL)`,
}

// KemandirianCriterion is one criterion of a centre's stored level.
type KemandirianCriterion struct {
	Code   string `json:"code"`
	Met    bool   `json:"met"`
	Value  int64  `json:"value"`
	Target int64  `json:"target"`
}

// KemandirianRow is one centre's level in the national table.
type KemandirianRow struct {
	Centre
	Province string                 `json:"province"`
	Level    string                 `json:"level"`
	Met      int                    `json:"met"`
	ShortOf  bool                   `json:"short_of_next"` // one criterion short of the next level
	Day      string                 `json:"day"`
	Criteria []KemandirianCriterion `json:"criteria"`
}

// KemandirianReporter is the national self-reliance view; the SQL storage
// implements it (the dashboard asserts it on a Storage, like Reporter).
type KemandirianReporter interface {
	// Kemandirian assesses one centre now, with every explanation.
	Kemandirian(ctx context.Context, centreID string) (domain.KemandirianAssessment, error)
	// KemandirianLevels is every centre's stored level, refreshed first
	// where a sync made it stale, by province then name.
	KemandirianLevels(ctx context.Context) ([]KemandirianRow, error)
	// ExportKemandirian writes the national table as csv or xlsx.
	ExportKemandirian(ctx context.Context, format string, w io.Writer) error
}

// kemandirianInput reads one centre's records (and the national
// thresholds) as the desktop store does.
func (s *sqlStorage) kemandirianInput(ctx context.Context, centreID string) (domain.KemandirianInput, error) {
	src := source{s, centreID}
	return domain.LoadKemandirian(func(table string, fn func(domain.Record) error) error {
		return src.EachRecord(ctx, table, fn)
	})
}

func (s *sqlStorage) Kemandirian(ctx context.Context, centreID string) (domain.KemandirianAssessment, error) {
	// The assessment reads every record of the centre (half a second at
	// 500 trainees): it is kept per centre until a sync, the national
	// thresholds or the day change it.
	var seq, ref sql.NullInt64
	if err := s.ro.QueryRowContext(ctx, s.q(`SELECT (SELECT last_seq FROM centres WHERE id = ? AND id <> ''), (SELECT last_seq FROM centres WHERE id = '')`), centreID).Scan(&seq, &ref); err != nil {
		return domain.KemandirianAssessment{}, err
	}
	if !seq.Valid {
		return domain.KemandirianAssessment{}, fmt.Errorf("centre %s: %w", centreID, ErrNotFound)
	}
	now := s.now()
	key := assessmentKey{seq.Int64, ref.Int64, now.UTC().Format(time.DateOnly)}
	if a, ok := s.assessments.get(centreID, key); ok {
		return a, nil
	}
	in, err := s.kemandirianInput(ctx, centreID)
	if err != nil {
		return domain.KemandirianAssessment{}, err
	}
	a := domain.AssessKemandirian(in, now)
	s.assessments.put(centreID, key, a)
	return a, nil
}

// assessmentKey is what a centre's assessment depends on besides its
// records: they change only with the centre's seq.
type assessmentKey struct {
	seq, ref int64
	day      string
}

// assessmentCache keeps the latest assessment of each centre.
type assessmentCache struct {
	mu gosync.Mutex
	m  map[string]cachedAssessment
}

type cachedAssessment struct {
	key assessmentKey
	a   domain.KemandirianAssessment
}

func (c *assessmentCache) get(centre string, key assessmentKey) (domain.KemandirianAssessment, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[centre]
	return e.a, ok && e.key == key
}

func (c *assessmentCache) put(centre string, key assessmentKey, a domain.KemandirianAssessment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 20000 {
		c.m = map[string]cachedAssessment{}
	}
	c.m[centre] = cachedAssessment{key, a}
}

// refreshKemandirian recomputes the stored level of every centre that is
// stale: all of them when whole is set (a new day), else those a sync
// changed since. It returns how many it recomputed.
func (s *sqlStorage) refreshKemandirian(ctx context.Context, whole bool) (int, error) {
	s.kemMu.Lock()
	defer s.kemMu.Unlock()
	day := s.now().UTC().Format(time.DateOnly)
	var ref int64
	if err := s.ro.QueryRowContext(ctx, `SELECT last_seq FROM centres WHERE id = ''`).Scan(&ref); err != nil {
		return 0, err
	}
	q := `SELECT c.id, c.last_seq FROM centres c LEFT JOIN kemandirian k ON k.centre_id = c.id
		WHERE c.id <> '' AND (k.centre_id IS NULL OR k.seq <> c.last_seq OR k.ref_seq <> ?`
	args := []any{ref}
	if whole {
		q += ` OR k.day <> ?`
		args = append(args, day)
	}
	rows, err := s.ro.QueryContext(ctx, s.q(q+`) ORDER BY c.id`), args...)
	if err != nil {
		return 0, err
	}
	type stale struct {
		id  string
		seq int64
	}
	var todo []stale
	for rows.Next() {
		var st stale
		if err := rows.Scan(&st.id, &st.seq); err != nil {
			rows.Close()
			return 0, err
		}
		todo = append(todo, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, st := range todo {
		in, err := s.kemandirianInput(ctx, st.id)
		if err != nil {
			return 0, fmt.Errorf("kemandirian of centre %s: %w", st.id, err)
		}
		a := domain.AssessKemandirian(in, s.now())
		cs := make([]KemandirianCriterion, len(a.Criteria))
		for i, c := range a.Criteria {
			cs[i] = KemandirianCriterion{Code: c.Code, Met: c.Met, Value: c.Value, Target: c.Target}
		}
		js, _ := json.Marshal(cs)
		short := 0
		if a.ShortOf() {
			short = 1
		}
		if _, err := s.rw.ExecContext(ctx, s.q(`INSERT INTO kemandirian (centre_id, seq, ref_seq, day, level, met, short, criteria) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (centre_id) DO UPDATE SET seq = excluded.seq, ref_seq = excluded.ref_seq, day = excluded.day, level = excluded.level,
			met = excluded.met, short = excluded.short, criteria = excluded.criteria`),
			st.id, st.seq, ref, a.Date, a.Level, a.Met, short, string(js)); err != nil {
			return 0, err
		}
	}
	return len(todo), nil
}

func (s *sqlStorage) KemandirianLevels(ctx context.Context) ([]KemandirianRow, error) {
	// A read replica has the levels the primary's worker keeps.
	if !s.readOnly {
		if _, err := s.refreshKemandirian(ctx, false); err != nil {
			return nil, err
		}
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT c.id, c.name, c.region, c.created_at, k.level, k.met, k.short, k.day, k.criteria
		FROM centres c JOIN kemandirian k ON k.centre_id = c.id WHERE c.id <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KemandirianRow
	for rows.Next() {
		var r KemandirianRow
		var at int64
		var short int
		var js string
		if err := rows.Scan(&r.ID, &r.Name, &r.Region, &at, &r.Level, &r.Met, &short, &r.Day, &js); err != nil {
			return nil, err
		}
		r.CreatedAt = time.UnixMilli(at).UTC()
		r.ShortOf = short != 0
		r.Province = provinceName(domain.ProvinceOf(r.Region))
		if err := json.Unmarshal([]byte(js), &r.Criteria); err != nil {
			return nil, fmt.Errorf("kemandirian of centre %s: %w", r.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Province != out[j].Province {
			return out[i].Province < out[j].Province
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func (s *sqlStorage) ExportKemandirian(ctx context.Context, format string, w io.Writer) error {
	levels, err := s.KemandirianLevels(ctx)
	if err != nil {
		return err
	}
	l := domain.Indonesian
	headers := []string{msg.T(l, "web.kem.col.centre"), msg.T(l, "web.kem.col.province"), msg.T(l, "web.kem.col.region"),
		msg.T(l, "web.kem.col.level"), msg.T(l, "web.kem.col.met")}
	for _, c := range domain.Criteria {
		headers = append(headers, msg.T(l, "web.kem.col.criterion", msg.T(l, "kemandirian.short."+c)))
	}
	headers = append(headers, msg.T(l, "web.kem.col.day"))
	rows := make([][]any, len(levels))
	for i, r := range levels {
		row := []any{r.Name, r.Province, r.Region, msg.T(l, "kemandirian.level."+r.Level), int64(r.Met)}
		for _, c := range r.Criteria {
			row = append(row, fmt.Sprintf("%d/%d", c.Value, c.Target))
		}
		rows[i] = append(row, r.Day)
	}
	return exchange.WriteTable(w, format, msg.T(l, "web.kem.sheet"), headers, rows)
}

// kemandirianWorker refreshes stale levels in the background: once the
// pushes that woke it pause (settle), and every hour (so a new day's
// expiries and windows apply).
type kemandirianWorker struct {
	wake   chan struct{}
	stop   chan struct{}
	done   gosync.WaitGroup
	closed gosync.Once
	// after is time.After; a test drives the settling with its own.
	after func(time.Duration) <-chan time.Time
	// refreshes counts the refreshes run.
	refreshes atomic.Int64
}

// A refresh reads every record of each centre a push changed, and a PC's
// upload is a train of pushes each a fraction of a second after the last:
// refreshing after each one read a 10,000-trainee centre fifteen times
// over during its first upload (2.3 of the server's 8.6 CPU seconds, on
// the cores the pushes needed). The worker waits until no push has woken
// it for kemSettle, and at most kemSettleMax while pushes keep coming (a
// national server never pauses). Readers are not delayed: they refresh
// what is stale themselves before they answer (KemandirianLevels).
const (
	kemSettle    = 2 * time.Second
	kemSettleMax = 30 * time.Second
)

// settle waits, after a wake, for the pushes to pause. It reports false
// when the worker is stopped meanwhile.
func (w *kemandirianWorker) settle() bool {
	limit, quiet := w.after(kemSettleMax), w.after(kemSettle)
	for {
		select {
		case <-w.stop:
			return false
		case <-w.wake:
			quiet = w.after(kemSettle)
		case <-quiet:
			return true
		case <-limit:
			return true
		}
	}
}

// StartKemandirian starts the background refresher (blk-server serve
// does; tests and one-shot commands read levels fresh without it). Close
// stops it.
func (s *sqlStorage) StartKemandirian() {
	if s.kem != nil {
		return
	}
	s.startKemandirian(time.After)
}

// startKemandirian starts the refresher, settling with after.
func (s *sqlStorage) startKemandirian(after func(time.Duration) <-chan time.Time) {
	w := &kemandirianWorker{wake: make(chan struct{}, 1), stop: make(chan struct{}), after: after}
	s.kem = w
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		tick := time.NewTicker(time.Hour)
		defer tick.Stop()
		for {
			whole := false
			select {
			case <-w.stop:
				return
			case <-w.wake:
				if !w.settle() {
					return
				}
			case <-tick.C:
				whole = true
			}
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				select {
				case <-w.stop:
					cancel()
				case <-ctx.Done():
				}
			}()
			// A failed refresh is retried by the next push, tick or read.
			_, _ = s.refreshKemandirian(ctx, whole)
			w.refreshes.Add(1)
			cancel()
		}
	}()
}

// wakeKemandirian tells the refresher a push landed (never blocks).
func (s *sqlStorage) wakeKemandirian() {
	if s.kem == nil {
		return
	}
	select {
	case s.kem.wake <- struct{}{}:
	default:
	}
}

func (s *sqlStorage) stopKemandirian() {
	if s.kem == nil {
		return
	}
	s.kem.closed.Do(func() { close(s.kem.stop) })
	s.kem.done.Wait()
}
