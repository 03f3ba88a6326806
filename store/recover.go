package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// setAside renames a database file and its WAL and shared-memory files to
// path + suffix, keeping them together (SQLite finds "X-wal" beside "X"), so
// nothing of a replaced database is ever deleted or written to.
func setAside(path, suffix string) (string, error) {
	kept := path + suffix
	for _, ext := range []string{"", "-wal", "-shm"} {
		err := os.Rename(path+ext, kept+ext)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("keep %s: %w", filepath.Base(path+ext), err)
		}
	}
	return kept, nil
}

func damagedSuffix(now time.Time) string {
	return ".damaged-" + now.UTC().Format(backupStamp)
}

// RestoreNewestBackup replaces the database at dbPath with the newest
// automatic backup that passes its check (see Restore). It is the first way
// back from a damaged database.
func RestoreNewestBackup(ctx context.Context, dbPath string) (BackupFile, error) {
	all, err := ListBackups(dataDirOf(dbPath))
	if err != nil {
		return BackupFile{}, err
	}
	var last error
	for _, b := range all {
		if err := CheckBackup(ctx, b.Path); err != nil {
			last = err
			continue
		}
		return b, Restore(ctx, b.Path, dbPath)
	}
	if last != nil {
		return BackupFile{}, fmt.Errorf("no automatic backup is usable: %w", last)
	}
	return BackupFile{}, errors.New("there is no automatic backup in this data folder")
}

// Rebuild replaces a damaged or emptied database with a new one that keeps
// this PC's identity (device id, centre, server, token) from IdentityFile
// and asks the server for everything on its next sync: the server is the
// centre's backup. The damaged file is kept beside it. It fails when the PC
// was never enrolled.
func Rebuild(ctx context.Context, dbPath string) error {
	id, err := readIdentity(dataDirOf(dbPath))
	if err != nil {
		return err
	}
	if !id.enrolled() {
		return errors.New("this PC was never connected to a server, so its centre cannot be downloaded; restore a backup instead")
	}
	if _, err := setAside(dbPath, damagedSuffix(time.Now())); err != nil {
		return err
	}
	s, err := open(ctx, dbPath, checkNone)
	if err != nil {
		return err
	}
	defer s.Close()
	// The same device, so its writes and the server's record of them stay
	// one history; pull_full brings its own versions back too, and the
	// first pull renumbers the outbox after what the server has applied.
	err = s.Write(ctx, func(tx *Tx) error {
		for k, v := range map[string]string{"device_id": id.DeviceID, "centre_id": id.CentreID, "server_url": id.ServerURL, "device_token": id.Token, "pull_full": "1"} {
			if err := setMetaTx(ctx, tx.tx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	s.mu.Lock()
	s.device, s.centre = id.DeviceID, id.CentreID
	s.mu.Unlock()
	return nil
}
