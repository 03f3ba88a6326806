package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// filledStore makes a closed database of a centre with n trainees and
// returns its path and device id.
func filledStore(t *testing.T, n int) (string, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), store.DefaultFile)
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, func(tx *store.Tx) error {
		for i := 1; i <= n; i++ {
			tr := validTrainee()
			tr.NIK = domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, i)
			tr.Name = fmt.Sprintf("Siti %c%c", 'a'+i%26, 'a'+i/26%26)
			if _, err := tx.Save(tr); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dev := s.DeviceID()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, dev
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestADamagedDatabaseIsRefusedAndNeverWritten(t *testing.T) {
	cases := map[string]struct {
		damage func(t *testing.T, path string)
		reason string
	}{
		"damaged pages": {func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			info, _ := f.Stat()
			junk := make([]byte, 3*4096)
			for i := range junk {
				junk[i] = byte(i * 7)
			}
			if _, err := f.WriteAt(junk, info.Size()/2/4096*4096); err != nil {
				t.Fatal(err)
			}
		}, store.DamageCorrupt},
		"truncated": {func(t *testing.T, path string) {
			info, _ := os.Stat(path)
			if err := os.Truncate(path, info.Size()/3); err != nil {
				t.Fatal(err)
			}
		}, store.DamageCorrupt},
		"emptied": {func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}, store.DamageEmptied},
		"deleted": {func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}, store.DamageMissing},
		"overwritten": {func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("PK\x03\x04 this is a zip file now, not a database"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, store.DamageNotSQL},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// given a PC's database with 600 trainees, then damaged
			path, _ := filledStore(t, 600)
			tc.damage(t, path)
			var before [32]byte
			if _, err := os.Stat(path); err == nil {
				before = fileSum(t, path)
			}
			// when the app opens it
			s, err := store.Open(context.Background(), path)
			// then it is refused as damaged, with the reason
			d, ok := store.IsDamaged(err)
			if !ok {
				if s != nil {
					s.Close()
				}
				t.Fatalf("open: %v, want a DamagedError", err)
			}
			if d.Reason != tc.reason || d.Enrolled {
				t.Fatalf("damage %+v, want reason %s, not enrolled", d, tc.reason)
			}
			// and not a byte of the file was written, nor a new one made
			if _, err := os.Stat(path); err == nil {
				if fileSum(t, path) != before {
					t.Fatal("the damaged file was written to")
				}
			} else if tc.reason != store.DamageMissing {
				t.Fatalf("file gone: %v", err)
			}
			if tc.reason == store.DamageMissing {
				if _, err := os.Stat(path); err == nil {
					t.Fatal("a new database was made in place of the missing one")
				}
			}
		})
	}
}

func TestAFreshFolderStillStartsANewPC(t *testing.T) {
	// given an empty folder, and one with a 0-byte file but no PC identity
	for _, prepare := range []func(path string) error{
		func(string) error { return nil },
		func(path string) error { return os.WriteFile(path, nil, 0o644) },
	} {
		path := filepath.Join(t.TempDir(), store.DefaultFile)
		if err := prepare(path); err != nil {
			t.Fatal(err)
		}
		// when the app opens it, then it is a new installation
		s, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if s.DeviceID() == "" {
			t.Fatal("no device id")
		}
		s.Close()
	}
}

func TestTheNewestBackupBringsADamagedPCBack(t *testing.T) {
	ctx := context.Background()
	// given a PC with a daily backup, then more work, then damage
	path, dev := filledStore(t, 50)
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if made, err := s.DailyBackup(ctx); err != nil || !made {
		t.Fatalf("daily backup: %v %v", made, err)
	}
	if made, err := s.DailyBackup(ctx); err != nil || made {
		t.Fatalf("second daily backup the same day: %v %v", made, err)
	}
	s.Close()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, path); err == nil {
		t.Fatal("emptied database opened")
	}
	// when the operator restores the newest backup
	b, err := store.RestoreNewestBackup(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// then the PC is itself again, with the data of the backup
	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.DeviceID() != dev || b.Reason != store.BackupDaily {
		t.Fatalf("device %s (was %s), restored %+v", s.DeviceID(), dev, b)
	}
	if n, _ := s.Count(ctx, domain.LookupTable("trainees"), store.Query{}); n != 50 {
		t.Fatalf("%d trainees after restore, want 50", n)
	}
	// and the emptied file is kept beside it
	kept, _ := filepath.Glob(path + ".damaged-*")
	if len(kept) != 1 {
		t.Fatalf("damaged file kept as %v", kept)
	}
}

