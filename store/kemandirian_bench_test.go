package store_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// BenchmarkKemandirianInput reads what the dashboard's Kemandirian card
// assesses on a demo data folder (BLK_BENCH_DATA, e.g. 100k trainees) and
// reports the Go heap the input holds while it is assessed (live-MB).
func BenchmarkKemandirianInput(b *testing.B) {
	dir := os.Getenv("BLK_BENCH_DATA")
	if dir == "" {
		b.Skip("set BLK_BENCH_DATA to a data folder made by blk demo")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, store.DefaultFile))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var before, after runtime.MemStats
	var live uint64
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		in, err := s.KemandirianInput(ctx)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		live = after.HeapAlloc - before.HeapAlloc
		domain.AssessKemandirian(in, s.Now())
	}
	b.ReportMetric(float64(live)/(1<<20), "live-MB")
}
