package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
)

// demoDB is a fresh central database of kind: a SQLite file, or a
// PostgreSQL schema of its own (dropped after the test) when
// BLK_TEST_POSTGRES is set.
func demoDB(t testing.TB, kind string) string {
	t.Helper()
	if kind == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	}
	base := os.Getenv("BLK_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL tests need BLK_TEST_POSTGRES, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "demo_" + hex.EncodeToString(b)
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

// TestDemoFillsADashboardWithDuplicatesAcrossCentres runs `blk-server demo`
// on each store, then reads every dashboard page as a ministry analyst
// would: each answers, the centres are spread over provinces, and the
// duplicates page lists people registered at two centres.
func TestDemoFillsADashboardWithDuplicatesAcrossCentres(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			db := demoDB(t, kind)
			code, out, errs := server(t, "demo", "--db", db, "--centres", "4", "--trainees-per-centre", "160", "--seed", "7", "--duplicates", "10", "--json")
			if code != 0 {
				t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
			}
			if !strings.Contains(out, `"trainees": 640`) || !strings.Contains(out, `"centres": 4`) {
				t.Fatalf("demo printed %s", out)
			}
			ctx := context.Background()
			st, err := central.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			centres, err := st.Centres(ctx)
			if err != nil {
				t.Fatal(err)
			}
			provinces := map[string]bool{}
			for _, c := range centres {
				provinces[c.Region[:2]] = true
			}
			if len(centres) != 4 || len(provinces) != 4 {
				t.Fatalf("centres %v in %d provinces, want 4 in 4", centres, len(provinces))
			}
			dups, err := st.Duplicates(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			var across *central.Duplicate
			for i, d := range dups {
				if len(d.Centres) > 1 && d.Centres[0] != d.Centres[1] {
					across = &dups[i]
					break
				}
			}
			if across == nil {
				t.Fatalf("no NIK held at two centres among %d duplicates", len(dups))
			}
			// The demo's graduates hold certificates numbered by the
			// centre's device, which the public check finds, and the
			// centres' ledgers, legal documents and instructors'
			// certificates give them a road-map level.
			var graduates, certs int
			var number string
			for _, c := range centres {
				src := st.Source(c.ID)
				if err := src.EachRecord(ctx, "enrollments", func(rec domain.Record) error {
					if rec.(*domain.Enrollment).Status == domain.EnrollmentCompleted {
						graduates++
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if err := src.EachRecord(ctx, "certificates", func(rec domain.Record) error {
					certs++
					number = rec.(*domain.Certificate).Number
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			if graduates == 0 || certs != graduates {
				t.Fatalf("%d graduates hold %d certificates", graduates, certs)
			}
			if chk, err := st.(central.Verifier).CheckCertificate(ctx, "", number); err != nil || chk.Status != central.CertificateValid {
				t.Fatalf("check of %s: %+v %v", number, chk, err)
			}
			kem, err := st.(central.KemandirianReporter).Kemandirian(ctx, centres[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if !kem.Criterion(domain.CriterionMitra).Met || kem.Criterion(domain.CriterionLegal).Value < 1 || kem.Criterion(domain.CriterionDana).Value < 3 {
				t.Fatalf("demo centre's road map: %+v", kem.Criteria)
			}
			rep := st.(central.Reporter)
			names, err := rep.TraineeNames(ctx, across.Trainees)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rep.AddUser(ctx, "analis", "kata-sandi-uji-123"); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(dashboard.New(st, dashboard.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
			defer srv.Close()
			c := loginDashboard(t, srv.URL, "analis", "kata-sandi-uji-123")
			for _, page := range []string{"/dashboard/", "/dashboard/province", "/dashboard/field", "/dashboard/outcomes",
				"/dashboard/duplicates", "/dashboard/quality", "/dashboard/kemandirian", "/dashboard/centre/" + centres[0].ID} {
				status, body := getPage(t, c, srv.URL+page)
				if status != http.StatusOK {
					t.Fatalf("%s: %d\n%s", page, status, body)
				}
				if page == "/dashboard/duplicates" && !strings.Contains(body, html.EscapeString(names[across.Trainees[0]])) {
					t.Fatalf("duplicates page does not name %q", names[across.Trainees[0]])
				}
			}
		})
	}
}

// TestDemoIsTheSameForTheSameSeed: two runs of one seed and day write the
// same records with the same ids, centre seqs, projections and summary
// rows, whether the centres are pushed one at a time or several at once,
// on each store; another seed writes others.
func TestDemoIsTheSameForTheSameSeed(t *testing.T) {
	ctx := context.Background()
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	dump := func(kind string, seed int64, parallel int) []string {
		dsn := demoDB(t, kind)
		st, err := central.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fillDemo(ctx, st, demoPlan{Centres: 5, PerCentre: 48, Seed: seed, DuplicatePercent: 10, Today: today, Parallel: parallel}, nil); err != nil {
			t.Fatal(err)
		}
		st.Close()
		db, err := sql.Open(map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[kind], strings.TrimPrefix(dsn, "sqlite:"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var out []string
		for _, q := range []string{
			`SELECT r.tbl, r.id, c.id, r.seq, r.deleted, r.nik, r.data, r.k1, r.k2, r.k3 FROM records r JOIN centres c ON c.centre_no = r.centre_no WHERE c.id <> '' ORDER BY r.tbl, r.id`,
			`SELECT centre_id, kind, code, n1, n2 FROM summary ORDER BY centre_id, kind, code`,
			`SELECT id, centre_id, fields FROM trainee_warnings ORDER BY id`,
			`SELECT id, last_seq FROM centres ORDER BY id`,
			`SELECT id, centre_id, applied_seq FROM devices ORDER BY id`,
		} {
			rows, err := db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]sql.NullString, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				line := q[:20]
				for _, v := range vals {
					line += " " + v.String
				}
				out = append(out, line)
			}
			if err := rows.Close(); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			a, b, other := dump(kind, 5, 1), dump(kind, 5, 3), dump(kind, 6, 1)
			if len(a) < 5*48*4 {
				t.Fatalf("only %d rows for 240 trainees", len(a))
			}
			if !reflect.DeepEqual(a, b) {
				for i := range min(len(a), len(b)) {
					if a[i] != b[i] {
						t.Fatalf("seed 5 one centre at a time and three at once differ at row %d:\n%s\n%s", i, a[i], b[i])
					}
				}
				t.Fatalf("seed 5 one centre at a time wrote %d rows, three at once %d", len(a), len(b))
			}
			if reflect.DeepEqual(a[:10], other[:10]) {
				t.Fatal("seeds 5 and 6 wrote the same records")
			}
		})
	}
}

var demoCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginDashboard signs a browser-like client in through the login form.
func loginDashboard(t testing.TB, base, user, pass string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	_, form := getPage(t, c, base+"/dashboard/login")
	m := demoCSRF.FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("no csrf field in the login form:\n%s", form)
	}
	res, err := c.PostForm(base+"/dashboard/login", url.Values{"csrf": {m[1]}, "user": {user}, "password": {pass}, "next": {"/dashboard/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", res.StatusCode)
	}
	return c
}

func getPage(t testing.TB, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// analyzeCounter is a storage that counts the changes pushed through it
// and, at each of the fill's ANALYZE calls, how many there were.
type analyzeCounter struct {
	central.Storage
	pushed   atomic.Int64
	analyzed []int64
}

func (a *analyzeCounter) Push(ctx context.Context, dev central.Device, changes []domain.Change) (central.PushResult, error) {
	res, err := a.Storage.Push(ctx, dev, changes)
	if err == nil {
		a.pushed.Add(int64(len(changes)))
	}
	return res, err
}

func (a *analyzeCounter) Analyze(ctx context.Context) error {
	a.analyzed = append(a.analyzed, a.pushed.Load())
	return a.Storage.(interface{ Analyze(context.Context) error }).Analyze(ctx)
}

// TestDemoAnalysesAsTheRecordsGrow: the fill refreshes the planner's
// statistics while it loads (each time the records have doubled), not
// only at the end, so a database without autovacuum keeps reading a
// batch's records through the primary key.
func TestDemoAnalysesAsTheRecordsGrow(t *testing.T) {
	ctx := context.Background()
	st, err := central.Open(ctx, demoDB(t, "sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	counter := &analyzeCounter{Storage: st}
	sum, err := fillDemo(ctx, counter, demoPlan{Centres: 20, PerCentre: 200, Seed: 2, Parallel: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records < 2*analyzeFrom {
		t.Fatalf("only %d records: too few to test", sum.Records)
	}
	if len(counter.analyzed) < 2 || counter.analyzed[0] < analyzeFrom || counter.analyzed[0] >= int64(sum.Records) {
		t.Fatalf("analysed at %v records of %d, want once from %d on during the fill and once at its end", counter.analyzed, sum.Records, analyzeFrom)
	}
}
