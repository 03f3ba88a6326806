package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/kemnaker/blk/domain"
)

// TestOldServerDatabaseGetsProjectionColumnsFilled opens a server database
// made before the k1..k3 columns existed: opening it adds them, fills them
// from the stored JSON, and the national reports count from them.
func TestOldServerDatabaseGetsProjectionColumnsFilled(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "server.db")
	// given a database with the schema of before, holding one completed enrollment
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range schema {
		if _, err := old.Exec(st); err != nil {
			t.Fatal(err)
		}
	}
	centre, trainee, cohort, enr := domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID()
	data, _ := json.Marshal(map[string]any{"id": enr, "centre_id": centre, "trainee_id": trainee, "cohort_id": cohort, "status": "completed"})
	if _, err := old.Exec(`INSERT INTO centres (id, name, region, created_at) VALUES (?, 'BLK A', '3201', 0)`, centre); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO records (tbl, id, centre_id, seq, data, vers) VALUES ('enrollments', ?, ?, 1, ?, '{}')`, enr, centre, string(data)); err != nil {
		t.Fatal(err)
	}
	old.Close()
	// when the server opens it
	s, err := openSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// then the columns hold the enrollment's trainee, status and cohort
	var k1, k2, k3 string
	if err := s.ro.QueryRow(`SELECT k1, k2, k3 FROM records WHERE id = ?`, enr).Scan(&k1, &k2, &k3); err != nil {
		t.Fatal(err)
	}
	if k1 != trainee || k2 != "completed" || k3 != cohort {
		t.Fatalf("projection %q %q %q", k1, k2, k3)
	}
	sum, err := s.Outcomes(ctx, centre)
	if err != nil || sum.Graduates != 1 {
		t.Fatalf("graduates %+v %v", sum, err)
	}
	// and opening it again runs nothing twice
	s.Close()
	s2, err := openSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var v int
	if err := s2.ro.QueryRow(`SELECT v FROM schema_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d %v", v, err)
	}
}
