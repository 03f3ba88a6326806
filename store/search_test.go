package store_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// TestSearchKeepsRecordsWhereAFieldContainsTheText: a list's search box
// looks in the fields it names, ignores case, takes % and _ literally, and
// Count agrees with List.
func TestSearchKeepsRecordsWhereAFieldContainsTheText(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, in := range []*domain.Instructor{
		{Name: "Hamid Syarif", FieldCode: "LAS", Certification: "BNSP Las 100%"},
		{Name: "Siti Rahma", FieldCode: "TIK"},
		{Name: "Agus Salim", FieldCode: "LAS", Certification: "Asesor"},
	} {
		if _, err := s.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		search string
		in     []string
		want   []string
	}{
		{"las", []string{"name", "field_code"}, []string{"Agus Salim", "Hamid Syarif"}},
		{"SITI", []string{"name"}, []string{"Siti Rahma"}},
		{"  ", []string{"name"}, []string{"Agus Salim", "Hamid Syarif", "Siti Rahma"}},
		{"100%", []string{"certification"}, []string{"Hamid Syarif"}},
		{"%", []string{"name"}, nil},
		{"a_", []string{"name"}, nil},
	}
	for _, tc := range tests {
		q := store.Query{OrderBy: "name", Search: tc.search, SearchIn: tc.in}
		got, err := store.ListOf[*domain.Instructor](ctx, s, q)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, in := range got {
			names = append(names, in.Name)
		}
		if len(names) != len(tc.want) || (len(names) > 0 && names[0] != tc.want[0]) || (len(names) > 1 && names[len(names)-1] != tc.want[len(tc.want)-1]) {
			t.Errorf("search %q in %v: %v, want %v", tc.search, tc.in, names, tc.want)
		}
		if n, _ := s.Count(ctx, domain.LookupTable("instructors"), q); n != len(tc.want) {
			t.Errorf("count of %q = %d, want %d", tc.search, n, len(tc.want))
		}
	}
	if _, err := s.Count(ctx, domain.LookupTable("instructors"), store.Query{Search: "x", SearchIn: []string{"no_such"}}); err == nil {
		t.Error("searching an unknown field: no error")
	}
}

// TestRangesKeepTheRecordsBetweenTwoBounds: a year of ledger lines is a
// range of dates, both ends included; an open end has no bound.
func TestRangesKeepTheRecordsBetweenTwoBounds(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, d := range []string{"2025-12-31", "2026-01-01", "2026-07-15", "2026-12-31", "2027-01-01"} {
		if _, err := s.Save(ctx, &domain.LedgerLine{Date: d, Direction: domain.LedgerIncome, Category: "paid_training", Amount: 1000}); err != nil {
			t.Fatal(err)
		}
	}
	year := []store.Range{{Field: "date", From: "2026-01-01", To: "2026-12-31"}}
	got, err := store.ListOf[*domain.LedgerLine](ctx, s, store.Query{Ranges: year, OrderBy: "date"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Date != "2026-01-01" || got[2].Date != "2026-12-31" {
		t.Fatalf("2026: %d lines", len(got))
	}
	if n, _ := s.Count(ctx, domain.LookupTable("ledger_lines"), store.Query{Ranges: []store.Range{{Field: "date", From: "2026-07-15"}}}); n != 3 {
		t.Fatalf("from 2026-07-15 on: %d", n)
	}
	if _, err := s.Count(ctx, domain.LookupTable("ledger_lines"), store.Query{Ranges: []store.Range{{Field: "no_such", To: 1}}}); err == nil {
		t.Fatal("a range on an unknown field was accepted")
	}
}
