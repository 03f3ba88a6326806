package central

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
)

// dialect is what differs between the two backends.
type dialect struct {
	name     string
	dollar   bool   // $1 placeholders instead of ?
	lockSeq  string // appended to the counter SELECT to lock it until commit
	orderID  string // ORDER BY expression giving byte order of ids
	isolated bool   // pushes need the counter row lock (PostgreSQL)
	// byCentre makes a read of one centre's table in id order use the
	// (centre_id, tbl) index: without statistics SQLite prefers walking
	// the primary key's (tbl, id) order across every centre to a sort.
	byCentre string
}

var (
	sqliteDialect   = dialect{name: "sqlite", orderID: "id", byCentre: " INDEXED BY records_centre_tables"}
	postgresDialect = dialect{name: "postgres", dollar: true, lockSeq: " FOR UPDATE", orderID: `id COLLATE "C"`, isolated: true}
)

// sqlStorage implements Storage over database/sql.
type sqlStorage struct {
	d  dialect
	rw *sql.DB // writes (SQLite: one connection, immediate transactions)
	ro *sql.DB // reads
	// Now is the server clock; tests replace it.
	now func() time.Time
	// beforeCommit, when set, runs inside a push transaction just before it
	// commits (tests use it to hold a push open).
	beforeCommit func()
	// group queues SQLite's pushes for group commit (nil on PostgreSQL).
	group *committer
	// gate bounds PostgreSQL's concurrent pushes, first come first served.
	gate chan struct{}
	// kem refreshes centres' kemandirian levels after pushes (nil until
	// StartKemandirian); kemMu lets one refresh run at a time.
	kem   *kemandirianWorker
	kemMu gosync.Mutex
	// readOnly marks a read replica (OpenReplica): nothing is created.
	readOnly bool
	// assessments keeps centres' kemandirian assessments (kemandirian.go).
	assessments assessmentCache
	// devNos caches devices' numbers for the stored versions (devnos.go).
	devNos deviceNumbers
	// counted keeps centres' counted rows between pushes (counted.go).
	counted countedCache
	// compacted: a migration of this upgrade rewrote every record into
	// the latest compact form (compact.go).
	compacted bool
	// summariesToBuild: a migration of this upgrade made the summary
	// tables, to be filled once the records are in their last layout.
	summariesToBuild bool
}

// OpenSQLite opens (creating) a SQLite server database at path.
func OpenSQLite(ctx context.Context, path string) (Storage, error) {
	return openSQLite(ctx, path)
}

func openSQLite(ctx context.Context, path string) (*sqlStorage, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	mk := func(write bool) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(wal)")
		q.Add("_pragma", "synchronous(normal)")
		if write {
			q.Set("_txlock", "immediate")
			// A group of pushes dirties more pages than SQLite's default
			// 2 MB cache holds: it spilled them to the WAL mid-transaction
			// and read them back (seen with perf while a 100k centre
			// uploaded). Savepoint journals stay in memory.
			q.Add("_pragma", "cache_size(-65536)")
			q.Add("_pragma", "temp_store(memory)")
			// The commit that fills the WAL past this many pages copies it
			// into the database; at SQLite's default (1,000 pages, 4 MB)
			// nearly every large push paid for one.
			q.Add("_pragma", "wal_autocheckpoint(16384)")
		}
		return "file:" + path + "?" + q.Encode()
	}
	rw, err := sql.Open("sqlite", mk(true))
	if err != nil {
		return nil, err
	}
	rw.SetMaxOpenConns(1)
	ro, err := sql.Open("sqlite", mk(false))
	if err != nil {
		rw.Close()
		return nil, err
	}
	ro.SetMaxOpenConns(8)
	s := &sqlStorage{d: sqliteDialect, rw: rw, ro: ro, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.group = newCommitter(s)
	return s, nil
}

// OpenPostgres connects to PostgreSQL (pgx) and creates the schema if needed.
func OpenPostgres(ctx context.Context, dsn string) (Storage, error) {
	return openPostgres(ctx, dsn)
}

