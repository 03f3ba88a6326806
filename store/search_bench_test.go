package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// BenchmarkRecordsPageSearch is what a kit list does on each keystroke in
// its search box: one page of 200 matching records and their count, here
// over the ~6,000 funding records of a 100k-trainee centre.
func BenchmarkRecordsPageSearch(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	err := s.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 6000; i++ {
			f := &domain.Funding{Source: fmt.Sprintf("Donatur %s %d", []string{"Kemnaker", "CSR Bank", "Baznas", "Pemda"}[i%4], i), Amount: int64(i+1) * 1000, Year: 2020 + int64(i%7)}
			if _, err := tx.Save(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	t := domain.LookupTable("funding")
	q := store.Query{OrderBy: "year", Desc: true, Search: "bank", SearchIn: []string{"source", "note"}}
	b.ResetTimer()
	for b.Loop() {
		page := q
		page.Limit = 200
		rows, err := store.ListOf[*domain.Funding](ctx, s, page)
		if err != nil || len(rows) != 200 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
		if n, err := s.Count(ctx, t, q); err != nil || n != 1500 {
			b.Fatalf("count %d, %v", n, err)
		}
	}
}
