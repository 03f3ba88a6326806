package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	gosync "sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/kemnaker/blk/domain"
)

// Reporter is the read-only national view the ministry dashboard needs, plus
// the dashboard's own logins. The SQL storage implements it; the dashboard
// gets it with a type assertion on a Storage, so the sync API's interface
// stays as small as the sync protocol needs.
type Reporter interface {
	// CentreSummaries lists every centre with its devices, last sync,
	// trainees and graduates; a centre with no sync since now-staleAfter
	// (or never) is stale.
	CentreSummaries(ctx context.Context, now time.Time, staleAfter time.Duration) ([]CentreSummary, error)
	// ByProvince counts trainees and graduates per province of the
	// trainee's village (the centre's region when the village is unknown).
	ByProvince(ctx context.Context) ([]Breakdown, error)
	// ByField counts trainees and graduates per vocational field of the
	// programme they were enrolled in.
	ByField(ctx context.Context) ([]Breakdown, error)
	// Outcomes summarises the latest tracer answer of every traced trainee;
	// centreID "" means the whole country.
	Outcomes(ctx context.Context, centreID string) (OutcomeSummary, error)
	// OutcomesByCentre is Outcomes of every centre at once, keyed by
	// centre id (centres without graduates or outcomes are left out).
	OutcomesByCentre(ctx context.Context) (map[string]OutcomeSummary, error)
	// DataQuality lists per centre the open conflicts, rejected changes,
	// trainees whose record has validation warnings, and duplicated NIKs;
	// centreID "" means every centre (it validates every trainee, so one
	// centre's page asks for its own only).
	DataQuality(ctx context.Context, centreID string, now time.Time) ([]Quality, error)
	// DuplicateCounts counts the NIKs held by more than one live trainee,
	// and of those the ones held in more than one centre.
	DuplicateCounts(ctx context.Context) (total, across int, err error)
	// TraineeNames maps trainee ids to names (for the duplicates list);
	// ids not found are left out.
	TraineeNames(ctx context.Context, ids []string) (map[string]string, error)
	// Metrics is what /metrics exports.
	Metrics(ctx context.Context) (Metrics, error)
	// AddUser creates a dashboard login, or sets a new password for an
	// existing one (created reports which).
	AddUser(ctx context.Context, name, password string) (created bool, err error)
	// CheckPassword returns ErrBadLogin unless name has that password.
	CheckPassword(ctx context.Context, name, password string) error
}

// CentreSummary is one row of the dashboard's centre table.
type CentreSummary struct {
	Centre
	Province  string    `json:"province"` // province name of the centre's region
	Devices   int       `json:"devices"`  // not revoked
	LastSync  time.Time `json:"last_sync"`
	Trainees  int       `json:"trainees"`
	Graduates int       `json:"graduates"`
	Stale     bool      `json:"stale"`
}

// Breakdown is one row of a by-province or by-field table.
type Breakdown struct {
	Code      string `json:"code"` // province code or vocational field code; "" unknown
	NameID    string `json:"name_id"`
	NameEN    string `json:"name_en"`
	Trainees  int    `json:"trainees"`
	Graduates int    `json:"graduates"`
}

// OutcomeSummary counts the latest outcome of each traced trainee.
type OutcomeSummary struct {
	Graduates int            `json:"graduates"`
	Traced    int            `json:"traced"`    // trainees with at least one outcome
	ByStatus  map[string]int `json:"by_status"` // domain.Outcome* → trainees
	// PlacementRate is (employed + self-employed) / traced, 0 when nobody
	// was traced.
	PlacementRate float64 `json:"placement_rate"`
}

// Quality is the data-quality row of one centre.
type Quality struct {
	CentreID        string         `json:"centre_id"`
	Name            string         `json:"name"`
	OpenConflicts   int            `json:"open_conflicts"`
	Rejections      int            `json:"rejections"`
	Trainees        int            `json:"trainees"`
	WithWarnings    int            `json:"with_warnings"`     // trainees
	WarningsByField map[string]int `json:"warnings_by_field"` // field → trainees
	DuplicateNIKs   int            `json:"duplicate_niks"`    // NIKs of this centre held more than once
}

// Metrics are server-wide counters for Prometheus.
type Metrics struct {
	Centres       int              `json:"centres"`
	Devices       int              `json:"devices"` // not revoked
	Revoked       int              `json:"revoked"`
	Records       map[string]int64 `json:"records"` // live rows per table
	Conflicts     int64            `json:"conflicts"`
	Rejections    int64            `json:"rejections"`
	LastPush      time.Time        `json:"last_push"`
	DashboardUser int              `json:"dashboard_users"`
}

