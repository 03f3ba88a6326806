package trainees

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/store"
)

// BenchmarkSearchKeystroke measures one keystroke in the search box to the
// list holding the new page (query, warnings, swap-in), without the typing
// debounce. It runs on a demo data folder given by BLK_BENCH_DATA, e.g.
//
//	blk --data /tmp/big init --centre-name X --region 3201011001
//	blk --data /tmp/big demo --trainees 100000
//	BLK_BENCH_DATA=/tmp/big go test -tags migrated_fynedo -run - -bench SearchKeystroke ./app/trainees
func BenchmarkSearchKeystroke(b *testing.B) {
	dir := os.Getenv("BLK_BENCH_DATA")
	if dir == "" {
		b.Skip("set BLK_BENCH_DATA to a demo data folder (see the comment)")
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, store.DefaultFile))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	ui := uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	s.searched = make(chan struct{}, 4)
	w.SetContent(s.Content())
	// What an operator types, one keystroke at a time.
	typed := []string{"s", "si", "sit", "siti", "siti ", "siti a", "n", "nu", "nur", "3", "32", "320", "3201", "32010"}
	for _, text := range typed {
		b.Run(text, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s.search.Text = text
				s.runSearch(context.Background())
				ui.Settle(b)
				<-s.searched
			}
		})
	}
}