func openPostgres(ctx context.Context, dsn string) (*sqlStorage, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres connection string: %w", err) // pgx hides the password
	}
	// pgx prepares and caches every statement per connection. PostgreSQL
	// then settles on a generic plan after five runs, planned from the
	// statistics of that moment: on a new server, an empty records table,
	// so the push's id lookup stayed a sequential scan as the table grew
	// (20 ms a push at 6,000 rows). Custom plans cost a little planning
	// each time and follow the data. A DSN that sets the mode wins.
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	s := &sqlStorage{d: postgresDialect, rw: db, ro: db, now: time.Now, gate: make(chan struct{}, max(8, 2*runtime.NumCPU()))}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return s, nil
}

func (s *sqlStorage) Close() error {
	s.stopKemandirian()
	if s.group != nil {
		s.group.stop()
	}
	if s.ro != s.rw {
		s.ro.Close()
	}
	return s.rw.Close()
}

func (s *sqlStorage) Ping(ctx context.Context) error { return s.rw.PingContext(ctx) }

// q rewrites ? placeholders for the dialect.
func (s *sqlStorage) q(query string) string {
	if !s.d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var schema = []string{
	`CREATE TABLE IF NOT EXISTS centres (id TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL, created_at BIGINT NOT NULL, last_seq BIGINT NOT NULL DEFAULT 0)`,
	`CREATE TABLE IF NOT EXISTS codes (hash TEXT PRIMARY KEY, centre_id TEXT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT NOT NULL DEFAULT 0, used_by TEXT NOT NULL DEFAULT '')`,
	`CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, enrolled_at BIGINT NOT NULL, revoked_at BIGINT NOT NULL DEFAULT 0, last_seen BIGINT NOT NULL DEFAULT 0, applied_seq BIGINT NOT NULL DEFAULT 0, applied_clock BIGINT NOT NULL DEFAULT 0)`,
	// One row per record of every synced table: its field values and their
	// versions as JSON, and the centre sequence of its last change (the pull
	// cursor). nik is copied out of trainees so duplicates can be queried.
	`CREATE TABLE IF NOT EXISTS records (tbl TEXT NOT NULL, id TEXT NOT NULL, centre_id TEXT NOT NULL, seq BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, nik TEXT NOT NULL DEFAULT '', data TEXT NOT NULL, vers TEXT NOT NULL, PRIMARY KEY (tbl, id))`,
	`CREATE INDEX IF NOT EXISTS records_nik ON records (nik) WHERE nik <> ''`,
	`CREATE TABLE IF NOT EXISTS conflicts (id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, seq BIGINT NOT NULL, body TEXT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS conflicts_centre_seq ON conflicts (centre_id, seq)`,
	`CREATE TABLE IF NOT EXISTS rejections (device_id TEXT NOT NULL, seq BIGINT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, reason_id TEXT NOT NULL, reason_en TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (device_id, seq))`,
	// Who did what (see audit.go); ids are UUIDv7, so they sort by time too.
	`CREATE TABLE IF NOT EXISTS audit (id TEXT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, remote TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS audit_at ON audit (at)`,
	// The national reference data has its own sequence under centre id "".
	`INSERT INTO centres (id, name, region, created_at) VALUES ('', 'national reference data', '', 0) ON CONFLICT (id) DO NOTHING`,
}

// recordsCentreIndexes are the base schema's indexes on records.centre_id,
// made only before numberCentres replaced the column.
var recordsCentreIndexes = []string{
	`CREATE INDEX IF NOT EXISTS records_centre_seq ON records (centre_id, seq)`,
	`CREATE INDEX IF NOT EXISTS records_centre_tables ON records (centre_id, tbl)`, // see compactIndexes
}

func (s *sqlStorage) migrate(ctx context.Context) error {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s.compacted, s.summariesToBuild = false, false
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (v INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(v), 0) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if v > len(migrations) {
		return &NewerSchemaError{Have: v, Know: len(migrations)}
	}
	base := schema
	if v < centresNumbered() {
		base = append(append([]string{}, schema...), recordsCentreIndexes...)
	}
	for _, st := range append(append(append(base, releaseSchema(s.d)...), kemandirianSchema...), analyticsSchema...) {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	}
	for i := v; i < len(migrations); i++ {
		if err := migrations[i](ctx, s, tx); err != nil {
			return fmt.Errorf("schema migration %d: %w", i+1, err)
		}
	}
	if s.summariesToBuild {
		if err := s.rebuildSummaries(ctx, tx); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	}
	if v < len(migrations) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_version (v) VALUES (?)`), len(migrations)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// codeEncoding leaves out symbols people misread (0/O, 1/I).
var codeEncoding = base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding)

func newCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	c := codeEncoding.EncodeToString(b)[:12]
	return c[:4] + "-" + c[4:8] + "-" + c[8:12]
}

// normCode accepts codes typed in lower case, with or without dashes.
func normCode(c string) string {
	c = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(c))
	if len(c) != 12 {
		return c
	}
	return c[:4] + "-" + c[4:8] + "-" + c[8:12]
}

func (s *sqlStorage) AddCentre(ctx context.Context, in Centre) (Centre, error) {
	name := strings.TrimSpace(in.Name)
	region := in.Region
	if name == "" {
		return Centre{}, fmt.Errorf("%w: centre name is required", ErrInvalid)
	}
	region = domain.NormalizeRegionCode(region)
	if _, ok := domain.LookupRegion(region); !ok {
		return Centre{}, fmt.Errorf("%w: region %q is not a Kemendagri region code", ErrInvalid, region)
	}
	c := Centre{ID: in.ID, Name: name, Region: region, CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	// A PC that made its centre with `blk init` brings its own profile on
	// its first push; the server writes one only for a centre it makes.
	ownProfile := c.ID == ""
	if c.ID == "" {
		c.ID = domain.NewID()
	} else if !ValidDeviceID(c.ID) {
		return Centre{}, fmt.Errorf("%w: centre id %q is not a UUID", ErrInvalid, c.ID)
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return Centre{}, err
	}
	defer tx.Rollback()
	// The reference data's row serialises registrations, so two never
	// get the same code.
	if err := tx.QueryRowContext(ctx, `SELECT last_seq FROM centres WHERE id = ''`+s.d.lockSeq).Scan(new(int64)); err != nil {
		return Centre{}, err
	}
	if c.Code, err = s.nextCentreCode(ctx, tx, c.Region); err != nil {
		return Centre{}, err
	}
	no, err := s.nextCentreNo(ctx, tx)
	if err != nil {
		return Centre{}, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO centres (id, name, region, created_at, code, centre_no) VALUES (?, ?, ?, ?, ?, ?)`), c.ID, c.Name, c.Region, c.CreatedAt.UnixMilli(), c.Code, no); err != nil {
		return Centre{}, err
	}
	if ownProfile {
		p := in.Profile
		p.ID, p.CentreID, p.Name, p.VillageCode = c.ID, c.ID, c.Name, c.Region
		if err := s.writeAsServer(ctx, tx, c.ID, []domain.Record{&p}); err != nil {
			return Centre{}, err
		}
	}
	if err := s.audit(ctx, tx, AuditCentreAdd, c.ID, c.Name+" ("+c.Region+")"); err != nil {
		return Centre{}, err
	}
	return c, tx.Commit()
}

