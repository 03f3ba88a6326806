package main

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
)

// TestSummariesCommandRebuildsTheSameFigures fills a demo database, reads the
// dashboard's figures, rebuilds the summaries with `blk-server summaries` and
// reads them again: the same.
func TestSummariesCommandRebuildsTheSameFigures(t *testing.T) {
	db := demoDB(t, "sqlite")
	if code, out, errs := server(t, "demo", "--db", db, "--centres", "3", "--trainees-per-centre", "48", "--seed", "5", "--duplicates", "10"); code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	figures := func() []any {
		ctx := context.Background()
		st, err := central.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		rep := st.(central.Reporter)
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		cs, err1 := rep.CentreSummaries(ctx, now, time.Hour)
		pr, err2 := rep.ByProvince(ctx)
		q, err3 := rep.DataQuality(ctx, "", now)
		d, err4 := st.Duplicates(ctx, "")
		for _, err := range []error{err1, err2, err3, err4} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(cs) != 3 || len(d) == 0 {
			t.Fatalf("want 3 centres and duplicates, got %d and %d", len(cs), len(d))
		}
		return []any{cs, pr, q, d}
	}
	before := figures()
	code, out, errs := server(t, "summaries", "--db", db, "--json")
	if code != 0 || !strings.Contains(out, `"ok": true`) {
		t.Fatalf("summaries: exit %d\n%s\n%s", code, out, errs)
	}
	if after := figures(); !reflect.DeepEqual(before, after) {
		t.Errorf("the figures changed with the rebuild:\nbefore %+v\nafter  %+v", before, after)
	}
}
