package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kemnaker/blk/domain"
)

func TestMigrationBacksUpTheDatabaseFirst(t *testing.T) {
	ctx := context.Background()
	// given a database at the first schema version with one setting in it
	path := filepath.Join(t.TempDir(), "blk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta(ctx, "operator", "Ustadz Hamid"); err != nil {
		t.Fatal(err)
	}
	first, _ := migrations.ReadFile("migrations/0001_init.sql")
	next := fstest.MapFS{
		"migrations/0001_init.sql":  {Data: first},
		"migrations/0002_notes.sql": {Data: []byte("CREATE TABLE notes (body TEXT); ALTER TABLE meta ADD COLUMN note TEXT;")},
	}
	// when a newer version migrates it
	if err := s.migrate(ctx, next); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// then an automatic backup holds the old file, whole and at the old version
	all, err := ListBackups(filepath.Dir(path))
	if err != nil || len(all) != 1 || all[0].Reason != BackupBeforeMigration {
		t.Fatalf("backups %+v %v, want one before the migration", all, err)
	}
	bak := all[0].Path
	db, err := sql.Open("sqlite", "file:"+bak+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var op string
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'operator'`).Scan(&op); err != nil || op != "Ustadz Hamid" {
		t.Fatalf("backup lost data: %q %v", op, err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM notes`).Scan(new(int)); err == nil {
		t.Fatal("backup already has the new table")
	}
}

func TestFailedMigrationLeavesTheSchemaAsItWas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "blk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first, _ := migrations.ReadFile("migrations/0001_init.sql")
	bad := fstest.MapFS{
		"migrations/0001_init.sql": {Data: first},
		"migrations/0002_bad.sql":  {Data: []byte("CREATE TABLE half (x TEXT); THIS IS NOT SQL;")},
	}
	if err := s.migrate(ctx, bad); err == nil {
		t.Fatal("a broken migration was applied")
	}
	var n int
	s.rw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'half'`).Scan(&n)
	if n != 0 {
		t.Fatal("half of a failed migration stayed")
	}
	s.rw.QueryRow(`SELECT count(*) FROM migrations WHERE name = '0002_bad.sql'`).Scan(&n)
	if n != 0 {
		t.Fatal("failed migration recorded as applied")
	}
}

func TestSchemaHasAColumnForEveryField(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tb := range domain.Tables {
		for _, f := range tb.Fields {
			var n int
			if err := s.rw.QueryRow(`SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, tb.Name, f.Name).Scan(&n); err != nil || n != 1 {
				t.Errorf("%s.%s has no column", tb.Name, f.Name)
			}
		}
	}
}

func TestSearchIndexMigrationKeepsExistingTrainees(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "blk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// given a database from before 0003 with a trainee indexed by trigger
	if _, err := s.rw.Exec(`DROP TABLE trainee_search; DELETE FROM migrations WHERE name = '0003_search_without_triggers.sql'`); err != nil {
		t.Fatal(err)
	}
	old := fstest.MapFS{}
	for _, n := range []string{"0001_init.sql", "0002_outcomes_by_date.sql", "0003_search_without_triggers.sql"} {
		body, _ := migrations.ReadFile("migrations/" + n)
		old["migrations/"+n] = &fstest.MapFile{Data: body}
	}
	first, _ := migrations.ReadFile("migrations/0001_init.sql")
	idx := strings.Index(string(first), "CREATE VIRTUAL TABLE trainee_search")
	end := strings.Index(string(first), "-- Settings and identity")
	if _, err := s.rw.Exec(string(first[idx:end])); err != nil {
		t.Fatal(err)
	}
	if _, err := s.rw.Exec(`INSERT INTO trainees (id, name, nik) VALUES ('t1', 'Nur Aisyah', '3171015708010001')`); err != nil {
		t.Fatal(err)
	}
	// when 0003 runs
	if err := s.migrate(ctx, old); err != nil {
		t.Fatal(err)
	}
	// then the trainee is still found
	got, err := s.SearchTrainees(ctx, TraineeQuery{Text: "aisy"})
	if err != nil || len(got) != 1 {
		t.Fatalf("after migration: %v %v", got, err)
	}
}
