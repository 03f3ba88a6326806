package sync_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

func TestPCRestoredFromAnOldBackupLosesNoWrite(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a PC that synced, was backed up, then wrote and synced more
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK A")
			pc := enrolDevice(t, st, url, centre, "pc1")
			for i := 1; i <= 3; i++ {
				if _, err := pc.st.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
					t.Fatal(err)
				}
			}
			mustRound(t, pc)
			backup := filepath.Join(t.TempDir(), "backup.db")
			if err := pc.st.Backup(ctx, backup); err != nil {
				t.Fatal(err)
			}
			for i := 4; i <= 5; i++ {
				if _, err := pc.st.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
					t.Fatal(err)
				}
			}
			mustRound(t, pc)
			// when the old backup is restored and new writes reuse its outbox seqs
			restored, err := store.Open(ctx, backup)
			if err != nil {
				t.Fatal(err)
			}
			defer restored.Close()
			for i := 6; i <= 7; i++ {
				if _, err := restored.Save(ctx, trainee(i, "Dewi "+letters(i))); err != nil {
					t.Fatal(err)
				}
			}
			res, err := blksync.NewClient(restored).Round(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// then the PC notices, the server gets the new writes, and the PC
			// gets back its own writes made after the backup
			if !res.Restored {
				t.Fatal("round did not notice the restored backup")
			}
			n, _ := restored.Count(ctx, domain.LookupTable("trainees"), store.Query{})
			if n != 7 {
				t.Fatalf("restored PC has %d trainees, want 7", n)
			}
			if got, want := snapshot(t, restored), snapshot(t, st.Source(centre)); !reflect.DeepEqual(got, want) {
				t.Fatalf("restored PC differs from the server:\n%s", diff(got, want))
			}
			// and a second round is ordinary
			if res, err := blksync.NewClient(restored).Round(ctx); err != nil || res.Restored {
				t.Fatalf("second round: %+v %v", res, err)
			}
		})
	}
}