func TestARebuildKeepsThePCsIdentity(t *testing.T) {
	ctx := context.Background()
	// given an enrolled PC whose database is then emptied
	path, dev := filledStore(t, 10)
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	centre := s.CentreID()
	for k, v := range map[string]string{"server_url": "https://blk.example.go.id", "device_token": "tok-123"} {
		if err := s.SetMeta(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(ctx, path)
	if d, ok := store.IsDamaged(err); !ok || !d.Enrolled {
		t.Fatalf("open: %v; want damaged, enrolled", err)
	}
	// when it is rebuilt to download the centre again
	if err := store.Rebuild(ctx, path); err != nil {
		t.Fatal(err)
	}
	// then it is the same PC of the same centre, with its server and token,
	// and it will ask the server for everything, its own writes included
	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.DeviceID() != dev || s.CentreID() != centre {
		t.Fatalf("rebuilt as device %s of %s; was %s of %s", s.DeviceID(), s.CentreID(), dev, centre)
	}
	for k, want := range map[string]string{"server_url": "https://blk.example.go.id", "device_token": "tok-123", "pull_full": "1"} {
		if v, _ := s.Meta(ctx, k); v != want {
			t.Fatalf("meta %s = %q, want %q", k, v, want)
		}
	}
}

func TestARebuildNeedsAnEnrolledPC(t *testing.T) {
	path, _ := filledStore(t, 1)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if err := store.Rebuild(context.Background(), path); err == nil {
		t.Fatal("rebuilt a PC that never had a server")
	}
	if info, err := os.Stat(path); err != nil || info.Size() != 0 {
		t.Fatalf("refused rebuild touched the file: %v %v", info, err)
	}
}

func TestAutomaticBackupsRotate(t *testing.T) {
	ctx := context.Background()
	path, _ := filledStore(t, 1)
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// given nine days of use and seven imports
	day := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for i := range 9 {
		s.Now = func() time.Time { return day.AddDate(0, 0, i) }
		if made, err := s.DailyBackup(ctx); err != nil || !made {
			t.Fatalf("day %d: %v %v", i, made, err)
		}
	}
	for range 7 {
		if _, err := s.AutoBackup(ctx, store.BackupBeforeImport); err != nil {
			t.Fatal(err)
		}
	}
	// then the last seven days and the last five imports are kept
	all, err := store.ListBackups(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, b := range all {
		count[b.Reason]++
		if err := store.CheckBackup(ctx, b.Path); err != nil {
			t.Fatalf("backup %s: %v", b.Path, err)
		}
	}
	if count[store.BackupDaily] != 7 || count[store.BackupBeforeImport] != 5 || len(all) != 12 {
		t.Fatalf("kept %v", count)
	}
	var oldestDaily time.Time
	for _, b := range all {
		if b.Reason == store.BackupDaily {
			oldestDaily = b.At
		}
	}
	if want := day.AddDate(0, 0, 2); !oldestDaily.Equal(want) {
		t.Fatalf("oldest daily backup %v, want %v", oldestDaily, want)
	}
}

func TestABackgroundCheckHoldsWritesUntilItPasses(t *testing.T) {
	ctx := context.Background()
	// given a PC's database with damaged pages, closed cleanly
	path, _ := filledStore(t, 600)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.Stat()
	junk := make([]byte, 3*4096)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	if _, err := f.WriteAt(junk, info.Size()/2/4096*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	sum := fileSum(t, path)
	// when the window opens it with the check in the background
	s, err := store.OpenChecking(ctx, path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	// then a write waits for the check and is refused with the damage
	_, err = s.Save(ctx, validTrainee())
	if _, ok := store.IsDamaged(err); !ok {
		t.Fatalf("write on a damaged database: %v", err)
	}
	if _, ok := store.IsDamaged(s.Healthy(ctx)); !ok {
		t.Fatal("Healthy does not report the damage")
	}
	s.Close()
	if fileSum(t, path) != sum {
		t.Fatal("the damaged file was written to")
	}
}

func TestABackgroundCheckOfAHealthyDatabaseLetsWritesThrough(t *testing.T) {
	ctx := context.Background()
	path, _ := filledStore(t, 50)
	s, err := store.OpenChecking(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tr := validTrainee()
	tr.NIK = domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 999)
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if err := s.Healthy(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestDamagedFirstPagesAreTheSameMessageWhenTheWindowOpens(t *testing.T) {
	ctx := context.Background()
	// given a PC's database whose first pages (the schema's tables: meta,
	// migrations) are damaged, closed cleanly
	path, _ := filledStore(t, 600)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 600)
	for i := range junk {
		junk[i] = byte(i*13 + 1)
	}
	for page := int64(2); page < 40; page += 2 {
		if _, err := f.WriteAt(junk, page*4096+100); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	sum := fileSum(t, path)
	// when the window opens it with the page check in the background, then
	// the first reads meet the damage: the answer is the DamagedError with
	// the ways back, not SQLite's "malformed", either at once or from Healthy
	s, err := store.OpenChecking(ctx, path)
	if err == nil {
		err = s.Healthy(ctx)
		s.Close()
	}
	d, ok := store.IsDamaged(err)
	if !ok {
		t.Fatalf("opening damaged first pages: %v", err)
	}
	if d.Reason != store.DamageCorrupt {
		t.Fatalf("reason %q", d.Reason)
	}
	if fileSum(t, path) != sum {
		t.Fatal("the damaged file was written to")
	}
}
