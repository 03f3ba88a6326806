package sync_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

func TestBackoffGrowsToItsCapWithJitter(t *testing.T) {
	min, max := time.Second, time.Minute
	cases := []struct {
		n      int
		jitter float64
		want   time.Duration
	}{
		{1, 1, time.Second},
		{1, 0, 500 * time.Millisecond},
		{2, 1, 2 * time.Second},
		{4, 1, 8 * time.Second},
		{10, 1, time.Minute},
		{10, 0, 30 * time.Second},
	}
	for _, c := range cases {
		if got := blksync.Backoff(c.n, min, max, c.jitter); got != c.want {
			t.Errorf("Backoff(%d, jitter %.1f) = %s, want %s", c.n, c.jitter, got, c.want)
		}
	}
}

// waitStatus waits for a status report that satisfies ok.
func waitStatus(t *testing.T, ch <-chan blksync.Status, ok func(blksync.Status) bool) blksync.Status {
	t.Helper()
	for s := range ch {
		if ok(s) {
			return s
		}
	}
	t.Fatal("status channel closed")
	return blksync.Status{}
}

func TestRunSyncsOnSyncNowAndReportsToSubscribers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// given an enrolled PC whose loop would otherwise wait an hour
	st := openBackend(t, "sqlite")
	url := startServer(t, st)
	d := enrolDevice(t, st, url, addCentre(t, st, "BLK A"), "pc1", blksync.WithSchedule(time.Hour, time.Hour, time.Hour, time.Hour))
	ch := make(chan blksync.Status, 100)
	stop := d.client.Subscribe(func(s blksync.Status) { ch <- s })
	defer stop()
	done := make(chan struct{})
	go func() { d.client.Run(ctx); close(done) }()
	first := waitStatus(t, ch, func(s blksync.Status) bool { return !s.NextAttempt.IsZero() })
	// when a trainee is saved and the user presses "Sync now"
	if _, err := d.st.Save(ctx, trainee(1, "Siti Aminah")); err != nil {
		t.Fatal(err)
	}
	d.client.SyncNow()
	// then a round runs and the status shows nothing pending
	got := waitStatus(t, ch, func(s blksync.Status) bool { return !s.Running && s.LastSuccess.After(first.LastSuccess) })
	if got.Pending != 0 || got.LastError != "" || !got.Enrolled {
		t.Fatalf("status after sync now: %+v", got)
	}
	cancel()
	<-done
}

func TestRunNoticesTheLinkComingBack(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// given an enrolled PC whose server goes away
	st := openBackend(t, "sqlite")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	srv := &http.Server{Handler: syncserver.NewServer(st, quietLog()).Handler()}
	go srv.Serve(ln)
	d := enrolDevice(t, st, "http://"+addr, addCentre(t, st, "BLK A"), "pc1", blksync.WithSchedule(time.Hour, time.Hour, time.Hour, 5*time.Millisecond))
	srv.Close()
	if _, err := d.st.Save(ctx, trainee(1, "Siti Aminah")); err != nil {
		t.Fatal(err)
	}
	ch := make(chan blksync.Status, 1000)
	stop := d.client.Subscribe(func(s blksync.Status) {
		select {
		case ch <- s:
		default:
		}
	})
	defer stop()
	done := make(chan struct{})
	go func() { d.client.Run(ctx); close(done) }()
	failed := waitStatus(t, ch, func(s blksync.Status) bool { return !s.Running && s.LastError != "" })
	if failed.Pending != 1 {
		t.Fatalf("pending %d while offline, want 1", failed.Pending)
	}
	// when the server comes back on the same address (the backoff is an hour)
	ln2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("address %s taken meanwhile: %v", addr, err)
	}
	srv2 := &http.Server{Handler: syncserver.NewServer(st, quietLog()).Handler()}
	go srv2.Serve(ln2)
	defer srv2.Close()
	// then the loop's probe notices and the round finishes
	ok := waitStatus(t, ch, func(s blksync.Status) bool { return !s.Running && s.LastError == "" && s.Pending == 0 })
	if ok.LastSuccess.IsZero() {
		t.Fatalf("status %+v", ok)
	}
	cancel()
	<-done
}

func TestSyncPrunesAcknowledgedOutboxEntries(t *testing.T) {
	ctx := context.Background()
	// given a PC that saved 30 trainees and synced them in batches of 7
	st := openBackend(t, "sqlite")
	url := startServer(t, st)
	d := enrolDevice(t, st, url, addCentre(t, st, "BLK A"), "pc1", blksync.WithBatch(7, 1<<20))
	for i := 1; i <= 30; i++ {
		if _, err := d.st.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
			t.Fatal(err)
		}
	}
	mustRound(t, d)
	// when it saves two more without syncing
	for i := 31; i <= 32; i++ {
		if _, err := d.st.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
			t.Fatal(err)
		}
	}
	// then the outbox holds only the last acknowledged entry and the two pending
	left, err := d.st.PendingChanges(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	pushed, _ := d.st.PushedSeq(ctx)
	if len(left) != 3 || left[0].Seq != pushed || left[2].Seq != pushed+2 {
		t.Fatalf("outbox after sync: %d entries from seq %d; acknowledged %d", len(left), left[0].Seq, pushed)
	}
	// and they sync like before
	if res := mustRound(t, d); res.Pushed != 2 || res.Pending != 0 {
		t.Fatalf("second round: %+v", res)
	}
	if n := len(snapshot(t, st.Source(d.st.CentreID()))["trainees"]); n != 32 {
		t.Fatalf("server has %d trainees, want 32", n)
	}
}