func (s *sqlStorage) Centres(ctx context.Context) ([]Centre, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, name, region, created_at, code FROM centres WHERE id <> '' ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Centre
	for rows.Next() {
		var c Centre
		var at int64
		if err := rows.Scan(&c.ID, &c.Name, &c.Region, &at, &c.Code); err != nil {
			return nil, err
		}
		c.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *sqlStorage) NewCode(ctx context.Context, centreID string, ttl time.Duration) (string, time.Time, error) {
	var n int
	if err := s.ro.QueryRowContext(ctx, s.q(`SELECT count(*) FROM centres WHERE id = ? AND id <> ''`), centreID).Scan(&n); err != nil {
		return "", time.Time{}, err
	}
	if n == 0 {
		return "", time.Time{}, fmt.Errorf("centre %s: %w", centreID, ErrNotFound)
	}
	code := newCode()
	exp := s.now().Add(ttl).UTC().Truncate(time.Millisecond)
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return "", time.Time{}, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO codes (hash, centre_id, expires_at) VALUES (?, ?, ?)`), hashSecret(code), centreID, exp.UnixMilli()); err != nil {
		return "", time.Time{}, err
	}
	if err := s.audit(ctx, tx, AuditCodeIssue, centreID, "expires "+exp.Format(time.RFC3339)); err != nil {
		return "", time.Time{}, err
	}
	return code, exp, tx.Commit()
}

func (s *sqlStorage) Enrol(ctx context.Context, code, deviceID, deviceName string) (string, Device, error) {
	if !ValidDeviceID(deviceID) {
		return "", Device{}, fmt.Errorf("%w: a device id is a UUID made by the app", ErrInvalid)
	}
	deviceName = cutRunes(strings.ToValidUTF8(deviceName, ""), maxDeviceName)
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return "", Device{}, err
	}
	defer tx.Rollback()
	now := s.now()
	var centre string
	var exp, used int64
	err = tx.QueryRowContext(ctx, s.q(`SELECT centre_id, expires_at, used_at FROM codes WHERE hash = ?`+s.d.lockSeq), hashSecret(normCode(code))).Scan(&centre, &exp, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (used != 0 || now.UnixMilli() >= exp)) {
		return "", Device{}, ErrBadCode
	}
	if err != nil {
		return "", Device{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM devices WHERE id = ?`), deviceID).Scan(&n); err != nil {
		return "", Device{}, err
	}
	if n > 0 {
		return "", Device{}, ErrDeviceExists
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", Device{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	dev := Device{ID: deviceID, CentreID: centre, Name: deviceName, EnrolledAt: now.UTC().Truncate(time.Millisecond)}
	// The centre's row lock makes concurrent enrolments take turns for
	// the next device number.
	if err := tx.QueryRowContext(ctx, s.q(`SELECT code FROM centres WHERE id = ?`+s.d.lockSeq), centre).Scan(&dev.CentreCode); err != nil {
		return "", Device{}, err
	}
	if dev.No, err = s.nextDeviceNo(ctx, tx, centre); err != nil {
		return "", Device{}, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE codes SET used_at = ?, used_by = ? WHERE hash = ?`), now.UnixMilli(), deviceID, hashSecret(normCode(code))); err != nil {
		return "", Device{}, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO devices (id, centre_id, name, token_hash, enrolled_at, device_no) VALUES (?, ?, ?, ?, ?, ?)`),
		dev.ID, dev.CentreID, dev.Name, hashSecret(token), dev.EnrolledAt.UnixMilli(), dev.No); err != nil {
		return "", Device{}, fmt.Errorf("enrol: %w", err)
	}
	if err := s.audit(ctx, tx, AuditDeviceEnrol, dev.ID, "centre "+dev.CentreID+", "+dev.Name); err != nil {
		return "", Device{}, err
	}
	return token, dev, tx.Commit()
}

