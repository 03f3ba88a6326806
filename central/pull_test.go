package central

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
)

// TestPullSkipsPagesOfTheAskersOwnRecords: after a PC uploads more than a
// page of records, its own pull reads past them in one request, while
// another PC of the centre gets them page by page, all of them.
func TestPullSkipsPagesOfTheAskersOwnRecords(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d1 := enrolled(t, s, c, "pc1")
			total := MaxPullRecords + 700
			var batch []domain.Change
			for i := 1; i <= total; i++ {
				batch = append(batch, traineeChange(int64(i), c, domain.NewID(), "Siti Aminah", i%9000+1))
				if len(batch) == 1000 || i == total {
					if _, err := s.Push(ctx, d1, batch); err != nil {
						t.Fatal(err)
					}
					batch = nil
				}
			}
			own, err := s.Pull(ctx, c, d1.ID, 0, 0, 0)
			if err != nil || len(own.Changes) != 0 || own.More || own.Cursor != int64(total) {
				t.Fatalf("own pull: %d changes, more %v, cursor %d, %v", len(own.Changes), own.More, own.Cursor, err)
			}
			ids := map[string]bool{}
			cursor, pages := int64(0), 0
			for {
				p, err := s.Pull(ctx, c, devID("pc2"), cursor, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, ch := range p.Changes {
					ids[ch.ID] = true
				}
				cursor = p.Cursor
				if !p.More {
					break
				}
			}
			if len(ids) != total || pages != 2 {
				t.Fatalf("another PC got %d of %d records in %d pages", len(ids), total, pages)
			}
		})
	}
}
