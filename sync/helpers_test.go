package sync_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

// The desktop database is what the client syncs.
var _ blksync.Local = (*store.Store)(nil)

// backends lists the server stores every sync test runs against.
func backends(t *testing.T) []string {
	out := []string{"sqlite"}
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		out = append(out, "postgres")
	}
	return out
}

// pgSchemaDSN makes a fresh PostgreSQL schema for one test and drops it
// afterwards; it skips when BLK_TEST_POSTGRES is unset.
func pgSchemaDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("BLK_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL tests need BLK_TEST_POSTGRES, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// openBackend opens a fresh, empty server store of the given kind.
func openBackend(t testing.TB, kind string) central.Storage {
	t.Helper()
	ctx := context.Background()
	var st central.Storage
	var err error
	if kind == "postgres" {
		st, err = central.OpenPostgres(ctx, pgSchemaDSN(t))
	} else {
		st, err = central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "server.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startServer serves the sync API on 127.0.0.1:0.
func startServer(t testing.TB, st central.Storage) string {
	t.Helper()
	srv := httptest.NewServer(syncserver.NewServer(st, quietLog()).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// addCentre registers a centre and returns its id.
func addCentre(t testing.TB, st central.Storage, name string) string {
	t.Helper()
	c, err := st.AddCentre(context.Background(), central.Centre{Name: name, Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func newCode(t testing.TB, st central.Storage, centre string) string {
	t.Helper()
	code, _, err := st.NewCode(context.Background(), centre, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// device is one PC in a test: its store and its sync client.
type device struct {
	name   string
	st     *store.Store
	client *blksync.Client
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// enrolDevice makes a fresh PC and enrols it into centre.
func enrolDevice(t testing.TB, st central.Storage, url, centre, name string, opts ...blksync.Option) *device {
	t.Helper()
	s := openStore(t)
	c := blksync.NewClient(s, append([]blksync.Option{blksync.WithDeviceName(name)}, opts...)...)
	if err := c.Enrol(context.Background(), url, newCode(t, st, centre)); err != nil {
		t.Fatalf("enrol %s: %v", name, err)
	}
	return &device{name: name, st: s, client: c}
}

var birth = time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC)

func trainee(serial int, name string) *domain.Trainee {
	return &domain.Trainee{
		NIK:       domain.MakeNIK("320101", birth, true, serial),
		Name:      name,
		Sex:       "P",
		BirthDate: "2001-08-17",
		Address:   "Jalan Mawar " + fmt.Sprint(serial),
	}
}

// letters spells n in letters, so generated names stay valid person names.
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

// snapshot is every live record of a centre as comparable text, per table
// (reference data left out).
func snapshot(t testing.TB, src interface {
	EachRecord(context.Context, string, func(domain.Record) error) error
}) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, tb := range domain.Tables {
		if tb.Reference {
			continue // each PC ships the national list; compared separately
		}
		err := src.EachRecord(context.Background(), tb.Name, func(r domain.Record) error {
			out[tb.Name] = append(out[tb.Name], fmt.Sprint(domain.Values(r)))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func mustRound(t testing.TB, d *device) blksync.RoundResult {
	t.Helper()
	res, err := d.client.Round(context.Background())
	if err != nil {
		t.Fatalf("round of %s: %v", d.name, err)
	}
	return res
}

// okTransport counts requests and passes them on.
var _ http.RoundTripper = http.DefaultTransport
