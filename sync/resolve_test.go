package sync_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// TestConflictResolvedOnOnePCIsResolvedEverywhere: two PCs rename one
// trainee offline; on the PC whose name lost, the operator takes its own
// (losing) value. After the next rounds every PC and the server hold that
// name, and the conflict shows resolved on the other PC and on the server.
func TestConflictResolvedOnOnePCIsResolvedEverywhere(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK Al-Hikmah")
			a, b := enrolDevice(t, st, url, centre, "pc-a"), enrolDevice(t, st, url, centre, "pc-b")
			tr := trainee(1, "Siti Aminah")
			if _, err := a.st.Save(ctx, tr); err != nil {
				t.Fatal(err)
			}
			mustRound(t, a)
			mustRound(t, b)
			// given two offline renames, pc-b's later
			ta, tb := getTrainee(t, a.st, tr.ID), getTrainee(t, b.st, tr.ID)
			ta.Name = "Siti Rahma"
			if _, err := a.st.Save(ctx, ta); err != nil {
				t.Fatal(err)
			}
			tb.Name = "Siti Nurhaliza"
			if _, err := b.st.Save(ctx, tb); err != nil {
				t.Fatal(err)
			}
			mustRound(t, a)
			mustRound(t, b)
			mustRound(t, a)
			cs, _ := a.st.Conflicts(ctx)
			if len(cs) != 1 || cs[0].Resolved || cs[0].Loser != "Siti Rahma" {
				t.Fatalf("pc-a conflicts %+v", cs)
			}
			// when pc-a's operator takes the losing name
			if err := a.st.ResolveConflict(ctx, cs[0].ID, true); err != nil {
				t.Fatal(err)
			}
			mustRound(t, a)
			mustRound(t, b)
			// then everyone has it, and the conflict is resolved everywhere
			for _, d := range []*device{a, b} {
				if got := getTrainee(t, d.st, tr.ID).Name; got != "Siti Rahma" {
					t.Fatalf("%s has name %q", d.name, got)
				}
				cs, _ := d.st.Conflicts(ctx)
				open := 0
				for _, c := range cs {
					if !c.Resolved {
						open++
					}
				}
				if open != 0 {
					t.Fatalf("%s still shows %d open conflicts: %+v", d.name, open, cs)
				}
			}
			server, err := st.Conflicts(ctx, centre)
			if err != nil || len(server) != 1 || !server[0].Resolved || server[0].ResolvedBy == "" {
				t.Fatalf("server conflicts %+v %v", server, err)
			}
			if ids, _ := a.st.ResolutionsToSend(ctx); len(ids) != 0 {
				t.Fatalf("pc-a still has resolutions to send: %v", ids)
			}
		})
	}
}

func getTrainee(t *testing.T, s *store.Store, id string) *domain.Trainee {
	t.Helper()
	tr := &domain.Trainee{}
	tr.ID = id
	if err := s.Get(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	return tr
}
