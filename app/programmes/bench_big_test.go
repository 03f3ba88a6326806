package programmes

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// BenchmarkProgrammeScreenLoadBigCentre measures one Update of the
// programme screen (what it reads off the UI goroutine) with a programme
// and its newest cohort chosen, on a demo data folder given by
// BLK_BENCH_DATA, e.g.
//
//	blk --data /tmp/big init --centre-name X --region 3201011001
//	blk --data /tmp/big demo --trainees 20000
//	BLK_BENCH_DATA=/tmp/big go test -tags migrated_fynedo,no_emoji -run - -bench ProgrammeScreenLoadBigCentre ./app/programmes
func BenchmarkProgrammeScreenLoadBigCentre(b *testing.B) {
	dir := os.Getenv("BLK_BENCH_DATA")
	if dir == "" {
		b.Skip("set BLK_BENCH_DATA to a demo data folder (see the comment)")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.DefaultFile))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cs, err := store.ListOf[*domain.Cohort](ctx, st, store.Query{OrderBy: "start_date"})
	if err != nil || len(cs) == 0 {
		b.Fatalf("%d cohorts, %v", len(cs), err)
	}
	k := cs[len(cs)-1]
	s := &Screen{deps: screen.Deps{Now: st.Now}, st: st}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, err := s.load(ctx, k.ProgrammeID, k.ID, false)
		if err != nil || len(snap.roster) == 0 {
			b.Fatalf("%d on the roster, %v", len(snap.roster), err)
		}
	}
}
