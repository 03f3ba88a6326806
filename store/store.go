// Package store is the desktop's local database: a SQLite file
// (modernc.org/sqlite, no cgo) with embedded migrations, typed reads and
// writes of every domain record, trainee search, and change capture: every
// write appends its changed fields to the outbox in the same transaction.
//
// It knows nothing of the network or the screens; the sync client and the app
// call it through plain Go methods.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is an open local database. Writes go through a single connection with
// immediate transactions; reads use a separate pool so a long export never
// blocks a save.
type Store struct {
	path string
	rw   *sql.DB
	ro   *sql.DB

	mu       sync.Mutex // guards clock and the cached identity below
	clock    domain.Clock
	device   string
	centre   string
	offsetMS int64 // server time minus PC time, learnt from the last sync

	// Now is the PC clock; tests replace it.
	Now func() time.Time
	// QuotaCap refuses cohorts above this quota (0: domain default).
	QuotaCap int64

	// health is the integrity check of the file at open; nothing is
	// written before it has passed.
	health *health

	notify notifier // who hears of committed writes (Subscribe)
	kem    kemCache // the last Kemandirian assessment
}

type health struct {
	done chan struct{}
	err  error
}

func (h *health) finished() bool {
	select {
	case <-h.done:
		return true
	default:
		return false
	}
}

