package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
	"github.com/kemnaker/blk/sync/wire"
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
// pull, as a loaded server does. With read set, a push first waits until
// the PC has begun to read the reply: in a duplex exchange the page goes
// out before the push is read, and the PC's clock must not jump by the
// push's work before the page's headers have reached it (on a real clock
// that work takes time; here it would be instant).
type slowStorage struct {
	central.Storage
	clock *fakeClock
	work  time.Duration
	read  <-chan struct{}
}

func (s slowStorage) Push(ctx context.Context, dev central.Device, cs []domain.Change) (central.PushResult, error) {
	if s.read != nil {
		select {
		case <-s.read:
		case <-time.After(10 * time.Second): // not duplex: the skew check below fails
		}
	}
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
	read := make(chan struct{})
	srv := NewServer(slowStorage{Storage: c0, clock: clock, work: 10 * time.Second, read: read}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.now = clock.Now
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	pc, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	pc.Now = clock.Now
	client := blksync.NewClient(pc, blksync.WithHTTPClient(&http.Client{Transport: &duplexRead{read: read}}))
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
	select {
	case <-read:
	default:
		t.Fatal("the round was not a duplex push")
	}
	if res.ClockSkew != 0 || pc.ClockOffset() != 0 {
		t.Fatalf("a PC on the server's time learnt skew %v, offset %v", res.ClockSkew, pc.ClockOffset())
	}
}

// duplexRead closes read when the PC first reads the reply to a duplex
// push (after it has noted the time its headers came).
type duplexRead struct {
	read chan struct{}
	once gosync.Once
}

func (d *duplexRead) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.Header.Get(wire.HeaderRound) != "" {
		resp.Body = &firstRead{ReadCloser: resp.Body, d: d}
	}
	return resp, err
}

type firstRead struct {
	io.ReadCloser
	d *duplexRead
}

func (f *firstRead) Read(p []byte) (int, error) {
	f.d.once.Do(func() { close(f.d.read) })
	return f.ReadCloser.Read(p)
}
