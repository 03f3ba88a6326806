package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Why a database file cannot be used.
const (
	DamageMissing = "missing"    // gone, though this folder belonged to a PC
	DamageEmptied = "emptied"    // 0 bytes, though this folder belonged to a PC
	DamageNotSQL  = "not-sqlite" // not a SQLite file at all (overwritten, truncated to its header)
	DamageCorrupt = "corrupt"    // SQLite's integrity check failed (damaged pages, truncated)
)

// DamagedError is returned by Open when the database file is damaged or
// gone. Nothing has been written to it: the operator chooses a way back
// (RestoreNewestBackup, Rebuild when the PC was enrolled, or Restore of a
// chosen backup file).
type DamagedError struct {
	Path   string
	Reason string // one of the Damage… constants
	Detail string // what SQLite said, for the log and the "details" button
	// Enrolled is true when the PC's identity (kept outside the database)
	// holds a server and token, so the centre can be downloaded again.
	Enrolled bool
	// Backups are the automatic backups that could replace the file,
	// newest first.
	Backups []BackupFile
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the database %s is %s (%s): restore a backup or download the centre again", e.Path, e.Reason, e.Detail)
}

// IsDamaged returns the DamagedError in err's chain, if any.
func IsDamaged(err error) (*DamagedError, bool) {
	var d *DamagedError
	ok := errors.As(err, &d)
	return d, ok
}

var sqliteHeader = []byte("SQLite format 3\x00")

// checkFile decides, without writing a byte to it, whether the database at
// path can be opened (checkCheap, then checkPages).
func checkFile(ctx context.Context, path string, id identity) error {
	if err := checkCheap(path, id); err != nil {
		return err
	}
	return checkPages(ctx, path, id)
}

func damaged(path string, id identity, reason, detail string) error {
	d := &DamagedError{Path: path, Reason: reason, Detail: detail, Enrolled: id.enrolled()}
	d.Backups, _ = ListBackups(dataDirOf(path))
	return d
}

// checkCheap reads the file's size and header: it must exist unless this
// folder never had a database (no identity), and carry SQLite's header.
func checkCheap(path string, id identity) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if id.DeviceID != "" {
			return damaged(path, id, DamageMissing, "the file is gone")
		}
		return nil // a new installation
	case err != nil:
		return fmt.Errorf("database %s: %w", path, err)
	case fi.Size() == 0:
		if id.DeviceID != "" {
			return damaged(path, id, DamageEmptied, "the file is empty (0 bytes)")
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("database %s: %w", path, err)
	}
	head := make([]byte, 100)
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("database %s: %w", path, err)
	}
	if n < 100 || !bytes.Equal(head[:16], sqliteHeader) {
		return damaged(path, id, DamageNotSQL, fmt.Sprintf("%d bytes, no SQLite header", fi.Size()))
	}
	return nil
}

// checkPages runs PRAGMA quick_check, which reads every page, so damaged
// pages and a truncated file are caught, not only a broken header, on a
// read-only connection: a damaged file must not be touched (no journal mode
// switch, no checkpoint of its WAL into it).
func checkPages(ctx context.Context, path string, id identity) error {
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return nil // a new installation (checkCheap let it through)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return damaged(path, id, DamageCorrupt, err.Error())
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return damaged(path, id, DamageCorrupt, err.Error())
		}
		if line != "ok" && len(found) < 5 {
			found = append(found, line)
		}
	}
	if err := rows.Err(); err != nil {
		return damaged(path, id, DamageCorrupt, err.Error())
	}
	if len(found) > 0 {
		return damaged(path, id, DamageCorrupt, strings.Join(found, "; "))
	}
	return nil
}
