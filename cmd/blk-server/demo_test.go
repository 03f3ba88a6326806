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
// same records with the same ids, and another seed writes others.
func TestDemoIsTheSameForTheSameSeed(t *testing.T) {
	ctx := context.Background()
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	dump := func(seed int64) []string {
		path := filepath.Join(t.TempDir(), "server.db")
		st, err := central.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fillDemo(ctx, st, demoPlan{Centres: 3, PerCentre: 48, Seed: seed, DuplicatePercent: 10, Today: today}, nil); err != nil {
			t.Fatal(err)
		}
		st.Close()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query(`SELECT r.tbl, r.id, c.id, r.data FROM records r JOIN centres c ON c.centre_no = r.centre_no WHERE c.id <> '' ORDER BY r.tbl, r.id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var tbl, id, centre, data string
			if err := rows.Scan(&tbl, &id, &centre, &data); err != nil {
				t.Fatal(err)
			}
			out = append(out, tbl+" "+id+" "+centre+" "+data)
		}
		return out
	}
	a, b, other := dump(5), dump(5), dump(6)
	if len(a) < 3*48*4 {
		t.Fatalf("only %d records for 144 trainees", len(a))
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with seed 5 wrote different records")
	}
	if reflect.DeepEqual(a[:10], other[:10]) {
		t.Fatal("seeds 5 and 6 wrote the same records")
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
