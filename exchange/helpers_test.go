package exchange_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// newStore is a desktop database with a centre, the source of the exports.
func newStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return today }
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func nik(birth time.Time, female bool, serial int) string {
	return domain.MakeNIK("320101", birth, female, serial)
}
