package central

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestResolvedConflictReachesEveryPC has two PCs make a conflict, one PC
// resolve it, and checks the server's list says resolved (by whom) and
// that the other PC's next pull carries the resolution; another centre
// cannot resolve it.
func TestResolvedConflictReachesEveryPC(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			other := centreOf(t, s, "BLK B")
			d1, d2, x := enrolled(t, s, c, "pc1"), enrolled(t, s, c, "pc2"), enrolled(t, s, other, "pcx")
			id := domain.NewID()
			t0 := time.Now().UnixMilli()
			create := traineeChange(1, c, id, "Siti Aminah", 1)
			create.Clock = domain.MakeClock(t0, 0)
			base := map[string]domain.Version{"name": {Clock: create.Clock, Device: d1.ID}}
			if _, err := s.Push(ctx, d1, []domain.Change{create}); err != nil {
				t.Fatal(err)
			}
			// given two offline renames of the same name
			if _, err := s.Push(ctx, d1, []domain.Change{{Seq: 2, Table: "trainees", ID: id, Clock: domain.MakeClock(t0+2, 0), Fields: map[string]any{"name": "Siti Nurhaliza"}, Base: base}}); err != nil {
				t.Fatal(err)
			}
			res, err := s.Push(ctx, d2, []domain.Change{{Seq: 1, Table: "trainees", ID: id, Clock: domain.MakeClock(t0+1, 0), Fields: map[string]any{"name": "Siti Rahma"}, Base: base}})
			if err != nil || res.Conflicts != 1 {
				t.Fatalf("push %+v %v", res, err)
			}
			seen, err := s.Pull(ctx, c, "", 0, 0, 0)
			if err != nil || len(seen.Conflicts) != 1 || seen.Conflicts[0].Resolved {
				t.Fatalf("first pull %+v %v", seen.Conflicts, err)
			}
			cid := seen.Conflicts[0].ID
			// when another centre tries to resolve it, nothing changes
			if err := s.ResolveConflicts(ctx, x, []string{cid}); err != nil {
				t.Fatal(err)
			}
			if again, _ := s.Pull(ctx, c, "", seen.Cursor, 0, 0); len(again.Conflicts) != 0 {
				t.Fatalf("another centre's resolve reached this centre: %+v", again.Conflicts)
			}
			// when pc2 resolves it (twice: a re-sent push)
			for i := 0; i < 2; i++ {
				if err := s.ResolveConflicts(ctx, d2, []string{cid, "no-such-conflict"}); err != nil {
					t.Fatal(err)
				}
			}
			// then the server lists it resolved by pc2, and pc1's pull gets it once
			cs, err := s.Conflicts(ctx, c)
			if err != nil || len(cs) != 1 || !cs[0].Resolved || cs[0].ResolvedBy != d2.ID {
				t.Fatalf("server conflicts %+v %v", cs, err)
			}
			next, err := s.Pull(ctx, c, d1.ID, seen.Cursor, 0, 0)
			if err != nil || len(next.Conflicts) != 1 || !next.Conflicts[0].Resolved || next.Cursor <= seen.Cursor {
				t.Fatalf("pull after resolve %+v %v", next, err)
			}
			if last, _ := s.Pull(ctx, c, d1.ID, next.Cursor, 0, 0); len(last.Conflicts) != 0 {
				t.Fatalf("resolving twice sent the conflict again: %+v", last.Conflicts)
			}
		})
	}
}