func (s *sqlStorage) CheckCode(ctx context.Context, code, centreID string) error {
	var centre string
	err := s.ro.QueryRowContext(ctx, s.q(`SELECT centre_id FROM codes WHERE hash = ?`), hashSecret(normCode(code))).Scan(&centre)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrBadCode
	}
	if err != nil {
		return err
	}
	if centre != centreID {
		return fmt.Errorf("%w: this PC already belongs to centre %s but the code is for centre %s; use a new data folder or ask for a code of centre %s", ErrForbidden, centreID, centre, centreID)
	}
	return nil
}

const deviceCols = `id, centre_id, name, enrolled_at, revoked_at, last_seen, applied_seq, applied_clock, device_no, coalesce((SELECT c.code FROM centres c WHERE c.id = devices.centre_id), '')`

func scanDevice(sc interface{ Scan(...any) error }) (Device, error) {
	var d Device
	var en, rev, seen int64
	err := sc.Scan(&d.ID, &d.CentreID, &d.Name, &en, &rev, &seen, &d.AppliedSeq, &d.AppliedClock, &d.No, &d.CentreCode)
	d.EnrolledAt = time.UnixMilli(en).UTC()
	d.Revoked = rev != 0
	if seen != 0 {
		d.LastSeen = time.UnixMilli(seen).UTC()
	}
	return d, err
}

