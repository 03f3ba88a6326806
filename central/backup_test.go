package central

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
)

// exports renders every list of a centre as CSV, the way anyone can check
// that nothing was lost.
func exports(t *testing.T, s Storage, centre string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, what := range []string{"trainees", "cohorts", "enrollments", "outcomes", "partners", "funding"} {
		var b bytes.Buffer
		if err := exchange.Export(context.Background(), s.Source(centre), what, "csv", &b); err != nil {
			t.Fatalf("export %s: %v", what, err)
		}
		out[what] = b.String()
	}
	return out
}

func sameExports(t *testing.T, got, want map[string]string) {
	t.Helper()
	for what, w := range want {
		if got[what] != w {
			t.Fatalf("%s differ after restore:\n got %q\nwant %q", what, got[what], w)
		}
	}
}

func TestServerBackupIsConsistentWhilePushesGoOn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTempSQLite(t)
	n := seedNation(t, s)
	c := centreOf(t, s, "BLK Sibuk")
	d := enrolled(t, s, c, "pc-busy")
	// given a PC pushing one trainee per push, all the while
	stop, landed := make(chan struct{}), make(chan struct{})
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := int64(1); ; seq++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Push(ctx, d, []domain.Change{traineeChange(seq, c, domain.NewID(), "Siti "+letters(int(seq)), int(seq))}); err != nil {
				t.Error(err)
				return
			}
			if seq == 3 {
				close(landed)
			}
		}
	}()
	// when the server is backed up meanwhile
	<-landed
	mid := filepath.Join(dir, "mid.db")
	if err := s.Backup(ctx, mid); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	// then the copy is one moment of the server: the PC's applied seq
	// there matches the trainees it holds, no more, no less
	cp, err := openSQLite(ctx, mid)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var applied, stored int64
	if err := cp.ro.QueryRow(`SELECT applied_seq FROM devices WHERE id = ?`, d.ID).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if err := cp.ro.QueryRow(`SELECT count(*) FROM records WHERE tbl = 'trainees' AND centre_no = `+centreNoOf, c).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if applied != stored {
		t.Fatalf("backup holds %d trainees but says %d pushes applied", stored, applied)
	}
	// and a backup of the quiet server restores to the same exports
	quiet := filepath.Join(dir, "quiet.db")
	if err := s.Backup(ctx, quiet); err != nil {
		t.Fatal(err)
	}
	restored, err := openSQLite(ctx, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	for _, centre := range []string{n.a, n.b, c} {
		sameExports(t, exports(t, restored, centre), exports(t, s, centre))
	}
	// and the backup is in the audit trail; a second one to the same
	// file is refused
	log, _ := s.AuditLog(ctx, time.Time{}, 0)
	if last := log[len(log)-1]; last.Action != AuditBackup || last.Detail != quiet {
		t.Fatalf("last audit entry %+v", last)
	}
	if err := s.Backup(ctx, quiet); err == nil {
		t.Fatal("backup over an existing file")
	}
}

func letters(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n /= 26
		if n == 0 {
			return s
		}
	}
}

// TestPostgresRunbookRestoresTheSameData runs the backup and restore of
// docs/SECURITY.md with PostgreSQL's own tools: pg_dump of the server's
// schema, pg_restore into a new database, and the exports compared.
func TestPostgresRunbookRestoresTheSameData(t *testing.T) {
	s := openPG(t)
	for _, tool := range []string{"pg_dump", "pg_restore", "psql"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the runbook needs PostgreSQL's client tools", tool)
		}
	}
	ctx := context.Background()
	n := seedNation(t, s)
	if err := s.Backup(ctx, filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, ErrBackupPostgres) {
		t.Fatalf("blk-server backup on PostgreSQL: %v", err)
	}
	var schema, db string
	if err := s.ro.QueryRow(`SELECT current_schema(), current_database()`).Scan(&schema, &db); err != nil {
		t.Fatal(err)
	}
	base := os.Getenv("BLK_TEST_POSTGRES")
	dump := filepath.Join(t.TempDir(), "blk.dump")
	// pg_dump --format=custom --schema=S --file=F DSN  (the runbook's step 1)
	run := func(name string, args ...string) {
		t.Helper()
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run("pg_dump", "--format=custom", "--schema="+schema, "--file="+dump, dsnWithout(base, "search_path"))
	// into a new database (the runbook's step 2)
	restoreDB := "blk_restore_" + strings.TrimPrefix(schema, "t_")
	run("psql", "--quiet", "--command=CREATE DATABASE "+restoreDB, base)
	t.Cleanup(func() {
		_ = exec.Command("psql", "--quiet", "--command=DROP DATABASE IF EXISTS "+restoreDB+" WITH (FORCE)", base).Run()
	})
	restoredDSN := strings.Replace(base, "/"+db, "/"+restoreDB, 1)
	run("pg_restore", "--exit-on-error", "--no-owner", "--dbname="+restoredDSN, dump)
	r, err := openPostgres(ctx, withParam(restoredDSN, "search_path", schema))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, centre := range []string{n.a, n.b} {
		sameExports(t, exports(t, r, centre), exports(t, s, centre))
	}
	var devs1, devs2 int
	_ = s.ro.QueryRow(`SELECT count(*) FROM devices`).Scan(&devs1)
	_ = r.ro.QueryRow(`SELECT count(*) FROM devices`).Scan(&devs2)
	if devs1 == 0 || devs1 != devs2 {
		t.Fatalf("devices %d before, %d after restore", devs1, devs2)
	}
}

func withParam(dsn, k, v string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + k + "=" + v
}

func dsnWithout(dsn, k string) string {
	u, q, ok := strings.Cut(dsn, "?")
	if !ok {
		return dsn
	}
	var keep []string
	for _, p := range strings.Split(q, "&") {
		if !strings.HasPrefix(p, k+"=") {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return u
	}
	return fmt.Sprintf("%s?%s", u, strings.Join(keep, "&"))
}
