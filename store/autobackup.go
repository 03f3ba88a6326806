package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// BackupDir is the folder, inside the data folder, of the automatic
// backups: one a day while the app is used, and one before every restore,
// import and migration.
const BackupDir = "backups"

// Reasons for an automatic backup.
const (
	BackupDaily           = "daily"
	BackupBeforeImport    = "before-import"
	BackupBeforeRestore   = "before-restore"
	BackupBeforeMigration = "before-migration"
)

// How many automatic backups of each reason are kept: a week of days, and
// the last few of each kind of risky operation.
const (
	keepDaily  = 7
	keepEvents = 5
)

const backupStamp = "20060102T150405Z"

// BackupFile is one automatic backup.
type BackupFile struct {
	Path   string
	Reason string
	At     time.Time // UTC
	Size   int64
}

// ListBackups lists the automatic backups of a data folder, newest first.
func ListBackups(dataDir string) ([]BackupFile, error) {
	entries, err := os.ReadDir(filepath.Join(dataDir, BackupDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []BackupFile
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, "blk-")
		if !ok || !strings.HasSuffix(rest, ".db") || len(rest) < len(backupStamp)+4 {
			continue // a temporary file, or something the operator put there
		}
		at, err := time.Parse(backupStamp, rest[:len(backupStamp)])
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		reason := strings.TrimSuffix(strings.TrimPrefix(rest[len(backupStamp):], "-"), ".db")
		out = append(out, BackupFile{Path: filepath.Join(dataDir, BackupDir, name), Reason: reason, At: at, Size: info.Size()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// AutoBackup writes an automatic backup for reason and drops the oldest
// ones of that reason beyond what is kept.
func (s *Store) AutoBackup(ctx context.Context, reason string) (BackupFile, error) {
	if err := s.Healthy(ctx); err != nil {
		return BackupFile{}, err
	}
	return autoBackup(ctx, s.rw, dataDirOf(s.path), reason, s.Now())
}

func autoBackup(ctx context.Context, db *sql.DB, dataDir, reason string, now time.Time) (BackupFile, error) {
	dir := filepath.Join(dataDir, BackupDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return BackupFile{}, fmt.Errorf("backup folder: %w", err)
	}
	at := now.UTC().Truncate(time.Second)
	name := fmt.Sprintf("blk-%s-%s.db", at.Format(backupStamp), reason)
	final := filepath.Join(dir, name)
	// Two backups of one reason in one second (tests, a quick import and
	// retry): the later one waits its turn rather than overwrite.
	for i := 0; fileExists(final); i++ {
		at = at.Add(time.Second)
		final = filepath.Join(dir, fmt.Sprintf("blk-%s-%s.db", at.Format(backupStamp), reason))
	}
	// Written under a temporary name, so a crash never leaves half a file
	// that looks like a backup.
	tmp := final + ".tmp"
	_ = os.Remove(tmp)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return BackupFile{}, fmt.Errorf("automatic backup: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return BackupFile{}, fmt.Errorf("automatic backup: %w", err)
	}
	info, err := os.Stat(final)
	if err != nil {
		return BackupFile{}, err
	}
	if err := pruneBackups(dataDir, reason); err != nil {
		return BackupFile{}, err
	}
	return BackupFile{Path: final, Reason: reason, At: at, Size: info.Size()}, nil
}

func pruneBackups(dataDir, reason string) error {
	all, err := ListBackups(dataDir)
	if err != nil {
		return err
	}
	keep := keepEvents
	if reason == BackupDaily {
		keep = keepDaily
	}
	n := 0
	for _, b := range all {
		if b.Reason != reason {
			continue
		}
		if n++; n > keep {
			if err := os.Remove(b.Path); err != nil {
				return fmt.Errorf("drop old backup: %w", err)
			}
		}
	}
	return nil
}

// DailyBackup makes the day's automatic backup unless one was made in the
// last 24 hours. It reports whether it made one.
func (s *Store) DailyBackup(ctx context.Context) (bool, error) {
	all, err := ListBackups(dataDirOf(s.path))
	if err != nil {
		return false, err
	}
	now := s.Now()
	for _, b := range all {
		if b.Reason == BackupDaily && now.Sub(b.At) < 24*time.Hour && !b.At.After(now.Add(time.Hour)) {
			return false, nil
		}
	}
	_, err = s.AutoBackup(ctx, BackupDaily)
	return err == nil, err
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
