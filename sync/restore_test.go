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

func TestRestoredPCGetsItsOwnWritesBackOnEveryPullPage(t *testing.T) {
	ctx := context.Background()
	// given a PC backed up after 3 trainees, which then synced 5 more
	st := openBackend(t, "sqlite")
	url := startServer(t, st)
	centre := addCentre(t, st, "BLK A")
	pc := enrolDevice(t, st, url, centre, "pc1")
	save := func(s *store.Store, from, to int, name string) {
		for i := from; i <= to; i++ {
			if _, err := s.Save(ctx, trainee(i, name+" "+letters(i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	save(pc.st, 1, 3, "Siti")
	mustRound(t, pc)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := pc.st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	save(pc.st, 4, 8, "Siti")
	mustRound(t, pc)
	// when the backup is restored and syncs with pages of about one record
	restored, err := store.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	save(restored, 9, 9, "Dewi")
	res, err := blksync.NewClient(restored, blksync.WithPullBytes(100)).Round(ctx)
	if err != nil || !res.Restored {
		t.Fatalf("round: %+v %v", res, err)
	}
	// then the later pages brought its own writes back too
	if got, want := snapshot(t, restored), snapshot(t, st.Source(centre)); !reflect.DeepEqual(got, want) {
		t.Fatalf("restored PC differs from the server:\n%s", diff(got, want))
	}
	if full, _ := restored.PullFull(ctx); full {
		t.Fatal("the full pull did not end")
	}
}

func TestRestoredPCThatSyncsBeforeWritingLosesNoLaterWrite(t *testing.T) {
	ctx := context.Background()
	// given a PC restored from a backup older than its last push
	st := openBackend(t, "sqlite")
	url := startServer(t, st)
	centre := addCentre(t, st, "BLK A")
	pc := enrolDevice(t, st, url, centre, "pc1")
	if _, err := pc.st.Save(ctx, trainee(1, "Siti Aminah")); err != nil {
		t.Fatal(err)
	}
	mustRound(t, pc)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := pc.st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 4; i++ {
		if _, err := pc.st.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
			t.Fatal(err)
		}
	}
	mustRound(t, pc)
	restored, err := store.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	client := blksync.NewClient(restored)
	// when it syncs before writing anything, then writes and syncs twice
	if res, err := client.Round(ctx); err != nil || !res.Restored {
		t.Fatalf("first round: %+v %v", res, err)
	}
	if _, err := restored.Save(ctx, trainee(5, "Dewi Lestari")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		res, err := client.Round(ctx)
		if err != nil || res.Restored {
			t.Fatalf("round %d after the repair: %+v %v", i+2, res, err)
		}
	}
	// then the new write reached the server and nothing is pending
	if got, want := snapshot(t, restored), snapshot(t, st.Source(centre)); !reflect.DeepEqual(got, want) {
		t.Fatalf("restored PC differs from the server:\n%s", diff(got, want))
	}
	if n := len(snapshot(t, st.Source(centre))["trainees"]); n != 5 {
		t.Fatalf("server has %d trainees, want 5", n)
	}
}