// ErrBadLogin is a wrong user name or password (never saying which).
var ErrBadLogin = errors.New("user name or password is wrong")

// MinPasswordLen is the shortest dashboard password accepted.
const MinPasswordLen = 10

func provinceName(code string) string {
	if r, ok := domain.LookupRegion(code); ok {
		return r.Name
	}
	return ""
}

func (s *sqlStorage) CentreSummaries(ctx context.Context, now time.Time, staleAfter time.Duration) ([]CentreSummary, error) {
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
	// Trainees and graduates come from the summary table (summary.go).
	if err := s.scanCounts(ctx, `SELECT centre_id, n1, n2 FROM summary WHERE kind = 'centre'`, func(id string, n, g int64) {
		if i, ok := idx[id]; ok {
			out[i].Trainees, out[i].Graduates = int(n), int(g)
		}
	}); err != nil {
		return nil, fmt.Errorf("trainees per centre: %w", err)
	}
	for i := range out {
		out[i].Stale = out[i].LastSync.IsZero() || now.Sub(out[i].LastSync) > staleAfter
	}
	return out, nil
}

// scanCounts runs a query of (text, int, int) rows.
func (s *sqlStorage) scanCounts(ctx context.Context, query string, fn func(key string, a, b int64), args ...any) error {
	rows, err := s.ro.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key sql.NullString
		var a, b sql.NullInt64
		if err := rows.Scan(&key, &a, &b); err != nil {
			return err
		}
		fn(key.String, a.Int64, b.Int64)
	}
	return rows.Err()
}

func (s *sqlStorage) ByProvince(ctx context.Context) ([]Breakdown, error) {
	rows := map[string]*Breakdown{}
	if err := s.scanCounts(ctx, `SELECT code, sum(n1), sum(n2) FROM summary WHERE kind = 'province' GROUP BY code`, func(code string, n, g int64) {
		if n == 0 && g == 0 {
			return
		}
		b := &Breakdown{Code: code, NameID: provinceName(code), Trainees: int(n), Graduates: int(g)}
		b.NameEN = b.NameID
		rows[code] = b
	}); err != nil {
		return nil, fmt.Errorf("trainees by province: %w", err)
	}
	return sortBreakdown(rows), nil
}

func (s *sqlStorage) ByField(ctx context.Context) ([]Breakdown, error) {
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
	if err := s.scanCounts(ctx, `SELECT code, sum(n1), sum(n2) FROM summary WHERE kind = 'field' GROUP BY code`, func(code string, n, g int64) {
		nm := names[code]
		rows[code] = &Breakdown{Code: code, NameID: nm[0], NameEN: nm[1], Trainees: int(n), Graduates: int(g)}
	}); err != nil {
		return nil, fmt.Errorf("trainees by field: %w", err)
	}
	return sortBreakdown(rows), nil
}

// sortBreakdown orders rows by trainees, most first, then code.
func sortBreakdown(m map[string]*Breakdown) []Breakdown {
	out := make([]Breakdown, 0, len(m))
	for _, b := range m {
		if b.NameEN == "" {
			b.NameEN = b.NameID
		}
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Trainees != out[j].Trainees {
			return out[i].Trainees > out[j].Trainees
		}
		return out[i].Code < out[j].Code
	})
	return out
}

func (s *sqlStorage) Outcomes(ctx context.Context, centreID string) (OutcomeSummary, error) {
	where, args := "", []any{}
	if centreID != "" {
		where, args = " AND centre_id = ?", []any{centreID}
	}
	sum := OutcomeSummary{ByStatus: map[string]int{}}
	if err := s.scanCounts(ctx, `SELECT kind, sum(n2), 0 FROM summary WHERE kind = 'centre'`+where+` GROUP BY kind`,
		func(_ string, n, _ int64) { sum.Graduates = int(n) }, args...); err != nil {
		return sum, fmt.Errorf("graduates: %w", err)
	}
	if err := s.scanCounts(ctx, `SELECT code, sum(n1), 0 FROM summary WHERE kind = 'outcome'`+where+` GROUP BY code`,
		func(st string, n, _ int64) {
			sum.ByStatus[st] = int(n)
			sum.Traced += int(n)
		}, args...); err != nil {
		return sum, fmt.Errorf("outcomes: %w", err)
	}
	sum.rate()
	return sum, nil
}