func (s *sqlStorage) Authenticate(ctx context.Context, token string) (Device, error) {
	if token == "" {
		return Device{}, ErrBadToken
	}
	d, err := scanDevice(s.ro.QueryRowContext(ctx, s.q(`SELECT `+deviceCols+` FROM devices WHERE token_hash = ?`), hashSecret(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, ErrBadToken
	}
	if err != nil {
		return Device{}, err
	}
	if d.Revoked {
		return Device{}, ErrRevoked
	}
	return d, nil
}

func (s *sqlStorage) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+deviceCols+` FROM devices ORDER BY centre_id, enrolled_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *sqlStorage) RevokeDevice(ctx context.Context, id string) error {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at = 0`), s.now().UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("device %s (or already revoked): %w", id, ErrNotFound)
	}
	if err := s.audit(ctx, tx, AuditDeviceRevoke, id, ""); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *sqlStorage) Source(centreID string) exchange.Source { return source{s, centreID} }

// source is one centre's live records, for exports.
type source struct {
	s      *sqlStorage
	centre string
}

func (src source) EachRecord(ctx context.Context, table string, fn func(domain.Record) error) error {
	t := domain.LookupTable(table)
	if t == nil {
		return fmt.Errorf("unknown table %q", table)
	}
	centre := src.centre
	if t.Reference {
		centre = ""
	}
	tx, err := src.s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, src.s.q(`SELECT id, k1, k2, k3, data FROM records`+src.s.d.byCentre+` WHERE tbl = ? AND centre_no = `+centreNoOf+` AND deleted = 0 ORDER BY `+src.s.d.orderID), table, centre)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, data string
		var k [3]string
		if err := rows.Scan(&id, &k[0], &k[1], &k[2], &data); err != nil {
			return err
		}
		rec, err := recordOf(t, rowKey{id: id, centre: centre, k: k}, data)
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *sqlStorage) Duplicates(ctx context.Context, centreID string) ([]Duplicate, error) {
	where := ""
	args := []any{}
	if centreID != "" {
		where = " AND nik IN (SELECT nik FROM records WHERE tbl = 'trainees' AND deleted = 0 AND centre_no = " + centreNoOf + ")"
		args = append(args, centreID)
	}
	rows, err := s.ro.QueryContext(ctx, s.q(`SELECT r.nik, r.id, c.id FROM records r JOIN centres c ON c.centre_no = r.centre_no WHERE r.tbl = 'trainees' AND r.deleted = 0 AND r.nik <> ''`+where+`
		AND r.nik IN (SELECT nik FROM records WHERE tbl = 'trainees' AND deleted = 0 AND nik <> '' GROUP BY nik HAVING count(*) > 1) ORDER BY r.nik, r.`+s.d.orderID), args...)
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

func (s *sqlStorage) Conflicts(ctx context.Context, centreID string) ([]domain.Conflict, error) {
	return s.conflictsBetween(ctx, s.ro, centreID, 0, 1<<62)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Analyze refreshes the query planner's statistics of the records table.
// After a bulk load (`blk-server demo`, a first upload of many centres)
// PostgreSQL has none until autovacuum's next round, and with none it
// estimates one row everywhere and plans nested loops that take minutes
// (the duplicates of one centre: more than six minutes at 2,000 trainees).
func (s *sqlStorage) Analyze(ctx context.Context) error {
	q := `ANALYZE records`
	if s.d.name != "postgres" {
		q = `PRAGMA optimize`
	}
	_, err := s.rw.ExecContext(ctx, q)
	return err
}
