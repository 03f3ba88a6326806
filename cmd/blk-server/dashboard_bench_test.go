package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
)

// BenchmarkDashboardPages fills a central database with `blk-server demo`
// data and reports each dashboard page's p95 over 20 reads with the
// dashboard's own cache off (every read runs its queries; the database's
// cache is warm after the first), after a rebuild of the analytics tables
// and a refresh with nothing new (whose times it reports). The size is 10 centres × 200 trainees
// unless BLK_BENCH_NATIONAL says CENTRESxTRAINEES (e.g. 100x1000);
// PostgreSQL runs too when BLK_TEST_POSTGRES is set. BLK_BENCH_KEEP=DIR
// keeps the SQLite file there and reuses it (filling is the slow part);
// on PostgreSQL it keeps the schema bench_dashboard_CxT (drop it by hand);
// BLK_BENCH_STORE=postgres (or sqlite) runs that store alone.
func BenchmarkDashboardPages(b *testing.B) {
	centres, per := 10, 200
	if v := os.Getenv("BLK_BENCH_NATIONAL"); v != "" {
		if _, err := fmt.Sscanf(v, "%dx%d", &centres, &per); err != nil {
			b.Fatalf("BLK_BENCH_NATIONAL=%q: want CENTRESxTRAINEES", v)
		}
	}
	kinds := []string{"sqlite"}
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		kinds = append(kinds, "postgres")
	}
	only := os.Getenv("BLK_BENCH_STORE") // "sqlite" or "postgres": that one alone
	for _, kind := range kinds {
		if only != "" && kind != only {
			continue
		}
		b.Run(fmt.Sprintf("%s/%dx%d", kind, centres, per), func(b *testing.B) {
			ctx := context.Background()
			var db string
			fresh := true
			if keep := os.Getenv("BLK_BENCH_KEEP"); keep != "" && kind == "sqlite" {
				db = "sqlite:" + filepath.Join(keep, fmt.Sprintf("dashboard-%dx%d.db", centres, per))
				_, err := os.Stat(strings.TrimPrefix(db, "sqlite:"))
				fresh = err != nil
			} else if keep != "" {
				db, fresh = keptSchema(b, fmt.Sprintf("bench_dashboard_%dx%d", centres, per))
			} else {
				db = demoDB(b, kind)
			}
			st, err := central.Open(ctx, db)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if fresh {
				start := time.Now()
				if _, err := fillDemo(ctx, st, demoPlan{Centres: centres, PerCentre: per, Seed: 1, DuplicatePercent: 2}, nil); err != nil {
					b.Fatal(err)
				}
				b.Logf("filled %d×%d in %s", centres, per, time.Since(start).Round(time.Second))
			}
			// The analytics tables from scratch (the server's first run),
			// then a run with nothing new (what each scheduled run pays
			// before the centres that pushed since).
			an := st.(central.Analytics)
			start := time.Now()
			if err := an.RebuildAnalytics(ctx, start); err != nil {
				b.Fatal(err)
			}
			rebuild := time.Since(start)
			start = time.Now()
			if err := an.RefreshAnalytics(ctx, start); err != nil {
				b.Fatal(err)
			}
			refresh := time.Since(start)
			b.Logf("analytics rebuilt in %s, refreshed with nothing new in %s", rebuild.Round(time.Millisecond), refresh.Round(time.Millisecond))
			rep := st.(central.Reporter)
			if _, err := rep.AddUser(ctx, "analis", "kata-sandi-uji-123"); err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(dashboard.New(st, dashboard.Options{CacheTTL: -1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
			defer srv.Close()
			c := loginDashboard(b, srv.URL, "analis", "kata-sandi-uji-123")
			cs, err := st.Centres(ctx)
			if err != nil {
				b.Fatal(err)
			}
			pages := []string{"/dashboard/", "/dashboard/province", "/dashboard/field", "/dashboard/outcomes",
				"/dashboard/duplicates", "/dashboard/quality", "/dashboard/centre/" + cs[len(cs)/2].ID}
			b.ResetTimer()
			for range b.N {
				for _, page := range pages {
					var took []time.Duration
					for i := 0; i < 21; i++ {
						start := time.Now()
						res, err := c.Get(srv.URL + page)
						if err != nil {
							b.Fatal(err)
						}
						_, _ = io.Copy(io.Discard, res.Body)
						res.Body.Close()
						if res.StatusCode != http.StatusOK {
							b.Fatalf("%s: %d", page, res.StatusCode)
						}
						if i > 0 { // the first read warms the database's cache
							took = append(took, time.Since(start))
						}
					}
					sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
					name := strings.Trim(strings.TrimPrefix(page, "/dashboard/"), "/")
					if strings.HasPrefix(name, "centre") {
						name = "centre"
					} else if name == "" {
						name = "overview"
					}
					b.ReportMetric(float64(took[len(took)*95/100-1].Microseconds())/1000, "p95-ms-"+name)
				}
				b.ReportMetric(rebuild.Seconds(), "analytics-rebuild-s")
				b.ReportMetric(refresh.Seconds(), "analytics-idle-refresh-s")
			}
		})
	}
}

// keptSchema is a PostgreSQL schema the benchmark keeps between runs, and
// whether it is new.
func keptSchema(b *testing.B, schema string) (string, bool) {
	base := os.Getenv("BLK_TEST_POSTGRES")
	db, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'records'`, schema).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		b.Fatal(err)
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, n == 0
}