// rate sets the placement rate from the counts.
func (o *OutcomeSummary) rate() {
	if o.Traced > 0 {
		o.PlacementRate = float64(o.ByStatus[domain.OutcomeEmployed]+o.ByStatus[domain.OutcomeSelfEmployed]) / float64(o.Traced)
	}
}

func (s *sqlStorage) OutcomesByCentre(ctx context.Context) (map[string]OutcomeSummary, error) {
	out := map[string]OutcomeSummary{}
	get := func(c string) OutcomeSummary {
		o, ok := out[c]
		if !ok {
			o = OutcomeSummary{ByStatus: map[string]int{}}
		}
		return o
	}
	if err := s.scanCounts(ctx, `SELECT centre_id, n2, 0 FROM summary WHERE kind = 'centre' AND n2 > 0`,
		func(c string, n, _ int64) { o := get(c); o.Graduates = int(n); out[c] = o }); err != nil {
		return nil, fmt.Errorf("graduates per centre: %w", err)
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT centre_id, code, n1 FROM summary WHERE kind = 'outcome'`)
	if err != nil {
		return nil, fmt.Errorf("outcomes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, st string
		var n int
		if err := rows.Scan(&c, &st, &n); err != nil {
			return nil, err
		}
		o := get(c)
		o.ByStatus[st] += n
		o.Traced += n
		out[c] = o
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for c, o := range out {
		o.rate()
		out[c] = o
	}
	return out, nil
}

func (s *sqlStorage) DataQuality(ctx context.Context, centreID string, _ time.Time) ([]Quality, error) {
	where, args := "", []any{}
	if centreID != "" {
		where, args = " AND c.id = ?", []any{centreID}
	}
	// Everything but the duplicated NIKs is in the summary table (warnings
	// are worked out when a trainee is written; see summary.go); those are
	// read from the nik index (KeptDataQuality reads the analytics tables).
	return s.dataQuality(ctx, centreID, `SELECT c.id, count(DISTINCT r.nik), 0 FROM records r JOIN centres c ON c.centre_no = r.centre_no WHERE r.tbl = 'trainees' AND r.deleted = 0 AND r.nik <> ''
		AND r.nik IN (SELECT nik FROM records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' GROUP BY nik HAVING count(*) > 1)`+where+` GROUP BY c.id`, args)
}

// dataQuality is DataQuality with the duplicated NIKs per centre counted by
// dupQuery (centre, count, 0) with dupArgs.
func (s *sqlStorage) dataQuality(ctx context.Context, centreID, dupQuery string, dupArgs []any) ([]Quality, error) {
	var centres []Centre
	var err error
	if centreID == "" {
		centres, err = s.Centres(ctx)
	} else {
		// One centre's page: its own row, not every centre's.
		var c Centre
		err = s.ro.QueryRowContext(ctx, s.q(`SELECT id, name FROM centres WHERE id = ?`), centreID).Scan(&c.ID, &c.Name)
		if err == sql.ErrNoRows {
			err = nil
		} else {
			centres = []Centre{c}
		}
	}
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
	rows, err := s.ro.QueryContext(ctx, s.q(`SELECT centre_id, kind, code, n1 FROM summary WHERE kind IN ('centre', 'warn', 'conflicts', 'rejections')`+where), args...)
	if err != nil {
		return nil, fmt.Errorf("data quality: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var centre, kind, code string
		var n int
		if err := rows.Scan(&centre, &kind, &code, &n); err != nil {
			return nil, err
		}
		q := idx[centre]
		if q == nil {
			continue
		}
		switch {
		case kind == "centre":
			q.Trainees = n
		case kind == "conflicts":
			q.OpenConflicts = n
		case kind == "rejections":
			q.Rejections = n
		case kind == "warn" && code == "":
			q.WithWarnings = n
		case kind == "warn":
			q.WarningsByField[code] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.scanCounts(ctx, dupQuery, func(id string, n, _ int64) {
		if q := idx[id]; q != nil {
			q.DuplicateNIKs = int(n)
		}
	}, dupArgs...); err != nil {
		return nil, fmt.Errorf("duplicate NIKs: %w", err)
	}
	return out, nil
}

func (s *sqlStorage) Metrics(ctx context.Context) (Metrics, error) {
	m := Metrics{Records: map[string]int64{}}
	var last sql.NullInt64
	err := s.ro.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM centres WHERE id <> ''),
		(SELECT count(*) FROM devices WHERE revoked_at = 0), (SELECT count(*) FROM devices WHERE revoked_at <> 0),
		(SELECT count(*) FROM conflicts), (SELECT count(*) FROM rejections), (SELECT max(last_seen) FROM devices)`).
		Scan(&m.Centres, &m.Devices, &m.Revoked, &m.Conflicts, &m.Rejections, &last)
	if err != nil {
		return m, fmt.Errorf("metrics: %w", err)
	}
	if last.Int64 > 0 {
		m.LastPush = time.UnixMilli(last.Int64).UTC()
	}
	for _, t := range domain.Tables {
		m.Records[t.Name] = 0
	}
	if err := s.scanCounts(ctx, `SELECT tbl, count(*), 0 FROM records WHERE deleted = 0 GROUP BY tbl`, func(tbl string, n, _ int64) { m.Records[tbl] = n }); err != nil {
		return m, fmt.Errorf("records per table: %w", err)
	}
	if err := s.ensureUsers(ctx); err != nil {
		return m, err
	}
	if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&m.DashboardUser); err != nil {
		return m, fmt.Errorf("users: %w", err)
	}
	return m, nil
}

// ensureUsers creates the dashboard's login table on first use, so the
// sync schema owner need not know about it.
func (s *sqlStorage) ensureUsers(ctx context.Context) error {
	// Once per storage: on SQLite the statement goes through the single
	// write connection, where a login should not queue behind a push.
	if _, ok := usersReady.Load(s); ok || s.readOnly {
		return nil // a replica has the primary's table
	}
	_, err := s.rw.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`)
	if err != nil {
		return fmt.Errorf("create users table: %w", err)
	}
	usersReady.Store(s, true)
	return nil
}

// usersReady holds the storages whose users table exists.
var usersReady gosync.Map

// validUserName allows what fits in a URL and a log line unquoted.
func validUserName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	return strings.Trim(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@") == ""
}

func (s *sqlStorage) AddUser(ctx context.Context, name, password string) (bool, error) {
	if !validUserName(name) {
		return false, fmt.Errorf("%w: user name %q: use 1-64 letters, digits, '.', '_', '-' or '@'", ErrInvalid, name)
	}
	if len([]rune(password)) < MinPasswordLen {
		return false, fmt.Errorf("%w: password must be at least %d characters", ErrInvalid, MinPasswordLen)
	}
	if len(password) > 72 {
		return false, fmt.Errorf("%w: password must be at most 72 bytes (bcrypt)", ErrInvalid)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return false, fmt.Errorf("hash password: %w", err)
	}
	if err := s.ensureUsers(ctx); err != nil {
		return false, err
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM users WHERE name = ?`), name).Scan(&n); err != nil {
		return false, err
	}
	now := s.now().UnixMilli()
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO users (name, hash, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`), name, string(hash), now, now); err != nil {
		return false, fmt.Errorf("save user %s: %w", name, err)
	}
	detail := "created"
	if n > 0 {
		detail = "new password"
	}
	if err := s.audit(ctx, tx, AuditUserAdd, name, detail); err != nil {
		return false, err
	}
	return n == 0, tx.Commit()
}

// dummyHash is compared against when the user does not exist, so a wrong
// name takes as long as a wrong password.
var dummyHash = gosync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such user, constant time"), bcrypt.DefaultCost)
	return h
})

