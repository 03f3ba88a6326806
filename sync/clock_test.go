package sync_test

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

func TestPCClockAYearAheadDoesNotWinLaterEdits(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given two PCs of one centre sharing a trainee
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK A")
			pc1 := enrolDevice(t, st, url, centre, "pc1")
			pc2 := enrolDevice(t, st, url, centre, "pc2")
			tr := trainee(1, "Siti Aminah")
			if _, err := pc1.st.Save(ctx, tr); err != nil {
				t.Fatal(err)
			}
			mustRound(t, pc1)
			mustRound(t, pc2)

			// when pc1's clock jumps a year ahead and it edits offline, and
			// pc2 edits the same field afterwards
			pc1.st.Now = func() time.Time { return time.Now().AddDate(1, 0, 0) }
			tr.Name = "Ayu Ahead"
			if _, err := pc1.st.Save(ctx, tr); err != nil {
				t.Fatal(err)
			}
			// The rebase recovers pc1's real edit time to within the
			// offset estimate (a round trip); keep pc2's edit clearly after.
			for edited := time.Now(); time.Since(edited) < 200*time.Millisecond; {
			}
			tr2 := &domain.Trainee{}
			tr2.ID = tr.ID
			if err := pc2.st.Get(ctx, tr2); err != nil {
				t.Fatal(err)
			}
			tr2.Name = "Dewi Later"
			if _, err := pc2.st.Save(ctx, tr2); err != nil {
				t.Fatal(err)
			}
			r1 := mustRound(t, pc1)
			mustRound(t, pc2)
			mustRound(t, pc1)

			// then pc1's write was re-stamped, the later edit wins everywhere,
			// the loser is a conflict, and pc1 warns about its clock
			if r1.Rebased != 1 {
				t.Fatalf("rebased %d writes, want 1", r1.Rebased)
			}
			for _, d := range []*device{pc1, pc2} {
				got := &domain.Trainee{}
				got.ID = tr.ID
				if err := d.st.Get(ctx, got); err != nil {
					t.Fatal(err)
				}
				if got.Name != "Dewi Later" {
					t.Fatalf("%s has %q, want the later edit", d.name, got.Name)
				}
			}
			cs, _ := st.Conflicts(ctx, centre)
			if len(cs) != 1 || cs[0].Loser != "Ayu Ahead" {
				t.Fatalf("conflicts %+v, want the year-ahead value as loser", cs)
			}
			if s := pc1.client.Status(); !s.ClockWarn || s.ClockSkew > -300*24*time.Hour {
				t.Fatalf("pc1 status %+v: want a clock warning with the year offset", s)
			}
			if s := pc2.client.Status(); s.ClockWarn {
				t.Fatalf("pc2 warns about a correct clock: %+v", s)
			}
			// and pc1's new writes carry corrected time
			tr.Address = "Jalan Baru"
			if _, err := pc1.st.Save(ctx, tr); err != nil {
				t.Fatal(err)
			}
			if d := time.Duration(pc1.st.Clock().WallMS()-time.Now().UnixMilli()) * time.Millisecond; d > time.Minute || d < -time.Minute {
				t.Fatalf("pc1's new version is %s off real time", d)
			}
		})
	}
}
