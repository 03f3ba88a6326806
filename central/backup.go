package central

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupPostgres says that a PostgreSQL server is backed up with
// PostgreSQL's own tools (docs/SECURITY.md has the runbook).
var ErrBackupPostgres = errors.New("a PostgreSQL server database is backed up with pg_dump (see docs/SECURITY.md, \"Backup and restore\"), not with blk-server backup")

// Backup writes an online, consistent copy of a SQLite server database to
// dst with SQLite's VACUUM INTO: pushes may go on meanwhile; the copy holds
// every transaction committed before it started and nothing after. dst must
// not exist.
func (s *sqlStorage) Backup(ctx context.Context, dst string) error {
	if s.d.name != "sqlite" {
		return ErrBackupPostgres
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", dst)
	}
	// On a reader connection: VACUUM INTO reads one snapshot and writes
	// only the new file, so it never waits for, or holds up, the writer.
	if _, err := s.ro.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	return s.audit(ctx, s.rw, AuditBackup, "", abs)
}
