package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var first = []string{"Siti", "Ahmad", "Dewi", "Muhammad", "Nurul", "Rizki", "Ayu", "Budi", "Fitri", "Hendra", "Intan", "Joko"}
var last = []string{"Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Rahman", "Nugroho", "Setiawan", "Lestari", "Siregar", "Nasution"}

// benchTrainee makes the i-th of many distinct, valid trainees.
func benchTrainee(i int) *domain.Trainee {
	birth := time.Date(1990+i%15, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
	female := i%2 == 1
	sex := "L"
	if female {
		sex = "P"
	}
	return &domain.Trainee{
		NIK:  domain.MakeNIK("320101", birth, female, 1+i/420%9999),
		Name: fmt.Sprintf("%s %s %s", first[i%len(first)], first[(i/7)%len(first)], last[(i/3)%len(last)]), Sex: sex,
		BirthDate: birth.Format(domain.DateLayout), Phone: fmt.Sprintf("0812%08d", i), VillageCode: "3201011001",
	}
}

func fill(b testing.TB, s *store.Store, from, n int) {
	b.Helper()
	const batch = 5000
	for i := from; i < from+n; i += batch {
		err := s.Write(context.Background(), func(tx *store.Tx) error {
			for j := i; j < min(i+batch, from+n); j++ {
				if _, err := tx.Save(benchTrainee(j)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveTrainee is one trainee saved by a person: its own
// transaction, validation, duplicate check, row, search index and outbox.
func BenchmarkSaveTrainee(b *testing.B) {
	s := newStore(b)
	fill(b, s, 0, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Save(context.Background(), benchTrainee(10000+i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBulkInsert is trainees written 5,000 per transaction (import, demo).
func BenchmarkBulkInsert(b *testing.B) {
	s := newStore(b)
	b.ResetTimer()
	fill(b, s, 0, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trainees/s")
}

var (
	bigOnce  gosync.Once
	bigStore *store.Store
)

// BenchmarkSearch100k measures search-as-you-type over 100,000 trainees:
// name and NIK fragments of 1 to 8 characters, reporting the p95 latency.
func BenchmarkSearch100k(b *testing.B) {
	bigOnce.Do(func() {
		ctx := context.Background()
		dir, err := osMkdirTemp()
		if err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(ctx, filepath.Join(dir, "blk.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Bench", VillageCode: "3201011001"}); err != nil {
			b.Fatal(err)
		}
		fill(b, s, 0, 100000)
		bigStore = s
	})
	queries := []string{"s", "si", "sit", "siti", "siti s", "ahmad w", "nugroho", "tari", "3201", "320101", "32010115", "0001", "rahman", "a", "de", "wijaya"}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		t0 := time.Now()
		got, err := bigStore.SearchTrainees(context.Background(), store.TraineeQuery{Text: q, Limit: 50})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		if len(got) == 0 {
			b.Fatalf("no result for %q", q)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
