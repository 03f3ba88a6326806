package sync_test

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

func TestADamagedPCIsRebuiltFromTheServerAsItself(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given an enrolled PC that synced its trainees and then lost its
			// database (emptied by a crash)
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK A")
			pc := enrolDevice(t, st, url, centre, "pc1")
			for i := 1; i <= 20; i++ {
				if _, err := pc.st.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
					t.Fatal(err)
				}
			}
			mustRound(t, pc)
			want := snapshot(t, pc.st)
			dev, path := pc.st.DeviceID(), pc.st.Path()
			pc.st.Close()
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
			// when the operator chooses to download the centre again
			if _, err := store.Open(ctx, path); err == nil {
				t.Fatal("the emptied database opened as a new PC")
			}
			if err := store.Rebuild(ctx, path); err != nil {
				t.Fatal(err)
			}
			s, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			c := blksync.NewClient(s)
			if _, err := c.Round(ctx); err != nil {
				t.Fatal(err)
			}
			// then it is the same PC with every record back
			if s.DeviceID() != dev {
				t.Fatalf("rebuilt PC is device %s, was %s", s.DeviceID(), dev)
			}
			if got := snapshot(t, s); !reflect.DeepEqual(got, want) {
				t.Fatalf("rebuilt PC differs:\n%s", diff(got, want))
			}
			// and its next writes reach the server (not skipped as seqs the
			// server had already applied)
			if _, err := s.Save(ctx, trainee(21, "Dewi Baru")); err != nil {
				t.Fatal(err)
			}
			if res, err := c.Round(ctx); err != nil || res.Pending != 0 || res.Rejected != 0 {
				t.Fatalf("round after the rebuild: %+v %v", res, err)
			}
			got := snapshot(t, st.Source(centre))
			if want := snapshot(t, s); !reflect.DeepEqual(got, want) {
				t.Fatalf("server differs from the rebuilt PC:\n%s", diff(got, want))
			}
			if n, _ := s.Count(ctx, domain.LookupTable("trainees"), store.Query{}); n != 21 {
				t.Fatalf("%d trainees, want 21", n)
			}
		})
	}
}
