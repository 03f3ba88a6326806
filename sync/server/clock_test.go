package server

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

// fakeClock is one time for the server and the PC, moved by hand.
type fakeClock struct {
	mu  gosync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// slowStorage takes work seconds of the shared clock for every push and
// pull, as a loaded server does.
type slowStorage struct {
	central.Storage
	clock *fakeClock
	work  time.Duration
}

func (s slowStorage) Push(ctx context.Context, dev central.Device, cs []domain.Change) (central.PushResult, error) {
	s.clock.advance(s.work)
	return s.Storage.Push(ctx, dev, cs)
}

func (s slowStorage) Pull(ctx context.Context, centre, skip string, cursor, ref int64, maxBytes int) (central.PullResult, error) {
	s.clock.advance(s.work)
	return s.Storage.Pull(ctx, centre, skip, cursor, ref, maxBytes)
}

// TestTheServersWorkIsNotTakenForClockOffset: a PC whose clock agrees with
// the server's learns an offset of zero, however long the server works on
// its requests. Taking the reply's time as the middle of the exchange made
// it half of the work (here 5 s): seconds that then moved every write the
// PC made, and on a loaded machine reordered two edits made seconds apart.
func TestTheServersWorkIsNotTakenForClockOffset(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	c0, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c0.Close() })
	centre, err := c0.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Al-Hikmah", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := c0.NewCode(ctx, centre.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(slowStorage{Storage: c0, clock: clock, work: 10 * time.Second}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.now = clock.Now
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	pc, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	pc.Now = clock.Now
	client := blksync.NewClient(pc)
	if err := client.Enrol(ctx, hs.URL, code); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Save(ctx, &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1),
		Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}); err != nil {
		t.Fatal(err)
	}
	res, err := client.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 1 {
		t.Fatalf("pushed %d", res.Pushed)
	}
	if res.ClockSkew != 0 || pc.ClockOffset() != 0 {
		t.Fatalf("a PC on the server's time learnt skew %v, offset %v", res.ClockSkew, pc.ClockOffset())
	}
}