func (s *sqlStorage) CheckPassword(ctx context.Context, name, password string) error {
	if err := s.ensureUsers(ctx); err != nil {
		return err
	}
	var hash string
	err := s.ro.QueryRowContext(ctx, s.q(`SELECT hash FROM users WHERE name = ?`), name).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return ErrBadLogin
	}
	if err != nil {
		return fmt.Errorf("check password: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return ErrBadLogin
	}
	return nil
}

func (s *sqlStorage) TraineeNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	// Batches keep the IN list under every driver's parameter limit.
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.ro.QueryContext(ctx, s.q(`SELECT id, data FROM records WHERE tbl = 'trainees' AND id IN (?`+strings.Repeat(", ?", n-1)+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("trainee names: %w", err)
		}
		for rows.Next() {
			var id, data string
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = dataText("trainees", data, "name")
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *sqlStorage) DuplicateCounts(ctx context.Context) (int, int, error) {
	var total, across sql.NullInt64
	err := s.ro.QueryRowContext(ctx, `SELECT count(*), sum(CASE WHEN nc > 1 THEN 1 ELSE 0 END) FROM (SELECT nik, count(DISTINCT centre_no) AS nc FROM records
		WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' GROUP BY nik HAVING count(*) > 1) x`).Scan(&total, &across)
	if err != nil {
		return 0, 0, fmt.Errorf("duplicate NIKs: %w", err)
	}
	return int(total.Int64), int(across.Int64), nil
}