// afterCheck waits for the integrity check made at open, whatever its
// outcome (Healthy reports that), before a read of the whole database.
// Read while the check reads every page, SQLite held about 45 MB more than
// either alone (the dashboard at 100k trainees: 69 MB with the check
// running, 25 MB after it), and the desktop app's peak came at start-up,
// when the dashboard computes during the check.
func (s *Store) afterCheck(ctx context.Context) error {
	select {
	case <-s.health.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Healthy waits for the integrity check made at open and returns its
// failure (a *DamagedError), if any.
func (s *Store) Healthy(ctx context.Context) error {
	select {
	case <-s.health.done:
		return s.health.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ErrNotFound is returned when a record does not exist (or is deleted).
var ErrNotFound = errors.New("record not found")

// ErrNoCentre is returned by writes before a centre profile exists. It
// says what to do in the operator's language (the command line prints it).
var ErrNoCentre error = noCentreError{}

type noCentreError struct{}

func (noCentreError) Error() string { return msg.T(msg.English, "store.no_centre") }

// Localized is the message in lang.
func (noCentreError) Localized(lang domain.Lang) string { return msg.T(lang, "store.no_centre") }

// DefaultFile is the database file name inside a data folder.
const DefaultFile = "blk.db"

// writerCacheKiB is the writer's page cache (see dsn and SetWriterCache).
var writerCacheKiB atomic.Int64

func init() { writerCacheKiB.Store(32000) }

// SetWriterCache sets the writer connection's page cache for the stores
// opened after it (32 MB unless set). The desktop app sets a smaller one:
// the modernc build of SQLite pools the page caches of all connections
// (SQLITE_ENABLE_MEMORY_MANAGEMENT), so the readers of a window's screens
// filled the writer's 32 MB as well, at 8 kB of memory per 4 kB page: at
// 100k trainees SQLite grew from 11 to 79-90 MB over a walk of every screen.
// The command line's bulk writes (demo, import) keep the large cache.
func SetWriterCache(kib int) { writerCacheKiB.Store(int64(kib)) }

func dsn(path string, write bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(normal)")
	// The writer keeps journals and sorts in memory and gets a 32 MB page
	// cache so bulk writes (demo, import, pulls) stay off the disk until
	// commit. Readers get 2 MB each: the screens' queries either walk an
	// index for a page (the OS file cache serves those pages as fast) or
	// scan far more than any cache holds. At 8 MB the three readers held
	// 24 MB of the desktop app's memory to make search about 10 % faster on
	// the mean (10 vs 11 ms per page and the next, same p95, at 100k
	// trainees). Readers sort in temporary files: the dashboard's
	// distinct counts at 100k trainees built 13–17 MB of sort trees in
	// memory, the app's peak.
	if write {
		q.Add("_pragma", "temp_store(memory)")
		q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", writerCacheKiB.Load()))
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "cache_size(-2000)")
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path and migrates it.
// It first checks the file without writing to it: a damaged, emptied or
// missing database of a PC that had one is a *DamagedError, never silently
// replaced by a new one. Before migrating an existing database it makes an
// automatic backup.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, checkNow)
}

// OpenChecking opens like Open but reads every page for the integrity check
// in the background (1.3–1.6 s at 100k trainees), so the window can show
// the data at once. Until the check has passed nothing is written: writes,
// migrations and backups wait for it, and after a failed check they return
// the *DamagedError, which Healthy also reports.
func OpenChecking(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, checkLater)
}

type checkMode int

const (
	checkNone checkMode = iota // a database this package just made (Rebuild)
	checkNow
	checkLater
)

func open(ctx context.Context, path string, mode checkMode) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	h := &health{done: make(chan struct{})}
	var id identity
	if mode == checkNone {
		close(h.done)
	} else {
		var err error
		id, err = readIdentity(dataDirOf(path))
		if err != nil {
			return nil, err
		}
		if err := checkCheap(path, id); err != nil {
			return nil, err
		}
		full := func() {
			h.err = checkPages(context.Background(), path, id)
			close(h.done)
		}
		// In the background only when the last session closed cleanly: a
		// WAL with frames in it would be checkpointed into the file when
		// its connections close, which a damaged file must not get.
		if mode == checkLater && fileExists(path) && !walHasFrames(path) {
			go full()
		} else {
			full()
			if h.err != nil {
				return nil, h.err
			}
		}
	}
	s, err := openPools(ctx, path, h)
	if err != nil {
		// No store comes back to wait for: the background check must end
		// before the caller may move, restore or delete the file it reads.
		<-h.done
	}
	if err != nil && mode != checkNone && isCorrupt(err) {
		// Damaged pages that the background check has not reached yet, met
		// by the first reads of the meta and migrations tables: the same
		// message and ways back as when the check finds them.
		return nil, damaged(path, id, DamageCorrupt, err.Error())
	}
	return s, err
}

// openPools opens the writer and reader pools of a checked file, applies
// the migrations (once the check has passed) and loads the identity.
func openPools(ctx context.Context, path string, h *health) (*Store, error) {
	rw, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, err
	}
	rw.SetMaxOpenConns(1)
	rw.SetConnMaxIdleTime(0)
	s := &Store{path: path, rw: rw, Now: time.Now, health: h}
	if err := s.migrate(ctx, migrations); err != nil {
		rw.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ro, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		rw.Close()
		return nil, err
	}
	ro.SetMaxOpenConns(3)
	s.ro = ro
	if err := s.loadIdentity(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.saveIdentity(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.seedCatalogue(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes both pools, checkpointing the WAL into the main file.
func (s *Store) Close() error {
	if s.ro != nil {
		s.ro.Close()
	}
	if s.health.finished() && s.health.err == nil {
		_, _ = s.rw.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	return s.rw.Close()
}

// isCorrupt reports SQLite's "database disk image is malformed" and "file
// is not a database" (SQLITE_CORRUPT, SQLITE_NOTADB) in err's chain.
func isCorrupt(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB
}

// walHasFrames reports a write-ahead log with content beside path: the
// last session did not close cleanly.
func walHasFrames(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() > 0
}

// migrate applies the migrations of fsys (migrations/*.sql, in name order)
// that the database has not recorded, each in its own transaction.
func (s *Store) migrate(ctx context.Context, fsys fs.FS) error {
	if _, err := s.rw.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied := map[string]bool{}
	rows, err := s.rw.QueryContext(ctx, `SELECT name FROM migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		applied[n] = true
	}
	rows.Close()
	var pending []string
	for _, n := range names {
		if !applied[filepath.Base(n)] {
			pending = append(pending, n)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	if err := s.Healthy(ctx); err != nil {
		return err
	}
	if len(applied) > 0 {
		// An existing database is about to change shape: keep a copy first.
		if _, err := autoBackup(ctx, s.rw, dataDirOf(s.path), BackupBeforeMigration, time.Now()); err != nil {
			return fmt.Errorf("back up before migrating: %w", err)
		}
	}
	for _, n := range pending {
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return err
		}
		tx, err := s.rw.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", n, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, filepath.Base(n), time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", n, err)
		}
	}
	return nil
}

// Meta reads a setting; "" when unset.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.ro.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta writes a setting. The PC's identity (its centre, server and
// token) is mirrored into IdentityFile as well.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	if err := s.Healthy(ctx); err != nil {
		return err
	}
	_, err := s.rw.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return err
	}
	for _, k := range identityMeta {
		if k == key {
			return s.saveIdentity(ctx)
		}
	}
	return nil
}

// metaTx reads a setting inside tx; "" when unset.
func metaTx(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMetaTx(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func (s *Store) loadIdentity(ctx context.Context) error {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	get := func(k string) (string, error) {
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, k).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return v, err
	}
	if s.device, err = get("device_id"); err != nil {
		return err
	}
	if s.device == "" {
		s.device = domain.NewID()
		if err := setMetaTx(ctx, tx, "device_id", s.device); err != nil {
			return err
		}
	}
	if s.centre, err = get("centre_id"); err != nil {
		return err
	}
	c, err := metaIntIn(ctx, tx, "clock")
	if err != nil {
		return err
	}
	s.clock = domain.Clock(c)
	if s.offsetMS, err = metaIntIn(ctx, tx, "clock_offset_ms"); err != nil {
		return err
	}
	return tx.Commit()
}

// DeviceID identifies this installation in versions and on the server.
func (s *Store) DeviceID() string { return s.device }

// CentreID is the centre this installation belongs to ("" before init).
func (s *Store) CentreID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.centre
}

// SetClockOffset records how far the server's clock is ahead of this PC
// (negative when behind). New versions use PC time plus this offset, so a PC
// whose clock is wrong by years still writes versions in real time order.
func (s *Store) SetClockOffset(ctx context.Context, offset time.Duration) error {
	s.mu.Lock()
	s.offsetMS = offset.Milliseconds()
	s.mu.Unlock()
	return s.SetMeta(ctx, "clock_offset_ms", strconv.FormatInt(offset.Milliseconds(), 10))
}

// LocalTime is the PC's clock (Now), uncorrected: what the sync client
// compares with the server's time.
func (s *Store) LocalTime() time.Time { return s.Now() }

// ClockOffset is the last recorded server-minus-PC offset.
func (s *Store) ClockOffset() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Duration(s.offsetMS) * time.Millisecond
}

// Clock is the last clock value this device used or saw.
func (s *Store) Clock() domain.Clock {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock
}

// tick reserves the next clock value; the caller persists it in its transaction.
func (s *Store) tick() domain.Clock {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = domain.Next(s.clock, s.Now().Add(time.Duration(s.offsetMS)*time.Millisecond))
	return s.clock
}

// observe moves the clock past a received one.
func (s *Store) observe(c domain.Clock) domain.Clock {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = domain.Observe(s.clock, c)
	return s.clock
}

// Rules are the validation settings in force.
func (s *Store) Rules() domain.Rules {
	return domain.Rules{Now: s.Now(), QuotaCap: s.QuotaCap}
}

// Backup writes a consistent copy of the database to dst (SQLite's VACUUM
// INTO, safe while the app is writing).
func (s *Store) Backup(ctx context.Context, dst string) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", dst)
	}
	if err := s.Healthy(ctx); err != nil {
		return err
	}
	// VACUUM INTO needs a connection that may write (to the new file); on
	// the write connection it also waits for a running write to finish.
	if _, err := s.rw.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	return nil
}

// Restore replaces the database at dataFile with the backup at src. The
// backup is checked (it must open as a BLK database and pass its integrity
// check) before anything is touched. A healthy database being replaced is
// first saved as an automatic backup (BackupBeforeRestore, listed with the
// others, so a restore can be undone); a damaged or emptied one is renamed
// to dataFile + ".damaged-<time>" and never written to. No store may be open
// on dataFile.
func Restore(ctx context.Context, src, dataFile string) error {
	if err := CheckBackup(ctx, src); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dataFile), 0o755); err != nil {
		return err
	}
	tmp := dataFile + ".restoring"
	_ = os.Remove(tmp)
	if err := copyFile(src, tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if fileExists(dataFile) {
		if err := checkFile(ctx, dataFile, identity{DeviceID: "?"}); err == nil {
			db, err := sql.Open("sqlite", dsn(dataFile, true))
			if err != nil {
				return err
			}
			_, err = autoBackup(ctx, db, dataDirOf(dataFile), BackupBeforeRestore, time.Now())
			db.Close()
			if err != nil {
				os.Remove(tmp)
				return fmt.Errorf("restore: keep the current database first: %w", err)
			}
			for _, ext := range []string{"-wal", "-shm", ""} {
				if err := os.Remove(dataFile + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
					return fmt.Errorf("restore: %w", err)
				}
			}
		} else if _, ok := IsDamaged(err); ok {
			if _, err := setAside(dataFile, damagedSuffix(time.Now())); err != nil {
				return fmt.Errorf("restore: %w", err)
			}
		} else {
			os.Remove(tmp)
			return fmt.Errorf("restore: %w", err)
		}
	}
	os.Remove(dataFile + "-wal")
	os.Remove(dataFile + "-shm")
	if err := os.Rename(tmp, dataFile); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// CheckBackup opens src read-only and confirms it is a BLK database.
func CheckBackup(ctx context.Context, src string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup file %s: %w", src, err)
	}
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("%s is not a BLK Komunitas backup", src)
	}
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&ok); err != nil || ok != "ok" {
		return fmt.Errorf("%s is damaged (integrity check: %s)", src, ok)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := out.ReadFrom(in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
