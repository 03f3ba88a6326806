package central

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// BenchmarkPushBatch measures the server applying batches of 100 new
// trainees (8 fields each) without HTTP, on SQLite and on PostgreSQL when
// BLK_TEST_POSTGRES is set.
func BenchmarkPushBatch(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			s := openBenchStorage(b, kind)
			c, _ := s.AddCentre(ctx, Centre{Name: "BLK A", Region: "3201"})
			code, _, _ := s.NewCode(ctx, c.ID, 3600e9)
			_, d, err := s.Enrol(ctx, code, devID("pc1"), "pc1")
			if err != nil {
				b.Fatal(err)
			}
			seq := int64(0)
			b.ResetTimer()
			fields := 0
			for i := 0; i < b.N; i++ {
				b.StopTimer() // making the batch is the device's work
				batch := make([]domainChange, 0, 100)
				for j := 0; j < 100; j++ {
					seq++
					ch := traineeChange(seq, c.ID, newID(), "Siti Aminah", int(seq%9000)+1)
					fields += len(ch.Fields)
					batch = append(batch, ch)
				}
				b.StartTimer()
				if _, err := s.Push(ctx, d, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(fields)/b.Elapsed().Seconds(), "fields/s")
		})
	}
}

// BenchmarkRefreshSummary is what a push of trainees and enrollments adds
// for its centre's summary (summary.go: the push recounts its centre),
// at a centre of 500 and of 5,000 trainees; compare with a push's time
// (BenchmarkPushBatch) to see its share.
func BenchmarkRefreshSummary(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		for _, per := range []int{500, 5000} {
			b.Run(fmt.Sprintf("%s/%d", kind, per), func(b *testing.B) {
				ctx := context.Background()
				s := openBenchStorage(b, kind)
				seedVolume(b, s, 1, per)
				if err := s.Analyze(ctx); err != nil {
					b.Fatal(err)
				}
				cs, err := s.Centres(ctx)
				if err != nil || len(cs) != 1 {
					b.Fatal(cs, err)
				}
				b.ResetTimer()
				for range b.N {
					tx, err := s.rw.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					if err := s.refreshSummary(ctx, tx, cs[0].ID, tableParts("trainees")|tableParts("enrollments")); err != nil {
						b.Fatal(err)
					}
					if err := tx.Rollback(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// openBenchStorage opens a new server database of kind ("sqlite", or
// "postgres" in a schema of its own, skipped without BLK_TEST_POSTGRES),
// closed when the benchmark ends.
func openBenchStorage(b *testing.B, kind string) *sqlStorage {
	b.Helper()
	var s *sqlStorage
	var err error
	if kind == "postgres" {
		if os.Getenv("BLK_TEST_POSTGRES") == "" {
			b.Skip("needs BLK_TEST_POSTGRES")
		}
		s, err = openPGSchema(b)
	} else {
		s, err = openSQLite(context.Background(), b.TempDir()+"/server.db")
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
